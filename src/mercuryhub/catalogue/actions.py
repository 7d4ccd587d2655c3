"""Every write to the catalogue's own data. Each one keeps the search index in step, in the same
transaction, and attributes the change in the entry's history. The review workflow (drafts,
versions, submission, validation, revert, reconfirmation) is the review layer's, in
``review/actions.py``, for the catalogue's kinds as for every other."""

from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from mercuryhub.accounts.actions import (
    do_find_or_create_organizations,
)
from mercuryhub.accounts.models import User
from mercuryhub.accounts.queries import can_edit_organization, is_administrator, name_key
from mercuryhub.catalogue.fields import CleanEntry
from mercuryhub.catalogue.models import Expert
from mercuryhub.lib.history import attribute_change
from mercuryhub.lib.ratelimit import count_within
from mercuryhub.review import actions as review_actions
from mercuryhub.review import registry
from mercuryhub.review.actions import do_record_version
from mercuryhub.review.errors import WorkflowError
from mercuryhub.review.indexing import (
    do_index_entries,
    entries_to_index,
    written_entries_to_index,
)
from mercuryhub.review.queries import latest_data, require


@transaction.atomic
def do_save_entry(
    kind: str,
    clean: CleanEntry,
    *,
    instance=None,
    user: User | None = None,
    review_state: str | None = None,
    published: bool | None = None,
    confirmed_on=None,
):
    """Create or update a facility, offering or expert from checked input. A new one is written
    as an import writes many (``do_create_entries``): the same row, tags, history and index in a
    few statements, where setting each relation made a history record that read every
    relation again."""
    if instance is None:
        planned = [(clean, confirmed_on)]
        return do_create_entries(
            kind, planned, user=user, review_state=review_state, published=published
        )[0]
    entry_kind = registry.get(kind)
    entry = review_actions.do_write_entry_row(
        instance,
        _with_operators(entry_kind, [clean], user)[0],
        user,
        review_state=review_state,
        published=published,
        last_confirmed_at=confirmed_on,
    )
    for name, related in clean.relations.items():
        getattr(entry, name).set(related)
    do_index_entries(entry_kind, [entry])
    return entry


def _with_operators(entry_kind, cleans, user) -> list[dict]:
    """Each checked entry's own values, with the organization it names by a name the platform
    may not know yet (an import's operator) found or created, each once."""
    field = entry_kind.organization_field
    naming = [c for c in cleans if c.operator_name and c.values.get(field) is None]
    organizations = do_find_or_create_organizations(
        [
            {
                "name": clean.operator_name,
                "country": clean.operator_country or clean.values.get("country"),
                "stakeholder_type": clean.operator_type,
            }
            for clean in naming
        ],
        user=user,
    )
    every = []
    for clean in cleans:
        values = dict(clean.values)
        if clean.operator_name and values.get(field) is None:
            values[field] = organizations[name_key(clean.operator_name)]
        every.append(values)
    return every


@transaction.atomic
def do_create_entries(
    kind: str,
    planned,
    *,
    user: User | None = None,
    review_state: str | None = None,
    published: bool | None = None,
) -> list:
    """Create many facilities, offerings or experts from checked input, ``planned`` being
    ``(clean, confirmed_on)`` pairs: the same records as saving each and setting its relations
    one by one (organizations named for the first time, rows, tags, history, search index),
    written in batches. Each organization is looked up or created once."""
    entry_kind = registry.get(kind)
    every_values = _with_operators(entry_kind, [clean for clean, _on in planned], user)
    rows = []
    for (clean, confirmed_on), values in zip(planned, every_values, strict=True):
        state = {
            "review_state": review_state,
            "published": published,
            "last_confirmed_at": confirmed_on,
        }
        rows.append((values, clean.relations, state))
    entries = review_actions.do_create_entry_rows(entry_kind.model, rows, user)
    # Their documents from what was written, not read again, where they read nothing more.
    written = written_entries_to_index(
        entry_kind, entries, [clean.relations for clean, _on in planned]
    )
    if written is not None:
        do_index_entries(entry_kind, written)
        return entries
    # Only those visitors may see (a new entry is in no index yet): a draft reads nothing more.
    shown = entry_kind.visible_to(None).filter(pk__in=[entry.pk for entry in entries])
    do_index_entries(entry_kind, entries_to_index(entry_kind, shown))
    return entries


# Contacting an expert ------------------------------------------------------------------------

# At most this many messages per sender address per hour, and per expert per day.
CONTACTS_PER_SENDER_HOUR = 5
CONTACTS_PER_EXPERT_DAY = 20


class ContactLimitError(Exception):
    """Too many messages in a short time; the message says when to try again."""


def do_contact_expert(expert: Expert, message: dict, *, client: str) -> None:
    """E-mail a message to an expert, whose address stays private; replies go to the sender."""
    if count_within(f"expert-contact:sender:{client}", 3600) > CONTACTS_PER_SENDER_HOUR:
        raise ContactLimitError(
            _("You have sent several messages in the last hour; please try again later.")
        )
    if count_within(f"expert-contact:expert:{expert.pk}", 86400) > CONTACTS_PER_EXPERT_DAY:
        raise ContactLimitError(
            _("This expert has received many messages today; please try again tomorrow.")
        )
    organization = f" ({message['organization']})" if message.get("organization") else ""
    body = render_to_string(
        "catalogue/expert_contact_email.txt",
        {"expert": expert, "message": message, "organization": organization},
    )
    EmailMessage(
        subject=f"[MercuryHub] {message['name']}{organization} would like your advice",
        body=body,
        to=[expert.email],
        reply_to=[message["email"]],
    ).send()


# Linking an expert to an organization ------------------------------------------------------


@transaction.atomic
def do_link_expert(editor: User, expert: Expert, organization):
    """An organization's editor accepts an expert's request to be linked to it. The link is
    recorded as a new version; the organization's editors can then keep the profile current."""
    expert = Expert.objects.select_for_update().get(pk=expert.pk)
    require(
        can_edit_organization(editor, organization) or is_administrator(editor),
        f"Only editors of {organization.name} can link experts to it",
    )
    if expert.organization_id == organization.pk:
        return expert
    if expert.organization_id is not None:
        raise WorkflowError(f"{expert.name} is already linked to {expert.organization.name}")
    data = {**latest_data("expert", expert), "organization": organization.slug}
    do_record_version(expert, data, editor, f"linked to {organization.name}")
    expert.organization = organization
    attribute_change(expert, editor)
    expert.save(update_fields=["organization", "updated_at"])
    do_index_entries(registry.get("expert"), [expert])
    return Expert.objects.get(pk=expert.pk)
