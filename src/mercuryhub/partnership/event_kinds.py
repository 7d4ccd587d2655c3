"""The Partnership's events, described once for the review layer's registry: drafts, versions,
validation, history and search come from the review layer. An organization's editors organize
its events (the secretariat among them, through the organization it edits, and reviewers for any
organization); the secretariat validates an event before it is published. Registered in
``partnership/registrations.py``."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy

from mercuryhub.accounts.queries import can_edit_organization, is_reviewer
from mercuryhub.catalogue.kinds import DocumentKind
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.partnership import event_fields
from mercuryhub.partnership.models.events import DatePrecision, Event
from mercuryhub.review.registry import VersionField
from mercuryhub.review.translations import TranslatedField


def _field(name, label, shows="text", choices=()):
    return VersionField(name, label, shows, tuple(choices))


class EventKind(DocumentKind):
    name = "event"
    model = Event
    label = gettext_lazy("Event")
    label_plural = gettext_lazy("Events")
    organization_field = "organization"
    queue_country_field = "country"
    country_field = "organization__country"
    detail_url_name = "partnership-event-detail"
    edit_url_name = "catalogue-entry-edit"
    hit_template = "partnership/events/_hit.html"
    description_field = "description"
    select_related = ("organization", "country", "recording")
    prefetch_related = ("partnership_areas", "materials")
    # An event happens once: it is not reconfirmed yearly, nor listed on the topic pages.
    in_update_campaigns = False
    on_topic_pages = False
    translated_fields = (
        TranslatedField("name", max_length=300),
        TranslatedField("description", multiline=True),
    )
    fields = (
        _field("name", gettext_lazy("Title")),
        _field("description", gettext_lazy("Description")),
        _field("organization", gettext_lazy("Organizer"), "organization"),
        _field("format", gettext_lazy("Format"), "choice", Event.Format.choices),
        _field("starts_at", gettext_lazy("Starts (local time)")),
        _field("ends_at", gettext_lazy("Ends (local time)")),
        _field("time_zone", gettext_lazy("Time zone")),
        _field(
            "dates_known_to", gettext_lazy("Dates known to the"), "choice", DatePrecision.choices
        ),
        _field("online", gettext_lazy("Online"), "boolean"),
        _field("online_url", gettext_lazy("Address to join")),
        _field("venue", gettext_lazy("Venue")),
        _field("city", gettext_lazy("City")),
        _field("country", gettext_lazy("Country"), "countries"),
        _field("latitude", gettext_lazy("Latitude")),
        _field("longitude", gettext_lazy("Longitude")),
        _field("capacity", gettext_lazy("Places")),
        _field("registration_open", gettext_lazy("Registration open"), "boolean"),
        _field(
            "partnership_areas",
            gettext_lazy("Co-organizing Partnership areas"),
            "terms:partnership_areas",
        ),
        _field("materials", gettext_lazy("Materials (library resources)")),
        _field("recording", gettext_lazy("Recording (library resource)")),
        _field("external_id", gettext_lazy("External identifier")),
    )

    check = staticmethod(event_fields.clean_event)
    data_of = staticmethod(event_fields.event_data)
    stored_of = staticmethod(event_fields.stored_data)

    def visible_to(self, user):
        return Event.objects.filter(published=True)

    def check_organization(self, user, checked) -> None:
        organization = checked.values.get("organization")
        if organization is None:
            unknown = checked.operator_name
            raise InvalidInputError(
                {"organization": f"Unknown organization {unknown!r}; register it first"}
            )
        if not (can_edit_organization(user, organization) or is_reviewer(user)):
            raise PermissionDenied(f"Only editors of {organization.name} can organize its events")

    def search_texts(self, entry) -> list[str]:
        place = [entry.venue, entry.city, entry.country.name if entry.country else ""]
        return [*place, entry.organization.name, entry.get_format_display()]


KIND = EventKind()
