"""Each indicator's target against its actual value: target_not_met_full_score, actual_not_quantified."""

from __future__ import annotations

import re

from nlp_service.checks.base import CheckContext, Draft, indicator_evidence, num
from nlp_service.schema import IndicatorPublic

SCORE_TOLERANCE = 0.01
# The operator must be written in the target; a bare "100%" (控制率, 成本) has no direction.
_AT_LEAST = re.compile(r"≥|>=|＞=|>|＞|不低于|不少于|不小于|以上|至少|大于")
_AT_MOST = re.compile(r"≤|<=|＜=|<|＜|不高于|不超过|不大于|以下|以内|低于|小于|最高")
_DIGIT = re.compile(r"[0-9０-９]")
_PERCENT_NUMBER = re.compile(r"[0-9０-９.]+\s*[%％]|百分之|[一二三四五六七八九十]成")
_BARE = re.compile(r"[=＝≥≤<>＜＞约]*\s*[0-9０-９][0-9０-９.,，]*\s*[^\s，。；,;0-9]{0,6}")
_UNIT_ALIASES = {"人次": "人次", "%": "%", "％": "%"}


def _direction(indicator: IndicatorPublic) -> str | None:
    raw = indicator.target.raw or ""
    if _AT_MOST.search(raw):
        return "<="
    if _AT_LEAST.search(raw):
        return ">="
    return None


def _same_unit(a: str | None, b: str | None) -> bool:
    def norm(u: str | None) -> str:
        return re.sub(r"[*·/\s]", "", _UNIT_ALIASES.get(u or "", u or ""))

    return norm(a) == norm(b) or not a or not b


def _bare_value(raw: str | None) -> bool:
    """`4604人`, `=95%`, `5830元/户`: a cell that is the value, not a sentence that mentions several."""
    return raw is not None and bool(_BARE.fullmatch(raw.strip()))


def missed_target(indicator: IndicatorPublic) -> bool:
    """True when the actual value lies on the wrong side of a target written with an operator."""
    target, actual = indicator.target, indicator.actual
    if target.value is None or actual.value is None or not _same_unit(target.unit, actual.unit):
        return False
    if not _bare_value(actual.raw):
        return False
    direction = _direction(indicator)
    if direction == ">=":
        return actual.value < target.value - 1e-9
    if direction == "<=":
        return actual.value > target.value + 1e-9
    return False


def target_not_met_full_score(ctx: CheckContext) -> list[Draft]:
    """A target missed (actual below a ≥ target, above a ≤ one) that still gets its full weight."""
    drafts: list[Draft] = []
    for indicator in ctx.indicators:
        if indicator.score is None or indicator.weight is None or not missed_target(indicator):
            continue
        if indicator.score + SCORE_TOLERANCE < indicator.weight:
            continue
        message = (
            f"指标“{indicator.name}”目标为{indicator.target.raw}，实际完成{indicator.actual.raw or num(indicator.actual.value or 0)}，"
            f"未达目标却得满分{num(indicator.score)}分（分值{num(indicator.weight)}分）"
        )
        drafts.append(Draft("target_not_met_full_score", "warning", message, [indicator_evidence(indicator)]))
    return drafts


def _states_quantity(indicator: IndicatorPublic) -> bool:
    raw = indicator.actual.raw or ""
    if (indicator.target.unit or "") in ("%", "％") or re.search(r"[%％]", indicator.target.raw or ""):
        return bool(_PERCENT_NUMBER.search(raw))
    return bool(_DIGIT.search(raw))


def actual_not_quantified(ctx: CheckContext) -> list[Draft]:
    """A target written as a number whose actual value is text that states no comparable number."""
    drafts: list[Draft] = []
    for indicator in ctx.indicators:
        raw_target = indicator.target.raw or ""
        actual_raw = (indicator.actual.raw or "").strip()
        if indicator.target.value is None or not _DIGIT.search(raw_target) or len(actual_raw) < 2:
            continue
        if indicator.actual.value is not None and _same_unit(indicator.target.unit, indicator.actual.unit):
            continue
        if _states_quantity(indicator):
            continue
        kind = "百分比" if "%" in raw_target or "％" in raw_target else "数值"
        message = f"指标“{indicator.name}”目标值为{raw_target}，但实际完成值未给出{kind}，无法判断是否达标"
        drafts.append(Draft("actual_not_quantified", "warning", message, [indicator_evidence(indicator)]))
    return drafts
