"""Target and actual-value expressions of performance-table cells."""

import pytest

from nlp_service.schema import ActualPublic
from nlp_service.tables.targets import is_bare_value, parse_target, target_met

TARGETS = [
    # raw, op, value, value_max, unit
    ("≥200", ">=", 200, None, None),
    ("≤5个工作日", "<=", 5, None, "个工作日"),
    ("100%", "=", 100, None, "%"),
    ("≥80%", ">=", 80, None, "%"),
    (">95%", ">", 95, None, "%"),
    (">= 98 %(百分比)", ">=", 98, None, "%"),
    ("=100百分比", "=", 100, None, "%"),
    ("60%及以上", ">=", 60, None, "%"),
    ("18—54周岁", "range", 18, 54, "周岁"),
    ("50-90人", "range", 50, 90, "人"),
    ("达到目标", "qualitative", None, None, None),
    ("健全", "qualitative", None, None, None),
    ("一个巡察期内", "within", 1, None, "个巡察期"),
    ("5个工作日内", "within", 5, None, "个工作日"),
    ("2022年12月31日前", "before", None, None, None),
    ("11月底前", "before", None, None, None),
    ("2023年12月", "date", None, None, None),
    ("2021.1.1-12.31", "date", None, None, None),
    ("1100万元", "=", 11_000_000, None, "元"),
    ("≥11.376万元", ">=", 113_760, None, "元"),
    ("2.6亿元", "=", 260_000_000, None, "元"),
    ("1.2万亩", "=", 12_000, None, "亩"),
    (">=530元/人*月", ">=", 530, None, "元/人*月"),
    ("0次", "=", 0, None, "次"),
    ("不低于90%", ">=", 90, None, "%"),
]


@pytest.mark.parametrize(("raw", "op", "value", "value_max", "unit"), TARGETS)
def test_targets_parse_expression(
    raw: str, op: str, value: float | None, value_max: float | None, unit: str | None
) -> None:
    target = parse_target(raw)
    assert target.raw == raw
    assert target.op == op
    assert target.value == (pytest.approx(value) if value is not None else None)
    assert target.value_max == value_max
    assert target.unit == unit


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_targets_empty_cell_has_no_target(raw: str | None) -> None:
    assert parse_target(raw).raw is None


BARE = [
    ("70.56%", True),
    ("469个", True),
    ("=230畝", True),
    ("≥95%", True),
    ("全年开展3轮常规巡察，发现问题469个。", False),
    ("达到目标", False),
]


@pytest.mark.parametrize(("text", "bare"), BARE)
def test_targets_bare_value_cells(text: str, bare: bool) -> None:
    assert is_bare_value(text) is bare


MET = [
    ("≥200", 469, None, True),
    ("≥80%", 75, "%", False),
    ("100%", 100, "%", True),
    ("≤5个工作日", 4, "个工作日", True),
    ("≤5个工作日", 6, "个工作日", False),
    ("≥80%", 3, "个", None),  # units differ: not comparable
    ("达到目标", None, None, None),
]


@pytest.mark.parametrize(("raw", "actual", "unit", "met"), MET)
def test_targets_met_where_comparable(
    raw: str, actual: float | None, unit: str | None, met: bool | None
) -> None:
    assert target_met(parse_target(raw), ActualPublic(raw="x", value=actual, unit=unit)) is met


def test_targets_qualitative_met_when_actual_says_the_same() -> None:
    assert target_met(parse_target("达到目标"), ActualPublic(raw="达到目标")) is True
