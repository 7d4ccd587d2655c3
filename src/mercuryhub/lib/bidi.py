"""Template filters that isolate inserted text from the sentence around it, so that a name, a
number or an address keeps its own direction inside a right-to-left sentence (and the sentence's
punctuation stays at its end). Registered as template builtins: no ``{% load %}`` needed.

    {% blocktranslate with name=entry.name|bdi %}Versions of {{ name }}{% endblocktranslate %}
    {{ facility.latitude|floatformat:3|ltr }}
    aria-label="{% blocktranslate with name=name|isolate %}Map of {{ name }}{% endblocktranslate %}"
"""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def bdi(value):
    """Text people wrote, in its own direction (found from its first strong character)."""
    return format_html("<bdi>{}</bdi>", value)


@register.filter
def ltr(value):
    """Data that reads left to right in every language: coordinates, codes, addresses, URLs."""
    return format_html('<bdi dir="ltr">{}</bdi>', value)


@register.filter
def isolate(value):
    """The same for text where no markup can go (attributes, titles): Unicode's first strong
    isolate and pop directional isolate characters around it."""
    return f"\u2068{value}\u2069"
