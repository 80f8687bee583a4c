"""The gold conventions applied after the rules and the model meet (nlp_service.ner.chains)."""

from __future__ import annotations

import pytest

from nlp_service.ner.chains import (
    drop_generic_bodies,
    listed_people,
    split_joined_bodies,
    split_name_runs,
    split_place_chains,
)
from nlp_service.ner.combine import combine

Span = tuple[int, int, str]


def surfaces(text: str, spans: list[Span]) -> list[tuple[str, str]]:
    return [(text[s:e], label) for s, e, label in sorted(spans)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("大码头街道金花坪社区", [("大码头街道", "LOC"), ("金花坪社区", "LOC")]),
        ("张家塞乡三星村", [("张家塞乡", "LOC"), ("三星村", "LOC")]),
        ("湖南省长沙市芙蓉区", [("湖南省", "LOC"), ("长沙市", "LOC"), ("芙蓉区", "LOC")]),
        ("城市花园社区", [("城市花园社区", "LOC")]),  # 城市 is a word, not a unit
        ("广州市", [("广州市", "LOC")]),
        ("北京市区", [("北京市区", "LOC")]),
        ("中山路", [("中山路", "LOC")]),
        ("中美", [("中", "LOC"), ("美", "LOC")]),
        ("港澳台", [("港", "LOC"), ("澳", "LOC"), ("台", "LOC")]),
        ("巴西", [("巴西", "LOC")]),
        ("西欧", [("西欧", "LOC")]),
        ("中华人民共和国香港特别行政区", [("中华人民共和国", "LOC"), ("香港特别行政区", "LOC")]),
        ("中华人民共和国", [("中华人民共和国", "LOC")]),
        # a span that runs on past a unit into a verb ends at the unit
        ("大码头街道金花坪社区建设廉洁文化长廊", [("大码头街道", "LOC"), ("金花坪社区", "LOC")]),
        ("三星村开展活动", [("三星村", "LOC")]),
        ("长沙市工业园", [("长沙市工业园", "LOC")]),  # 工业 is no verb
        ("苏州市开发区", [("苏州市", "LOC"), ("开发区", "LOC")]),  # ends in a unit: cut, nothing dropped
        # a county's short name after a unit is a unit of its own; other words after a unit are not
        ("巴彦淖尔市临河", [("巴彦淖尔市", "LOC"), ("临河", "LOC")]),
        ("红河州一中心", [("红河州一中心", "LOC")]),
    ],
)
def test_entity_chains_split_places_into_units(text: str, expected: list[tuple[str, str]]) -> None:
    assert surfaces(text, split_place_chains(text, [(0, len(text), "LOC")])) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("生态环境部和省生态环境厅", [("生态环境部", "ORG"), ("省生态环境厅", "ORG")]),
        ("国家发展改革委与财政部", [("国家发展改革委", "ORG"), ("财政部", "ORG")]),
        ("人大及其常委会", [("人大", "ORG")]),
        ("市人民代表大会及其常务委员会", [("市人民代表大会", "ORG")]),
        ("经省编委", [("省编委", "ORG")]),
        # 和 inside one body's name: the part before it ends in no body's suffix
        ("保山市文化和旅游局", [("保山市文化和旅游局", "ORG")]),
        ("临沧市临翔区林业和草原局", [("临沧市临翔区林业和草原局", "ORG")]),
        ("经济开发区管委会", [("经济开发区管委会", "ORG")]),  # 经 before no level: part of the name
    ],
)
def test_entity_chains_split_joined_bodies(text: str, expected: list[tuple[str, str]]) -> None:
    assert surfaces(text, split_joined_bodies(text, [(0, len(text), "ORG")])) == expected


@pytest.mark.parametrize(
    ("text", "body", "kept"),
    [
        ("乡镇党委要扛起整改责任", "乡镇党委", False),
        ("村党总支负直接责任", "村党总支", False),
        ("依法审理由基层人民法院管辖", "基层人民法院", False),
        ("市委书记带头到党校授课", "市委", False),  # a title, not the organ
        ("维西县委书记主持会议", "维西县委", True),  # a named committee stays
        ("市委召开常委会", "市委", True),  # a short form naming the organ in context
        ("三星村村委会开展活动", "三星村村委会", True),
    ],
)
def test_entity_chains_drop_generic_bodies(text: str, body: str, kept: bool) -> None:
    start = text.index(body)
    spans: list[Span] = [(start, start + len(body), "ORG")]
    assert (drop_generic_bodies(text, spans) == spans) is kept


def test_entity_chains_joined_places_are_left_to_the_place_rules() -> None:
    text = "湖南省和湖北省"
    assert split_joined_bodies(text, [(0, len(text), "LOC")]) == [(0, len(text), "LOC")]


def test_entity_chains_leave_bodies_whole() -> None:
    text = "益阳市资阳区监察委员会"
    assert split_place_chains(text, [(0, len(text), "ORG")]) == [(0, len(text), "ORG")]


def test_entity_chains_list_of_people_takes_the_other_names() -> None:
    text = "深入挖掘王恢先、张国基、高文华等家风故事"
    start = text.index("张国基")
    found = listed_people(text, [(start, start + 3, "PERSON")])
    assert surfaces(text, found) == [("王恢先", "PERSON"), ("张国基", "PERSON"), ("高文华", "PERSON")]


@pytest.mark.parametrize(
    "text",
    [
        "会见了张国基、各部门负责人",  # 各部门 does not start with a surname
        "张国基、国务院和省委",  # 国务院 is not a name here
    ],
)
def test_entity_chains_list_without_names_adds_nothing(text: str) -> None:
    assert listed_people(text, [(text.index("张国基"), text.index("张国基") + 3, "PERSON")]) == [
        (text.index("张国基"), text.index("张国基") + 3, "PERSON")
    ]


def test_entity_chains_list_skips_items_already_taken() -> None:
    text = "张国基、高新区管委会"
    spans: list[Span] = [(0, 3, "PERSON"), (4, 10, "ORG")]
    assert listed_people(text, spans) == spans


def test_entity_chains_apply_in_combine() -> None:
    text = "在大码头街道金花坪社区，王恢先、张国基发言"
    model = [(1, 11, "LOC"), (text.index("张国基"), text.index("张国基") + 3, "PERSON")]
    found = set(surfaces(text, combine(text, model, "longest")))
    assert {("大码头街道", "LOC"), ("金花坪社区", "LOC"), ("王恢先", "PERSON"), ("张国基", "PERSON")} <= found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("李鹏乔石李瑞环", ["李鹏", "乔石", "李瑞环"]),  # the cut that leaves no surname inside a given name
        ("黄菊曹龙浩", ["黄菊", "曹龙浩"]),
        ("陈俊生司马义", ["陈俊生", "司马义"]),  # a two-character surname
        ("欧阳修", ["欧阳修"]),  # shorter than a run
        ("司马光明", ["司马光明"]),  # one name: 明 is no surname, so no second name starts there
        ("芭芭拉·史翠珊", ["芭芭拉·史翠珊"]),  # not all Chinese characters
    ],
)
def test_entity_chains_split_runs_of_names(text: str, expected: list[str]) -> None:
    assert [text[s:e] for s, e, _ in split_name_runs(text, [(0, len(text), "PERSON")])] == expected
    assert split_name_runs(text, [(0, len(text), "ORG")]) == [(0, len(text), "ORG")]
