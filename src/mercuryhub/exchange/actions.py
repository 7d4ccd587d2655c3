"""The exchange's own writes on needs: where a need stands (open, in contact, matched, closed),
each change dated; and offers: a partner answers a need (its owner is told by e-mail), and when
the owner accepts, each side receives the other's contact details by e-mail and the need is in
contact. A need's content goes through the review layer's actions."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from mercuryhub.accounts.models import User
from mercuryhub.catalogue.fields import clean_text
from mercuryhub.exchange import questionnaire
from mercuryhub.exchange.models import Need, NeedAlert, NeedNote, Offer, QuestionnaireNeed
from mercuryhub.exchange.queries import may_offer, needs_for_alert
from mercuryhub.forms.models import Submission
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.lib.history import attribute_change
from mercuryhub.review import actions as review_actions
from mercuryhub.review.errors import WorkflowError
from mercuryhub.review.queries import can_edit_entry, can_review, require
from mercuryhub.taxonomy.queries import regions, resolve_terms

# The states a need may move on to from each state; closing is ``do_close_need``.
_NEXT = {
    Need.State.OPEN: {Need.State.IN_CONTACT, Need.State.MATCHED},
    Need.State.IN_CONTACT: {Need.State.MATCHED, Need.State.OPEN},
    Need.State.MATCHED: set(),
    Need.State.CLOSED: set(),
}
_DATED = {Need.State.IN_CONTACT: "in_contact_at", Need.State.MATCHED: "matched_at"}
OUTCOME_MAX_LENGTH = 5000


def _lock(need: Need) -> Need:
    return Need.objects.select_for_update().get(pk=need.pk)


@transaction.atomic
def do_set_need_state(user: User, need: Need, state: str) -> Need:
    """Move a published need on: open → in contact → matched (or back to open when a contact
    came to nothing). The date of each change is kept."""
    need = _lock(need)
    require(can_edit_entry(user, need), "Only the need's owner and editors can change its state")
    if state not in Need.State.values:
        raise InvalidInputError({"state": f"Unknown state {state!r}"})
    if state == Need.State.CLOSED:
        raise WorkflowError(_("Close a need with its outcome."))
    if not need.published:
        raise WorkflowError(_("Only published needs move on in the exchange."))
    if state not in _NEXT[need.state]:
        raise WorkflowError(
            _("A need that is %(state)s cannot become %(next)s.")
            % {"state": need.get_state_display(), "next": Need.State(state).label}
        )
    need.state = state
    fields = ["state", "updated_at"]
    if state in _DATED:
        setattr(need, _DATED[state], timezone.now())
        fields.append(_DATED[state])
    attribute_change(need, user)
    need.save(update_fields=fields)
    return need


@transaction.atomic
def do_close_need(user: User, need: Need, outcome: str) -> Need:
    """The owner closes a need, saying what came of it (solved here, solved elsewhere, no longer
    needed…). A closed need stays readable; it is no longer listed as open."""
    need = _lock(need)
    require(can_edit_entry(user, need), "Only the need's owner and editors can close it")
    errors: dict[str, str] = {}
    outcome = clean_text(
        {"outcome": outcome}, "outcome", errors, max_length=OUTCOME_MAX_LENGTH, multiline=True
    )
    if not outcome and not errors:
        errors["outcome"] = "Say what came of the need, so that others can learn from it"
    if errors:
        raise InvalidInputError(errors)
    if need.state == Need.State.CLOSED:
        raise WorkflowError(_("This need is already closed."))
    need.state = Need.State.CLOSED
    need.closed_at = timezone.now()
    need.closed_by = user
    need.outcome = outcome
    attribute_change(need, user)
    need.save(update_fields=["state", "closed_at", "closed_by", "outcome", "updated_at"])
    return need


# Offers and introductions -------------------------------------------------------------------

OFFER_MAX_LENGTH = 3000
_OPEN_STATES = {Need.State.OPEN, Need.State.IN_CONTACT}


@transaction.atomic
def do_make_offer(user: User, need: Need, message: str) -> Offer:
    require(may_offer(user, need), _("Only partners answer the open needs of others."))
    message = (message or "").strip()
    if not message:
        raise InvalidInputError({"message": _("Say what you offer.")})
    if len(message) > OFFER_MAX_LENGTH:
        raise InvalidInputError(
            {"message": _("Keep the offer under %(count)s characters.") % {"count": "3,000"}}
        )
    membership = user.memberships.select_related("organization").order_by("pk").first()
    try:
        with transaction.atomic():
            offer = Offer.objects.create(
                need=need,
                offered_by=user,
                organization=membership.organization if membership else None,
                message=message,
            )
    except IntegrityError:
        raise WorkflowError(_("You have already offered help with this need.")) from None
    if need.owner is not None:
        _mail_on_commit(
            need.owner.email,
            "[MercuryHub] " + _("An offer for your need: %(need)s") % {"need": need.name},
            "exchange/emails/offer_received.txt",
            {"need": need, "offer": offer},
        )
    return offer


@transaction.atomic
def do_accept_offer(user: User, offer: Offer) -> Offer:
    """The owner accepts: both sides get each other's contact details; the need is in contact."""
    offer = Offer.objects.select_for_update().select_related("need", "offered_by").get(pk=offer.pk)
    need = offer.need
    require(can_edit_entry(user, need), _("Only the need's owner accepts its offers."))
    if offer.state != Offer.State.PROPOSED:
        raise WorkflowError(_("This offer has already been answered."))
    if need.state not in _OPEN_STATES:
        raise WorkflowError(_("This need is no longer open."))
    offer.state, offer.decided_at = Offer.State.ACCEPTED, timezone.now()
    offer.save(update_fields=["state", "decided_at"])
    if need.state == Need.State.OPEN:
        do_set_need_state(user, need, Need.State.IN_CONTACT)
    owner = need.owner or user
    context = {"need": need, "offer": offer, "owner": owner, "partner": offer.offered_by}
    _mail_on_commit(
        offer.offered_by.email,
        "[MercuryHub] " + _("Your offer was accepted: %(need)s") % {"need": need.name},
        "exchange/emails/introduction_to_partner.txt",
        context,
    )
    _mail_on_commit(
        owner.email,
        "[MercuryHub] " + _("Introduction: %(partner)s") % {"partner": offer.offered_by},
        "exchange/emails/introduction_to_owner.txt",
        context,
    )
    return offer


@transaction.atomic
def do_decline_offer(user: User, offer: Offer) -> Offer:
    offer = Offer.objects.select_for_update().select_related("need").get(pk=offer.pk)
    require(can_edit_entry(user, offer.need), _("Only the need's owner declines its offers."))
    if offer.state != Offer.State.PROPOSED:
        raise WorkflowError(_("This offer has already been answered."))
    offer.state, offer.decided_at = Offer.State.DECLINED, timezone.now()
    offer.save(update_fields=["state", "decided_at"])
    return offer


def _mail_on_commit(address: str, subject: str, template: str, context: dict) -> None:
    body = render_to_string(template, {**context, "site_url": settings.SITE_URL})
    transaction.on_commit(lambda: send_mail(subject, body, None, [address]))


# The secretariat's notes for the response list ------------------------------------------------

NOTE_MAX_LENGTH = 2000


def do_add_need_note(user: User, need: Need, text: str) -> NeedNote:
    require(can_review(user), _("Only the secretariat adds notes to needs."))
    text = (text or "").strip()
    if not text:
        raise InvalidInputError({"text": _("Write the note.")})
    if len(text) > NOTE_MAX_LENGTH:
        raise InvalidInputError(
            {"text": _("Keep the note under %(count)s characters.") % {"count": "2,000"}}
        )
    return NeedNote.objects.create(need=need, text=text, author=user)


# Alerts: new needs that fit a partner's work, by e-mail --------------------------------------


@transaction.atomic
def do_save_need_alert(user: User, data: dict) -> NeedAlert:
    """Subscribe a partner (a member of an organization) to new needs on the waste categories,
    phases and regions chosen (none chosen: any)."""
    require(user.is_authenticated and user.memberships.exists(), _("Alerts are for partners."))
    errors: dict[str, str] = {}
    chosen = {}
    for name, vocabulary in (
        ("waste_categories", "waste_categories"),
        ("phases", "management_phases"),
    ):
        try:
            chosen[name] = resolve_terms(vocabulary, data.get(name) or [], field=name)
        except InvalidInputError as error:
            errors.update(error.errors)
    known = {r["name"] for r in regions()} | {s for r in regions() for s in r["subregions"]}
    wanted = [name for name in dict.fromkeys(data.get("regions") or []) if name]
    unknown = [name for name in wanted if name not in known]
    if unknown:
        errors["regions"] = f"Unknown UN M49 regions {', '.join(map(repr, unknown))}"
    if errors:
        raise InvalidInputError(errors)
    alert, _created = NeedAlert.objects.get_or_create(user=user)
    alert.regions = wanted
    alert.save(update_fields=["regions"])
    alert.waste_categories.set(chosen["waste_categories"])
    alert.phases.set(chosen["phases"])
    return alert


def do_delete_need_alert(user: User) -> None:
    NeedAlert.objects.filter(user=user).delete()


def do_send_need_alerts(now=None) -> int:
    """E-mail each subscribed partner the needs published since their last alert that fit it;
    returns how many e-mails were sent. Nothing is sent to those with no new need."""
    now = now or timezone.now()
    sent = 0
    for alert in NeedAlert.objects.select_related("user").prefetch_related(
        "waste_categories", "phases"
    ):
        since = alert.last_sent_at or alert.created_at
        needs = needs_for_alert(alert, since=since, until=now)
        if needs:
            body = render_to_string(
                "exchange/emails/need_alert.txt",
                {"alert": alert, "needs": needs, "site_url": settings.SITE_URL},
            )
            subject = "[MercuryHub] " + _("New needs that fit your work: %(count)s") % {
                "count": len(needs)
            }
            send_mail(subject, body, None, [alert.user.email])
            sent += 1
        alert.last_sent_at = now
        alert.save(update_fields=["last_sent_at"])
    return sent


@transaction.atomic
def do_post_questionnaire_needs(submission: Submission) -> list[Need]:
    """Post the needs of an approved answer to the WMA needs questionnaire whose respondent
    consented (``questionnaire.needs_from_answers``): in the name of the person who submitted it
    when signed in, else of the manager who approved it; drafted and submitted as any need, so
    moderated as any need of its author. Each is linked to the submission: approving again, or
    approving an edit of it, posts nothing twice. Without consent nothing is posted."""
    if not questionnaire.has_consent(submission.data):
        return []
    author = submission.submitted_by_user or submission.reviewed_by
    if author is None:
        return []
    posted_for = set(
        QuestionnaireNeed.objects.filter(submission__in=_edit_chain(submission)).values_list(
            "support_type", flat=True
        )
    )
    posted = []
    for support_type, data in questionnaire.needs_from_answers(submission.data):
        if support_type in posted_for:
            continue
        need = review_actions.do_create_draft("need", author, data)
        need = review_actions.do_submit_entry("need", author, need)
        QuestionnaireNeed.objects.create(
            need=need, submission=submission, support_type=support_type
        )
        posted.append(need)
    return posted


def _edit_chain(submission: Submission) -> list[int]:
    """The submission and those it replaced, edit after edit."""
    chain, current = [submission.pk], [submission.pk]
    while current:
        current = list(
            Submission.objects.filter(deprecated_by__in=current).values_list("pk", flat=True)
        )
        chain.extend(current)
    return chain
