"""Events for the tests, made through the review layer as their organizers would: a draft by the
organization's editor, submitted, validated by the secretariat."""

from datetime import timedelta

from django.utils import timezone

from mercuryhub.review import actions as review


def event_data(organization, **changes) -> dict:
    """A workshop in Vienna in thirty days, 09:00 to 17:00 local time, 2 places, open."""
    day = (timezone.now() + timedelta(days=30)).date().isoformat()
    return {
        "name": "Workshop on mercury waste storage",
        "description": "Interim storage of elemental mercury.",
        "organization": organization.slug,
        "format": "workshop",
        "starts_at": f"{day} 09:00",
        "ends_at": f"{day} 17:00",
        "time_zone": "Europe/Vienna",
        "online": False,
        "venue": "Vienna International Centre",
        "city": "Vienna",
        "country": "AUT",
        "latitude": "48.2345",
        "longitude": "16.4165",
        "capacity": 2,
        "registration_open": True,
        "partnership_areas": ["waste-management"],
        **changes,
    }


def published_event(editor, reviewer, organization, **changes):
    draft = review.do_create_draft("event", editor, event_data(organization, **changes))
    submitted = review.do_submit_entry("event", editor, draft)
    return review.do_validate_entry("event", reviewer, submitted)
