"""User-written rich text: Markdown rendered to HTML (markdown-it-py, CommonMark with tables and
strikethrough, raw HTML not passed through) and sanitized with nh3 to the tags and attributes
a text needs, so that nothing a person writes runs or loads anything on the page."""

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_RENDERER = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(
    ["table", "strikethrough"]
)
_TAGS = {
    "p", "br", "hr", "strong", "em", "s", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "h2", "h3", "h4", "h5", "h6", "a",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"style"}, "td": {"style"}}


def markdown_html(text: str) -> SafeString:
    """The HTML of a Markdown text, safe to insert in a page. Headings start at level 2 (the
    page's own title is the level 1 heading); links open as plain links, marked ``nofollow``."""
    html = _RENDERER.render(text or "")
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    cleaned = nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener",
        filter_style_properties={"text-align"},
    )
    return mark_safe(cleaned)  # noqa: S308 - sanitized by nh3 just above


def markdown_tokens(text: str) -> list:
    """The Markdown text parsed into markdown-it-py's block tokens (inline ones as their
    children), by the same rules as ``markdown_html``: for writers of other formats."""
    return _RENDERER.parse(text or "")
