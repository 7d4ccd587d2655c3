"""The Partnership's event pages: the list (upcoming then past, filters, a map of the events held
in a place), an event with its registration, the registrations its organizers see (and download
as CSV), and the iCalendar files. Editing goes through the review layer's editing pages
(``catalogue-entry-create`` / ``catalogue-entry-edit`` with the kind ``event``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from mercuryhub.accounts.queries import organizations_editable_by
from mercuryhub.lib.errors import StateError
from mercuryhub.lib.streams import csv_lines, streamed_download
from mercuryhub.partnership import event_actions, event_queries
from mercuryhub.partnership.event_calendar import calendar_bytes
from mercuryhub.partnership.models.events import Registration
from mercuryhub.review.queries import can_edit_entry

EVENTS_PER_PAGE = 20
CALENDAR_TYPE = "text/calendar; charset=utf-8"


@require_safe
def event_list(request):
    filters = event_queries.parse_filters(request.GET)
    events = event_queries.filtered(event_queries.events_visible_to(request.user), filters)
    page = Paginator(event_queries.upcoming_first(events), EVENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    now = timezone.now()
    return render(
        request,
        "partnership/events/event_list.html",
        {
            "page": page,
            "rows": [(event, event.ends_at < now) for event in page.object_list],
            "filters": filters,
            "choices": event_queries.filter_choices(),
            "points": event_queries.map_points(events),
            "may_announce": organizations_editable_by(request.user).exists(),
            "calendar_query": _without_page(request.GET),
        },
    )


def _without_page(query) -> str:
    kept = query.copy()
    kept.pop("page", None)
    return kept.urlencode()


@require_safe
def event_detail(request, pk):
    event = event_queries.get_event_for_user(request.user, pk)
    registration = event_queries.registration_of(request.user, event)
    organizer = event_queries.may_organize(request.user, event)
    return render(
        request,
        "partnership/events/event_detail.html",
        {
            "event": event,
            "timing": event_queries.timing(event),
            "registration": registration,
            "waiting_position": event_queries.waiting_position(registration),
            "counts": event_queries.registration_counts(event),
            "refusal": event_actions.registration_refusal(event),
            "may_edit": can_edit_entry(request.user, event),
            "organizer": organizer,
            "shows_join_address": event_queries.shows_join_address(request.user, event),
            "past": event.ends_at < timezone.now(),
        },
    )


@login_required
@require_POST
def event_register(request, pk):
    event = event_queries.get_event_for_user(request.user, pk)
    try:
        registration = event_actions.do_register_for_event(request.user, event)
    except StateError as error:
        messages.error(request, str(error))
    else:
        if registration.state == Registration.State.REGISTERED:
            messages.success(request, _("You are registered for this event."))
        else:
            messages.warning(
                request,
                _(
                    "The event is full: you are on the waiting list. If a place becomes free, it "
                    "goes to the first person waiting, and we e-mail you when it is yours."
                ),
            )
    return redirect(event)


@login_required
@require_POST
def event_cancel(request, pk):
    event = event_queries.get_event_for_user(request.user, pk)
    try:
        event_actions.do_cancel_registration(request.user, event)
    except StateError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect(event)


@login_required
@require_safe
def event_registrations(request, pk):
    event = event_queries.get_event_for_user(request.user, pk)
    registrations = event_queries.registrations_for_organizer(request.user, event)
    return render(
        request,
        "partnership/events/event_registrations.html",
        {
            "event": event,
            "registrations": registrations,
            "counts": event_queries.registration_counts(event),
        },
    )


@login_required
@require_safe
def event_registrations_csv(request, pk):
    event = event_queries.get_event_for_user(request.user, pk)
    registrations = event_queries.registrations_for_organizer(request.user, event)
    rows = (
        [
            r.person.name,
            r.person.email,
            r.state,
            r.created_at.isoformat(timespec="seconds"),
            r.updated_at.isoformat(timespec="seconds"),
        ]
        for r in registrations.iterator()
    )
    header = ["name", "email", "state", "registered_at", "changed_at"]
    name = f"event-{event.pk}-registrations.csv"
    return streamed_download(csv_lines(header, rows), "text/csv", name)


@require_safe
def event_calendar(request):
    """Every published event (with the list's filters) as one calendar to subscribe to."""
    filters = event_queries.parse_filters(request.GET)
    events = event_queries.filtered(event_queries.events_visible_to(request.user), filters)
    body = calendar_bytes(events.order_by("starts_at", "pk"), _("Partnership events"))
    response = HttpResponse(body, content_type=CALENDAR_TYPE)
    response["Content-Disposition"] = 'inline; filename="partnership-events.ics"'
    return response


@require_safe
def event_ics(request, pk):
    event = event_queries.get_event_for_user(request.user, pk)
    response = HttpResponse(calendar_bytes([event], event.name), content_type=CALENDAR_TYPE)
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.ics"'
    return response
