"""The seed report's flattened table read into indicators, funding and table claims."""

import json
from pathlib import Path

import pytest

from nlp_service import ingest
from nlp_service.ingest.document import Document
from nlp_service.schema import ClaimPublic
from nlp_service.tables import TableReading, read_tables

SEED_DIR = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "seed"
SEED_TEXT = SEED_DIR / "zy-jiwei-2022-xuncha.txt"
SEED_GOLD = SEED_DIR / "zy-jiwei-2022-xuncha.gold.json"

pytestmark = pytest.mark.skipif(not SEED_TEXT.exists(), reason="shared seed corpus not present")


@pytest.fixture(scope="module")
def text() -> str:
    return SEED_TEXT.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def reading(text: str) -> TableReading:
    return read_tables(Document(text=text), [])


@pytest.fixture(scope="module")
def gold() -> dict:
    return json.loads(SEED_GOLD.read_text(encoding="utf-8"))


def test_tables_seed_indicators_match_gold(reading: TableReading, gold: dict) -> None:
    got = [
        {
            "level1": i.level1,
            "level2": i.level2,
            "name": i.name,
            "target": i.target.raw,
            "weight": i.weight,
            "score": i.score,
        }
        for i in reading.indicators
    ]
    assert got == gold["indicators"]


def test_tables_seed_funding_matches_gold(reading: TableReading) -> None:
    funding = reading.funding
    assert funding is not None
    assert (funding.budget_initial, funding.budget_full_year, funding.executed) == (550000, 550000, 550000)
    assert (funding.weight, funding.execution_rate, funding.score) == (10, 100.0, 10)
    assert funding.unit == "元"
    assert funding.row == "年度资金总额"
    assert funding.sources["当年财政拨款"] == {
        "budget_initial": 550000,
        "budget_full_year": 550000,
        "executed": 550000,
    }


def test_tables_seed_totals_and_category_weights(reading: TableReading) -> None:
    assert (reading.total_weight, reading.total_score) == (100, 100)
    assert reading.category_weights == {"产出指标": 50, "效益指标": 40}


def test_tables_seed_cells_carry_offsets(reading: TableReading, text: str) -> None:
    funding = reading.funding
    assert funding is not None
    start, end = funding.cells["executed"]
    assert text[start:end] == "55"
    first = reading.indicators[0]
    assert first.start is not None and first.end is not None
    assert "巡察发现问题数量" in text[first.start : first.end]
    assert first.actual.start is not None and first.actual.end is not None
    assert text[first.actual.start : first.actual.end].startswith("全年开展3轮常规巡察")


def test_tables_seed_targets_and_met(reading: TableReading) -> None:
    by_name = {i.name: i for i in reading.indicators}
    problems = by_name["巡察发现问题数量"]
    assert (problems.target.op, problems.target.value) == (">=", 200)
    cost = by_name["公用经费控制率"]
    assert (cost.actual.value, cost.actual.unit) == (pytest.approx(70.56), "%")
    assert by_name["廉洁文化覆盖率"].target.unit == "%"


def _claim(cid: str, text: str, span: str, value: float, unit: str) -> ClaimPublic:
    start = text.index(span)
    return ClaimPublic(id=cid, start=start, end=start + len(span), text=span, value=value, unit=unit)


def test_tables_seed_claims_placed(text: str) -> None:
    table_start = text.index("年度资金总额")
    narrative = _claim("c1", text, "55万元", 550000, "元")
    in_sentence = _claim("c2", text, "469个", 469, "个")
    target_cell = ClaimPublic(
        id="c3", start=text.index("≥200"), end=text.index("≥200") + 4, text="≥200", value=200, bound="ge"
    )
    bare_actual = _claim("c4", text, "70.56%", 70.56, "%")
    assert narrative.start < table_start < in_sentence.start
    reading = read_tables(Document(text=text), [narrative, in_sentence, target_cell, bare_actual])
    kept = {c.id: c for c in reading.claims}
    assert set(kept) == {"c1", "c2"}
    assert kept["c1"].source == "narrative"
    assert kept["c2"].source == "table"
    problems = next(i for i in reading.indicators if i.name == "巡察发现问题数量")
    assert problems.actual.claims == ["c2"]
    assert (problems.actual.value, problems.met) == (469, True)


def test_tables_seed_through_the_text_reader(gold: dict) -> None:
    document = ingest.read(SEED_TEXT)
    assert document.tables, "the text reader puts the flattened grid on Document.tables"
    reading = read_tables(document, [])
    assert [i.name for i in reading.indicators] == [g["name"] for g in gold["indicators"]]


def test_tables_seed_overall_goal_cells(reading: TableReading, text: str) -> None:
    sides = {side: text[start:end] for side, start, end in reading.goal_cells}
    assert sides["expected"].startswith("坚持严的主基调不动摇")
    assert sides["actual"].startswith("坚持“三不腐”一体推进不动摇")
