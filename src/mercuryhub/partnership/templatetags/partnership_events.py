"""Template tags of the event pages."""

from django import template
from django.template.loader import render_to_string

from mercuryhub.partnership.event_queries import timing

register = template.Library()


@register.simple_tag
def event_when(event):
    """The event's dates, as precisely as they are known, in its own time zone (with its UTC
    offset when hours are given)."""
    return render_to_string(
        "partnership/events/_when.html", {"t": timing(event), "with_offset": True}
    )
