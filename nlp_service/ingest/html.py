"""HTML pages: declared and sniffed charset, the page's text in reading order, `<table>` grids.

Charset: a byte-order mark, else the `<meta>` declaration (GB2312 and GBK pages are decoded as
GB18030, their superset, as browsers do), checked by a strict decode; without a usable declaration
the bytes are sniffed like a text file (UTF-8, then GB18030 that reads like Chinese). Scripts,
styles, navigation, headers, footers and hidden elements are dropped. A `<table>` that holds no
other table is a data table and becomes a grid (rowspan/colspan as spans); tables that hold tables
are page layout and read as ordinary text.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from nlp_service.errors import NoReportContent
from nlp_service.ingest.document import Document
from nlp_service.ingest.render import RawCell, TextBuilder
from nlp_service.ingest.text import decode_text, strip_bom

GB_FAMILY = {
    "gb2312",
    "gbk",
    "gb_2312-80",
    "x-gbk",
    "cp936",
    "ms936",
    "gb18030",
    "euc-cn",
    "x-euc-cn",
    "hz-gb-2312",
}
MIN_REPORT_HAN = 50  # Chinese characters outside links, scripts and navigation
MAX_DATA_CELL_CHARS = 800  # a longer cell means the table lays out the page
VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
SKIP_TAGS = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "nav",
        "header",
        "footer",
        "aside",
        "iframe",
        "select",
        "button",
        "object",
        "svg",
        "canvas",
    ]
)
BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "section",
        "article",
        "main",
        "blockquote",
        "pre",
        "center",
        "form",
        "fieldset",
        "figure",
        "figcaption",
        "caption",
        "address",
        "hr",
        "br",
        "body",
        "html",
        "tr",
        "td",
        "th",
        "thead",
        "tbody",
        "tfoot",
        "table",
    ]
)
SKIP_CLASS = re.compile(
    r"(?:^|[-_])(?:nav|navbar|navigation|menu|breadcrumbs?|crumbs?|footer|sidebar|topbar|toolbar|share|"
    r"weizhi|dqwz|position|location)(?:$|[-_0-9])",
    re.IGNORECASE,
)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_\-:.]+)", re.IGNORECASE)
_HAN = re.compile(r"[\u3400-\u9fff]")
_SPACE = re.compile(r"[ \t\n\r\f\v]+")


@dataclass
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)


class _TreeBuilder(HTMLParser):
    """A forgiving tree builder: unmatched end tags are ignored, p/li/td/th/tr close implicitly."""

    IMPLICIT = {
        "p": ("p",),
        "li": ("li",),
        "td": ("td", "th"),
        "th": ("td", "th"),
        "tr": ("tr", "td", "th"),
        "dt": ("dt", "dd"),
        "dd": ("dt", "dd"),
        "option": ("option",),
    }
    BARRIERS = {
        "p": ("div", "td", "th", "li", "table", "body"),
        "li": ("ul", "ol"),
        "td": ("tr", "table"),
        "th": ("tr", "table"),
        "tr": ("table", "tbody", "thead", "tfoot"),
        "dt": ("dl",),
        "dd": ("dl",),
        "option": ("select",),
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._close_implicit(tag)
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def _close_implicit(self, tag: str) -> None:
        closes, barriers = self.IMPLICIT.get(tag), self.BARRIERS.get(tag, ())
        if not closes:
            return
        for i in range(len(self.stack) - 1, 0, -1):
            name = self.stack[i].tag
            if name in barriers:
                return
            if name in closes:
                del self.stack[i:]
                return

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_html(text: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


# ---------------------------------------------------------------- charset


def declared_charset(data: bytes) -> str | None:
    m = _META_CHARSET.search(data[:8192])
    return m.group(1).decode("ascii").lower() if m else None


def decode_html(data: bytes, label: str) -> tuple[str, str, list[str]]:
    """The page's text, the encoding used, and notes (a declaration contradicted by the bytes)."""
    body, bom_codec = strip_bom(data)
    if bom_codec:
        return decode_text(data, label)[0], "utf-8" if bom_codec == "utf-8-sig" else "utf-16", []
    declared = declared_charset(body)
    codec = "gb18030" if declared in GB_FAMILY else declared
    notes: list[str] = []
    if codec:
        try:
            codecs.lookup(codec)
            return body.decode(codec), codec, notes
        except (LookupError, UnicodeDecodeError):
            pass
    text, encoding = decode_text(body, label)
    if declared:
        notes.append(f"{label}: declared charset {declared} does not match the bytes; read as {encoding}")
    return text, encoding, notes


# ---------------------------------------------------------------- text and tables


def _skipped(node: Node) -> bool:
    if node.tag in SKIP_TAGS or node.attrs.get("role") == "navigation" or "hidden" in node.attrs:
        return True
    style = node.attrs.get("style", "").replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return True
    tokens = f"{node.attrs.get('class', '')} {node.attrs.get('id', '')}".split()
    return any(SKIP_CLASS.search(token) for token in tokens)


def _contains_table(node: Node) -> bool:
    return any(isinstance(c, Node) and (c.tag == "table" or _contains_table(c)) for c in node.children)


def _is_data_table(node: Node) -> bool:
    """A table of data, not of page layout: no nested table, a grid shape, no page-long cell."""
    if _contains_table(node):
        return False
    rows = list(_rows(node))
    if not (len(rows) >= 2 or any(len(_cells(r)) >= 2 for r in rows)):
        return False
    return all(len("".join(_paragraphs(cell))) <= MAX_DATA_CELL_CHARS for row in rows for cell in _cells(row))


def _rows(table: Node) -> list[Node]:
    out: list[Node] = []
    for child in table.children:
        if isinstance(child, Node):
            if child.tag == "tr":
                out.append(child)
            elif child.tag in ("thead", "tbody", "tfoot"):
                out.extend(_rows(child))
    return out


def _cells(row: Node) -> list[Node]:
    return [c for c in row.children if isinstance(c, Node) and c.tag in ("td", "th") and not _skipped(c)]


def _span(node: Node, name: str) -> int:
    try:
        return min(max(int(node.attrs.get(name, "1").strip() or 1), 1), 1000)
    except ValueError:
        return 1


def table_cells(table: Node) -> list[RawCell]:
    """The cells of a data table placed on the grid as browsers do (rowspan/colspan)."""
    occupied: set[tuple[int, int]] = set()
    cells: list[RawCell] = []
    rows = _rows(table)
    for r, row in enumerate(rows):
        col = 0
        for node in _cells(row):
            while (r, col) in occupied:
                col += 1
            rowspan = min(_span(node, "rowspan"), len(rows) - r)
            colspan = _span(node, "colspan")
            cells.append(RawCell(r, col, "\n".join(_paragraphs(node)), rowspan, colspan))
            occupied.update((r + i, col + j) for i in range(rowspan) for j in range(colspan))
            col += colspan
    return cells


class _Flow:
    """Collects a subtree's text as paragraphs (block elements and <br> end a paragraph)."""

    def __init__(self, builder: TextBuilder | None) -> None:
        self.builder = builder
        self.paragraphs: list[str] = []
        self.buffer: list[str] = []
        self.link_depth = 0
        self.plain_han = 0  # Chinese characters outside links: a page of links is no report

    def flush(self) -> None:
        text = _SPACE.sub(" ", "".join(self.buffer)).strip(" \u00a0\u3000")
        self.buffer = []
        if text:
            if self.builder is not None:
                self.builder.add_paragraph(text)
            else:
                self.paragraphs.append(text)

    def walk(self, node: Node) -> None:
        for child in node.children:
            if isinstance(child, str):
                self.buffer.append(child)
                if not self.link_depth:
                    self.plain_han += len(_HAN.findall(child))
                continue
            if _skipped(child):
                continue
            block = child.tag in BLOCK_TAGS
            if block:
                self.flush()
            if child.tag == "table" and self.builder is not None and _is_data_table(child):
                self._table(child, self.builder)
            else:
                self.link_depth += child.tag == "a"
                self.walk(child)
                self.link_depth -= child.tag == "a"
            if block:
                self.flush()

    def _table(self, table: Node, builder: TextBuilder) -> None:
        for caption in (c for c in table.children if isinstance(c, Node) and c.tag == "caption"):
            builder.add_paragraph(" ".join(_paragraphs(caption)))
        grid = builder.add_table(table_cells(table))
        self.plain_han += sum(len(_HAN.findall(c.text)) for c in grid.cells) if grid else 0


def _paragraphs(node: Node) -> list[str]:
    flow = _Flow(None)
    flow.walk(node)
    flow.flush()
    return flow.paragraphs


def read_html(data: bytes, label: str) -> Document:
    """A `Document` from the bytes of an HTML page."""
    text, encoding, notes = decode_html(data, label)
    builder = TextBuilder()
    flow = _Flow(builder)
    flow.walk(parse_html(text))
    flow.flush()
    if flow.plain_han < MIN_REPORT_HAN:
        raise NoReportContent(
            f"HTML page holds no report text ({flow.plain_han} Chinese characters outside links, scripts "
            "and navigation)",
            source=label,
        )
    return Document(text=builder.text, format="html", encoding=encoding, tables=builder.tables, notes=notes)
