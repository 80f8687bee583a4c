"""The table against itself and against the story: total score, item sums, category weights.

Codes: overall_score_mismatch, score_sum_mismatch, category_weight_mismatch, score_exceeds_weight.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp_service.checks.base import (
    CheckContext,
    Draft,
    close,
    funding_evidence,
    indicator_evidence,
    num,
    row_evidence,
    span_evidence,
)
from nlp_service.schema import ClaimPublic, EvidencePublic, IndicatorPublic, Severity

SCORE_TOLERANCE = 0.01
CONVERTED_TOLERANCE = 0.01  # per row: converted scores are printed to two decimals
# "项目得分为99.5分", "自评得分98", "综合评分95分", "总得分：92.5分"; not "得分率95%" nor column headers.
_SCORE_NUMBER = re.compile(r"[为是：:\s　]{0,3}(\d{1,3}(?:\.\d+)?)(?![\d.%％])\s*分?")
# The whole project's score, not an item's (资金执行率得分10分) nor the scale (满分100分, 总分100分).
_OVERALL_PHRASE = r"(?:自评|综合|评价|项目|绩效|最终|总)(?:得分|评分)|自评分"
_OVERALL_OBJECT = re.compile(rf"^(?:{_OVERALL_PHRASE})$")
_SCALE_BEFORE = re.compile(r"满分|百分制|分值|权重")
LOWEST_OVERALL_SCORE = 30.0  # below this a "得分" is an item's, not the project's


@dataclass(frozen=True)
class StatedScore:
    value: float
    start: int
    end: int


def _is_overall_score(claim: ClaimPublic) -> bool:
    if claim.kind != "score" or claim.value is None or not claim.object:
        return False
    return bool(_OVERALL_OBJECT.search(claim.object)) and LOWEST_OVERALL_SCORE < claim.value <= 100


def stated_overall_scores(ctx: CheckContext) -> list[StatedScore]:
    """Overall scores the text states outside the 总分 row: narrative claims and `自评得分98` phrases."""
    found: dict[int, StatedScore] = {}
    for claim in ctx.claims:
        if _is_overall_score(claim):
            found[claim.start] = StatedScore(claim.value or 0.0, claim.start, claim.end)
    for match in re.finditer(_OVERALL_PHRASE, ctx.text):
        if _SCALE_BEFORE.search(ctx.text, max(0, match.start() - 8), match.start()):
            continue
        number = _SCORE_NUMBER.match(ctx.text, match.end())
        if not number or "\n" in number.group(0) or "\t" in number.group(0):
            continue
        value = float(number.group(1))
        start = number.start(1)
        if LOWEST_OVERALL_SCORE < value <= 100 and not any(abs(s.start - start) <= 1 for s in found.values()):
            found[start] = StatedScore(value, start, number.end())
    return sorted(found.values(), key=lambda s: s.start)


def _total_row_evidence(ctx: CheckContext, note: str = "total") -> list[EvidencePublic]:
    """The 总分 row's cells when the table reader located them, else the row by name."""
    cells = getattr(ctx.tables, "total_cells", None) or []
    if not cells:
        return [row_evidence("总分", note)]
    return [EvidencePublic(start=s, end=e, table_row="总分", note=note) for s, e in cells]


def _scored_items(ctx: CheckContext) -> tuple[list[float | None], list[float | None]]:
    """Scores and weights of every scored row: the funding row, then each indicator."""
    scores: list[float | None] = [i.score for i in ctx.indicators]
    weights: list[float | None] = [i.weight for i in ctx.indicators]
    funding = ctx.funding
    if funding is not None and (funding.score is not None or funding.weight is not None):
        scores.insert(0, funding.score)
        weights.insert(0, funding.weight)
    return scores, weights


def _table_total(ctx: CheckContext) -> tuple[float | None, str]:
    """The table's total score: its 总分 row, else the item scores when every item is scored."""
    if ctx.tables.total_score is not None:
        return ctx.tables.total_score, "总分"
    scores, weights = _scored_items(ctx)
    if scores and all(s is not None for s in scores):
        total_weight = sum(w or 0 for w in weights)
        if close(total_weight, ctx.tables.total_weight or 100, SCORE_TOLERANCE):
            return sum(s or 0 for s in scores), "各项得分之和"
    return None, ""


def _score_ceiling(ctx: CheckContext) -> float | None:
    """The most the items could add up to: scores read plus the weight of rows not scored or cut off."""
    scores, weights = _scored_items(ctx)
    if not scores or ctx.tables.total_score is not None:
        return None
    if any(s is not None and w is None for s, w in zip(scores, weights, strict=True)):
        return None
    full = ctx.tables.total_weight or 100
    read_weight = sum(w or 0 for w in weights)
    unscored_weight = sum(w or 0 for s, w in zip(scores, weights, strict=True) if s is None)
    return sum(s or 0 for s in scores) + unscored_weight + max(0.0, full - read_weight)


def overall_score_mismatch(ctx: CheckContext) -> list[Draft]:
    """The overall score the report states ≠ the table's total (or more than its items can add up to)."""
    total, where = _table_total(ctx)
    ceiling = _score_ceiling(ctx) if total is None else None
    drafts: dict[float, Draft] = {}
    for stated in stated_overall_scores(ctx):
        if stated.value in drafts:
            drafts[stated.value].evidence.insert(0, span_evidence(stated.start, stated.end, "stated score"))
            continue
        if total is not None and not close(stated.value, total, SCORE_TOLERANCE):
            message = f"报告称得分{num(stated.value)}分，但自评表{where}为{num(total)}分"
        elif ceiling is not None and stated.value > ceiling + SCORE_TOLERANCE:
            message = (
                f"报告称得分{num(stated.value)}分，但自评表各项得分加上未评分项的分值最多只有{num(ceiling)}分"
            )
        else:
            continue
        total_evidence = (
            _total_row_evidence(ctx) if where == "总分" else [row_evidence(where or "得分", "total")]
        )
        evidence = [span_evidence(stated.start, stated.end, "stated score"), *total_evidence]
        drafts[stated.value] = Draft("overall_score_mismatch", "error", message, evidence)
    return list(drafts.values())


def _sum_mismatch(label: str, items: list[float | None], total: float | None) -> str | None:
    """A message when the items (all read) do not add up to the stated total."""
    if total is None or not items or any(v is None for v in items):
        return None
    added = sum(v or 0 for v in items)
    if close(added, total, SCORE_TOLERANCE):
        return None
    return f"各项{label}合计为{num(added)}分，与总分行的{label}{num(total)}分不符"


def _sum_severity(
    scores: list[float | None],
    weights: list[float | None],
    total_score: float | None,
    total_weight: float | None,
) -> Severity:
    """error when the items exceed the total, or fall short although every row is there (the weights
    add up); warning for small gaps and for shortfalls that rows the reader missed could explain."""
    rows_complete = (
        total_weight is not None
        and all(w is not None for w in weights)
        and close(sum(w or 0 for w in weights), total_weight, SCORE_TOLERANCE)
    )
    for items, total in ((scores, total_score), (weights, total_weight)):
        if total is None or any(v is None for v in items):
            continue
        gap = sum(v or 0 for v in items) - total
        if gap >= 1 or (gap <= -1 and rows_complete):
            return "error"
    return "warning"


def score_sum_mismatch(ctx: CheckContext) -> list[Draft]:
    """The item scores or weights (funding row included) ≠ the 总分 row; 折算得分 that do not follow
    from 单项指标得分 and 权重占比."""
    return _total_row_mismatch(ctx) + _converted_mismatch(ctx)


def _total_row_mismatch(ctx: CheckContext) -> list[Draft]:
    scores, weights = _scored_items(ctx)
    problems = [
        m
        for m in (
            _sum_mismatch("得分", scores, ctx.tables.total_score),
            _sum_mismatch("分值", weights, ctx.tables.total_weight),
        )
        if m
    ]
    if not problems:
        return []
    severity = _sum_severity(scores, weights, ctx.tables.total_score, ctx.tables.total_weight)
    evidence = _total_row_evidence(ctx)
    if ctx.funding is not None and (ctx.funding.score is not None or ctx.funding.weight is not None):
        evidence.append(funding_evidence(ctx.funding, "score"))
    evidence += [indicator_evidence(i) for i in ctx.indicators]
    return [Draft("score_sum_mismatch", severity, "；".join(problems), evidence)]


def _on_weight_scale(indicators: list[IndicatorPublic]) -> bool:
    """Item scores already weighted (not out of 100): half or more of the scored rows at exactly
    their weight, and no more than one above it."""
    pairs = [(i.score, i.weight) for i in indicators if i.score is not None and i.weight is not None]
    at_weight = sum(1 for score, weight in pairs if close(score, weight, SCORE_TOLERANCE))
    above = sum(1 for score, weight in pairs if score > weight + SCORE_TOLERANCE)
    return bool(pairs) and 2 * at_weight >= len(pairs) and above <= 1


def _converted_mismatch(ctx: CheckContext) -> list[Draft]:
    """折算得分 should carry each item's share of the total once: equal to an already weighted
    单项指标得分, or 单项指标得分 × 权重占比 / 100 for scores out of 100. Rounding of each printed
    converted score is tolerated."""
    converted = ctx.tables.converted_scores
    rows = [
        (i, converted[i.id])
        for i in ctx.indicators
        if i.id in converted and i.score is not None and i.weight is not None
    ]
    if len(rows) < 2:
        return []
    weighted = _on_weight_scale([i for i, _ in rows])
    expected = [(i.score or 0.0) if weighted else (i.score or 0.0) * (i.weight or 0.0) / 100 for i, _ in rows]
    added = sum(c for _, c in rows)
    if close(added, sum(expected), CONVERTED_TOLERANCE * len(rows)):
        return []
    listed = "+".join(num(c) for _, c in rows)
    if weighted:
        message = (
            f"各项单项指标得分已按权重计（合计{num(sum(expected))}分），折算得分却再乘一次权重占比："
            f"{listed}={num(added)}分，与应得的{num(sum(expected))}分不符"
        )
    else:
        message = (
            f"各项折算得分{listed}={num(added)}分，不等于单项指标得分×权重占比之和{num(sum(expected))}分"
        )
    cells = {i.id: ctx.tables.indicator_cells.get(i.id, {}).get("converted") for i, _ in rows}
    evidence = [indicator_evidence(i) for i, _ in rows] + [
        span_evidence(span[0], span[1], "converted score") for span in cells.values() if span is not None
    ]
    return [Draft("score_sum_mismatch", "warning", message, evidence)]


def _by_category(indicators: list[IndicatorPublic]) -> dict[str, list[IndicatorPublic]]:
    groups: dict[str, list[IndicatorPublic]] = {}
    for indicator in indicators:
        if indicator.level1:
            groups.setdefault(_category_key(indicator.level1), []).append(indicator)
    return groups


def _category_key(name: str) -> str:
    return re.sub(r"[（(].*|\s", "", name)


def _declared_weight_evidence(text: str, category: str, declared: float) -> EvidencePublic:
    """Where the table declares the category's weight: 效益指标（40分）, however the cell is broken."""
    name = r"\s*".join(re.escape(ch) for ch in _category_key(category))
    pattern = rf"{name}\s*[（(]\s*{re.escape(num(declared))}\s*分?\s*[)）]"
    found = re.search(pattern, text)
    if found is None:
        return row_evidence(category, "declared weight")
    return EvidencePublic(start=found.start(), end=found.end(), table_row=category, note="declared weight")


def category_weight_mismatch(ctx: CheckContext) -> list[Draft]:
    """A level-1 category's declared weight (产出指标(50分)) ≠ its indicators' weights added up."""
    groups = _by_category(ctx.indicators)
    drafts: list[Draft] = []
    for category, declared in ctx.tables.category_weights.items():
        members = groups.get(_category_key(category), [])
        added = sum(i.weight or 0 for i in members)
        complete = bool(members) and all(i.weight is not None for i in members)
        if close(added, declared, SCORE_TOLERANCE) or not (complete or added > declared):
            continue  # rows without a weight (……, cut off) may hold the rest; too much is too much
        message = f"{category}标注分值{num(declared)}分，但其下各指标分值合计为{num(added)}分"
        evidence = [
            _declared_weight_evidence(ctx.text, category, declared),
            *(indicator_evidence(i) for i in members if i.weight is not None),
        ]
        drafts.append(Draft("category_weight_mismatch", "warning", message, evidence))
    return drafts


def _exceeds(score: float | None, weight: float | None) -> bool:
    return score is not None and weight is not None and score > weight + SCORE_TOLERANCE


def score_exceeds_weight(ctx: CheckContext) -> list[Draft]:
    """A row scored above its own weight (the funding row included). Where the table scores items
    out of 100 and converts them into points (折算得分), the converted score is held against it."""
    drafts: list[Draft] = []
    converted = {} if _on_weight_scale(ctx.indicators) else ctx.tables.converted_scores
    for indicator in ctx.indicators:
        if _exceeds(converted.get(indicator.id, indicator.score), indicator.weight):
            message = f"指标“{indicator.name}”得分{num(indicator.score or 0)}分，超过其分值{num(indicator.weight or 0)}分"
            drafts.append(Draft("score_exceeds_weight", "error", message, [indicator_evidence(indicator)]))
    funding = ctx.funding
    if funding is not None and _exceeds(funding.score, funding.weight):
        message = f"资金执行率得分{num(funding.score or 0)}分，超过其分值{num(funding.weight or 0)}分"
        evidence = [funding_evidence(funding, "score"), funding_evidence(funding, "weight")]
        drafts.append(Draft("score_exceeds_weight", "error", message, evidence))
    return drafts
