"""Target and actual-value expressions of performance-table cells (年度指标值, 实际完成值).

`parse_target("≥80%")` → TargetPublic(raw="≥80%", op=">=", value=80, unit="%"). Operators:

- comparisons `>=`, `>`, `<=`, `<`, `=` (from `≥ >= 不低于 不少于 以上 及以上 …`),
- `range` (`18—54周岁`, `50-90人`: `value` the lower end, `value_max` the upper end),
- `before` (a deadline: `2022年12月31日前`, `11月底前`), `within` (`一个巡察期内`, `5个工作日内`),
- `date` (a date or period as the target: `2023年12月`, `2021.1.1-12.31`),
- `qualitative` (`达到目标`, `健全`, `显著`): no value.

Money is normalised to 元 (`1100万元` → 11000000, unit `元`); other scale words multiply the
value and leave the measure word as the unit (`1.2万亩` → 12000, `亩`); percent values keep the
percent number (`≥95%` → 95, `%`). `raw` is the cell text as written (outer whitespace stripped).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from nlp_service import numbers as shared_numbers
from nlp_service.schema import ActualPublic, TargetPublic

__all__ = [
    "Quantity",
    "chinese_number",
    "first_quantities",
    "is_bare_value",
    "parse_quantity",
    "parse_target",
    "target_met",
]

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_SCALES = {"万": 1e4, "亿": 1e8, "千": 1e3, "百": 1e2}

_PREFIX_OPS: tuple[tuple[str, str], ...] = (
    ("大于等于", ">="),
    ("大于或等于", ">="),
    ("不低于", ">="),
    ("不少于", ">="),
    ("不小于", ">="),
    ("至少", ">="),
    ("达到", ">="),
    ("小于等于", "<="),
    ("小于或等于", "<="),
    ("不高于", "<="),
    ("不超过", "<="),
    ("不多于", "<="),
    ("不大于", "<="),
    ("控制在", "<="),
    ("大于", ">"),
    ("高于", ">"),
    ("超过", ">"),
    ("多于", ">"),
    ("小于", "<"),
    ("低于", "<"),
    ("少于", "<"),
    ("≥", ">="),
    (">=", ">="),
    ("＞=", ">="),
    ("≧", ">="),
    ("≤", "<="),
    ("<=", "<="),
    ("＜=", "<="),
    ("≦", "<="),
    (">", ">"),
    ("＞", ">"),
    ("<", "<"),
    ("＜", "<"),
    ("=", "="),
    ("＝", "="),
)
_SUFFIX_OPS: tuple[tuple[str, str], ...] = (
    ("及以上", ">="),
    ("以上", ">="),
    ("及以下", "<="),
    ("以下", "<="),
    ("以内", "<="),
    ("之前", "before"),
    ("以前", "before"),
    ("前", "before"),
    ("内", "within"),
)
_NUMBER = r"\d+(?:[,，]\d{3})*(?:\.\d+)?"
_CN_NUMBER = r"[零〇一二两三四五六七八九十百千]+"
_QUANTITY_RE = re.compile(
    rf"(?P<num>{_NUMBER}|{_CN_NUMBER})\s*(?P<scale>[万亿千]|百(?!分比))?\s*"
    r"(?P<unit>%|％|‰|百分比|个百分点|[^\d\s，,。；;、（）()≥≤<>=＞＜~～—\-至到]{0,6})"
)
_RANGE_RE = re.compile(
    rf"^(?P<lo>{_NUMBER})\s*(?P<lo_unit>%|[^\d\s—\-~～至到]{{0,4}}?)\s*[—\-~～至到]+\s*(?P<hi>{_NUMBER})\s*(?P<unit>.*)$"
)
_DATE_RE = re.compile(
    r"^(\d{4}\s*年)?\s*(\d{1,2}\s*月)?\s*(\d{1,2}\s*[日号])?\s*(底|末|中旬|上旬|下旬|初)?$"
    r"|^\d{4}[.\-/]\d{1,2}([.\-/]\d{1,2})?([—\-~～至]+(\d{4}[.\-/])?\d{1,2}([.\-/]\d{1,2})?)?$"
    r"|^\d{4}\s*年(\s*\d{1,2}\s*月)?(\s*\d{1,2}\s*日)?\s*[—\-~～至到]+\s*(\d{4}\s*年)?\s*\d{1,2}\s*月(\s*\d{1,2}\s*日)?$"
)
_YEAR_PERIOD_RE = re.compile(r"^\d{4}\s*年(度|底|末|全年|年底)?$")
_MONEY_UNITS = {"元", "万元", "亿元", "千元"}
_PERCENT_UNITS = {"%", "％", "百分比"}
_UNIT_TRAILERS = re.compile(r"(完成|左右|以上|及以上|以下|以内|内|前|之前|以前|。)+$")


@dataclass(frozen=True)
class Quantity:
    """A number with its unit as read from a cell: `value` normalised (money in 元, scale words out)."""

    value: float
    unit: str | None
    start: int
    end: int


def chinese_number(text: str) -> float | None:
    """`三` → 3, `十二` → 12, `一百二十` → 120; None for anything else."""
    if not text or any(ch not in _CN_DIGITS and ch not in _CN_UNITS for ch in text):
        return None
    total, digit = 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
    return float(total + (digit or 0))


def _number(text: str) -> float | None:
    cleaned = text.replace(",", "").replace("，", "")
    try:
        return float(cleaned)
    except ValueError:
        return chinese_number(cleaned)


def _normalise(value: float, scale: str | None, unit: str) -> tuple[float, str | None]:
    """Apply a scale word and canonicalise the unit (money in 元, percent as `%`)."""
    unit = _UNIT_TRAILERS.sub("", unit.strip())
    if scale:
        value *= _SCALES[scale]
    if unit in _PERCENT_UNITS:
        return value, "%"
    if unit in _MONEY_UNITS:
        return value * _SCALES.get(unit[0], 1.0) if unit != "元" else value, "元"
    if unit.startswith("元") or unit.startswith("万元"):
        factor = 1e4 if unit.startswith("万") else 1.0
        return value * factor, "元" + unit[len("万元") if factor > 1 else 1 :]
    return value, unit or None


def parse_quantity(text: str) -> Quantity | None:
    """The first number of `text` with its scale word and unit, or None.

    A text that is one quantity as a whole goes to the shared parser (`nlp_service.numbers`), so
    table values normalise like narrative claims; the local pattern reads the rest (`470人/天`,
    `100百分比`, `一个巡察期`)."""
    whole = shared_numbers.parse_quantity(text.strip()) if text.strip() else None
    if whole is not None:
        return Quantity(whole.value, whole.unit, 0, len(text))
    for m in _QUANTITY_RE.finditer(text):
        raw_number = m.group("num")
        if re.fullmatch(_CN_NUMBER, raw_number) and not m.group("unit"):
            continue
        value = _number(raw_number)
        if value is None:
            continue
        value, unit = _normalise(value, m.group("scale"), m.group("unit") or "")
        return Quantity(value, unit, m.start(), m.end())
    return None


def first_quantities(text: str) -> list[Quantity]:
    """Every Arabic-numeral quantity of a sentence, in order (for actual-value sentences)."""
    out: list[Quantity] = []
    for m in _QUANTITY_RE.finditer(text):
        if not re.match(r"\d", m.group("num")):
            continue
        if re.match(r"\s*[年月日号]", text[m.end("num") :]) and not m.group("scale"):
            continue
        if re.fullmatch(r"(19|20)\d\d", m.group("num")) and re.match(
            r"\s*[-—–~～至年]", text[m.end("num") :]
        ):
            continue
        value = _number(m.group("num"))
        if value is None:
            continue
        value, unit = _normalise(value, m.group("scale"), m.group("unit") or "")
        out.append(Quantity(value, unit, m.start(), m.end()))
    return out


def _split_ops(body: str) -> tuple[str | None, str]:
    """Strip one prefix operator and return (op, rest)."""
    for word, op in _PREFIX_OPS:
        rest = body[len(word) :].strip()
        if body.startswith(word) and (
            not _is_han(word[0]) or re.match(r"[\d零〇一二两三四五六七八九十]", rest)
        ):
            return op, rest
    return None, body


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _split_suffix(body: str) -> tuple[str | None, str]:
    for word, op in _SUFFIX_OPS:
        if body.endswith(word) and len(body) > len(word):
            return op, body[: -len(word)].strip()
    return None, body


def parse_target(raw: str | None) -> TargetPublic:
    """Read a target cell (`≥200`, `≤5个工作日`, `18—54周岁`, `达到目标`, `2022年12月31日前`)."""
    if raw is None or not raw.strip():
        return TargetPublic(raw=None)
    text = raw.strip()
    body = re.sub(r"\s+", "", text)
    if _DATE_RE.match(body) or _YEAR_PERIOD_RE.match(body):
        return TargetPublic(raw=text, op="date")
    op, rest = _split_ops(body)
    suffix_op, rest = _split_suffix(rest)
    if suffix_op in ("before", "within") and op is None:
        return _deadline_target(text, rest, suffix_op)
    range_match = _RANGE_RE.match(rest)
    if range_match and op is None:
        return _range_target(text, range_match)
    quantity = parse_quantity(rest)
    if quantity is None or quantity.start > 0 or _has_tail_text(rest, quantity):
        if quantity is not None and quantity.start == 0 and op is not None:
            return TargetPublic(raw=text, op=op, value=quantity.value, unit=quantity.unit)
        return TargetPublic(raw=text, op=op or "qualitative")
    return TargetPublic(raw=text, op=op or suffix_op or "=", value=quantity.value, unit=quantity.unit)


def _has_tail_text(body: str, quantity: Quantity) -> bool:
    """True when words follow the quantity (`100%完成率` is not a bare value)."""
    tail = body[quantity.end :].strip(" 。.")
    return bool(tail) and not re.fullmatch(r"(完成|左右|及以上|以上|以下|以内)", tail)


def _deadline_target(raw: str, rest: str, op: str) -> TargetPublic:
    if _DATE_RE.match(rest) or re.search(r"\d{1,2}\s*月", rest):
        return TargetPublic(raw=raw, op=op)
    quantity = parse_quantity(rest)
    if quantity is not None and quantity.start == 0:
        return TargetPublic(raw=raw, op=op, value=quantity.value, unit=quantity.unit)
    return TargetPublic(raw=raw, op=op)


def _range_target(raw: str, m: re.Match[str]) -> TargetPublic:
    lo, hi = _number(m.group("lo")), _number(m.group("hi"))
    unit_text = m.group("unit") or m.group("lo_unit") or ""
    if lo is None or hi is None:
        return TargetPublic(raw=raw, op="qualitative")
    lo_value, unit = _normalise(lo, None, unit_text)
    hi_value, _ = _normalise(hi, None, unit_text)
    return TargetPublic(raw=raw, op="range", value=lo_value, value_max=hi_value, unit=unit)


@lru_cache(maxsize=16384)
def is_bare_value(text: str) -> bool:
    """True for a cell that only states a value (`70.56%`, `469个`, `≥95%`, `=230畝`)."""
    body = re.sub(r"\s+", "", text)
    if not body or len(body) > 16:
        return False
    op, rest = _split_ops(body)
    quantity = parse_quantity(rest)
    return quantity is not None and quantity.start == 0 and not _has_tail_text(rest, quantity)


def target_met(target: TargetPublic, actual: ActualPublic) -> bool | None:
    """Whether the actual value reaches the target; None where the two are not comparable."""
    if target.op == "qualitative" and target.raw and actual.raw:
        return True if _squash(actual.raw) == _squash(target.raw) else None
    if target.value is None or actual.value is None:
        return None
    if (target.unit or None) != (actual.unit or None) and target.unit is not None and actual.unit is not None:
        return None
    value, goal = actual.value, target.value
    checks = {
        ">=": value >= goal,
        ">": value > goal,
        "<=": value <= goal,
        "<": value < goal,
        "=": value >= goal,
        "range": goal <= value <= (target.value_max if target.value_max is not None else goal),
        "within": value <= goal,
    }
    return checks.get(target.op or "")


def _squash(text: str) -> str:
    return re.sub(r"[\s　。.]+", "", text)
