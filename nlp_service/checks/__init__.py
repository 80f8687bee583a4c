"""Cross-checks: one rule per finding code of the contract, each citing its evidence.

Each rule is a function `(CheckContext) -> list[Draft]` in a small module:
- `scores`: overall_score_mismatch, score_sum_mismatch, category_weight_mismatch, score_exceeds_weight
- `targets`: target_not_met_full_score, actual_not_quantified
- `funding`: execution_rate_mismatch, funding_mismatch
- `conflicts`: claim_conflict
- `totals`: total_mismatch

A rule that needs part of the table the document does not have (no table, or one that could not be
read) does not run; `run_checks` says so in its notes instead.

Severities (following the gold files): `error` where the table contradicts itself beyond doubt —
overall_score_mismatch, score_sum_mismatch (a gap of 1 point or more), score_exceeds_weight,
execution_rate_mismatch (1 percentage point or more), funding_mismatch (spending above every budget),
total_mismatch in the funding block beyond rounding; `warning` where rounding, a partial list or a
reading of the text could explain it — category_weight_mismatch, target_not_met_full_score,
score_sum_mismatch on 折算得分 that do not follow from 单项指标得分 and 权重占比,
actual_not_quantified, claim_conflict, total_mismatch in the narrative, narrative amounts near but not
equal to the table's, and the small gaps of the error codes.
"""

from __future__ import annotations

from nlp_service.checks import conflicts, funding, scores, targets, totals
from nlp_service.checks.base import Check, CheckContext, Draft, Requirement
from nlp_service.ingest.document import Document
from nlp_service.schema import ClaimPublic, FindingPublic, LinkPublic
from nlp_service.tables import TableReading

__all__ = ["CHECKS", "run_checks"]

CHECKS: tuple[Check, ...] = (
    Check("overall_score_mismatch", "scores", scores.overall_score_mismatch, "正文得分与自评表总分"),
    Check("score_sum_mismatch", "scores", scores.score_sum_mismatch, "各项得分、分值与总分"),
    Check("category_weight_mismatch", "scores", scores.category_weight_mismatch, "一级指标分值与其下指标"),
    Check("score_exceeds_weight", "scores", scores.score_exceeds_weight, "得分不超过分值"),
    Check("target_not_met_full_score", "indicators", targets.target_not_met_full_score, "未达目标却得满分"),
    Check("actual_not_quantified", "indicators", targets.actual_not_quantified, "实际完成值是否量化"),
    Check("execution_rate_mismatch", "funding", funding.execution_rate_mismatch, "执行率与执行数、预算数"),
    Check("funding_mismatch", "funding", funding.funding_mismatch, "正文金额与自评表资金"),
    Check("claim_conflict", "none", conflicts.claim_conflict, "同一事项前后数值"),
    Check("total_mismatch", "none", totals.total_mismatch, "合计与所列各项之和"),
)

_MISSING = {
    "indicators": "未读到绩效指标",
    "scores": "未读到分值或得分",
    "funding": "未读到资金投入情况",
}


def run_checks(
    document: Document, claims: list[ClaimPublic], tables: TableReading, links: list[LinkPublic]
) -> tuple[list[FindingPublic], list[str]]:
    """Every check that the document's table allows; findings numbered f1…, notes on checks not run."""
    context = CheckContext(document, claims, tables, links)
    drafts: list[Draft] = []
    skipped: dict[Requirement, list[Check]] = {}
    for check in CHECKS:
        if context.has(check.requires):
            drafts.extend(check.run(context))
        else:
            skipped.setdefault(check.requires, []).append(check)
    return _numbered(drafts), _notes(document, tables, skipped)


def _numbered(drafts: list[Draft]) -> list[FindingPublic]:
    return [
        FindingPublic(id=f"f{n}", code=d.code, severity=d.severity, message=d.message, evidence=d.evidence)
        for n, d in enumerate(drafts, start=1)
    ]


def _notes(document: Document, tables: TableReading, skipped: dict[Requirement, list[Check]]) -> list[str]:
    if not skipped:
        return []
    read_nothing = tables.funding is None and not tables.indicators
    if read_nothing:
        where = "文中的表格未能读成绩效自评表" if document.tables else "文中没有可读的绩效自评表"
        names = "、".join(f"{c.code}（{c.description}）" for checks in skipped.values() for c in checks)
        return [f"{where}，以下检查未执行：{names}"]
    return [
        f"自评表{_MISSING[requirement]}，以下检查未执行："
        + "、".join(f"{c.code}（{c.description}）" for c in checks)
        for requirement, checks in skipped.items()
    ]
