"""What the document page shows, built from an extraction and its reviews (no HTTP, no store)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from nlp_service.exports import CORRECTABLE_FIELDS, ReviewRecord, latest_reviews
from nlp_service.schema import ClaimPublic, EvidencePublic, Extraction, FindingPublic, IndicatorPublic
from nlp_service.web.charts import funding_chart, indicator_chart
from nlp_service.web.highlight import mark_extraction

SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}
STATUS_LABELS = {"pending": "处理中", "done": "已完成", "failed": "失败"}
JOB_LABELS = {"queued": "排队中", "running": "抽取中", "done": "已完成", "failed": "失败"}
REVIEW_LABELS = {"accepted": "已接受", "rejected": "已驳回", "corrected": "已更正"}
KIND_LABELS = {
    "count": "数量",
    "money": "金额",
    "percent": "比率",
    "score": "分值",
    "duration": "时长",
    "measure": "计量",
}


@dataclass
class EvidenceLink:
    label: str
    target: str
    title: str = ""


@dataclass
class FindingView:
    id: str
    code: str
    severity: str
    message: str
    evidence: list[EvidenceLink] = field(default_factory=list)


@dataclass
class IndicatorRow:
    id: str
    level: str
    name: str
    target_text: str
    actual_text: str
    weight: str
    score: str
    met: bool | None
    claims: list[ClaimPublic]
    target: str


@dataclass
class DocumentView:
    title: str
    marked: Markup
    claims: list[ClaimPublic]
    reviewed: int
    indicators: list[IndicatorRow]
    findings: list[FindingView]
    indicator_chart: Markup | None
    funding_chart: Markup | None
    notes: list[str]


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def corrected_claims(extraction: Extraction, reviews: Sequence[ReviewRecord]) -> Extraction:
    """The extraction with each claim's latest correction applied (rejected claims stay, marked)."""
    latest = latest_reviews(reviews)
    claims = []
    for claim in extraction.claims:
        review = latest.get(claim.id)
        if review is not None and review.action == "correct":
            update = {k: v for k, v in review.changes.items() if k in CORRECTABLE_FIELDS}
            claim = claim.model_copy(update=update)
        claims.append(claim)
    return extraction.model_copy(update={"claims": claims})


def _evidence_link(
    finding: FindingPublic, number: int, evidence: EvidencePublic, extraction: Extraction
) -> EvidenceLink | None:
    if evidence.start is not None and evidence.end is not None:
        snippet = extraction.text[evidence.start : evidence.end]
        short = snippet if len(snippet) <= 18 else snippet[:17] + "…"
        return EvidenceLink(f"原文：{short}", f"ev-{finding.id}-{number}", snippet)
    if evidence.claim:
        return EvidenceLink(f"数量陈述 {evidence.claim}", f"claim-{evidence.claim}")
    if evidence.indicator:
        names = {i.id: i.name for i in extraction.indicators}
        return EvidenceLink(
            f"指标：{names.get(evidence.indicator, evidence.indicator)}", f"ind-row-{evidence.indicator}"
        )
    if evidence.table_row:
        return EvidenceLink(f"表格行：{evidence.table_row}", "indicators", evidence.note or "")
    if evidence.note:
        return EvidenceLink(evidence.note, "findings")
    return None


def finding_views(extraction: Extraction) -> list[FindingView]:
    views = []
    for finding in extraction.findings:
        links = [_evidence_link(finding, n, e, extraction) for n, e in enumerate(finding.evidence)]
        views.append(
            FindingView(finding.id, finding.code, finding.severity, finding.message, [x for x in links if x])
        )
    return views


def _target_text(indicator: IndicatorPublic) -> str:
    target = indicator.target
    if target.raw:
        return target.raw
    if target.value is None:
        return "—"
    return f"{target.op or ''}{target.value:g}{target.unit or ''}"


def _actual_text(indicator: IndicatorPublic) -> str:
    actual = indicator.actual
    if actual.value is not None:
        number = f"{actual.value:g}{actual.unit or ''}"
        return number if not actual.raw or actual.raw == number else f"{number}（{actual.raw}）"
    return actual.raw or "—"


def indicator_rows(extraction: Extraction) -> list[IndicatorRow]:
    """The indicator table: each row with its linked claims and where a click on it scrolls to."""
    by_id = {claim.id: claim for claim in extraction.claims}
    linked: dict[str, list[str]] = {}
    for link in extraction.links:
        linked.setdefault(link.indicator, []).append(link.claim)
    rows = []
    for i in extraction.indicators:
        ids = list(dict.fromkeys([*i.actual.claims, *linked.get(i.id, [])]))
        claims = [by_id[claim_id] for claim_id in ids if claim_id in by_id]
        target = f"claim-{claims[0].id}" if claims else (f"ind-text-{i.id}" if i.start is not None else "")
        level = " / ".join(x for x in (i.level1, i.level2) if x)
        rows.append(IndicatorRow(i.id, level, i.name, _target_text(i), _actual_text(i), _number(i.weight),
                                 _number(i.score), i.met, claims, target))  # fmt: skip
    return rows


def document_title(extraction: Extraction) -> str:
    meta = extraction.document
    return meta.title or meta.source or meta.id[:12]


def document_view(
    extraction: Extraction, reviews: Sequence[ReviewRecord], statuses: Mapping[str, str]
) -> DocumentView:
    """Everything the document page shows, with corrections applied to the claims it displays."""
    shown = corrected_claims(extraction, reviews)
    marked = mark_extraction(shown, statuses)
    notes = list(extraction.notes)
    if marked.claims_skipped:
        skipped = "、".join(marked.claims_skipped)
        notes.append(
            f"{len(marked.claims_skipped)} 条数量陈述与其他陈述重叠或位置无效，未在正文中标出：{skipped}"
        )
    return DocumentView(
        title=document_title(extraction),
        marked=marked.html,
        claims=shown.claims,
        reviewed=len(statuses),
        indicators=indicator_rows(shown),
        findings=finding_views(shown),
        indicator_chart=indicator_chart(shown.indicators),
        funding_chart=funding_chart(shown.funding),
        notes=notes,
    )


def parse_correction(claim: Mapping[str, Any], form: Mapping[str, str | None]) -> dict[str, Any]:
    """The fields a correction form changes, compared with the claim as it now stands.

    Raises ValueError with a message for the reviewer when the value is not a number.
    """
    changes: dict[str, Any] = {}
    for name in ("value", "unit", "object", "predicate"):
        raw = form.get(name)
        if raw is None:
            continue
        text = raw.strip()
        new: Any = (_parse_value(text) if text else None) if name == "value" else (text or None)
        old = claim.get(name)
        if name == "value" and new is not None and old is not None and abs(float(old) - new) < 1e-9:
            continue
        if new != old:
            changes[name] = new
    return changes


def _parse_value(text: str) -> float:
    cleaned = text.replace(",", "").replace("，", "").replace("％", "").replace("%", "")
    try:
        return float(cleaned)
    except ValueError as error:
        raise ValueError(f"数值“{text}”不是数字") from error
