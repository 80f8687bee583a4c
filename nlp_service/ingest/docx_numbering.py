"""Word's automatic numbering (`w:numPr`) rendered as text: `一、`, `（一）`, `1.`, `（1）`, `①`.

python-docx gives a paragraph's text without the number Word draws in front of it, yet reports often
number their headings this way; without the number the section reader could not see the heading.
Counters run per list (`w:numId`), a level restarting whenever a higher level advances.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from docx.oxml.ns import qn

W_VAL = qn("w:val")
CN_DIGITS = "零一二三四五六七八九"
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_PLACEHOLDER = re.compile(r"%([1-9])")


@dataclass(frozen=True)
class Level:
    fmt: str
    text: str
    start: int


def chinese_counting(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (Word's chineseCounting)."""
    if n < 10:
        return CN_DIGITS[max(n, 0)]
    if n < 20:
        return "十" + (CN_DIGITS[n - 10] if n > 10 else "")
    if n < 100:
        return _under_hundred(n)
    hundreds, rest = divmod(n, 100)
    tail = "" if rest == 0 else "零" + CN_DIGITS[rest] if rest < 10 else _under_hundred(rest)
    return CN_DIGITS[hundreds % 10] + "百" + tail


def _under_hundred(n: int) -> str:
    tens, units = divmod(n, 10)
    return CN_DIGITS[tens] + "十" + (CN_DIGITS[units] if units else "")


def _letters(n: int) -> str:
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(ord("a") + r) + out
    return out


def _roman(n: int) -> str:
    pairs = (
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    )
    out = ""
    for value, letters in pairs:
        while n >= value:
            out += letters
            n -= value
    return out


def format_number(n: int, fmt: str) -> str:
    """One counter in Word's number format `fmt`."""
    if fmt in (
        "chineseCounting",
        "chineseCountingThousand",
        "ideographTraditional",
        "japaneseCounting",
        "chineseLegalSimplified",
    ):
        return chinese_counting(n)
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return str(n).translate(FULL_WIDTH)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return chr(ord("①") + n - 1)
    if fmt in ("lowerLetter", "upperLetter"):
        return _letters(n) if fmt == "lowerLetter" else _letters(n).upper()
    if fmt in ("lowerRoman", "upperRoman"):
        return _roman(n) if fmt == "lowerRoman" else _roman(n).upper()
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


def _child_val(node: Any, tag: str) -> str | None:
    if node is None:
        return None
    child = node.find(qn(tag))
    return None if child is None else child.get(W_VAL)


class Numbering:
    """The numbering definitions of one document and the running counters of its lists."""

    def __init__(self, numbering_xml: Any | None, styles_xml: Any | None) -> None:
        self.levels: dict[str, dict[int, Level]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.style_numbering: dict[str, tuple[str, int]] = {}
        if numbering_xml is not None:
            self._read_definitions(numbering_xml)
        if styles_xml is not None:
            self._read_styles(styles_xml)

    def _read_definitions(self, root: Any) -> None:
        abstract: dict[str, dict[int, Level]] = {}
        for node in root.iter(qn("w:abstractNum")):
            abstract[node.get(qn("w:abstractNumId"))] = {
                int(lvl.get(qn("w:ilvl"), 0)): Level(
                    _child_val(lvl, "w:numFmt") or "decimal",
                    _child_val(lvl, "w:lvlText") or "",
                    int(_child_val(lvl, "w:start") or 1),
                )
                for lvl in node.iter(qn("w:lvl"))
            }
        for num in root.iter(qn("w:num")):
            levels = dict(abstract.get(_child_val(num, "w:abstractNumId") or "", {}))
            for override in num.iter(qn("w:lvlOverride")):
                ilvl = int(override.get(qn("w:ilvl"), 0))
                start = _child_val(override, "w:startOverride")
                if start is not None and ilvl in levels:
                    old = levels[ilvl]
                    levels[ilvl] = Level(old.fmt, old.text, int(start))
            self.levels[num.get(qn("w:numId"))] = levels

    def _read_styles(self, root: Any) -> None:
        for style in root.iter(qn("w:style")):
            num_pr = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
            num_id = _child_val(num_pr, "w:numId")
            if num_id:
                self.style_numbering[style.get(qn("w:styleId"))] = (
                    num_id,
                    int(_child_val(num_pr, "w:ilvl") or 0),
                )

    def _paragraph_list(self, p: Any) -> tuple[str, int] | None:
        p_pr = p.find(qn("w:pPr"))
        if p_pr is None:
            return None
        num_pr = p_pr.find(qn("w:numPr"))
        if num_pr is not None:
            num_id = _child_val(num_pr, "w:numId")
            return (num_id, int(_child_val(num_pr, "w:ilvl") or 0)) if num_id and num_id != "0" else None
        style = _child_val(p_pr, "w:pStyle")
        return self.style_numbering.get(style or "")

    def label(self, p: Any) -> str:
        """The number Word shows before paragraph `p` (advancing the list's counters), or ''."""
        found = self._paragraph_list(p)
        if found is None or found[0] not in self.levels:
            return ""
        num_id, ilvl = found
        levels = self.levels[num_id]
        level = levels.get(ilvl)
        if level is None or level.fmt in ("bullet", "none"):
            return ""
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, level.start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]

        def render(match: re.Match[str]) -> str:
            k = int(match.group(1)) - 1
            at = levels.get(k)
            value = counters.get(k, at.start if at else 1)
            return format_number(value, at.fmt if at else "decimal")

        return _PLACEHOLDER.sub(render, level.text)
