"""The spreadsheet columns of events: what ``mercuryhub import events`` reads (the starter data's
``data/events.csv`` among them) and the exports write. The importer is the catalogue's
(``catalogue.spreadsheets.importing``): dry run, all or nothing, matched on external_id.
Times are written in the event's own time zone (``time_zone``, an IANA name)."""

from mercuryhub.catalogue.spreadsheets.layouts import Column, Layout, language_columns
from mercuryhub.review import registry


def event_layout() -> Layout:
    kind = registry.get("event")
    return Layout(
        "event",
        "events",
        (
            Column("external_id", required=True),
            Column("title", required=True, key="name"),
            Column("organization", required=True),
            Column("organization_country"),
            Column("organization_type"),
            Column("format", required=True),
            Column("starts_at", required=True),
            Column("ends_at", required=True),
            Column("time_zone", required=True),
            Column("dates_known_to"),
            Column("online"),
            Column("online_url"),
            Column("venue"),
            Column("city"),
            Column("country"),
            Column("latitude"),
            Column("longitude"),
            Column("capacity"),
            Column("registration_open"),
            Column("partnership_areas", is_list=True),
            Column("materials", is_list=True),
            Column("recording"),
            Column("summary", key="description"),
            *language_columns(kind),
        ),
        kind.clean,
    )
