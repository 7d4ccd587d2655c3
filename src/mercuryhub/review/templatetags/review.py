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


@register.inclusion_tag("review/_language_note.html")
def language_note(*texts):
    """A visible note when some of an entry's texts (``LocalizedText``) are shown in another
    language than the page's, naming both."""
    fallback = next((text for text in texts if getattr(text, "is_fallback", False)), None)
    return {"fallback": fallback}
