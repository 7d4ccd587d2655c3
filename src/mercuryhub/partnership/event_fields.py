"""Checking an event: every field, from the web form, the API or a spreadsheet, turned into model
values or an InvalidInputError naming each bad field.

Times are given in the event's own time zone (an IANA name such as ``Asia/Tokyo``) as
``YYYY-MM-DD HH:MM`` (or ``YYYY-MM-DD`` for a whole day) and stored in UTC; the serialization
gives them back in the event's time zone, as they were entered."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mercuryhub.catalogue.fields import (
    CleanEntry,
    as_list,
    clean_boolean,
    clean_choice,
    clean_country,
    clean_number,
    clean_organization,
    clean_organization_type,
    clean_terms,
    clean_text,
    clean_url,
    codes_of,
)
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.library.models import Resource
from mercuryhub.partnership.models.events import DatePrecision, Event

MAX_CAPACITY = 100_000
# A whole day's end, as a time: an event given by its dates only lasts until then.
END_OF_DAY = time(23, 59)
_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")


def time_zone_of(name: str) -> ZoneInfo | None:
    """The IANA time zone of that name, or None when there is none."""
    if not name or "/" not in name and name != "UTC":
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def clean_time_zone(data: dict, errors: dict) -> ZoneInfo | None:
    name = clean_text(data, "time_zone", errors, max_length=64) or "UTC"
    if "time_zone" in errors:
        return None
    zone = time_zone_of(name)
    if zone is None:
        errors["time_zone"] = (
            f"{name!r} is not a time zone; give its IANA name, such as Europe/Vienna or Asia/Tokyo"
        )
    return zone


def _local(raw, *, end: bool) -> tuple[datetime | None, str | None]:
    """A naive local date and time from what was written, or a message."""
    if isinstance(raw, datetime):
        return raw.replace(tzinfo=None), None
    if isinstance(raw, date):
        return datetime.combine(raw, END_OF_DAY if end else time(0, 0)), None
    text = str(raw).strip()
    for pattern in _FORMATS:
        try:
            # A wall-clock time in the event's own zone, made aware by clean_moment.
            return datetime.strptime(text, pattern), None  # noqa: DTZ007
        except ValueError:
            continue
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None, f"{text!r} is not a date and time; write it as 2025-10-06 09:30"
    return datetime.combine(day, END_OF_DAY if end else time(0, 0)), None


def clean_moment(data: dict, name: str, zone: ZoneInfo | None, errors: dict, *, end=False):
    """The moment given in the event's time zone, in UTC; refused when the clocks skip it."""
    raw = data.get(name)
    if raw is None or str(raw).strip() == "":
        errors[name] = "A value is required"
        return None
    local, problem = _local(raw, end=end)
    if problem:
        errors[name] = problem
        return None
    if zone is None:
        return None
    aware = local.replace(tzinfo=zone)
    moment = aware.astimezone(ZoneInfo("UTC"))
    if moment.astimezone(zone).replace(tzinfo=None) != local:
        errors[name] = (
            f"{local:%Y-%m-%d %H:%M} does not exist in {zone.key}: the clocks skip it; "
            "give another time"
        )
        return None
    return moment


def _capacity(data: dict, errors: dict) -> int | None:
    raw = data.get("capacity")
    if raw is None or str(raw).strip() == "":
        return None
    try:
        value = int(str(raw).strip())
    except ValueError:
        errors["capacity"] = f"{raw!r} is not a number of places"
        return None
    if not 1 <= value <= MAX_CAPACITY:
        errors["capacity"] = (
            f"{value} is out of range (1 to {MAX_CAPACITY}); leave it empty for no limit"
        )
        return None
    return value


def _resources(data: dict, name: str, errors: dict) -> list[Resource]:
    """Published library resources, given by their number or their external identifier."""
    given = as_list(data.get(name))
    numbers = [int(item) for item in given if item.isdigit()]
    found = Resource.objects.filter(published=True).filter(pk__in=numbers)
    by_key = {str(resource.pk): resource for resource in found}
    keys = [item for item in given if not item.isdigit()]
    by_key.update(
        {r.external_id: r for r in Resource.objects.filter(published=True, external_id__in=keys)}
    )
    unknown = [item for item in given if item not in by_key]
    if unknown:
        errors[name] = (
            f"No published resource {', '.join(map(repr, unknown))} in the library; give its "
            "number or its external identifier"
        )
    return list({by_key[item].pk: by_key[item] for item in given if item in by_key}.values())


def clean_event(data: dict) -> CleanEntry:
    errors: dict[str, str] = {}
    organization, unknown = clean_organization(data, "organization", errors, required=True)
    operator_country = operator_type = None
    if unknown:
        # An importer registers it (in the country it names, of the type it names); the web
        # forms offer known ones.
        operator_country = clean_country(data, "organization_country", errors)
        operator_type = clean_organization_type(data, errors)
        if operator_country is None and "organization_country" not in errors:
            errors["organization"] = f"Unknown organization {unknown!r}; register it first"
    zone = clean_time_zone(data, errors)
    starts_at = clean_moment(data, "starts_at", zone, errors)
    ends_at = clean_moment(data, "ends_at", zone, errors, end=True)
    if starts_at and ends_at and ends_at < starts_at:
        errors["ends_at"] = "The event cannot end before it starts"
    online = bool(clean_boolean(data, "online", errors))
    given_country = data.get("country") not in (None, "")
    country = clean_country(data, "country", errors) if given_country else None
    latitude = clean_number(data, "latitude", errors, low=-90, high=90)
    longitude = clean_number(data, "longitude", errors, low=-180, high=180)
    if (latitude is None) != (longitude is None) and not {"latitude", "longitude"} & errors.keys():
        errors["latitude" if latitude is None else "longitude"] = (
            "Give both latitude and longitude, or neither"
        )
    values = {
        "external_id": clean_text(data, "external_id", errors, max_length=100),
        "name": clean_text(data, "name", errors, required=True, max_length=300),
        "description": clean_text(data, "description", errors, max_length=20_000, multiline=True),
        "organization": organization,
        "format": clean_choice(data, "format", Event.Format.values, errors),
        "starts_at": starts_at,
        "ends_at": ends_at,
        "time_zone": zone.key if zone else "UTC",
        "dates_known_to": clean_choice(
            data, "dates_known_to", DatePrecision.values, errors, default=DatePrecision.DAY
        ),
        "online": online,
        "online_url": clean_url(data, "online_url", errors),
        "venue": clean_text(data, "venue", errors, max_length=300),
        "city": clean_text(data, "city", errors, max_length=200),
        "country": country,
        "latitude": latitude,
        "longitude": longitude,
        "capacity": _capacity(data, errors),
        "registration_open": bool(clean_boolean(data, "registration_open", errors)),
        "recording": None,
    }
    if not online and not values["city"] and "city" not in errors:
        errors["city"] = "Give the city of an event held in a place (or mark it online)"
    if not online and country is None and "country" not in errors:
        errors["country"] = "Give the country of an event held in a place (ISO alpha-3, e.g. AUT)"
    recording = _resources(data, "recording", errors)
    if len(recording) > 1:
        errors["recording"] = "Give one resource as the recording"
    values["recording"] = recording[0] if recording else None
    relations = {
        "partnership_areas": clean_terms(data, "partnership_areas", "partnership_areas", errors),
        "materials": _resources(data, "materials", errors),
    }
    if errors:
        raise InvalidInputError(errors)
    return CleanEntry(values, relations, unknown, operator_country, operator_type)


def local_text(moment: datetime | None, zone_name: str) -> str:
    """A stored UTC moment as written in the event's time zone: ``2019-10-06 09:30``."""
    if moment is None:
        return ""
    zone = time_zone_of(zone_name) or ZoneInfo("UTC")
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def event_data(event: Event) -> dict:
    """The event in the serialization's shape (see ``stored_data``)."""
    return {
        "external_id": event.external_id,
        "name": event.name,
        "description": event.description,
        "organization": event.organization.slug,
        "format": event.format,
        "starts_at": local_text(event.starts_at, event.time_zone),
        "ends_at": local_text(event.ends_at, event.time_zone),
        "time_zone": event.time_zone,
        "dates_known_to": event.dates_known_to,
        "online": event.online,
        "online_url": event.online_url,
        "venue": event.venue,
        "city": event.city,
        "country": event.country_id,
        "latitude": event.latitude,
        "longitude": event.longitude,
        "capacity": event.capacity,
        "registration_open": event.registration_open,
        "partnership_areas": codes_of(event.partnership_areas),
        "materials": sorted(str(resource.pk) for resource in event.materials.all()),
        "recording": str(event.recording_id) if event.recording_id else "",
    }


def stored_data(checked: CleanEntry) -> dict:
    """Checked input in the shape of ``event_data``."""
    values = checked.values
    organization = values["organization"]
    return {
        "external_id": values["external_id"],
        "name": values["name"],
        "description": values["description"],
        "organization": organization.slug if organization else checked.operator_name or "",
        "format": values["format"],
        "starts_at": local_text(values["starts_at"], values["time_zone"]),
        "ends_at": local_text(values["ends_at"], values["time_zone"]),
        "time_zone": values["time_zone"],
        "dates_known_to": values["dates_known_to"],
        "online": values["online"],
        "online_url": values["online_url"],
        "venue": values["venue"],
        "city": values["city"],
        "country": values["country"].iso3 if values["country"] else None,
        "latitude": values["latitude"],
        "longitude": values["longitude"],
        "capacity": values["capacity"],
        "registration_open": values["registration_open"],
        "partnership_areas": sorted(term.code for term in checked.relations["partnership_areas"]),
        "materials": sorted(str(resource.pk) for resource in checked.relations["materials"]),
        "recording": str(values["recording"].pk) if values["recording"] else "",
    }


def whole_days(event: Event) -> bool:
    """Whether the event is given by its days only (from midnight to 23:59, local time)."""
    zone = time_zone_of(event.time_zone) or ZoneInfo("UTC")
    start, end = event.starts_at.astimezone(zone), event.ends_at.astimezone(zone)
    return start.time() == time(0, 0) and end.time() == END_OF_DAY


def days_of(event: Event) -> tuple[date, date]:
    """The first and last local day of the event."""
    zone = time_zone_of(event.time_zone) or ZoneInfo("UTC")
    return event.starts_at.astimezone(zone).date(), event.ends_at.astimezone(zone).date()


ONE_DAY = timedelta(days=1)
