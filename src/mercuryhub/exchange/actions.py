"""The exchange's own writes on needs: where a need stands (open, in contact, matched, closed),
each change dated. A need's content goes through the review layer's actions."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mercuryhub.accounts.models import User
from mercuryhub.catalogue.fields import clean_text
from mercuryhub.exchange.models import Need
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.lib.history import attribute_change
from mercuryhub.review.errors import WorkflowError
from mercuryhub.review.queries import can_edit_entry, require

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
