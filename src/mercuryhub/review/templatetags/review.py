from django import template

from mercuryhub.review import registry

register = template.Library()


@register.filter
def kind_label(name: str) -> str:
    """The label of a registered kind of entry ("Facility"), or the name as it is."""
    try:
        return registry.get(name).label
    except LookupError:
        return name
