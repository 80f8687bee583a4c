"""Each cross-check raises its finding on an inconsistent input and stays silent on a consistent one."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from builders import claim

from nlp_service.checks import CHECKS, run_checks
from nlp_service.ingest.document import Cell, Document, TableGrid
from nlp_service.schema import (
    ActualPublic,
    ClaimPublic,
    FundingPublic,
    IndicatorPublic,
    TargetPublic,
)
from nlp_service.tables import TableReading

WAN = 10000.0


def indicator(
    name: str,
    weight: float | None,
    score: float | None,
    *,
    level1: str = "产出指标",
    target: TargetPublic | None = None,
    actual: ActualPublic | None = None,
) -> IndicatorPublic:
    return IndicatorPublic(
        id=f"i-{name}",
        level1=level1,
        name=name,
        weight=weight,
        score=score,
        target=target or TargetPublic(),
        actual=actual or ActualPublic(),
    )


@dataclass
class Case:
    text: str
    claims: list[ClaimPublic] = field(default_factory=list)
    indicators: list[IndicatorPublic] = field(default_factory=list)
    funding: FundingPublic | None = None
    total_score: float | None = None
    total_weight: float | None = None
    category_weights: dict[str, float] = field(default_factory=dict)
    converted: dict[str, float] = field(default_factory=dict)  # indicator name → 折算得分

    def codes(self) -> list[tuple[str, str]]:
        tables = TableReading(
            claims=self.claims,
            funding=self.funding,
            indicators=self.indicators,
            total_score=self.total_score,
            total_weight=self.total_weight,
            category_weights=self.category_weights,
            converted_scores={f"i-{name}": value for name, value in self.converted.items()},
        )
        findings, _ = run_checks(Document(text=self.text), self.claims, tables, [])
        return [(f.code, f.severity) for f in findings]


def _scores(first: float, second: float, total: float) -> Case:
    return Case(
        "自评表",
        indicators=[indicator("甲", 50, first), indicator("乙", 50, second)],
        total_score=total,
        total_weight=100,
    )


def _funding(
    budget: float, executed: float, rate: float, **sources: dict[str, float | None]
) -> FundingPublic:
    return FundingPublic(
        budget_full_year=budget * WAN,
        executed=executed * WAN,
        execution_rate=rate,
        sources={
            k: {f: (v * WAN if v is not None and f != "execution_rate" else v) for f, v in row.items()}
            for k, row in sources.items()
        },
    )


_NARRATIVE_SCORE = "综合评价，项目得分为99.5分，评价结果为优秀。"
_STUDENTS = "义务教育阶段在校生45597人，其中小学31107人，初中{junior}人，特殊教育学校56人。"
_FUNDS = "下达中央财政资金30.9万元，县财政资金30.9万元。另外，2021年度中央下达资金{again}万元。"
_TITLE = "忠烈祠免费开放经费{amount}万元绩效自评表"
_SUBSIDY = "特困人员救助供养人数"


def _students(junior: float) -> Case:
    text = _STUDENTS.format(junior=f"{junior:g}")
    total = claim("45597人", text, 45597, "人", obj="在校生")
    parts = [
        claim(t, text, v, "人", obj=o, qualifier="part")
        for t, v, o in (
            ("31107人", 31107, "小学"),
            (f"{junior:g}人", junior, "初中"),
            ("56人", 56, "特殊教育学校"),
        )
    ]
    return Case(text, claims=[total, *parts])


def _funds(again: float) -> Case:
    text = _FUNDS.format(again=f"{again:g}")
    claims = [
        claim("30.9万元", text, 30.9 * WAN, "元", "money", obj="中央财政资金", predicate="下达"),
        claim("30.9万元", text, 30.9 * WAN, "元", "money", nth=1, obj="县财政资金"),
        claim(f"{again:g}万元", text, again * WAN, "元", "money", obj="资金", predicate="下达"),
    ]
    return Case(text, claims=claims)


def _title(amount: float) -> Case:
    text = _TITLE.format(amount=f"{amount:g}")
    claims = [claim(f"{amount:g}万元", text, amount * WAN, "元", "money", obj="忠烈祠免费开放经费")]
    funding = FundingPublic(budget_initial=236 * WAN, executed=236 * WAN)
    return Case(text, claims=claims, funding=funding)


def _converted(weights: tuple[float, ...], scores: tuple[float, ...], converted: tuple[float, ...]) -> Case:
    names = [f"指标{k}" for k in range(len(weights))]
    return Case(
        "自评表",
        indicators=[indicator(n, w, sc) for n, w, sc in zip(names, weights, scores, strict=True)],
        converted=dict(zip(names, converted, strict=True)),
    )


def _received(received: float) -> Case:
    funding = _funding(170, 179.6, 100, 省财政={"received": 170}, 其它={"received": 9.6})
    funding.budget_full_year, funding.execution_rate, funding.received = 179.6 * WAN, None, received * WAN
    return Case("自评表", funding=funding)


def _target(actual: float) -> Case:
    target = TargetPublic(raw=">=4754人", op=">=", value=4754, unit="人")
    row = indicator(
        _SUBSIDY, 5, 5, target=target, actual=ActualPublic(raw=f"{actual:g}人", value=actual, unit="人")
    )
    return Case("自评表", indicators=[row])


def _coverage(actual_raw: str) -> Case:
    target = TargetPublic(raw="≥80%", op=">=", value=80, unit="%")
    return Case(
        "自评表",
        indicators=[indicator("廉洁文化覆盖率", 8, 8, target=target, actual=ActualPublic(raw=actual_raw))],
    )


# (name, inconsistent case, finding raised, consistent case)
CASES = [
    (
        "overall_score",
        Case(_NARRATIVE_SCORE, total_score=100, indicators=[indicator("甲", 100, 100)], total_weight=100),
        ("overall_score_mismatch", "error"),
        Case(_NARRATIVE_SCORE, total_score=99.5, indicators=[indicator("甲", 100, 99.5)], total_weight=100),
    ),
    ("score_sum", _scores(60, 50, 100), ("score_sum_mismatch", "error"), _scores(50, 45, 95)),
    (
        "category_weight",
        Case(
            "自评表",
            indicators=[indicator("甲", 30, 30), indicator("乙", 20, 20)],
            category_weights={"产出指标": 40},
        ),
        ("category_weight_mismatch", "warning"),
        Case(
            "自评表",
            indicators=[indicator("甲", 30, 30), indicator("乙", 10, 10)],
            category_weights={"产出指标": 40},
        ),
    ),
    (
        "score_exceeds_weight",
        Case("自评表", indicators=[indicator("甲", 10, 12)]),
        ("score_exceeds_weight", "error"),
        Case("自评表", indicators=[indicator("甲", 10, 10)]),
    ),
    ("target_not_met", _target(4604), ("target_not_met_full_score", "warning"), _target(4800)),
    (
        "actual_not_quantified",
        _coverage("组织开展廉政家访活动，家访谈话154人次"),
        ("actual_not_quantified", "warning"),
        _coverage("覆盖率达到85%"),
    ),
    (
        "execution_rate",
        Case("自评表", funding=_funding(4753.66, 3824.26, 100)),
        ("execution_rate_mismatch", "error"),
        Case("自评表", funding=_funding(4753.66, 3824.26, 80.45)),
    ),
    (
        "execution_rate_printed_digits",
        Case("自评表", funding=_funding(148, 46, 31.0)),
        None,
        Case("自评表", funding=_funding(310.2, 154.74, 50)),
    ),
    (
        "execution_rate_zero_budget",
        Case(
            "自评表",
            funding=_funding(
                10, 10, 100, 彩票公益金={"budget_full_year": 0, "executed": 0, "execution_rate": 100}
            ),
        ),
        ("execution_rate_mismatch", "warning"),
        Case(
            "自评表",
            funding=_funding(
                10, 10, 100, 彩票公益金={"budget_full_year": 0, "executed": 0, "execution_rate": 0}
            ),
        ),
    ),
    (
        "funding_overspent",
        Case("自评表", funding=FundingPublic(budget_full_year=170 * WAN, executed=179.6 * WAN)),
        ("funding_mismatch", "error"),
        Case("自评表", funding=FundingPublic(budget_full_year=170 * WAN, executed=170 * WAN)),
    ),
    (
        "converted_weight_applied_twice",
        _converted((25, 25, 30, 10), (25, 25, 30, 10), (6.25, 6.25, 9, 1)),
        ("score_sum_mismatch", "warning"),
        _converted((25, 25, 30, 10), (25, 25, 30, 10), (25, 25, 30, 10)),
    ),
    (
        "converted_out_of_100",
        _converted((50, 50), (100, 80), (50, 50)),
        ("score_sum_mismatch", "warning"),
        _converted((50, 50), (100, 80), (50, 40)),
    ),
    (
        "converted_weighted_score_above_weight",
        _converted((24, 25, 30, 10), (25, 25, 30, 10), (25, 25, 30, 10)),
        ("score_exceeds_weight", "error"),
        _converted((25, 25, 30, 10), (25, 25, 30, 10), (25, 25, 30, 10)),
    ),
    ("total_table_received", _received(170), ("total_mismatch", "error"), _received(179.6)),
    ("funding_narrative", _title(236.25), ("funding_mismatch", "warning"), _title(236)),
    ("claim_conflict", _funds(61.8), ("claim_conflict", "warning"), _funds(30.9)),
    ("total_narrative", _students(14546), ("total_mismatch", "warning"), _students(14434)),
    (
        "total_table",
        Case(
            "自评表",
            funding=_funding(170, 170, 100, 省财政={"budget_full_year": 170}, 其它={"budget_full_year": 9.6}),
        ),
        ("total_mismatch", "error"),
        Case(
            "自评表",
            funding=_funding(
                179.6, 179.6, 100, 省财政={"budget_full_year": 170}, 其它={"budget_full_year": 9.6}
            ),
        ),
    ),
    (
        "total_table_rounding",
        Case(
            "自评表",
            funding=_funding(
                7165.32, 7165.29, 100, 中央={"budget_full_year": 3144}, 地方={"budget_full_year": 4021.29}
            ),
        ),
        ("total_mismatch", "warning"),
        Case(
            "自评表",
            funding=_funding(
                4753.66,
                4753.66,
                100,
                一般公共预算={"budget_full_year": 1873.66},
                其他资金={"budget_full_year": 2880},
                基本支出={"budget_full_year": 1768.16},
                项目支出={"budget_full_year": 2985.5},
            ),
        ),
    ),
]


@pytest.mark.parametrize(("name", "inconsistent", "raised", "consistent"), CASES, ids=[c[0] for c in CASES])
def test_checks_raise_on_inconsistent_and_stay_silent_on_consistent(
    name: str, inconsistent: Case, raised: tuple[str, str] | None, consistent: Case
) -> None:
    if raised is not None:
        assert raised in inconsistent.codes()
    assert consistent.codes() == []


def test_checks_every_contract_code_has_a_case() -> None:
    covered = {c[2][0] for c in CASES if c[2] is not None}
    assert covered == {check.code for check in CHECKS}


def test_checks_one_part_below_its_total_is_not_a_mismatch() -> None:
    """其中 names some parts only: 共收集信息76份，其中审计报告15份."""
    text = "共收集信息76份，其中审计报告15份。"
    claims = [
        claim("76份", text, 76, "份", obj="信息", qualifier="total"),
        claim("15份", text, 15, "份", obj="审计报告", qualifier="part"),
    ]
    assert Case(text, claims=claims).codes() == []


def test_checks_same_object_listed_for_two_years_is_not_a_conflict() -> None:
    text = "2021年、2022年分别立项实施高标准农田项目620万亩、640万亩。"
    claims = [
        claim("620万亩", text, 6200000, "亩", "measure", obj="高标准农田项目", predicate="立项实施"),
        claim("640万亩", text, 6400000, "亩", "measure", obj="高标准农田项目", predicate="立项实施"),
    ]
    assert Case(text, claims=claims).codes() == []


@pytest.mark.parametrize(
    ("tables", "says"),
    [
        ([], "文中没有可读的绩效自评表"),
        ([TableGrid(cells=[Cell(0, 0, "项目", 0, 2)], start=0, end=2)], "文中的表格未能读成绩效自评表"),
    ],
    ids=["no_table", "unreadable_table"],
)
def test_checks_without_a_table_run_what_applies_and_say_what_did_not(
    tables: list[TableGrid], says: str
) -> None:
    case = _students(14546)
    document = Document(text=case.text, tables=tables)
    findings, notes = run_checks(document, case.claims, TableReading(claims=case.claims), [])
    assert [f.code for f in findings] == ["total_mismatch"]
    assert len(notes) == 1 and notes[0].startswith(says)
    assert "overall_score_mismatch" in notes[0] and "execution_rate_mismatch" in notes[0]


def test_checks_findings_carry_evidence_and_chinese_messages() -> None:
    case = _students(14546)
    findings, _ = run_checks(Document(text=case.text), case.claims, TableReading(claims=case.claims), [])
    finding = findings[0]
    assert finding.id == "f1"
    assert "45597人" in finding.message and "45709人" in finding.message
    spans = [(e.start, e.end) for e in finding.evidence]
    assert (case.claims[0].start, case.claims[0].end) in spans and len(spans) == 4


@pytest.mark.parametrize(
    "text",
    ["绩效评价采用百分制，满分100分，总分100分。", "资金执行率得分10分。", "项目决策得分18分。"],
    ids=["scale", "item_score", "category_score"],
)
def test_checks_scale_and_item_scores_are_not_the_overall_score(text: str) -> None:
    case = Case(text, total_score=95, total_weight=100, indicators=[indicator("甲", 100, 95)])
    assert case.codes() == []


@pytest.mark.parametrize(
    ("weights", "scores", "severity"),
    [
        ((60, 50), (60, 50), "error"),  # the items exceed the 总分 row
        ((50, 50), (40, 50), "error"),  # every row there (weights add up), scores fall short
        ((50, 40), (50, 40), "warning"),  # a row may not have been read
        ((50, 50), (49.5, 50), "warning"),  # half a point: rounding of decimal scores
    ],
)
def test_checks_score_sum_severity(weights: tuple, scores: tuple, severity: str) -> None:
    rows = [indicator(name, w, s) for name, w, s in zip("甲乙", weights, scores, strict=True)]
    case = Case("自评表", indicators=rows, total_score=100, total_weight=100)
    assert ("score_sum_mismatch", severity) in case.codes()
