"""The web form of an event, served by the review layer's editing pages (``catalogue-entry-create``
and ``catalogue-entry-edit`` with the kind ``event``): fields and widgets only; the checks are
``event_fields.clean_event``'s."""

from zoneinfo import available_timezones

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from mercuryhub.catalogue.editor_forms import EntryForm, OrganizationField, vocabulary_field
from mercuryhub.lib.text import LONG_TEXT_MAX_LENGTH
from mercuryhub.partnership.models.events import DatePrecision, Event


class LocalDateTimeInput(forms.TextInput):
    input_type = "datetime-local"


class TimeZoneInput(forms.TextInput):
    """A time zone's IANA name, typed with the names of the known zones offered as it is
    typed (a datalist)."""

    def render(self, name, value, attrs=None, renderer=None):
        field = super().render(name, value, {**(attrs or {}), "list": f"{name}-choices"}, renderer)
        options = format_html_join(
            "", '<option value="{}">', ((zone,) for zone in _time_zone_names())
        )
        return format_html('{}<datalist id="{}-choices">{}</datalist>', field, name, options)


def _time_zone_names() -> list[str]:
    return sorted(
        name
        for name in available_timezones()
        if "/" in name and not name.startswith(("Etc/", "SystemV/"))
    ) + ["UTC"]


def _decimal(label, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "dir": "ltr"}),
        **kwargs,
    )


class EventForm(EntryForm):
    add_title = _("Announce an event")
    add_intro = _(
        "The event is saved as a draft only your organization's editors see; the secretariat "
        "publishes it once you submit it."
    )
    kind_name = "event"
    organization_field = "organization"

    name = forms.CharField(label=_("Title"), max_length=300)
    organization = OrganizationField(label=_("Organized by"))
    format = forms.ChoiceField(label=_("Format"), choices=Event.Format.choices)
    description = forms.CharField(
        max_length=LONG_TEXT_MAX_LENGTH,
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    starts_at = forms.CharField(
        label=_("Starts"),
        widget=LocalDateTimeInput(attrs={"dir": "ltr"}),
        help_text=_("In the event's own time zone."),
    )
    ends_at = forms.CharField(
        label=_("Ends"),
        widget=LocalDateTimeInput(attrs={"dir": "ltr"}),
        help_text=_("In the event's own time zone."),
    )
    time_zone = forms.CharField(
        label=_("Time zone"),
        max_length=64,
        initial="UTC",
        widget=TimeZoneInput(attrs={"dir": "ltr", "autocomplete": "off"}),
        help_text=_("Its IANA name, such as Europe/Vienna, Asia/Tokyo or America/Bogota."),
    )
    dates_known_to = forms.ChoiceField(
        label=_("The dates are known to the"),
        choices=DatePrecision.choices,
        initial=DatePrecision.DAY,
        help_text=_("For past events recorded from notices that give only the month or the year."),
    )
    online = forms.BooleanField(label=_("Held online"), required=False)
    online_url = forms.CharField(
        label=_("Address to join"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"dir": "ltr"}),
        help_text=_("Shown only to the people registered."),
    )
    venue = forms.CharField(label=_("Venue"), required=False, max_length=300)
    city = forms.CharField(label=_("City"), required=False, max_length=200)
    country = forms.ChoiceField(label=_("Country"), required=False)
    latitude = _decimal(_("Latitude"), help_text=_("Decimal degrees, e.g. 43.263"))
    longitude = _decimal(_("Longitude"), help_text=_("Decimal degrees, e.g. -2.935"))
    capacity = forms.IntegerField(
        label=_("Places"),
        required=False,
        min_value=1,
        help_text=_("Leave empty for no limit; past it, people join a waiting list."),
    )
    registration_open = forms.BooleanField(label=_("Registration is open"), required=False)
    materials = forms.CharField(
        label=_("Materials"),
        required=False,
        max_length=2000,
        widget=forms.TextInput(attrs={"dir": "ltr"}),
        help_text=_(
            "Library resources, by number or external identifier, separated by semicolons."
        ),
    )
    recording = forms.CharField(
        label=_("Recording"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"dir": "ltr"}),
        help_text=_("A library resource, by number or external identifier."),
    )
    # The base form gives every entry form a list of languages; an event has none.
    languages = forms.MultipleChoiceField(required=False, widget=forms.MultipleHiddenInput)

    class Media:
        css = {"all": ("partnership/events.css",)}

    sections = [
        (
            _("The event"),
            ["name", "organization", "format", "description", "content_language"],
        ),
        (_("When"), ["starts_at", "ends_at", "time_zone", "dates_known_to"]),
        (
            _("Where"),
            ["online", "online_url", "venue", "city", "country", "latitude", "longitude"],
        ),
        (_("Registration"), ["capacity", "registration_open"]),
        (_("Co-organizers and materials"), ["partnership_areas", "materials", "recording"]),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["languages"]
        self.fields["partnership_areas"] = vocabulary_field(
            "partnership_areas", _("Co-organizing Partnership areas")
        )

    @classmethod
    def initial_from(cls, data: dict, *, version: int) -> dict:
        initial = super().initial_from(data, version=version)
        for name in ("starts_at", "ends_at"):
            initial[name] = str(initial.get(name) or "").replace(" ", "T")
        initial["materials"] = "; ".join(initial.get("materials") or [])
        return initial
