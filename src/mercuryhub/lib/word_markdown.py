"""User-written Markdown (``lib.rich_text``'s dialect: CommonMark with tables and
strikethrough, no raw HTML) written into a Word document as its own paragraphs, headings, lists,
quotes, code and tables, from markdown-it-py's tokens. Nothing of the text is read as HTML or
fetched: an image is its description, a link its text followed by its address."""

from docx.shared import Cm, Pt

from mercuryhub.lib.rich_text import markdown_tokens
from mercuryhub.lib.word_documents import safe_text, table

MONOSPACE = "Courier New"
_LIST_INDENT = Cm(0.63)
_MAX_HEADING = 9


def add_markdown(document, text: str, *, heading_level: int = 2) -> None:
    """Append ``text`` to ``document``; its headings of the first two levels (``#``, ``##``)
    become Word headings of ``heading_level`` (below the chapter's title), as the page shows
    both as its second level (``rich_text.markdown_html``), and the deeper ones follow."""
    _Writer(document, heading_level).write(markdown_tokens(text))


class _Writer:
    def __init__(self, document, heading_level: int):
        self.document = document
        self.heading_level = heading_level
        self.lists: list[list] = []  # per open list: [ordered, next number]
        self.quote = 0
        self.heading: int | None = None
        self.cells: list[list[str]] | None = None  # the open table's rows, header first
        self.item_start = False

    def write(self, tokens) -> None:
        for token in tokens:
            handler = getattr(self, "_" + token.type, None)
            if handler:
                handler(token)

    # blocks -----------------------------------------------------------------------------

    def _heading_open(self, token):
        self.heading = min(_MAX_HEADING, self.heading_level + max(0, int(token.tag[1]) - 2))

    def _heading_close(self, token):
        self.heading = None

    def _bullet_list_open(self, token):
        self.lists.append([False, 1])

    def _ordered_list_open(self, token):
        self.lists.append([True, int(token.attrGet("start") or 1)])

    def _bullet_list_close(self, token):
        self.lists.pop()

    _ordered_list_close = _bullet_list_close

    def _list_item_open(self, token):
        self.item_start = True

    def _blockquote_open(self, token):
        self.quote += 1

    def _blockquote_close(self, token):
        self.quote -= 1

    def _hr(self, token):
        self.document.add_paragraph("⁂").alignment = 1  # centred

    def _code_block(self, token):
        for line in token.content.rstrip("\n").split("\n"):
            paragraph = self.document.add_paragraph()
            paragraph.paragraph_format.space_after = Pt(0)
            paragraph.paragraph_format.left_indent = _LIST_INDENT
            run = paragraph.add_run(safe_text(line))
            run.font.name = MONOSPACE
            run.font.size = Pt(9)

    _fence = _code_block

    def _table_open(self, token):
        self.cells = []

    def _tr_open(self, token):
        self.cells.append([])

    def _table_close(self, token):
        header, *rows = self.cells or [[]]
        if header:
            width = len(header)
            rows = [(row + [""] * width)[:width] for row in rows]
            grid = table(self.document, header, rows)
            for cell in grid.rows[0].cells:
                for run in cell.paragraphs[0].runs:
                    run.font.bold = True
            self.document.add_paragraph()
        self.cells = None

    # the text of a block ----------------------------------------------------------------

    def _inline(self, token):
        if self.cells is not None:
            self.cells[-1].append(safe_text(_plain(token.children or [])))
            return
        if self.heading is not None:
            self.document.add_heading(safe_text(_plain(token.children or [])), self.heading)
            return
        paragraph = self.document.add_paragraph()
        if self.lists:
            self._list_paragraph(paragraph)
        elif self.quote:
            paragraph.style = "Quote"
        _runs(paragraph, token.children or [])

    def _list_paragraph(self, paragraph):
        depth = len(self.lists)
        ordered, number = self.lists[-1]
        if not self.item_start:  # a second paragraph of the same item
            paragraph.paragraph_format.left_indent = _LIST_INDENT * depth
            return
        self.item_start = False
        if ordered:
            paragraph.paragraph_format.left_indent = _LIST_INDENT * depth
            paragraph.paragraph_format.first_line_indent = -_LIST_INDENT
            paragraph.add_run(f"{number}.\t")
            self.lists[-1][1] += 1
        else:
            paragraph.style = "List Bullet" if depth == 1 else f"List Bullet {min(depth, 3)}"


def _plain(children) -> str:
    """The text of inline tokens without their formatting."""
    parts = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(_plain(child.children or []) or child.content)
    return "".join(parts)


def _runs(paragraph, children) -> None:
    """Inline tokens as runs: bold, italic, struck through, code; a link's address after its
    text when the text does not show it."""
    bold = italic = strike = 0
    link: list[str] = []  # the open link's address and the text written since
    for child in children:
        kind = child.type
        if kind in ("strong_open", "strong_close"):
            bold += 1 if kind.endswith("open") else -1
        elif kind in ("em_open", "em_close"):
            italic += 1 if kind.endswith("open") else -1
        elif kind in ("s_open", "s_close"):
            strike += 1 if kind.endswith("open") else -1
        elif kind == "link_open":
            link = [str(child.attrGet("href") or ""), ""]
        elif kind == "link_close" and link:
            address, shown = link
            if address and address not in shown:
                paragraph.add_run(f" ({safe_text(address)})")
            link = []
        elif kind == "hardbreak":
            paragraph.add_run().add_break()
        elif kind in ("text", "code_inline", "softbreak", "image"):
            text = " " if kind == "softbreak" else _plain([child])
            run = paragraph.add_run(safe_text(text))
            run.bold, run.italic = bool(bold) or None, bool(italic) or None
            run.font.strike = bool(strike) or None
            if kind == "code_inline":
                run.font.name = MONOSPACE
            if link:
                link[1] += text
