"""The funding block against itself and against the story: execution_rate_mismatch, funding_mismatch."""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp_service.checks.base import (
    CheckContext,
    Draft,
    claim_evidence,
    close,
    funding_evidence,
    money,
    num,
)
from nlp_service.checks.conflicts import plain_name
from nlp_service.schema import ClaimPublic, FundingPublic, Severity

AMOUNT_FIELDS = ("budget_initial", "budget_full_year", "executed")
FIELD_NAMES = {"budget_initial": "年初预算数", "budget_full_year": "全年预算数", "executed": "全年执行数"}
# A narrative amount this close to a table amount (but not equal) is the same fund written twice.
NEAR_RELATIVE = 0.10
_DECIMALS = re.compile(r"\d+(?:\.(\d+))?")
_FUND_OBJECT = re.compile(
    r"预算|资金|经费|支出|收入|拨款|决算|投入|投资|执行|到位|总额|金额"
    r"|預算|資金|經費|撥款|決算|投資|執行|總額|金額"
)
_SUB_ITEM = re.compile(r"基本支出|人员|公用|三公|工资|福利|差旅|办公|印刷|会议|培训|接待|公务")


@dataclass(frozen=True)
class RateRow:
    """One row of the funding block that prints an execution rate."""

    row: str | None
    budget: float | None
    alternative_budget: float | None
    executed: float | None
    rate: float
    printed: str | None


def _printed_decimals(rate: float, printed: str | None) -> int:
    if printed:
        match = _DECIMALS.search(printed)
        if match:
            return len(match.group(1) or "")
    text = num(rate)
    return len(text.split(".")[1]) if "." in text else 0


def _rate_rows(funding: FundingPublic, text: str) -> list[RateRow]:
    rows: list[RateRow] = []

    def printed(key: str) -> str | None:
        span = funding.cells.get(key)
        return text[span[0] : span[1]] if span and len(span) >= 2 else None

    if funding.execution_rate is not None:
        rows.append(
            RateRow(
                None,
                funding.budget_full_year,
                funding.budget_initial,
                funding.executed,
                funding.execution_rate,
                printed("execution_rate"),
            )
        )
    for name, values in funding.sources.items():
        rate = values.get("execution_rate")
        if rate is not None:
            rows.append(
                RateRow(
                    name,
                    values.get("budget_full_year"),
                    values.get("budget_initial"),
                    values.get("executed"),
                    rate,
                    printed(f"{name}.execution_rate"),
                )
            )
    return rows


def _rate_problem(row: RateRow) -> tuple[Severity, str] | None:
    """(severity, message) when the printed rate is not 执行数 / 预算数 at the precision printed."""
    budgets = [
        b for b in (row.budget if row.budget is not None else row.alternative_budget,) if b is not None
    ]
    if row.executed is None or not budgets:
        return None
    label = row.row or "年度资金总额"
    if all(b == 0 for b in budgets):
        if row.executed == 0 and row.rate != 0:
            return "warning", f"{label}预算数与执行数均为0，执行率无从计算，表中却填{num(row.rate)}%"
        return None
    tolerance = 10.0 ** -_printed_decimals(row.rate, row.printed) + 1e-9
    computed = [row.executed / b * 100 for b in budgets if b]
    for value in computed:
        if abs(value - row.rate) <= tolerance or abs(value - row.rate * 100) <= tolerance:
            return None
    best = min(computed, key=lambda v: abs(v - row.rate))
    severity: Severity = "error" if abs(best - row.rate) >= 1 else "warning"
    budget = budgets[0] if budgets[0] else budgets[-1]
    message = (
        f"{label}执行数{money(row.executed)}÷预算数{money(budget)}={best:.2f}%，"
        f"但表中执行率为{row.printed.strip() if row.printed else num(row.rate) + '%'}"
    )
    return severity, message


def execution_rate_mismatch(ctx: CheckContext) -> list[Draft]:
    """执行率 ≠ 执行数 / 预算数, tolerating the last printed digit (truncation or rounding)."""
    funding = ctx.funding
    if funding is None:
        return []
    drafts: list[Draft] = []
    for row in _rate_rows(funding, ctx.text):
        problem = _rate_problem(row)
        if problem is None:
            continue
        severity, message = problem
        evidence = [
            funding_evidence(funding, f, row.row) for f in ("budget_full_year", "executed", "execution_rate")
        ]
        drafts.append(Draft("execution_rate_mismatch", severity, message, evidence))
    return drafts


def _table_amounts(funding: FundingPublic) -> list[tuple[str, str | None, float]]:
    """(field, source row, value in 元) for every amount of the funding block."""
    amounts: list[tuple[str, str | None, float]] = [
        (f, None, v) for f in AMOUNT_FIELDS if (v := getattr(funding, f)) is not None
    ]
    for name, values in funding.sources.items():
        amounts += [(f, name, v) for f in AMOUNT_FIELDS if (v := values.get(f)) is not None]
    return amounts


def _is_fund_claim(claim: ClaimPublic) -> bool:
    if claim.kind != "money" or claim.value is None or claim.qualifier in ("part", "increase", "decrease"):
        return False
    name = plain_name(claim.object or "")
    return bool(_FUND_OBJECT.search(name)) and not _SUB_ITEM.search(name)


def _narrative_vs_table(ctx: CheckContext, funding: FundingPublic) -> list[Draft]:
    amounts = [a for a in _table_amounts(funding) if a[2] > 0]
    found: dict[tuple[float, str, str | None], Draft] = {}
    for claim in ctx.claims:
        if not amounts or not _is_fund_claim(claim) or _inside_funding_block(claim, funding):
            continue
        value = claim.value or 0.0
        if any(close(value, a[2], 0.5) for a in amounts):
            continue
        field, row, nearest = min(amounts, key=lambda a: abs(a[2] - value))
        if abs(nearest - value) > NEAR_RELATIVE * nearest:
            continue
        key = (value, field, row)
        if key in found:
            found[key].evidence.insert(-1, claim_evidence(claim))
            continue
        message = (
            f"正文称{plain_name(claim.object or '')}{money(value)}，但自评表{row or funding.row or '年度资金总额'}"
            f"{FIELD_NAMES[field]}为{money(nearest)}"
        )
        evidence = [claim_evidence(claim), funding_evidence(funding, field, row)]
        found[key] = Draft("funding_mismatch", "warning", message, evidence)
    return list(found.values())


def _inside_funding_block(claim: ClaimPublic, funding: FundingPublic) -> bool:
    spans = [s for s in funding.cells.values() if len(s) >= 2]
    return any(s[0] <= claim.start < s[1] for s in spans)


def _overspent(funding: FundingPublic) -> list[Draft]:
    """执行数 above every budget and every amount received, with no rate above 100% to say so."""
    received = getattr(funding, "received", None)
    limits = [v for v in (funding.budget_full_year, funding.budget_initial, received) if v is not None]
    if funding.executed is None or not limits or funding.executed <= max(limits) * (1 + 1e-6):
        return []
    if funding.execution_rate is not None and funding.execution_rate > 100:
        return []
    message = (
        f"执行数{money(funding.executed)}超过预算数{money(max(limits))}，"
        f"表中却未反映超支（执行率{num(funding.execution_rate) + '%' if funding.execution_rate is not None else '未填'}）"
    )
    evidence = [funding_evidence(funding, "executed"), funding_evidence(funding, "budget_full_year")]
    return [Draft("funding_mismatch", "error", message, evidence)]


def funding_mismatch(ctx: CheckContext) -> list[Draft]:
    """Narrative amounts that are the table's funds written differently; spending above the budget."""
    funding = ctx.funding
    if funding is None:
        return []
    return _overspent(funding) + _narrative_vs_table(ctx, funding)
