"""Every write of the Partnership's events besides their content (which changes only through the
review layer, saved by the catalogue's ``do_save_entry`` through the kind): registering for an
event and cancelling.

Registering locks the event's row (``select_for_update``) for the rest of the transaction, so
that two people taking the last place at the same moment are counted one after the other: the
registrations never exceed the capacity; the later one goes on the waiting list. Cancelling a
place moves the first person waiting up, who is told by e-mail."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from mercuryhub.lib.errors import StateError
from mercuryhub.partnership.models.events import Event, Registration

State = Registration.State


class RegistrationClosedError(StateError):
    """Registration for the event is not open; the message says why."""


def _locked(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def registration_refusal(event: Event) -> str | None:
    """Why nobody may register for the event now, or None."""
    if not event.published:
        return _("This event is not published.")
    if event.starts_at <= timezone.now():
        return _("Registration is closed: the event has started or is over.")
    if not event.registration_open:
        return _("Registration for this event is closed.")
    return None


@transaction.atomic
def do_register_for_event(user, event: Event) -> Registration:
    """Register ``user``: a place while places remain, else the waiting list. Registering again
    while registered or waiting changes nothing; after cancelling, the person registers anew
    (at the end of the waiting list when the event is full)."""
    event = _locked(event)
    refusal = registration_refusal(event)
    if refusal:
        raise RegistrationClosedError(refusal)
    current = Registration.objects.filter(event=event, person=user).first()
    if current is not None and current.state != State.CANCELLED:
        return current
    if current is not None:
        current.delete()
    taken = Registration.objects.filter(event=event, state=State.REGISTERED).count()
    full = event.capacity is not None and taken >= event.capacity
    return Registration.objects.create(
        event=event, person=user, state=State.WAITING if full else State.REGISTERED
    )


@transaction.atomic
def do_cancel_registration(user, event: Event) -> Registration | None:
    """Cancel ``user``'s registration (or place on the waiting list); a place freed goes to the
    first person waiting, who is e-mailed. Returns the person moved up's registration, if any."""
    event = _locked(event)
    current = Registration.objects.filter(event=event, person=user).first()
    if current is None or current.state == State.CANCELLED:
        raise StateError(_("You are not registered for this event."))
    freed = current.state == State.REGISTERED
    current.state = State.CANCELLED
    current.save(update_fields=["state", "updated_at"])
    if not freed or event.starts_at <= timezone.now():
        return None
    return _move_up(event)


def _move_up(event: Event) -> Registration | None:
    taken = Registration.objects.filter(event=event, state=State.REGISTERED).count()
    if event.capacity is not None and taken >= event.capacity:
        return None
    first = (
        Registration.objects.filter(event=event, state=State.WAITING)
        .select_related("person")
        .order_by("created_at", "pk")
        .first()
    )
    if first is None:
        return None
    first.state = State.REGISTERED
    first.save(update_fields=["state", "updated_at"])
    _tell_moved_up(event, first.person)
    return first


def _tell_moved_up(event: Event, person) -> None:
    """E-mail the person moved up once the change is committed; a message the mail server
    does not take waits in the outbox (accounts.mail) and never undoes the registration."""
    subject = "[MercuryHub] " + _("A place for you at %(event)s") % {"event": event.name}
    body = render_to_string(
        "partnership/events/moved_up_email.txt",
        {"event": event, "person": person, "site_url": settings.SITE_URL},
    )

    transaction.on_commit(lambda: send_mail(subject, body, None, [person.email]))
