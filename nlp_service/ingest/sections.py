"""Section headings (第一部分, 一、, （一）, 1., （1）, ① and their variants) read as a hierarchy.

A heading is a line that starts with a numbering marker. A short line is a heading as a whole; a long
line whose first sentence is short is a run-in heading (`1. 科学公正。绩效评价应当…`: the heading is
`1. 科学公正。`); a long line without a short first sentence is a numbered paragraph, not a heading.

Levels follow the document, not a fixed table: a marker style met again is a sibling of its earlier
use (so `（一）… （2）…` written by one hand are siblings), and a new style nests under the styles
already open when it ranks below them (第一部分 > 一、 > （一） > 1. > （1） > ①).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp_service.ingest.document import Section

CN_DIGITS = "零〇一二三四五六七八九十百两"
_CN = f"[{CN_DIGITS}]{{1,4}}"
_NUM = r"[0-9０-９]{1,2}"
_OPEN = r"[（(]"
_CLOSE = r"[）)]"
MARKERS: tuple[tuple[str, int, re.Pattern[str]], ...] = (
    ("part", 0, re.compile(rf"第({_CN}|{_NUM})(?:部分|章|篇)")),
    ("cn", 1, re.compile(rf"({_CN})[、.．](?![0-9０-９])")),
    ("cn_paren", 2, re.compile(rf"{_OPEN}({_CN}){_CLOSE}")),
    ("num", 3, re.compile(rf"({_NUM})(?:[、．]|\.(?![0-9０-９]))")),
    ("num_paren", 4, re.compile(rf"{_OPEN}({_NUM}){_CLOSE}")),
    ("circled", 5, re.compile(r"([①-⑳])")),
)
# marker styles that one writer may use interchangeably for one level
COMPATIBLE = {"cn_paren": "num_paren", "num_paren": "cn_paren"}
MAX_HEADING_CHARS = 50
_INDENT = " \u3000\u00a0"
_FIRST_SENTENCE = re.compile(r"[^。！？；:：]*[。！？；:：]")


@dataclass(frozen=True)
class Marker:
    family: str
    rank: int
    number: int


@dataclass
class _Open:
    marker: Marker
    rank: int
    level: int
    heading: str
    start: int


def chinese_number(text: str) -> int:
    """The value of a small Chinese or Arabic numeral (一 … 九十九, 1 … 99)."""
    text = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if text.isdigit():
        return int(text)
    values = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
    if "十" in text:
        tens, _, units = text.partition("十")
        return (values.get(tens, 1) if tens else 1) * 10 + (values.get(units, 0) if units else 0)
    return values.get(text[-1], 0) if text else 0


def match_marker(line: str) -> tuple[Marker, int] | None:
    """The numbering marker a line starts with, and where the marker ends."""
    for family, rank, pattern in MARKERS:
        m = pattern.match(line)
        if m:
            number = ord(m.group(1)) - ord("①") + 1 if family == "circled" else chinese_number(m.group(1))
            return Marker(family, rank, number), m.end()
    return None


def heading_text(line: str, marker_end: int) -> str | None:
    """The heading a marked line carries: the whole short line, a short first sentence, or None."""
    body = line[marker_end:].strip()
    if not body or body[0] in "0123456789０１２３４５６７８９%％":
        return None
    line = line.rstrip()
    first = _FIRST_SENTENCE.match(line)
    if first and first.end() < len(line) and len(first.group(0)) <= MAX_HEADING_CHARS:
        return first.group(0).strip()
    return line.strip() if len(line) <= MAX_HEADING_CHARS else None


def _find_parent_level(stack: list[_Open], marker: Marker) -> int:
    """How many open headings stay open above a new heading with this marker."""
    for i in range(len(stack) - 1, -1, -1):
        if stack[i].marker.family == marker.family:
            return i
    if marker.number > 1:
        for i in range(len(stack) - 1, -1, -1):
            same_level = COMPATIBLE.get(marker.family) == stack[i].marker.family
            if same_level and stack[i].marker.number == marker.number - 1:
                return i
    keep = len(stack)
    while keep and stack[keep - 1].rank >= marker.rank:
        keep -= 1
    return keep


def _same_level(a: Marker, b: Marker) -> bool:
    return a.family == b.family or COMPATIBLE.get(a.family) == b.family


def _heading_lines(text: str, skip: list[tuple[int, int]]) -> list[tuple[int, Marker, str]]:
    found: list[tuple[int, Marker, str]] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        start = pos
        pos += len(line)
        stripped = line.lstrip(_INDENT)
        offset = start + len(line) - len(stripped)
        if any(a <= offset < b for a, b in skip):
            continue
        hit = match_marker(stripped)
        if hit is None:
            continue
        heading = heading_text(stripped.rstrip("\r\n"), hit[1])
        if heading:
            found.append((offset, hit[0], heading))
    return found


def find_sections(text: str, skip: list[tuple[int, int]] | None = None) -> list[Section]:
    """Sections of `text` in document order; headings inside the `skip` ranges (tables) are ignored."""
    sections: list[Section] = []
    stack: list[_Open] = []

    def close(keep: int, end: int) -> None:
        while len(stack) > keep:
            item = stack.pop()
            path = tuple(o.heading for o in stack) + (item.heading,)
            sections.append(
                Section(item.start, _rstrip(text, item.start, end), item.heading, item.level, path)
            )

    for offset, marker, heading in _heading_lines(text, skip or []):
        keep = _find_parent_level(stack, marker)
        rank = (
            stack[keep].rank if keep < len(stack) and _same_level(stack[keep].marker, marker) else marker.rank
        )
        close(keep, offset)
        stack.append(_Open(marker, rank, len(stack) + 1, heading, offset))
    close(0, len(text))
    return sorted(sections, key=lambda s: (s.start, s.level))


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end
