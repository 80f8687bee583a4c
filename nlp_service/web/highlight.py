"""Document text with claims, their arguments and finding evidence marked up as HTML.

Every piece of document text is escaped on its own (`markupsafe.escape`) before it is wrapped, so
text such as `<script>` or `<img onerror=…>` is shown, never run. Claim elements are never split:
each claim is exactly one `<mark>` whose text is `text[start:end]` and whose `data-start` and
`data-end` are the contract's offsets. Argument and evidence spans bend around claims (an object
span that overlaps a claim is trimmed; an evidence span is widened to cover it).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from markupsafe import Markup, escape

from nlp_service.schema import ClaimPublic, Extraction

SpanRole = Literal["evidence", "claim", "arg"]
_ROLE_ORDER: dict[str, int] = {"evidence": 0, "claim": 1, "arg": 2}
_TAGS: dict[str, str] = {"evidence": "span", "claim": "mark", "arg": "span"}


@dataclass(frozen=True, eq=False)
class Span:
    """One marked range of the text: `role` decides its tag and whether it may be split.
    Spans compare and hash by identity (they are used as set members while rendering)."""

    start: int
    end: int
    role: SpanRole
    css: str = ""
    attrs: tuple[tuple[str, str], ...] = ()


@dataclass
class MarkedText:
    html: Markup
    claims_shown: list[str] = field(default_factory=list)
    claims_skipped: list[str] = field(default_factory=list)


def _opening_tag(span: Span) -> str:
    attributes = "".join(f' {name}="{escape(value)}"' for name, value in span.attrs)
    css = f' class="{escape(span.css)}"' if span.css else ""
    return f"<{_TAGS[span.role]}{css}{attributes}>"


def _valid(span: Span, length: int) -> bool:
    return 0 <= span.start < span.end <= length


def _non_overlapping_claims(claims: Iterable[Span], length: int) -> tuple[list[Span], list[Span]]:
    """Keep claims in text order, dropping any that overlaps one already kept (or lies outside)."""
    kept: list[Span] = []
    skipped: list[Span] = []
    for span in sorted(claims, key=lambda s: (s.start, -s.end)):
        if not _valid(span, length) or (kept and span.start < kept[-1].end):
            skipped.append(span)
        else:
            kept.append(span)
    return kept, skipped


def _crossed_claims(span: Span, claims: list[Span], starts: list[int]) -> list[Span]:
    """The claims (sorted, non-overlapping, with their `starts`) that overlap `span`."""
    first = max(0, bisect_right(starts, span.start) - 1)
    found = []
    for claim in claims[first:]:
        if claim.start >= span.end:
            break
        if claim.end > span.start:
            found.append(claim)
    return found


def _fit_around_claims(span: Span, claims: list[Span], starts: list[int]) -> Span | None:
    """Widen an evidence span, or trim an argument span, so that it never cuts a claim in two."""
    start, end = span.start, span.end
    for claim in _crossed_claims(span, claims, starts):
        crosses = start < claim.end and claim.start < end
        inside = start >= claim.start and end <= claim.end
        contains = start <= claim.start and end >= claim.end
        if not crosses or inside or contains:
            continue
        if span.role == "evidence":
            start, end = min(start, claim.start), max(end, claim.end)
        elif start < claim.start:
            end = claim.start
        else:
            start = claim.end
    if start >= end:
        return None
    return Span(start, end, span.role, span.css, span.attrs)


def _opening_order(span: Span) -> tuple[int, int, int]:
    return (span.start, -span.end, _ROLE_ORDER[span.role])


def _close_missing(stack: list[Span], covering: set[Span], out: list[str], tags: dict[Span, str]) -> None:
    """Close every open element that does not cover the next piece, re-opening those above it."""
    while any(span not in covering for span in stack):
        depth = next(i for i, span in enumerate(stack) if span not in covering)
        reopen = [span for span in stack[depth + 1 :] if span in covering]
        for span in reversed(stack[depth:]):
            out.append(f"</{_TAGS[span.role]}>")
        del stack[depth:]
        for span in reopen:
            out.append(tags[span])
            stack.append(span)


def _render(text: str, spans: list[Span]) -> str:
    """Cut the text at every boundary and open/close elements so that they nest properly."""
    tags = {span: _opening_tag(span) for span in spans}
    boundaries = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    starting: dict[int, list[Span]] = {}
    for span in spans:
        starting.setdefault(span.start, []).append(span)
    active: set[Span] = set()
    out: list[str] = []
    stack: list[Span] = []
    for left, right in zip(boundaries, boundaries[1:], strict=False):
        active = {s for s in active if s.end > left}
        active.update(starting.get(left, ()))
        _close_missing(stack, active, out, tags)
        for span in sorted(active.difference(stack), key=_opening_order):
            out.append(tags[span])
            stack.append(span)
        out.append(str(escape(text[left:right])))
    _close_missing(stack, set(), out, tags)
    return "".join(out)


def mark_text(text: str, claims: list[Span], others: Iterable[Span] = ()) -> MarkedText:
    """HTML for `text` with `claims` (never split) and `others` (arguments, evidence) marked."""
    kept, skipped = _non_overlapping_claims(claims, len(text))
    starts = [claim.start for claim in kept]
    fitted = [_fit_around_claims(s, kept, starts) for s in others if _valid(s, len(text))]
    spans = kept + [s for s in fitted if s is not None]
    return MarkedText(
        html=Markup(_render(text, spans)),
        claims_shown=[_attr(s, "data-id") for s in kept],
        claims_skipped=[_attr(s, "data-id") for s in skipped],
    )


def _attr(span: Span, name: str) -> str:
    return dict(span.attrs).get(name, "")


# --- spans of an extraction ---------------------------------------------------------------


def claim_tooltip(claim: ClaimPublic, linked: bool, flagged: bool) -> str:
    """The hover text of a claim, in the interface language."""
    value = "—" if claim.value is None else f"{claim.value:g}"
    if claim.value_max is not None:
        value += f"–{claim.value_max:g}"
    parts = [
        f"数值：{value}",
        f"单位：{claim.unit or '—'}",
        f"对象：{claim.object or '—'}",
        f"谓词：{claim.predicate or '—'}",
        "已关联指标" if linked else "未关联指标",
    ]
    if flagged:
        parts.append("有审查发现")
    return "；".join(parts)


def claim_span(claim: ClaimPublic, *, linked: bool, flagged: bool, status: str | None) -> Span:
    css = ["claim", f"kind-{claim.kind}", "linked" if linked else "unlinked"]
    if flagged:
        css.append("flagged")
    if status:
        css.append(f"review-{status}")
    attrs = (
        ("id", f"claim-{claim.id}"),
        ("data-id", claim.id),
        ("data-start", str(claim.start)),
        ("data-end", str(claim.end)),
        ("data-kind", claim.kind),
        ("data-value", "" if claim.value is None else f"{claim.value:g}"),
        ("data-unit", claim.unit or ""),
        ("data-object", claim.object or ""),
        ("data-predicate", claim.predicate or ""),
        ("data-linked", "1" if linked else "0"),
        ("data-flagged", "1" if flagged else "0"),
        ("data-status", status or ""),
        ("title", claim_tooltip(claim, linked, flagged)),
        ("tabindex", "-1"),
    )
    return Span(claim.start, claim.end, "claim", " ".join(css), attrs)


def argument_spans(claim: ClaimPublic) -> list[Span]:
    spans = []
    for role, pair in (("object", claim.object_span), ("predicate", claim.predicate_span)):
        if pair is not None:
            attrs = (("data-arg-of", claim.id), ("data-role", role))
            spans.append(Span(pair[0], pair[1], "arg", f"arg arg-{role}", attrs))
    return spans


def evidence_spans(extraction: Extraction) -> list[Span]:
    spans = []
    for finding in extraction.findings:
        for number, evidence in enumerate(finding.evidence):
            if evidence.start is None or evidence.end is None:
                continue
            attrs = (("id", f"ev-{finding.id}-{number}"), ("data-finding", finding.id))
            spans.append(
                Span(evidence.start, evidence.end, "evidence", f"evidence sev-{finding.severity}", attrs)
            )
    return spans


def indicator_spans(extraction: Extraction) -> list[Span]:
    """The table rows of the indicators, as targets for the indicator table's rows."""
    return [
        Span(
            i.start,
            i.end,
            "evidence",
            "indicator-text",
            (("id", f"ind-text-{i.id}"), ("data-indicator", i.id)),
        )
        for i in extraction.indicators
        if i.start is not None and i.end is not None
    ]


def flagged_claim_ids(extraction: Extraction) -> set[str]:
    """Claims that a finding cites, by id or by lying inside one of its evidence ranges."""
    flagged: set[str] = set()
    ranges: list[tuple[int, int]] = []
    for finding in extraction.findings:
        for evidence in finding.evidence:
            if evidence.claim:
                flagged.add(evidence.claim)
            if evidence.start is not None and evidence.end is not None:
                ranges.append((evidence.start, evidence.end))
    for claim in extraction.claims:
        if any(start <= claim.start and claim.end <= end for start, end in ranges):
            flagged.add(claim.id)
    return flagged


def mark_extraction(extraction: Extraction, statuses: Mapping[str, str] | None = None) -> MarkedText:
    """The document text of `extraction` with every claim marked by kind, link, finding and review."""
    statuses = statuses or {}
    linked = {link.claim for link in extraction.links}
    for indicator in extraction.indicators:
        linked.update(indicator.actual.claims)
    flagged = flagged_claim_ids(extraction)
    claims = [
        claim_span(c, linked=c.id in linked, flagged=c.id in flagged, status=statuses.get(c.id))
        for c in extraction.claims
    ]
    arguments = [span for c in extraction.claims for span in argument_spans(c)]
    others = arguments + evidence_spans(extraction) + indicator_spans(extraction)
    return mark_text(extraction.text, claims, others)
