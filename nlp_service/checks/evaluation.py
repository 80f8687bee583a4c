"""Measuring the checks and the links: gold findings, planted inconsistencies, gold links.

- `evaluate_gold(paths)`: recall of the gold files' findings (code match), and the documents whose
  gold lists no finding but that raise an error-severity one.
- `evaluate_variants(manifest)`: over the variants `scripts/perturb.py` wrote, recall of the planted
  finding (a finding of one of the expected codes that the unperturbed document did not raise) and
  precision of error-severity findings (an error is right when its code is the planted one or one
  the document's gold file lists).
- `evaluate_links(paths)`: gold links found among the returned links, the top link of each gold-linked
  indicator, and recall/precision of the returned links at a range of thresholds.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nlp_service import ingest, linking
from nlp_service.ingest.document import Document
from nlp_service.schema import ClaimPublic, FindingPublic, IndicatorPublic
from nlp_service.tables import TableReading


@dataclass
class Analysis:
    """What the checks see for one document (the steps of `extract` up to the checks)."""

    document: Document
    tables: TableReading
    findings: list[FindingPublic]


def analyse(source: Path | str, name: str | None = None) -> Analysis:
    """Ingest, pipeline, tables, links and checks, keeping the table reading that `extract` drops."""
    from nlp_service.extractor import run_steps

    steps = run_steps(ingest.read(source, name=name))
    return Analysis(steps.document, steps.tables, steps.findings)


def gold_path(txt: Path) -> Path:
    return txt.with_name(txt.name.removesuffix(".txt") + ".gold.json")


def load_gold(txt: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(gold_path(txt).read_text(encoding="utf-8"))
    return data


# --- gold findings -------------------------------------------------------------------------------


@dataclass
class GoldReport:
    listed: int = 0
    raised: int = 0
    missed: list[str] = field(default_factory=list)
    clean_documents: int = 0
    clean_with_errors: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.raised / self.listed if self.listed else 1.0


def evaluate_gold(paths: Iterable[Path]) -> GoldReport:
    report = GoldReport()
    for path in paths:
        gold = load_gold(path)
        findings = analyse(path).findings
        codes = [f.code for f in findings]
        errors = [f for f in findings if f.severity == "error"]
        for item in gold.get("findings", []):
            report.listed += 1
            if item["code"] in codes:
                report.raised += 1
            else:
                report.missed.append(f"{path.stem}:{item['code']}")
        if not gold.get("findings"):
            report.clean_documents += 1
            if errors:
                report.clean_with_errors.append(f"{path.stem}:{','.join(sorted({e.code for e in errors}))}")
    return report


# --- planted inconsistencies ---------------------------------------------------------------------


@dataclass
class VariantReport:
    variants: int = 0
    raised: int = 0
    missed: list[str] = field(default_factory=list)
    errors: int = 0
    right_errors: int = 0
    wrong_errors: list[str] = field(default_factory=list)
    by_kind: dict[str, list[int]] = field(default_factory=dict)

    @property
    def recall(self) -> float:
        return self.raised / self.variants if self.variants else 1.0

    @property
    def precision(self) -> float:
        return self.right_errors / self.errors if self.errors else 1.0


def _new_findings(variant: list[FindingPublic], original: list[FindingPublic]) -> list[FindingPublic]:
    before = {(f.code, f.message) for f in original}
    return [f for f in variant if (f.code, f.message) not in before]


def evaluate_variants(manifest_path: Path) -> VariantReport:
    """Run the checks over every variant of a manifest written by `scripts/perturb.py`."""
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    base = manifest_path.parent
    report = VariantReport()
    originals: dict[str, list[FindingPublic]] = {}
    for item in manifest["variants"]:
        source = Path(item["source"])
        if item["source"] not in originals:
            originals[item["source"]] = analyse(source).findings
        gold_codes = {f["code"] for f in load_gold(source).get("findings", [])}
        findings = analyse(base / item["file"]).findings
        new = _new_findings(findings, originals[item["source"]])
        hit = any(f.code in item["expected"] for f in new)
        report.variants += 1
        report.raised += hit
        counts = report.by_kind.setdefault(item["kind"], [0, 0])
        counts[0] += 1
        counts[1] += hit
        if not hit:
            report.missed.append(f"{item['file']} ({item['kind']}: {item['description']})")
        for f in findings:
            if f.severity != "error":
                continue
            report.errors += 1
            if f.code in item["expected"] or f.code in gold_codes:
                report.right_errors += 1
            else:
                report.wrong_errors.append(f"{item['file']}: {f.code} {f.message}")
    return report


# --- links ---------------------------------------------------------------------------------------


@dataclass
class LinkReport:
    gold_links: int = 0
    mapped: int = 0
    returned: int = 0
    top_right: int = 0
    indicators: int = 0
    problems: list[str] = field(default_factory=list)
    curve: list[tuple[float, float, float]] = field(default_factory=list)  # threshold, recall, precision


def _claim_at(claims: list[ClaimPublic], start: int, end: int) -> ClaimPublic | None:
    return next((c for c in claims if c.start < end and start < c.end), None)


def _indicator_named(indicators: list[IndicatorPublic], name: str) -> IndicatorPublic | None:
    return next((i for i in indicators if i.name == name or name in i.name or i.name in name), None)


def _gold_pairs(analysis: Analysis, gold: dict[str, Any]) -> tuple[int, dict[str, list[ClaimPublic]]]:
    """Gold links mapped onto the extracted claims and indicators: indicator id → gold claims."""
    per_indicator: dict[str, list[ClaimPublic]] = {}
    total = 0
    for item in gold.get("links") or []:
        total += 1
        span = gold["claims"][item["claim"]]
        claim = _claim_at(analysis.tables.claims, span["start"], span["end"])
        indicator = _indicator_named(analysis.tables.indicators, item["indicator"])
        if claim is not None and indicator is not None:
            per_indicator.setdefault(indicator.id, []).append(claim)
    return total, per_indicator


def evaluate_links(
    paths: Iterable[Path], thresholds: Iterable[float] = (0.2, 0.3, 0.38, 0.45, 0.5, 0.6)
) -> LinkReport:
    report = LinkReport()
    scored: list[tuple[float, bool]] = []
    for path in paths:
        gold = load_gold(path)
        if not gold.get("links"):
            continue
        analysis = analyse(path)
        total, per_indicator = _gold_pairs(analysis, gold)
        report.gold_links += total
        report.mapped += sum(len(v) for v in per_indicator.values())
        stats = linking.DocumentWords(analysis.document)
        owners = linking.cell_owners(analysis.tables.claims, analysis.tables.indicators)
        for indicator in analysis.tables.indicators:
            ranked = linking.rank(analysis.tables.claims, indicator, analysis.document, stats, owners)
            wanted = per_indicator.get(indicator.id, [])
            ids = {c.id for c in wanted}
            scored += [(score, claim.id in ids) for score, claim, _ in ranked]
            report.returned += sum(
                1 for score, claim, _ in ranked if claim.id in ids and score >= linking.THRESHOLD
            )
            if wanted and ranked:
                report.indicators += 1
                top = ranked[0][1]
                if top.id in ids or any(c.value == top.value and c.unit == top.unit for c in wanted):
                    report.top_right += 1
                else:
                    report.problems.append(f"{path.stem}: {indicator.name} top {top.text}")
    positives = sum(1 for _, gold in scored if gold)
    for threshold in thresholds:
        kept = [gold for score, gold in scored if score >= threshold]
        recall = sum(kept) / positives if positives else 1.0
        precision = sum(kept) / len(kept) if kept else 1.0
        report.curve.append((threshold, recall, precision))
    return report
