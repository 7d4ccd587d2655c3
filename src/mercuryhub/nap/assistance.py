"""Assistance a country team asks of the secretariat: expert recommendations, a consultation, a
technical peer review or a workshop. The secretariat assigns experts of the catalogue (the
request moves from requested to assigned), then completes or declines it with a note. The
requester and the assigned experts are e-mailed at each change; the secretariat when a request
arrives."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mercuryhub.accounts.models import User
from mercuryhub.accounts.queries import is_reviewer, organizations_editable_by
from mercuryhub.catalogue.queries.visibility import experts_visible_to
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.lib.notices import notify
from mercuryhub.nap import fields
from mercuryhub.nap.models import AssistanceRequest
from mercuryhub.nap.queries import is_team_member, plans_visible_to
from mercuryhub.review.errors import WorkflowError

MAX_DESCRIPTION_CHARACTERS = 5_000
MAX_NOTE_CHARACTERS = 5_000
State = AssistanceRequest.State
OPEN_STATES = (State.REQUESTED, State.ASSIGNED)


def _text(value, name: str, limit: int, message: str, *, required=True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise InvalidInputError({name: message})
    if len(text) > limit:
        raise InvalidInputError({name: f"At most {limit:,} characters ({len(text):,} given)"})
    return text


def _team_and_plan(user: User, data: dict):
    """The organization asking (one the person edits) and the plan the request is about."""
    plan = None
    if data.get("plan"):
        plan = plans_visible_to(user).filter(pk=data["plan"]).first()
        if plan is None or not is_team_member(user, plan):
            raise InvalidInputError({"plan": "Choose a plan of your country team, or none"})
        return plan.organization, plan
    editable = organizations_editable_by(user).select_related("country")
    slug = (data.get("organization") or "").strip()
    organization = editable.filter(slug=slug).first() if slug else None
    if organization is None and not slug and editable.count() == 1:
        organization = editable.first()
    if organization is None:
        raise InvalidInputError(
            {"organization": "Choose the organization of your country team (one you edit)"}
        )
    return organization, plan


@transaction.atomic
def do_request_assistance(user: User, data: dict) -> AssistanceRequest:
    """A country team's request: ``kind``, ``description``, ``elements`` (Annex C codes), and
    ``plan`` (an id) or ``organization`` (a slug of an organization the person edits)."""
    if not (user.is_authenticated and organizations_editable_by(user).exists()):
        raise PermissionDenied("Only a country team (editors of an organization) can ask")
    errors = {}
    if data.get("kind") not in AssistanceRequest.Kind.values:
        errors["kind"] = "Choose a kind of assistance: " + ", ".join(AssistanceRequest.Kind.values)
    elements = list(dict.fromkeys(data.get("elements") or []))
    unknown = [code for code in elements if code not in fields.element_codes()]
    if unknown:
        errors["elements"] = f"Unknown elements: {', '.join(map(str, unknown))}"
    try:
        description = _text(
            data.get("description"),
            "description",
            MAX_DESCRIPTION_CHARACTERS,
            "Say what is needed",
        )
    except InvalidInputError as error:
        errors |= error.errors
    if errors:
        raise InvalidInputError(errors)
    organization, plan = _team_and_plan(user, data)
    request = AssistanceRequest.objects.create(
        country=plan.country if plan else organization.country,
        organization=organization,
        plan=plan,
        kind=data["kind"],
        description=description,
        elements=elements,
        requested_by=user,
    )
    secretariat = User.objects.filter(
        role__in=[User.Role.REVIEWER, User.Role.ADMINISTRATOR], is_active=True
    ).values_list("email", flat=True)
    _tell(request, _("Assistance requested: %(kind)s for %(country)s"), [user.email, *secretariat])
    return request


def _tell(request: AssistanceRequest, subject: str, addresses) -> None:
    notify(
        subject % {"kind": request.get_kind_display(), "country": request.country.name},
        "nap/emails/assistance_change.txt",
        {
            "request": request,
            "path": reverse("nap-assistance-detail", args=[request.pk]),
        },
        addresses,
    )


def _people(request: AssistanceRequest) -> list[str]:
    """The requester and the assigned experts."""
    requester = request.requested_by.email if request.requested_by else ""
    return [requester, *request.experts.values_list("email", flat=True)]


def _lock_open(user: User, request: AssistanceRequest) -> AssistanceRequest:
    if not is_reviewer(user):
        raise PermissionDenied("Only the secretariat answers assistance requests")
    locked = (
        AssistanceRequest.objects.select_for_update(of=("self",))
        .select_related("country", "requested_by")
        .get(pk=request.pk)
    )
    if locked.state not in OPEN_STATES:
        raise WorkflowError(f"This request is {locked.get_state_display().lower()} already")
    return locked


@transaction.atomic
def do_assign_experts(
    user: User, request: AssistanceRequest, expert_ids, note: str = ""
) -> AssistanceRequest:
    """The secretariat assigns published experts of the catalogue (again, to change them)."""
    request = _lock_open(user, request)
    ids = {int(pk) for pk in expert_ids or []}
    experts = list(experts_visible_to(user).filter(pk__in=ids))
    if not ids or len(experts) != len(ids):
        raise InvalidInputError({"experts": "Choose one or more experts of the catalogue"})
    request.experts.set(experts)
    request.state = State.ASSIGNED
    request.assigned_by, request.assigned_at = user, timezone.now()
    request.note = _text(note, "note", MAX_NOTE_CHARACTERS, "", required=False)
    request.save(update_fields=["state", "assigned_by", "assigned_at", "note"])
    _tell(request, _("Experts assigned: %(kind)s for %(country)s"), _people(request))
    return request


def _close(user, request, state: str, note: str, subject: str, *, note_required: bool):
    request = _lock_open(user, request)
    request.note = _text(
        note, "note", MAX_NOTE_CHARACTERS, "Say why, for the country team", required=note_required
    )
    request.state = state
    request.closed_at = timezone.now()
    request.save(update_fields=["state", "closed_at", "note"])
    _tell(request, subject, _people(request))
    return request


@transaction.atomic
def do_complete_assistance(user: User, request: AssistanceRequest, note: str = ""):
    return _close(
        user,
        request,
        State.COMPLETED,
        note,
        _("Assistance completed: %(kind)s for %(country)s"),
        note_required=False,
    )


@transaction.atomic
def do_decline_assistance(user: User, request: AssistanceRequest, note: str):
    return _close(
        user,
        request,
        State.DECLINED,
        note,
        _("Assistance declined: %(kind)s for %(country)s"),
        note_required=True,
    )
