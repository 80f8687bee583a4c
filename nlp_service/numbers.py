"""Numbers and quantities in Chinese report text: numerals, scale words, units, ranges, approximations.

Everything here works on plain strings and returns plain values; the spaCy components in
`nlp_service.pipeline.quantities` put the results on the `Doc`. Offsets always index the original
text: full-width digits are mapped to ASCII by a same-length translation before matching.

    >>> q = find_quantities("共发现问题23个，涉及资金1.2万元")
    >>> [(x.text, x.value, x.unit) for x in q]
    [('23个', 23.0, '个'), ('1.2万元', 12000.0, '元')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Any

from nlp_service.resources import read_lines

UNITS_FILE = "units.tsv"

_WIDTH_PAIRS = tuple(zip("０１２３４５６７８９．，％～－＜＞", "0123456789.,%~-<>", strict=True))

CN_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
CN_SMALL = {"十": 10, "百": 100, "千": 1000}
CN_BIG = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
SCALES = {"万亿": 1e12, "萬億": 1e12, "千万": 1e7, "千萬": 1e7, "百万": 1e6, "百萬": 1e6,
          "万": 1e4, "萬": 1e4, "亿": 1e8, "億": 1e8, "千": 1e3}

# approximation markers: text -> bound
PREFIX_BOUNDS = {
    "约": "eq", "大约": "eq", "近": "lt", "将近": "lt", "接近": "lt", "逾": "gt", "超过": "gt", "超": "gt",
    "高于": "gt", "多于": "gt", "大于": "gt", "低于": "lt", "少于": "lt", "小于": "lt", "不少于": "ge",
    "不低于": "ge", "不小于": "ge", "不超过": "le", "不高于": "le", "不大于": "le", "不足": "lt",
    "不到": "lt", "≥": "ge", "≤": "le", ">=": "ge", "<=": "le", ">": "gt", "<": "lt", "≧": "ge", "≦": "le",
}
SUFFIX_BOUNDS = {"左右": "eq", "上下": "eq", "以上": "ge", "以下": "le", "以内": "le", "之多": "gt",
                 "多": "gt", "余": "gt", "內": "le", "内": "le"}
APPROX_EQ = {"约", "大约", "左右", "上下"}


@dataclass(frozen=True)
class Unit:
    """A row of `corpora/units.tsv`."""

    text: str
    kind: str
    canonical: str
    factor: float


@dataclass
class Quantity:
    """A number with its unit as found in the text; `start`/`end` index the original text."""

    start: int
    end: int
    text: str
    value: float
    value_max: float | None
    unit: str | None
    kind: str
    approximate: bool
    bound: str
    chinese: bool = False
    scaled: bool = False

    def as_dict(self) -> dict[str, Any]:
        """JSON-serialisable form, as stored on the spaCy `Span`."""
        return {name: getattr(self, name) for name in _QUANTITY_FIELDS}


_QUANTITY_FIELDS = tuple(f.name for f in fields(Quantity))


def normalise_width(text: str) -> str:
    """Full-width digits and signs as ASCII; the result has the same length as `text`.

    One `str.replace` per sign present (a C scan each) rather than `str.translate`, which looks every
    character of a whole report up in a dict (the pipeline normalises the full text several times)."""
    for wide, narrow in _WIDTH_PAIRS:
        if wide in text:
            text = text.replace(wide, narrow)
    return text


@lru_cache(maxsize=1)
def unit_table() -> dict[str, Unit]:
    """The measure-word and unit table from `corpora/units.tsv`, keyed by the unit as written."""
    table: dict[str, Unit] = {}
    for line in read_lines(UNITS_FILE):
        text, kind, canonical, factor = line.split("\t")
        table[text] = Unit(text, kind, canonical, float(factor))
    return table


def parse_chinese_numeral(text: str) -> float | None:
    """`一千二百` -> 1200, `两` -> 2, `十` -> 10, `二〇二二` -> 2022; None when `text` is not a numeral."""
    if not text or any(ch not in CN_DIGITS and ch not in CN_SMALL and ch not in CN_BIG for ch in text):
        return None
    if len(text) > 1 and all(ch in CN_DIGITS for ch in text):
        return float("".join(str(CN_DIGITS[ch]) for ch in text))
    total, section, number = 0.0, 0.0, 0.0
    for ch in text:
        if ch in CN_DIGITS:
            number = CN_DIGITS[ch]
        elif ch in CN_SMALL:
            section += (number or 1) * CN_SMALL[ch]
            number = 0
        else:
            big = CN_BIG[ch]
            section += number
            number = 0
            if big > 10_000:
                total = (total + section) * big
            else:
                total += (section or 1) * big
            section = 0
    return total + section + number


def parse_number(text: str) -> float | None:
    """An Arabic (thousands separators, full-width digits) or Chinese numeral as a float."""
    plain = normalise_width(text).replace(",", "").replace(" ", "")
    try:
        return float(plain)
    except ValueError:
        return parse_chinese_numeral(plain)


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CN = r"[零〇一二两兩三四五六七八九十百千万萬亿億]+"


@lru_cache(maxsize=1)
def _quantity_pattern() -> re.Pattern[str]:
    units = _alternation([u for u in unit_table() if u not in ("%", "‰")])
    prefix = _alternation(list(PREFIX_BOUNDS))
    scales = _alternation(list(SCALES))
    return re.compile(
        rf"(?P<pre>{prefix})?[ \t]*"
        rf"(?:(?P<frac>百分之|万分之|千分之|萬分之)(?P<fnum>{_ARABIC}|{_CN})"
        rf"|(?P<num>{_ARABIC}|{_CN})"
        rf"(?:[ \t]*(?P<sep>至|到|-|~|—|–)[ \t]*(?P<num2>{_ARABIC}|{_CN}))?"
        rf"(?P<mid>余|多)?(?:[ \t]*\n?[ \t]*(?P<scale>{scales}))?(?P<mid2>余|多)?"
        rf"(?:(?P<pct>[ \t]*[%‰])|(?P<cheng>成)(?![为立本果效员绩功熟都交型品就长员])"
        rf"|[(（](?P<pscale>{scales})?(?P<punit>{units})[)）]"
        rf"|(?:[ \t]*|[ \t]*\n[ \t]*(?=[元萬万亿億]))(?P<unit>{units})"
        rf"(?:[(（](?P<unit2>[^()（）\s]{{1,2}})[)）](?P<ci>次)?)?)?)"
        rf"(?P<suf>左右|以上|以下|以内|上下|之多)?"
    )


def _bound(pre: str | None, mid: str | None, suf: str | None, ranged: bool) -> tuple[str, bool]:
    """The bound and approximate flag from the markers around a number."""
    if ranged:
        return "range", bool(pre or mid or suf)
    for marker, table in ((suf, SUFFIX_BOUNDS), (mid, SUFFIX_BOUNDS), (pre, PREFIX_BOUNDS)):
        if marker and table.get(marker, "eq") != "eq":
            return table[marker], True
    return "eq", bool(pre or mid or suf)


def _unit_of(m: re.Match[str]) -> tuple[str | None, str, float]:
    """(unit as reported, kind, factor) of a match."""
    if m.group("frac"):
        return "%", "percent", {"百分之": 1.0, "千分之": 0.1}.get(m.group("frac"), 0.01)
    if m.group("pct"):
        return "%", "percent", 0.1 if m.group("pct").strip() == "‰" else 1.0
    if m.group("cheng"):
        return "%", "percent", 10.0
    written = m.group("unit") or m.group("punit")
    if not written:
        return None, "count", 1.0
    unit = unit_table()[written]
    reported = unit.canonical
    inner = m.group("unit2")
    if inner and unit.kind == "count":
        if written + inner in unit_table():
            reported = written + inner
        elif m.group("ci"):
            reported = m.group(0)[m.start("unit") - m.start() : m.end("unit2") - m.start() + 1] + "次"
    return reported, unit.kind, unit.factor


def quantity_from_match(m: re.Match[str], text: str) -> Quantity | None:
    """The `Quantity` a match of the quantity pattern stands for, or None when it is no number."""
    num_text = m.group("fnum") or m.group("num")
    if num_text is None:
        return None
    value = parse_number(num_text)
    if value is None:
        return None
    chinese = parse_chinese_numeral(num_text) is not None
    if chinese and num_text[0] in "百千万萬亿億" and not m.group("pre"):
        return None
    value_max = parse_number(m.group("num2")) if m.group("num2") else None
    if m.group("unit") == "部" and text.startswith("门", m.end("unit")):
        return Quantity(m.start("num"), m.end("num"), text[m.start("num") : m.end("num")], value, None, None,
                        "count", False, "eq", chinese)
    unit, kind, factor = _unit_of(m)
    scale = SCALES.get(m.group("scale") or m.group("pscale") or "", 1.0)
    value = round(value * scale * factor, 6)
    if value_max is not None:
        value_max = round(value_max * scale * factor, 6)
    start, end = m.start(), m.end()
    if m.group("unit2") and m.group("ci") is None and unit and "(" not in unit and "（" not in unit:
        end = m.end("unit2") + 1
    bound, approximate = _bound(m.group("pre"), m.group("mid") or m.group("mid2"), m.group("suf"),
                                value_max is not None)
    scaled = bool(m.group("scale") or m.group("pscale"))
    return Quantity(start, end, text[start:end], value, value_max, unit, kind, approximate, bound, chinese, scaled)


def find_quantities(text: str) -> list[Quantity]:
    """Every number in `text` with what follows it (unit, percent sign, scale); no filtering."""
    norm = normalise_width(text)
    found = []
    for m in _quantity_pattern().finditer(norm):
        q = quantity_from_match(m, text)
        if q is not None:
            found.append(_trim(q, text))
    return found


def _trim(q: Quantity, text: str) -> Quantity:
    """Drop white space at the edges of a span (kept inside it: `1781.86 万\\n元`)."""
    start, end = q.start, q.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if (start, end) == (q.start, q.end):
        return q
    return Quantity(start, end, text[start:end], q.value, q.value_max, q.unit, q.kind, q.approximate,
                    q.bound, q.chinese, q.scaled)


def parse_quantity(text: str) -> Quantity | None:
    """The quantity that `text` holds as a whole (`10余名`, `3.5亿元`, `三成`), or None."""
    m = _quantity_pattern().fullmatch(normalise_width(text))
    return quantity_from_match(m, text) if m else None
