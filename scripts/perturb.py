"""Plant one inconsistency per variant of a report, for measuring the checks (nlp_service/checks).

    .venv/bin/python scripts/perturb.py OUT_DIR REPORT.txt [REPORT.txt ...]

Each REPORT.txt needs its gold file beside it (REPORT.gold.json). For every place where the report
can be made inconsistent, one variant is written to OUT_DIR with one edit:

- score:          an indicator's score raised above its weight, or lowered under a 总分 row
- weight:         an indicator's weight lowered under its score, or raised under a 总分 row
- total_row:      the 总分 row's score or weight changed
- overall_score:  the overall score the narrative states changed
- executed:       the funding row's 全年执行数 changed
- budget:         the funding row's 全年预算数 changed
- rate:           the printed 执行率 changed
- source_row:     a funding source row (其中：当年财政拨款 …) changed
- narrative_total / narrative_part: a stated total or one of its listed parts changed (gold claims)
- repeated_claim: a money claim restated in a new sentence with another value

OUT_DIR/manifest.json lists every variant with the codes of which one must be raised. Table
positions come from the project's own table reader (the gold files carry no cell offsets); narrative
positions come from the gold claims. `scripts/eval_checks.py --variants OUT_DIR/manifest.json`
measures recall of the planted findings and precision of error-severity findings.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from nlp_service.checks.base import CheckContext
from nlp_service.checks.evaluation import Analysis, analyse, load_gold
from nlp_service.checks.gold import gold_claims
from nlp_service.checks.scores import stated_overall_scores
from nlp_service.checks.totals import total_groups
from nlp_service.schema import ClaimPublic, IndicatorPublic
from nlp_service.tables import TableReading

_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
_GENERIC_VERBS = re.compile(
    r"下达|安排|使用|涉及|投入|完成|拨付|到位|落实|分配|统筹|下拨|包括|另|按合同"
    r"|下達|統籌|撥付|落實|下撥"
)
SCORE_CODES = [
    "score_sum_mismatch",
    "overall_score_mismatch",
    "score_exceeds_weight",
    "category_weight_mismatch",
]
FUNDING_CODES = ["execution_rate_mismatch", "total_mismatch", "funding_mismatch"]


@dataclass
class Edit:
    kind: str
    description: str
    start: int
    end: int
    new: str
    expected: list[str]


def _display(value: float, like: str) -> str:
    """`value` written as `like` is: as many decimals, thousands separated if `like` is."""
    decimals = len(like.split(".")[1]) if "." in like else 0
    return f"{value:,.{decimals}f}" if "," in like else f"{value:.{decimals}f}"


def _number_at(text: str, start: int, end: int) -> re.Match[str] | None:
    return _NUMBER.search(text, start, end)


def _changed(
    text: str, start: int, end: int, value_of: float, kind: str, what: str, expected: list[str]
) -> Edit | None:
    """An edit that writes `value_of` over the first number of text[start:end]."""
    match = _number_at(text, start, end)
    if match is None:
        return None
    new = _display(value_of, match.group(0))
    if float(new.replace(",", "")) == float(match.group(0).replace(",", "")):
        return None
    return Edit(kind, f"{what}: {match.group(0)} → {new}", match.start(), match.end(), new, expected)


def _row_numbers(text: str, indicator: IndicatorPublic, value: float) -> list[re.Match[str]]:
    if indicator.start is None or indicator.end is None:
        return []
    return [
        m
        for m in _NUMBER.finditer(text, indicator.start, indicator.end)
        if float(m.group(0).replace(",", "")) == value
    ]


def _cell_of(text: str, tables: TableReading, indicator: IndicatorPublic, kind: str) -> re.Match[str] | None:
    """The number in the cell the table reader read as the row's `kind` (weight or score)."""
    span = tables.indicator_cells.get(indicator.id, {}).get(kind)
    return _NUMBER.search(text, span[0], span[1]) if span else None


def score_edits(analysis: Analysis) -> Iterator[Edit]:
    text, tables = analysis.document.text, analysis.tables
    has_total = tables.total_score is not None
    for index, indicator in enumerate(tables.indicators):
        if indicator.score is None or indicator.weight is None:
            continue
        cells = _row_numbers(text, indicator, indicator.score)
        if not cells:
            continue
        cell = _cell_of(text, tables, indicator, "score") or cells[-1]
        if index % 2 == 0 or not has_total:
            value = indicator.weight + 2
        elif indicator.score >= 2:
            value = indicator.score - 2
        else:
            continue
        edit = _changed(text, cell.start(), cell.end(), value, "score", f"{indicator.name} 得分", SCORE_CODES)
        if edit:
            yield edit


def _category_key(name: str | None) -> str:
    return re.sub(r"[（(].*|\s", "", name or "")


def _category_complete(indicator: IndicatorPublic, tables: TableReading) -> bool:
    """The indicator's category declares a weight that its rows, as read, add up to."""
    key = _category_key(indicator.level1)
    declared = [w for name, w in tables.category_weights.items() if _category_key(name) == key]
    members = [i.weight or 0 for i in tables.indicators if _category_key(i.level1) == key]
    return bool(key) and bool(declared) and abs(sum(members) - declared[0]) < 1e-6


def weight_edits(analysis: Analysis) -> Iterator[Edit]:
    text, tables = analysis.document.text, analysis.tables
    for indicator in tables.indicators:
        if indicator.score is None or indicator.weight is None:
            continue
        declared = tables.total_weight is not None or _category_complete(indicator, tables)
        cells = _row_numbers(text, indicator, indicator.weight)
        if len(cells) < (2 if indicator.weight == indicator.score else 1):
            continue
        cell = _cell_of(text, tables, indicator, "weight") or (
            cells[-2] if indicator.weight == indicator.score else cells[-1]
        )
        if indicator.score >= 1 and indicator.weight - 1 < indicator.score:
            value = indicator.score - 1
        elif declared:
            value = indicator.weight + 3
        else:
            continue
        edit = _changed(
            text, cell.start(), cell.end(), value, "weight", f"{indicator.name} 分值", SCORE_CODES
        )
        if edit:
            yield edit


def total_row_edits(analysis: Analysis) -> Iterator[Edit]:
    text, tables = analysis.document.text, analysis.tables
    cells = tables.total_cells
    if tables.total_score is not None and len(cells) > 1:
        start, end = cells[1]
        yield from _optional(
            _changed(text, start, end, tables.total_score - 5, "total_row", "总分 得分", SCORE_CODES)
        )
    if tables.total_weight is not None and cells:
        start, end = cells[0]
        yield from _optional(
            _changed(text, start, end, tables.total_weight + 10, "total_row", "总分 分值", SCORE_CODES)
        )


def overall_score_edits(analysis: Analysis) -> Iterator[Edit]:
    if analysis.tables.total_score is None:
        return
    context = CheckContext(analysis.document, analysis.tables.claims, analysis.tables)
    for stated in stated_overall_scores(context)[:1]:
        value = stated.value - 1.5 if stated.value > 50 else stated.value + 1.5
        yield from _optional(
            _changed(
                analysis.document.text,
                stated.start,
                stated.end,
                value,
                "overall_score",
                "正文得分",
                ["overall_score_mismatch"],
            )
        )


def funding_edits(analysis: Analysis) -> Iterator[Edit]:
    text, funding = analysis.document.text, analysis.tables.funding
    if funding is None:
        return
    checkable = funding.execution_rate is not None or any(funding.sources.values())
    for field, factor, kind in (("executed", 0.9, "executed"), ("budget_full_year", 1.1, "budget")):
        span = funding.cells.get(field)
        match = _number_at(text, span[0], span[1]) if span else None
        if span and match and checkable and float(match.group(0).replace(",", "")) > 0:
            value = float(match.group(0).replace(",", "")) * factor
            yield from _optional(_changed(text, span[0], span[1], value, kind, field, FUNDING_CODES))
    span = funding.cells.get("execution_rate")
    if span and funding.execution_rate is not None and funding.executed is not None:
        rate = funding.execution_rate
        value = rate - 10 if rate >= 20 else rate + 10
        yield from _optional(
            _changed(text, span[0], span[1], value, "rate", "执行率", ["execution_rate_mismatch"])
        )


def source_row_edits(analysis: Analysis) -> Iterator[Edit]:
    text, funding = analysis.document.text, analysis.tables.funding
    if funding is None:
        return
    for row, values in list(funding.sources.items())[:2]:
        for field in ("budget_full_year", "executed"):
            span = funding.cells.get(f"{row}.{field}")
            if span is None or values.get(field) is None or getattr(funding, field) is None:
                continue
            match = _number_at(text, span[0], span[1])
            if match is None:
                continue
            shown = float(match.group(0).replace(",", ""))
            value = shown * 1.2 if shown else 5.0
            yield from _optional(
                _changed(text, span[0], span[1], value, "source_row", f"{row} {field}", FUNDING_CODES)
            )


def _consistent_groups(
    text: str, claims: list[ClaimPublic]
) -> Iterator[tuple[ClaimPublic, list[ClaimPublic]]]:
    for group in total_groups(text, claims):
        added = sum(p.value or 0 for p in group.parts)
        if (
            group.exhaustive
            and group.total.value
            and abs(added - group.total.value) < 1e-6 * group.total.value
        ):
            yield group.total, group.parts


def _last_digit_step(display: str) -> float:
    decimals = len(display.split(".")[1]) if "." in display else 0
    return 10.0**-decimals


def narrative_total_edits(text: str, claims: list[ClaimPublic]) -> Iterator[Edit]:
    for index, (total, parts) in enumerate(_consistent_groups(text, claims)):
        match = _number_at(text, total.start, total.end)
        if match is None:
            continue
        shown = float(match.group(0).replace(",", ""))
        step = _last_digit_step(match.group(0))
        value = shown - step if index % 2 == 0 or len(parts) < 2 else shown + step
        yield from _optional(
            _changed(
                text,
                total.start,
                total.end,
                value,
                "narrative_total",
                f"{total.object} 合计",
                ["total_mismatch"],
            )
        )
        part = parts[-1]
        part_match = _number_at(text, part.start, part.end)
        if part_match is not None:
            value = float(part_match.group(0).replace(",", "")) + _last_digit_step(part_match.group(0))
            yield from _optional(
                _changed(
                    text,
                    part.start,
                    part.end,
                    value,
                    "narrative_part",
                    f"{part.object} 分项",
                    ["total_mismatch"],
                )
            )


def _clause_before(text: str, claim: ClaimPublic) -> str:
    """The words of a claim's clause before its number: 年初批复预算8个项目 in 年初批复预算8个项目985万元."""
    begin = max(text.rfind(ch, 0, claim.start) for ch in "，,。；;：:\n（(）)") + 1
    return re.sub(r"^(另外|此外|同时|其中|共计|共|合计)", "", text[begin : claim.start].strip())


def repeated_claim_edits(text: str, claims: list[ClaimPublic]) -> Iterator[Edit]:
    """A money claim said again, in a sentence of its own right after its sentence, with another value.

    Shares of a total (其中 …) are left out: the same name under two totals (预算收入 and 实际收入)
    is two things, not one thing said twice.
    """
    seen: set[str] = set()
    for claim in claims:
        if (
            claim.kind != "money"
            or claim.qualifier not in (None, "total")
            or claim.bound != "eq"
            or claim.approximate
        ):
            continue  # shares and increases are checked by total_mismatch, not restated
        sentence_start = max(text.rfind(ch, 0, claim.start) for ch in "。\n") + 1
        prefix = _clause_before(text, claim)
        match = _number_at(text, claim.start, claim.end)
        end = text.find("。", claim.end)
        if (
            "其中" in text[sentence_start : claim.start]
            or len(_GENERIC_VERBS.sub("", prefix)) < 3
            or prefix in seen
        ):
            continue  # shares of a total, and names as bare as 下达资金 or 涉及资金, are not restated
        if match is None or end < 0 or "\n" in text[claim.end : end]:
            continue
        seen.add(prefix)
        shown = float(match.group(0).replace(",", ""))
        new_number = _display(shown * 1.08 + _last_digit_step(match.group(0)), match.group(0))
        unit = text[match.end() : claim.end]
        sentence = f"{prefix}{new_number}{unit}。"
        yield Edit(
            "repeated_claim",
            f"{prefix}{claim.text} restated as {new_number}{unit}",
            end + 1,
            end + 1,
            sentence,
            ["claim_conflict", "funding_mismatch", "total_mismatch"],
        )


def _optional(edit: Edit | None) -> Iterator[Edit]:
    if edit is not None:
        yield edit


def edits_for(txt: Path) -> list[Edit]:
    """Every single-edit inconsistency this report allows."""
    analysis = analyse(txt)
    claims = gold_claims(load_gold(txt))
    text = analysis.document.text
    found: list[Edit] = []
    for generator in (
        score_edits,
        weight_edits,
        total_row_edits,
        overall_score_edits,
        funding_edits,
        source_row_edits,
    ):
        found += list(generator(analysis))
    found += list(narrative_total_edits(text, claims))
    found += list(repeated_claim_edits(text, claims))
    return found


def write_variants(out_dir: Path, reports: list[Path]) -> dict[str, list[dict[str, Any]]]:
    out_dir.mkdir(parents=True, exist_ok=True)
    variants = []
    for txt in reports:
        text = txt.read_text(encoding="utf-8")
        for index, edit in enumerate(edits_for(txt)):
            name = f"{txt.stem}__{index:02d}_{edit.kind}.txt"
            (out_dir / name).write_text(text[: edit.start] + edit.new + text[edit.end :], encoding="utf-8")
            variants.append({"file": name, "source": str(txt.resolve()), **asdict(edit)})
    manifest = {"variants": variants}
    (out_dir / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument(
        "reports", type=Path, nargs="+", help="NAME.txt files with NAME.gold.json beside them"
    )
    args = parser.parse_args(argv)
    missing = [str(p) for p in args.reports if not p.with_name(p.stem + ".gold.json").is_file()]
    if missing:
        print(f"perturb: no gold file beside {', '.join(missing)}", file=sys.stderr)
        return 2
    manifest = write_variants(args.out_dir, args.reports)
    variants = manifest["variants"]
    kinds: dict[str, int] = {}
    for item in variants:
        kinds[item["kind"]] = kinds.get(item["kind"], 0) + 1
    print(
        f"{len(variants)} variants in {args.out_dir}: "
        + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items()))
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
