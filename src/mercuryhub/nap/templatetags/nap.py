"""Template filters of the NAP pages: an element's label from its code, a section's Markdown."""

from django import template

from mercuryhub.lib.rich_text import markdown_html

register = template.Library()


@register.filter
def label_of(code: str, labels: dict) -> str:
    """The label of a code in a mapping of labels ("(b) Steps to eliminate…"), else the code."""
    return labels.get(code, code) if labels else code


@register.filter
def markdown(text: str):
    return markdown_html(text or "")
