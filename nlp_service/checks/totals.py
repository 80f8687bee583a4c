"""total_mismatch: a stated total against the sum of its listed parts, in the text and in the table.

In the text a total is a claim followed by a 其中 list or a bracketed breakdown (`在校生45597人，其中
小学31107人，初中14490人`), or a 共/合计 total followed by more claims of the same thing in the same
sentence (`实施项目共15个……年初批复8个项目……又增加8个项目`). In the table it is the funding row
against its source rows (当年财政拨款, 上年结转资金, 其他资金 …; 基本支出/项目支出 form a second breakdown).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from nlp_service.checks.base import CheckContext, Draft, amount, claim_evidence, funding_evidence, money
from nlp_service.checks.funding import AMOUNT_FIELDS, FIELD_NAMES
from nlp_service.schema import ClaimPublic, FundingPublic, Severity
from nlp_service.tables.vocab import funding_kind

# Parts that fall short of their total by at most this share are an exhaustive list with a slip;
# further short, the list names only some parts ("其中" often does).
NEAR_SHORTFALL = 0.05
# A table breakdown off by at most this share is rounding of the printed figures.
ROUNDING_SHARE = 1e-4
_SENTENCE_END = re.compile(r"[。！？!?\n]")
_TOTAL_BEFORE = re.compile(r"(共计|总计|合计|累计|共|总数|总额)[^，,。；;]{0,6}$")
_LIST_AFTER = re.compile(r"^[\s，,：:]{0,3}(其中|包括|含)")
_OPEN = "(（"
_CLOSE = ")）"


@dataclass
class TotalGroup:
    total: ClaimPublic
    parts: list[ClaimPublic]
    exhaustive: bool  # a 其中 list or a bracketed breakdown, not just more claims of the same thing


def _sentences(text: str, claims: list[ClaimPublic]) -> list[list[ClaimPublic]]:
    """Claims grouped by the sentence they stand in, in text order."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    groups: dict[int, list[ClaimPublic]] = {}
    for claim in sorted(claims, key=lambda c: c.start):
        groups.setdefault(bisect_right(ends, claim.start), []).append(claim)
    return list(groups.values())


def _depth_between(text: str, start: int, end: int) -> int:
    """Bracket depth at `end` counted from `start`."""
    depth = 0
    for ch in text[start:end]:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
    return depth


def _same_measure(a: ClaimPublic, b: ClaimPublic) -> bool:
    return a.unit == b.unit and a.kind == b.kind and b.value is not None


def _same_object(a: ClaimPublic, b: ClaimPublic) -> bool:
    if not a.object or not b.object:
        return False
    return a.object == b.object or a.object.endswith(b.object) or b.object.endswith(a.object)


def _list_group(text: str, total: ClaimPublic, later: list[ClaimPublic]) -> TotalGroup | None:
    """The 其中 list or bracketed breakdown right after `total`, if any."""
    following = later[0].start if later else len(text)
    gap = text[total.end : following]
    bracketed = gap.lstrip()[:1] in _OPEN
    if not bracketed and not _LIST_AFTER.match(gap):
        return None
    parts: list[ClaimPublic] = []
    for claim in later:
        depth = _depth_between(text, total.end, claim.start)
        if bracketed and depth == 0:
            break
        if not bracketed and depth > 0:
            continue  # a part's own breakdown: (含…)
        if re.search(r"[；;]|同时|此外|另外", text[total.end : claim.start]) and not bracketed:
            break  # the list has ended
        if parts and re.search(r"其中", text[parts[-1].end : claim.start]):
            break  # a nested 其中 starts a list of its own
        if _same_measure(total, claim):
            parts.append(claim)
    return TotalGroup(total, parts, exhaustive=True) if parts else None


def _continuation_group(text: str, total: ClaimPublic, later: list[ClaimPublic]) -> TotalGroup | None:
    """A 共/合计 total and the later claims of the same thing in its sentence."""
    before = text[max(0, total.start - 10) : total.start]
    if total.qualifier != "total" and not _TOTAL_BEFORE.search(before):
        return None
    parts = [
        c
        for c in later
        if _same_measure(total, c)
        and _same_object(total, c)
        and _depth_between(text, total.end, c.start) == 0
    ]
    return TotalGroup(total, parts, exhaustive=False) if len(parts) >= 2 else None


def total_groups(text: str, claims: list[ClaimPublic]) -> list[TotalGroup]:
    """Every stated total of the text with the parts listed for it."""
    groups: list[TotalGroup] = []
    for sentence in _sentences(text, claims):
        for index, total in enumerate(sentence):
            if total.value is None or total.qualifier in ("part", "increase", "decrease"):
                continue
            if total.kind not in ("count", "money", "measure"):
                continue  # percentages and scores are not added up
            later = sentence[index + 1 :]
            for group in (_list_group(text, total, later), _continuation_group(text, total, later)):
                if group is not None:
                    groups.append(group)
    return groups


def _group_problem(group: TotalGroup) -> str | None:
    total = group.total.value or 0.0
    added = sum(p.value or 0.0 for p in group.parts)
    if abs(added - total) <= max(1e-6, 1e-9 * abs(total)):
        return None
    if added < total and not (
        group.exhaustive and len(group.parts) >= 2 and total - added <= NEAR_SHORTFALL * total
    ):
        return None
    unit = group.total.unit
    listed = " + ".join(amount(p.value or 0.0, unit) for p in group.parts)
    relation = "超过" if added > total else "不等于"
    return (
        f"{group.total.object or '总数'}{amount(total, unit)}，但所列各项 {listed} = "
        f"{amount(added, unit)}，{relation}总数"
    )


def narrative_totals(ctx: CheckContext) -> list[Draft]:
    drafts: list[Draft] = []
    for group in total_groups(ctx.text, ctx.claims):
        message = _group_problem(group)
        if message:
            evidence = [claim_evidence(group.total), *(claim_evidence(p) for p in group.parts)]
            drafts.append(Draft("total_mismatch", "warning", message, evidence))
    return drafts


def _breakdowns(funding: FundingPublic) -> list[list[str]]:
    """Source rows grouped into breakdowns: by kind of expenditure (…支出) and by source of funds."""
    spending = [name for name in funding.sources if "支出" in name]
    by_source = [name for name in funding.sources if "支出" not in name]
    return [rows for rows in (by_source, spending) if rows]


def _fields(funding: FundingPublic) -> list[str]:
    extra = [f for f in ("received",) if getattr(funding, f, None) is not None]
    return [*AMOUNT_FIELDS, *extra]


def _table_problem(funding: FundingPublic, field: str, rows: list[str]) -> Draft | None:
    total = getattr(funding, field, None)
    values = {r: funding.sources[r].get(field) for r in rows}
    parts = {r: v for r, v in values.items() if v is not None}
    if total is None or not parts:
        return None
    added = sum(parts.values())
    gap = added - total
    if abs(gap) <= max(1e-6, 1e-9 * abs(total)):
        return None
    nonzero = [v for v in parts.values() if v]
    complete = len(parts) >= 2 and len(parts) == len(values)  # every row filled in, zeros included
    if gap < 0 and len(nonzero) < 2 and not complete:
        return None  # one source row filled in, the others left blank: not a breakdown
    severity: Severity = "warning" if abs(gap) <= ROUNDING_SHARE * max(abs(total), 1) else "error"
    name = FIELD_NAMES.get(field, "实际到位资金")
    listed = " + ".join(f"{r} {money(v)}" for r, v in parts.items())
    # a main row named after a column (`计划安排资金`) is not named again
    row = "" if funding_kind(funding.row or "") else (funding.row or "年度资金总额")
    message = f"{row}{name}为{money(total)}，但其资金来源各行 {listed} = {money(added)}"
    evidence = [funding_evidence(funding, field), *(funding_evidence(funding, field, r) for r in parts)]
    return Draft("total_mismatch", severity, message, evidence)


def table_totals(ctx: CheckContext) -> list[Draft]:
    funding = ctx.funding
    if funding is None or not funding.sources:
        return []
    drafts: list[Draft] = []
    for rows in _breakdowns(funding):
        for field in _fields(funding):
            draft = _table_problem(funding, field, rows)
            if draft is not None:
                drafts.append(draft)
    return drafts


def total_mismatch(ctx: CheckContext) -> list[Draft]:
    """A stated total (共/合计/其中 lists, budget source rows) ≠ the sum of its listed parts."""
    return narrative_totals(ctx) + table_totals(ctx)
