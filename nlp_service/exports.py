"""Exports of an extraction with its reviews (XLSX, CSV, Label Studio JSON) and imports back.

Pure functions over the contract's `Extraction` and a list of `ReviewRecord`s, so they work the
same for the web UI, the CLI and scripts, and are testable without the store.

- `to_xlsx`: a workbook with sheets claims, indicators, findings, reviews (and funding).
- `to_csv`: the claims sheet as CSV (UTF-8 with BOM, so spreadsheet programs read the Chinese).
- `to_label_studio`: one Label Studio task: claims as labelled spans, object and predicate spans
  linked to them by relations, value/unit/object/predicate as per-region text areas. The original
  extraction goes in `predictions`; the reviewed state, when there are reviews, in `annotations`.
- `reviews_from_label_studio`, `gold_from_label_studio`: a task annotated in Label Studio back as
  reviews of the extraction's claims, or as a gold file in the layout of docs/claims.md.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from nlp_service.errors import InputError
from nlp_service.schema import (
    ClaimPublic,
    DocumentMeta,
    Extraction,
    FindingPublic,
    FundingPublic,
    IndicatorPublic,
    LinkPublic,
    TargetPublic,
)

ReviewAction = Literal["accept", "reject", "correct"]
REVIEW_ACTIONS: tuple[str, ...] = ("accept", "reject", "correct")
CORRECTABLE_FIELDS: tuple[str, ...] = ("value", "unit", "object", "predicate", "kind")
LABEL_STUDIO_TEXT = "text"
CLAIM_LABELS = "claim"
ARGUMENT_LABELS = "argument"


class LabelStudioError(InputError):
    code = "label_studio_format"


@dataclass(frozen=True)
class ReviewRecord:
    """One reviewer's decision on one claim: who, when, why, what changed and what it was before."""

    claim_id: str
    action: ReviewAction
    reviewer: str = ""
    created_at: str = ""
    reason: str | None = None
    changes: Mapping[str, Any] = field(default_factory=dict)
    original: Mapping[str, Any] = field(default_factory=dict)


def latest_reviews(reviews: Iterable[ReviewRecord]) -> dict[str, ReviewRecord]:
    """The last review of each claim (reviews are taken in the order given)."""
    latest: dict[str, ReviewRecord] = {}
    for review in reviews:
        latest[review.claim_id] = review
    return latest


def reviewed_claims(extraction: Extraction, reviews: Iterable[ReviewRecord]) -> list[ClaimPublic]:
    """The claims as the reviewers left them: rejected ones dropped, corrections applied."""
    latest = latest_reviews(reviews)
    claims = []
    for claim in extraction.claims:
        review = latest.get(claim.id)
        if review is None or review.action == "accept":
            claims.append(claim)
        elif review.action == "correct":
            claims.append(claim.model_copy(update=_known_changes(review.changes)))
    return claims


def _known_changes(changes: Mapping[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in changes.items() if name in CORRECTABLE_FIELDS}


# --- tables shared by XLSX and CSV ------------------------------------------------------------

CLAIM_COLUMNS = (
    "id", "start", "end", "text", "value", "value_max", "unit", "kind", "approximate", "bound",
    "qualifier", "object", "predicate", "agent", "time", "source", "confidence", "indicators",
    "findings", "review", "reviewed_value", "reviewed_unit", "reviewed_object", "reviewed_predicate",
    "reviewer", "reviewed_at", "reason", "context",
)  # fmt: skip
INDICATOR_COLUMNS = (
    "id", "level1", "level2", "name", "target_raw", "target_op", "target_value", "target_unit",
    "actual_raw", "actual_value", "actual_unit", "weight", "score", "met", "claims",
)  # fmt: skip
FINDING_COLUMNS = ("id", "code", "severity", "message", "evidence")
REVIEW_COLUMNS = ("claim", "action", "field", "original", "new", "reviewer", "created_at", "reason")
FUNDING_COLUMNS = ("field", "value")

Row = list[Any]


def _linked_indicators(extraction: Extraction) -> dict[str, list[str]]:
    names = {indicator.id: indicator.name for indicator in extraction.indicators}
    linked: dict[str, list[str]] = {}
    for link in extraction.links:
        linked.setdefault(link.claim, []).append(names.get(link.indicator, link.indicator))
    return linked


def _finding_codes_by_claim(extraction: Extraction) -> dict[str, list[str]]:
    codes: dict[str, list[str]] = {}
    for finding in extraction.findings:
        for evidence in finding.evidence:
            for claim in extraction.claims:
                cited = evidence.claim == claim.id or (
                    evidence.start is not None
                    and evidence.end is not None
                    and evidence.start <= claim.start
                    and claim.end <= evidence.end
                )
                if cited and finding.code not in codes.get(claim.id, []):
                    codes.setdefault(claim.id, []).append(finding.code)
    return codes


def _context(text: str, claim: ClaimPublic) -> str:
    start, end = claim.sentence if claim.sentence else (max(0, claim.start - 20), claim.end + 20)
    return text[start:end]


def claim_rows(extraction: Extraction, reviews: Sequence[ReviewRecord]) -> list[Row]:
    """One row per claim (CLAIM_COLUMNS): the extraction's reading, then the latest review."""
    linked = _linked_indicators(extraction)
    flagged = _finding_codes_by_claim(extraction)
    latest = latest_reviews(reviews)
    rows = []
    for claim in extraction.claims:
        review = latest.get(claim.id)
        corrected = claim.model_copy(update=_known_changes(review.changes)) if review else claim
        rows.append([
            claim.id, claim.start, claim.end, claim.text, claim.value, claim.value_max, claim.unit,
            claim.kind, claim.approximate, claim.bound, claim.qualifier, claim.object, claim.predicate,
            claim.agent, claim.time, claim.source, claim.confidence, "；".join(linked.get(claim.id, [])),
            "；".join(flagged.get(claim.id, [])), review.action if review else None,
            corrected.value if review else None, corrected.unit if review else None,
            corrected.object if review else None, corrected.predicate if review else None,
            review.reviewer if review else None, review.created_at if review else None,
            review.reason if review else None, _context(extraction.text, claim),
        ])  # fmt: skip
    return rows


def indicator_rows(extraction: Extraction) -> list[Row]:
    linked: dict[str, list[str]] = {}
    for link in extraction.links:
        linked.setdefault(link.indicator, []).append(link.claim)
    rows = []
    for i in extraction.indicators:
        claims = list(dict.fromkeys([*i.actual.claims, *linked.get(i.id, [])]))
        rows.append([
            i.id, i.level1, i.level2, i.name, i.target.raw, i.target.op, i.target.value, i.target.unit,
            i.actual.raw, i.actual.value, i.actual.unit, i.weight, i.score, i.met, "，".join(claims),
        ])  # fmt: skip
    return rows


def _evidence_text(extraction: Extraction, finding_index: int) -> str:
    parts = []
    for evidence in extraction.findings[finding_index].evidence:
        if evidence.start is not None and evidence.end is not None:
            parts.append(
                f"[{evidence.start}:{evidence.end}] {extraction.text[evidence.start : evidence.end]}"
            )
        labels = [evidence.claim, evidence.indicator, evidence.table_row, evidence.note]
        parts.extend(str(label) for label in labels if label)
    return "；".join(parts)


def finding_rows(extraction: Extraction) -> list[Row]:
    return [
        [f.id, f.code, f.severity, f.message, _evidence_text(extraction, number)]
        for number, f in enumerate(extraction.findings)
    ]


def review_rows(reviews: Sequence[ReviewRecord]) -> list[Row]:
    """One row per changed field (one row for an accept or reject), so each change is visible."""
    rows: list[Row] = []
    for r in reviews:
        head = [r.claim_id, r.action]
        tail = [r.reviewer, r.created_at, r.reason]
        if r.action == "correct" and r.changes:
            for name, new in r.changes.items():
                rows.append([*head, name, _plain(r.original.get(name)), _plain(new), *tail])
        else:
            rows.append([*head, None, None, None, *tail])
    return rows


def funding_rows(extraction: Extraction) -> list[Row]:
    if extraction.funding is None:
        return []
    data = extraction.funding.model_dump(exclude={"sources", "cells"})
    return [[name, value] for name, value in data.items()]


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return json.dumps(value, ensure_ascii=False)


# --- XLSX and CSV -----------------------------------------------------------------------------

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe_text(value: Any) -> Any:
    """Text that a spreadsheet would read as a formula gets a leading apostrophe (CSV only)."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _write_sheet(workbook: Workbook, title: str, columns: Sequence[str], rows: list[Row]) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_plain(value) for value in row])
    for row_cells in sheet.iter_rows(min_row=2):
        for cell in row_cells:
            _keep_as_text(cell)
    sheet.freeze_panes = "A2"
    for number, name in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = max(8, min(40, len(name) + 4))


def _keep_as_text(cell: Cell) -> None:
    """openpyxl stores a string starting with '=' as a formula; document text must stay text."""
    if cell.data_type == "f":
        cell.data_type = "s"


def to_xlsx(extraction: Extraction, reviews: Sequence[ReviewRecord] = ()) -> bytes:
    """The extraction and its reviews as an XLSX workbook (sheets claims, indicators, findings,
    reviews, funding), returned as bytes."""
    workbook = Workbook()
    default = workbook.active
    if default is not None:
        workbook.remove(default)
    _write_sheet(workbook, "claims", CLAIM_COLUMNS, claim_rows(extraction, reviews))
    _write_sheet(workbook, "indicators", INDICATOR_COLUMNS, indicator_rows(extraction))
    _write_sheet(workbook, "findings", FINDING_COLUMNS, finding_rows(extraction))
    _write_sheet(workbook, "reviews", REVIEW_COLUMNS, review_rows(reviews))
    _write_sheet(workbook, "funding", FUNDING_COLUMNS, funding_rows(extraction))
    workbook.properties.title = extraction.document.title or extraction.document.source or ""
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


CSV_SHEETS: dict[str, tuple[str, ...]] = {
    "claims": CLAIM_COLUMNS,
    "indicators": INDICATOR_COLUMNS,
    "findings": FINDING_COLUMNS,
    "reviews": REVIEW_COLUMNS,
}


def to_csv(extraction: Extraction, reviews: Sequence[ReviewRecord] = (), sheet: str = "claims") -> str:
    """One sheet (claims by default) as CSV text, starting with a BOM for spreadsheet programs."""
    rows_by_sheet = {
        "claims": lambda: claim_rows(extraction, reviews),
        "indicators": lambda: indicator_rows(extraction),
        "findings": lambda: finding_rows(extraction),
        "reviews": lambda: review_rows(reviews),
    }
    if sheet not in rows_by_sheet:
        raise InputError(f"unknown sheet {sheet!r}; choose one of {', '.join(CSV_SHEETS)}", source="csv")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_SHEETS[sheet])
    for row in rows_by_sheet[sheet]():
        writer.writerow(["" if value is None else _safe_text(_plain(value)) for value in row])
    return "\ufeff" + buffer.getvalue()


# --- Label Studio -----------------------------------------------------------------------------

CLAIM_KINDS = ("count", "money", "percent", "score", "duration", "measure")
REGION_FIELDS = ("value", "unit", "object", "predicate")


def label_studio_config() -> str:
    """The labelling interface that matches `to_label_studio` (paste it into a Label Studio project)."""
    kinds = "\n".join(f'    <Label value="{kind}"/>' for kind in CLAIM_KINDS)
    areas = "\n".join(
        f'  <TextArea name="{name}" toName="{LABEL_STUDIO_TEXT}" perRegion="true" maxSubmissions="1" '
        f'editable="true" placeholder="{name}"/>'
        for name in REGION_FIELDS
    )
    return (
        "<View>\n"
        f'  <Labels name="{CLAIM_LABELS}" toName="{LABEL_STUDIO_TEXT}">\n{kinds}\n  </Labels>\n'
        f'  <Labels name="{ARGUMENT_LABELS}" toName="{LABEL_STUDIO_TEXT}">\n'
        '    <Label value="object"/>\n    <Label value="predicate"/>\n  </Labels>\n'
        '  <Relations>\n    <Relation value="object"/>\n    <Relation value="predicate"/>\n  </Relations>\n'
        f'  <Text name="{LABEL_STUDIO_TEXT}" value="${LABEL_STUDIO_TEXT}" granularity="symbol"/>\n'
        f"{areas}\n"
        "</View>\n"
    )


def _span_value(text: str, start: int, end: int, labels: list[str]) -> dict[str, Any]:
    return {"start": start, "end": end, "text": text[start:end], "labels": labels}


def _region(region_id: str, name: str, value: dict[str, Any], kind: str = "labels") -> dict[str, Any]:
    return {"id": region_id, "from_name": name, "to_name": LABEL_STUDIO_TEXT, "type": kind, "value": value}


def _claim_results(text: str, claim: ClaimPublic) -> list[dict[str, Any]]:
    """The regions of one claim: its span, per-region fields, argument spans and relations."""
    span = _span_value(text, claim.start, claim.end, [claim.kind])
    results = [_region(claim.id, CLAIM_LABELS, span)]
    for name in REGION_FIELDS:
        value = getattr(claim, name)
        if value is not None:
            area = {"start": claim.start, "end": claim.end, "text": [_field_text(value)]}
            results.append(_region(claim.id, name, area, kind="textarea"))
    for role, pair in (("object", claim.object_span), ("predicate", claim.predicate_span)):
        if pair is None:
            continue
        argument_id = f"{claim.id}-{role}"
        results.append(_region(argument_id, ARGUMENT_LABELS, _span_value(text, pair[0], pair[1], [role])))
        results.append(
            {
                "from_id": claim.id,
                "to_id": argument_id,
                "type": "relation",
                "direction": "right",
                "labels": [role],
            }
        )
    return results


def _field_text(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _results(extraction: Extraction, claims: Iterable[ClaimPublic]) -> list[dict[str, Any]]:
    return [result for claim in claims for result in _claim_results(extraction.text, claim)]


def to_label_studio(extraction: Extraction, reviews: Sequence[ReviewRecord] = ()) -> dict[str, Any]:
    """One Label Studio task for the document (import a list of these into a project)."""
    version = extraction.document.pipeline_version or "unknown"
    task: dict[str, Any] = {
        "data": {
            LABEL_STUDIO_TEXT: extraction.text,
            "document_id": extraction.document.id,
            "source": extraction.document.source,
            "title": extraction.document.title,
        },
        "predictions": [
            {"model_version": f"nlp_service {version}", "result": _results(extraction, extraction.claims)}
        ],
        "annotations": [],
    }
    if reviews:
        last = max((r.created_at for r in reviews), default="")
        reviewers = sorted({r.reviewer for r in reviews if r.reviewer})
        task["annotations"].append({
            "result": _results(extraction, reviewed_claims(extraction, reviews)),
            "completed_by": {"email": "，".join(reviewers)},
            "created_at": last,
            "updated_at": last,
        })  # fmt: skip
    return task


# --- Label Studio back -----------------------------------------------------------------------


@dataclass
class _Region:
    id: str
    start: int
    end: int
    text: str
    label: str
    fields: dict[str, str] = field(default_factory=dict)
    relations: dict[str, str] = field(default_factory=dict)


def _task_list(data: Any) -> list[dict[str, Any]]:
    if isinstance(data, dict):
        return [data]
    if isinstance(data, list) and all(isinstance(task, dict) for task in data):
        return data
    raise LabelStudioError("expected a Label Studio task or a list of tasks", source="label_studio")


def _final_result(task: dict[str, Any]) -> list[dict[str, Any]]:
    """The result of the task's latest annotation that was not cancelled (skipped)."""
    annotations = [a for a in task.get("annotations") or [] if not a.get("was_cancelled")]
    if not annotations:
        raise LabelStudioError("task has no annotation to import", source=_task_name(task))
    latest = max(annotations, key=lambda a: str(a.get("updated_at") or a.get("created_at") or ""))
    result = latest.get("result")
    if not isinstance(result, list):
        raise LabelStudioError("annotation has no result list", source=_task_name(task))
    return result


def _task_name(task: dict[str, Any]) -> str:
    data = task.get("data") or {}
    return str(data.get("source") or data.get("document_id") or task.get("id") or "task")


def _regions(result: list[dict[str, Any]], text: str, name: str) -> dict[str, _Region]:
    regions: dict[str, _Region] = {}
    for item in result:
        if item.get("type") == "labels":
            value = item.get("value") or {}
            start, end = int(value.get("start", -1)), int(value.get("end", -1))
            labels = value.get("labels") or []
            if not (0 <= start < end <= len(text)) or not labels:
                raise LabelStudioError(f"region {item.get('id')} has bad offsets or no label", source=name)
            regions[str(item["id"])] = _Region(str(item["id"]), start, end, text[start:end], str(labels[0]))
    for item in result:
        region = regions.get(str(item.get("id")))
        if item.get("type") == "textarea" and region is not None:
            texts = (item.get("value") or {}).get("text") or []
            region.fields[str(item.get("from_name"))] = str(texts[0]).strip() if texts else ""
        if item.get("type") == "relation" and str(item.get("from_id")) in regions:
            for label in item.get("labels") or ["object"]:
                regions[str(item["from_id"])].relations[str(label)] = str(item.get("to_id"))
    return regions


def _number(text: str | None, name: str) -> float | None:
    if text is None or text == "":
        return None
    try:
        return float(text.replace(",", "").replace("，", ""))
    except ValueError as error:
        raise LabelStudioError(f"value {text!r} is not a number", source=name) from error


@dataclass(frozen=True)
class AnnotatedClaim:
    """A claim as a Label Studio annotator left it."""

    region_id: str
    start: int
    end: int
    text: str
    kind: str
    value: float | None
    unit: str | None
    object: str | None
    object_span: tuple[int, int] | None
    predicate: str | None
    predicate_span: tuple[int, int] | None


def _argument(
    region: _Region, regions: dict[str, _Region], role: str
) -> tuple[str | None, tuple[int, int] | None]:
    target = regions.get(region.relations.get(role, ""))
    span = (target.start, target.end) if target is not None else None
    written = region.fields.get(role)
    if written:
        return written, span
    return (target.text if target is not None else None), span


def annotated_claims(task: dict[str, Any]) -> list[AnnotatedClaim]:
    """The claims of a task's latest annotation, in text order."""
    text = str((task.get("data") or {}).get(LABEL_STUDIO_TEXT, ""))
    name = _task_name(task)
    regions = _regions(_final_result(task), text, name)
    claims = []
    for region in regions.values():
        if region.label not in CLAIM_KINDS:
            continue
        object_, object_span = _argument(region, regions, "object")
        predicate, predicate_span = _argument(region, regions, "predicate")
        claims.append(AnnotatedClaim(
            region_id=region.id, start=region.start, end=region.end, text=region.text, kind=region.label,
            value=_number(region.fields.get("value"), name), unit=region.fields.get("unit") or None,
            object=object_, object_span=object_span, predicate=predicate, predicate_span=predicate_span,
        ))  # fmt: skip
    return sorted(claims, key=lambda c: (c.start, c.end))


def _match(claim: ClaimPublic, annotated: list[AnnotatedClaim]) -> AnnotatedClaim | None:
    for candidate in annotated:
        if candidate.region_id == claim.id and (candidate.start, candidate.end) == (claim.start, claim.end):
            return candidate
    return next((c for c in annotated if (c.start, c.end) == (claim.start, claim.end)), None)


def _differences(claim: ClaimPublic, annotated: AnnotatedClaim) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for name in CORRECTABLE_FIELDS:
        new = getattr(annotated, name)
        old = getattr(claim, name)
        if name == "value" and new is not None and old is not None and abs(new - old) < 1e-9:
            continue
        if new != old:
            changes[name] = new
    return changes


def reviews_from_label_studio(
    extraction: Extraction, task: dict[str, Any], *, reviewer: str = "label-studio", reason: str | None = None
) -> tuple[list[ReviewRecord], list[AnnotatedClaim]]:
    """Reviews of the extraction's claims from an annotated task, and the claims the annotator added.

    A claim whose span the annotation keeps is accepted (or corrected, when its value, unit, kind,
    object or predicate differ); a claim the annotation dropped is rejected.
    """
    task_text = (task.get("data") or {}).get(LABEL_STUDIO_TEXT)
    if task_text != extraction.text:
        raise LabelStudioError("the task's text is not this document's text", source=_task_name(task))
    annotated = annotated_claims(task)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    why = reason or "Label Studio 标注导入"
    reviews: list[ReviewRecord] = []
    matched: set[tuple[str, int, int]] = set()
    for claim in extraction.claims:
        found = _match(claim, annotated)
        original = claim.model_dump(mode="json", include=set(CORRECTABLE_FIELDS))
        if found is None:
            reviews.append(ReviewRecord(claim.id, "reject", reviewer, now, why, {}, original))
            continue
        matched.add((found.region_id, found.start, found.end))
        changes = _differences(claim, found)
        action: ReviewAction = "correct" if changes else "accept"
        reviews.append(ReviewRecord(claim.id, action, reviewer, now, why, changes, original))
    added = [c for c in annotated if (c.region_id, c.start, c.end) not in matched]
    return reviews, added


def gold_from_label_studio(task: dict[str, Any], extraction: Extraction | None = None) -> dict[str, Any]:
    """A gold file (docs/claims.md layout) from an annotated task; bound, qualifier and approximate
    are taken from the extraction's claim with the same span when one is given."""
    text = str((task.get("data") or {}).get(LABEL_STUDIO_TEXT, ""))
    known = {(c.start, c.end): c for c in extraction.claims} if extraction else {}
    claims = []
    for claim in annotated_claims(task):
        before = known.get((claim.start, claim.end))
        sentence = before.sentence if before and before.sentence else None
        claims.append({
            "start": claim.start, "end": claim.end, "text": claim.text, "value": claim.value,
            "unit": claim.unit, "kind": claim.kind,
            "approximate": before.approximate if before else False,
            "bound": before.bound if before else "eq",
            "qualifier": before.qualifier if before else None,
            "object": claim.object, "object_alt": [], "predicate": claim.predicate, "predicate_alt": [],
            "source": before.source if before else "narrative",
            "context": text[sentence[0] : sentence[1]] if sentence else text[max(0, claim.start - 15) : claim.end],
        })  # fmt: skip
    source = (task.get("data") or {}).get("source") or "document.txt"
    return {
        "doc": source, "table_region": None, "chars": len(text), "claims": claims, "ignore": [],
        "dates": [], "indicators": [], "funding": None, "links": [], "findings": [],
    }  # fmt: skip


def load_label_studio(data: bytes | str) -> list[dict[str, Any]]:
    """Parse a Label Studio JSON export (one task or a list of tasks)."""
    try:
        return _task_list(json.loads(data))
    except json.JSONDecodeError as error:
        raise LabelStudioError(
            f"not JSON: {error.msg} at line {error.lineno}", source="label_studio"
        ) from error


# --- gold files -------------------------------------------------------------------------------

_TARGET = re.compile(
    r"^\s*(≥|≤|>|<|>=|<=|＞|＜|不低于|不少于|不高于|不超过)?\s*(\d+(?:\.\d+)?)\s*(%|[^\d\s]*)\s*$"
)
_TARGET_OPS = {"≥": ">=", ">=": ">=", "不低于": ">=", "不少于": ">=", "≤": "<=", "<=": "<=", "不高于": "<=",
               "不超过": "<=", ">": ">", "＞": ">", "<": "<", "＜": "<"}  # fmt: skip
_MONEY_SCALE = {"元": 1.0, "万元": 10_000.0, "亿元": 100_000_000.0}


def _gold_target(raw: Any) -> TargetPublic:
    text = None if raw is None else str(raw)
    match = _TARGET.match(text or "")
    if match is None:
        return TargetPublic(raw=text)
    op, number, unit = match.groups()
    return TargetPublic(raw=text, op=_TARGET_OPS.get(op or "", "="), value=float(number), unit=unit or None)


def _gold_funding(funding: Mapping[str, Any] | None) -> FundingPublic | None:
    if not funding:
        return None
    scale = _MONEY_SCALE.get(str(funding.get("unit") or "元"), 1.0)

    def money(name: str) -> float | None:
        value = funding.get(name)
        return None if value is None else float(value) * scale

    return FundingPublic(
        row=funding.get("row"), budget_initial=money("budget_initial"),
        budget_full_year=money("budget_full_year"), executed=money("executed"),
        execution_rate=funding.get("execution_rate"), weight=funding.get("weight"), score=funding.get("score"),
    )  # fmt: skip


def extraction_from_gold(text: str, gold: Mapping[str, Any], *, name: str | None = None) -> Extraction:
    """A contract `Extraction` holding a gold file's claims, indicators, funding, links and findings
    (claims numbered c1…, indicators i1… in file order), to show or export gold data like output."""
    claims = [
        ClaimPublic(
            id=f"c{number}",
            start=c["start"],
            end=c["end"],
            text=text[c["start"] : c["end"]],
            value=c.get("value"),
            value_max=c.get("value_max"),
            unit=c.get("unit"),
            kind=c.get("kind", "count"),
            approximate=bool(c.get("approximate")),
            bound=c.get("bound") or "eq",
            qualifier=c.get("qualifier"),
            object=c.get("object"),
            predicate=c.get("predicate"),
            source=c.get("source") or "narrative",
        )  # fmt: skip
        for number, c in enumerate(gold.get("claims") or [], start=1)
    ]
    indicators = [
        IndicatorPublic(
            id=f"i{number}",
            level1=i.get("level1"),
            level2=i.get("level2"),
            name=str(i["name"]),
            target=_gold_target(i.get("target")),
            weight=i.get("weight"),
            score=i.get("score"),
        )  # fmt: skip
        for number, i in enumerate(gold.get("indicators") or [], start=1)
    ]
    by_name = {indicator.name: indicator.id for indicator in indicators}
    links = [
        LinkPublic(
            claim=f"c{link['claim'] + 1}",
            indicator=by_name[link["indicator"]],
            score=0.5 if link.get("strength") == "weak" else 1.0,
            evidence="gold",
        )  # fmt: skip
        for link in gold.get("links") or []
        if link.get("indicator") in by_name and 0 <= int(link.get("claim", -1)) < len(claims)
    ]
    findings = [
        FindingPublic(
            id=f"f{number}",
            code=f["code"],
            severity=f.get("severity") or "warning",
            message=str(f.get("what") or f.get("message") or f["code"]),
        )  # fmt: skip
        for number, f in enumerate(gold.get("findings") or [], start=1)
    ]
    meta = DocumentMeta(
        id=hashlib.sha256(text.encode("utf-8")).hexdigest(), source=name or gold.get("doc"), chars=len(text)
    )
    return Extraction(
        document=meta, text=text, claims=claims, indicators=indicators, funding=_gold_funding(gold.get("funding")),
        links=links, findings=findings, notes=["built from a gold file"],
    )  # fmt: skip


def gold_from_reviews(extraction: Extraction, reviews: Sequence[ReviewRecord]) -> dict[str, Any]:
    """A gold file (docs/claims.md layout) of the claims as reviewed: rejected ones dropped,
    corrections applied, links kept for the claims that remain."""
    claims = reviewed_claims(extraction, reviews)
    text = extraction.text
    index = {claim.id: number for number, claim in enumerate(claims)}
    names = {indicator.id: indicator.name for indicator in extraction.indicators}
    return {
        "doc": extraction.document.source or extraction.document.id, "table_region": None, "chars": len(text),
        "claims": [_gold_claim(text, claim) for claim in claims], "ignore": [], "dates": [],
        "indicators": [
            {"level1": i.level1, "level2": i.level2, "name": i.name, "target": i.target.raw, "weight": i.weight,
             "score": i.score}
            for i in extraction.indicators
        ],
        "funding": None,
        "links": [{"claim": index[link.claim], "indicator": names[link.indicator]} for link in extraction.links
                  if link.claim in index and link.indicator in names],
        "findings": [{"code": f.code, "severity": f.severity, "what": f.message} for f in extraction.findings],
    }  # fmt: skip


def _gold_claim(text: str, claim: ClaimPublic) -> dict[str, Any]:
    start, end = claim.sentence if claim.sentence else (max(0, claim.start - 15), claim.end)
    return {
        "start": claim.start, "end": claim.end, "text": text[claim.start : claim.end], "value": claim.value,
        "unit": claim.unit, "kind": claim.kind, "approximate": claim.approximate, "bound": claim.bound,
        "qualifier": claim.qualifier, "object": claim.object, "object_alt": [], "predicate": claim.predicate,
        "predicate_alt": [], "source": claim.source, "context": text[start:end],
    }  # fmt: skip
