"""Numbers, units, ranges, approximations and non-claims (nlp_service.numbers, pipeline.quantities)."""

from __future__ import annotations

import pytest

from nlp_service.numbers import find_quantities, normalise_width, parse_chinese_numeral, parse_quantity
from nlp_service.pipeline.dates import find_dates, find_doc_titles
from nlp_service.pipeline.quantities import find_claim_candidates


@pytest.mark.parametrize(
    ("text", "value"),
    [("两", 2), ("十", 10), ("十二", 12), ("二十", 20), ("一千二百", 1200), ("两万三千", 23000),
     ("一百零五", 105), ("二〇二二", 2022), ("三亿五千万", 350_000_000), ("零", 0)],
)
def test_numbers_chinese_numerals(text: str, value: float) -> None:
    assert parse_chinese_numeral(text) == value


@pytest.mark.parametrize("text", ["", "万村", "一把手x", "abc"])
def test_numbers_chinese_numeral_rejects_non_numerals(text: str) -> None:
    assert parse_chinese_numeral(text) is None


@pytest.mark.parametrize(
    ("text", "value", "value_max", "unit", "kind", "bound"),
    [
        ("23个", 23, None, "个", "count", "eq"),
        ("23,876人", 23876, None, "人", "count", "eq"),
        ("１２３名", 123, None, "名", "count", "eq"),
        ("1.2万人次", 12000, None, "人次", "count", "eq"),
        ("3.5亿元", 350_000_000, None, "元", "money", "eq"),
        ("55万元", 550_000, None, "元", "money", "eq"),
        ("1,133.79万元", 11_337_900, None, "元", "money", "eq"),
        ("1781.86 万\n元", 17_818_600, None, "元", "money", "eq"),
        ("100%", 100, None, "%", "percent", "eq"),
        ("９５％", 95, None, "%", "percent", "eq"),
        ("百分之五十", 50, None, "%", "percent", "eq"),
        ("万分之六", 0.06, None, "%", "percent", "eq"),
        ("三成", 30, None, "%", "percent", "eq"),
        ("5‰", 0.5, None, "%", "percent", "eq"),
        ("0.5个百分点", 0.5, None, "百分点", "percent", "eq"),
        ("99.5分", 99.5, None, "分", "score", "eq"),
        ("3至5名", 3, 5, "名", "count", "range"),
        ("3-5个", 3, 5, "个", "count", "range"),
        ("50至90人", 50, 90, "人", "count", "range"),
        ("10余名", 10, None, "名", "count", "gt"),
        ("十余名", 10, None, "名", "count", "gt"),
        ("逾20多万人次", 200_000, None, "人次", "count", "gt"),
        ("约1000㎡", 1000, None, "㎡", "measure", "eq"),
        ("近70万亿元", 70e12, None, "元", "money", "lt"),
        ("近百头", 100, None, "头", "count", "lt"),
        ("90%以上", 90, None, "%", "percent", "ge"),
        ("6500万亩以上", 65_000_000, None, "亩", "measure", "ge"),
        ("5.3%以下", 5.3, None, "%", "percent", "le"),
        ("超过60%", 60, None, "%", "percent", "gt"),
        ("不少于1950元", 1950, None, "元", "money", "ge"),
        ("不足3人", 3, None, "人", "count", "lt"),
        ("85%左右", 85, None, "%", "percent", "eq"),
        ("≥95%", 95, None, "%", "percent", "ge"),
        ("两条", 2, None, "条", "count", "eq"),
        ("一千二百人", 1200, None, "人", "count", "eq"),
        ("3個", 3, None, "個", "count", "eq"),
        ("5條", 5, None, "條", "count", "eq"),
        ("40422套(间)", 40422, None, "套", "count", "eq"),
        ("110人(次)", 110, None, "人次", "count", "eq"),
        ("15840.60萬篇(冊)次", 158_406_000, None, "篇(冊)次", "count", "eq"),
        ("4.52(万人)", 45200, None, "人", "count", "eq"),
        ("8公里", 8, None, "公里", "measure", "eq"),
        ("2周", 2, None, "周", "duration", "eq"),
    ],
)
def test_numbers_quantity_values_units_and_bounds(text: str, value: float, value_max: float | None,
                                                  unit: str, kind: str, bound: str) -> None:
    q = parse_quantity(text)
    assert q is not None
    assert q.value == pytest.approx(value)
    assert (q.value_max is None) == (value_max is None)
    if value_max is not None:
        assert q.value_max == pytest.approx(value_max)
    assert (q.unit, q.kind, q.bound) == (unit, kind, bound)


@pytest.mark.parametrize(("text", "approximate"), [("10余名", True), ("约5人", True), ("5人", False),
                                                  ("3人左右", True)])
def test_numbers_approximation_flag(text: str, approximate: bool) -> None:
    q = parse_quantity(text)
    assert q is not None and q.approximate is approximate


def test_numbers_full_width_offsets_stay_on_the_original_text() -> None:
    text = "共发现问题２３个，资金１.５万元"
    assert len(normalise_width(text)) == len(text)
    found = find_quantities(text)
    assert [(q.text, q.value) for q in found] == [("２３个", 23), ("１.５万元", 15000)]
    assert all(text[q.start : q.end] == q.text for q in found)


@pytest.mark.parametrize(
    ("text", "number", "reason"),
    [
        ("开展第一轮巡察", "一轮", "ordinal"),
        ("县委第十一轮巡察", "十一轮", "ordinal"),
        ("县委十一轮巡察", "十一轮", "ordinal"),
        ("首轮巡察发现问题", None, None),
        ("一是加强领导", None, None),
        ("依据中办发〔2020〕42号文件", "42", "document number"),
        ("落实“三个三”工作法", "三个", "slogan"),
        ("坚决做到两个维护", "两个", "slogan"),
        ("严格落实中央八项规定精神", "八项", "slogan"),
        ("印发《关于开展3个专项行动的通知》", "3个", "title"),
        ("每个巡察组核定编制3名", "3名", "norm"),
        ("每一个部门明确一名联络员", "一名", "generic one"),
        ("3月22日召开会议", "3", "date"),
        ("2022年度预算", "2022", "date"),
        ("2022—2026年规划", "2022—2026", "date"),
        ("共15页", None, None),
        ("2.项目立项背景", "2", "bare number"),
    ],
)
def test_numbers_non_claims(text: str, number: str | None, reason: str | None) -> None:
    candidates = find_claim_candidates(text)
    claims = [q.text for q, why in candidates if why is None]
    assert claims == []
    if number is not None:
        reasons = {q.text: why for q, why in candidates}
        assert reasons.get(number) == reason


@pytest.mark.parametrize(
    ("text", "claims"),
    [
        ("发现问题23个，移交问题线索22件", ["23个", "22件"]),
        ("每亩197元", ["197元"]),
        ("反馈的6个方面14问题", ["6个", "14"]),
        ("开展3轮常规巡察", ["3轮"]),
        ("涉及两条线路", ["两条"]),
    ],
)
def test_numbers_claim_candidates_kept(text: str, claims: list[str]) -> None:
    assert [q.text for q, why in find_claim_candidates(text) if why is None] == claims


@pytest.mark.parametrize(
    ("text", "dates"),
    [("3月22日召开", ["3月22日"]), ("2022年度预算", ["2022年度"]), ("2022—2026年", ["2022—2026年"]),
     ("截至2024年12月底", ["2024年12月底"]), ("4月份", ["4月份"]), ("发布日期: 2025-04-29", ["2025-04-29"]),
     ("3个月", [])],
)
def test_numbers_dates_are_found(text: str, dates: list[str]) -> None:
    assert [text[s:e] for s, e in find_dates(text)] == dates


def test_numbers_doc_titles_are_found() -> None:
    text = "根据《关于做好2022年巡察工作的通知》要求"
    assert [text[s:e] for s, e in find_doc_titles(text)] == ["《关于做好2022年巡察工作的通知》"]
