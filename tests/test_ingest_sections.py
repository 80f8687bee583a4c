"""Section headings read as a hierarchy: 第一部分 > 一、 > （一） > 1. > （1） > ①, with the variants
reports really use, and numbered paragraphs or numbers that are not headings left alone."""

from __future__ import annotations

import pytest
from format_fixtures import SEED_PATH

from nlp_service.ingest import read
from nlp_service.ingest.sections import chinese_number, find_sections, match_marker


def outline(text: str) -> list[tuple[int, str]]:
    return [(s.level, s.heading) for s in find_sections(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "一、基本情况\n正文。\n（一）项目概况\n正文。\n1. 资金\n正文。\n（1）来源\n正文。\n二、评价结论\n正文。",
            [
                (1, "一、基本情况"),
                (2, "（一）项目概况"),
                (3, "1. 资金"),
                (4, "（1）来源"),
                (1, "二、评价结论"),
            ],
        ),
        (  # ASCII parentheses, 1、 and full-width digits
            "一、情况\n(一)目的\n1、范围\n(１)对象\n二．结论",
            [(1, "一、情况"), (2, "(一)目的"), (3, "1、范围"), (4, "(１)对象"), (1, "二．结论")],
        ),
        (  # the seed's own variant: （一） followed by （2） （3） at the same level
            "二、工作开展情况\n（一）评价目的\n正文\n（2） 评价对象\n正文\n（3） 评价原则\n1. 科学公正。绩效评价应当科学。",
            [
                (1, "二、工作开展情况"),
                (2, "（一）评价目的"),
                (2, "（2） 评价对象"),
                (2, "（3） 评价原则"),
                (3, "1. 科学公正。"),
            ],
        ),
        (
            "第一部分 总体情况\n一、概况\n第二部分 评价\n一、结论",
            [(1, "第一部分 总体情况"), (2, "一、概况"), (1, "第二部分 评价"), (2, "一、结论")],
        ),
        (  # a style met again returns to its level
            "一、甲\n（一）子\n1. 孙\n（二）子二\n2. 孙二\n（1）曾孙\n二、乙",
            [
                (1, "一、甲"),
                (2, "（一）子"),
                (3, "1. 孙"),
                (2, "（二）子二"),
                (3, "2. 孙二"),
                (4, "（1）曾孙"),
                (1, "二、乙"),
            ],
        ),
        ("　　三、存在的问题\n正文", [(1, "三、存在的问题")]),
        ("十一、其他事项\n十二、附件", [(1, "十一、其他事项"), (1, "十二、附件")]),
    ],
    ids=["standard", "variants", "seed-mixed", "parts", "style-memory", "indented", "tens"],
)
def test_sections_hierarchy(text: str, expected: list[tuple[int, str]]) -> None:
    assert outline(text) == expected


@pytest.mark.parametrize(
    "line",
    [
        "4753.66万元",  # a decimal, not 4. followed by text
        "1.2万人次参加培训",
        "2022年度项目支出绩效自评表",
        "1、部门整体支出绩效自评表(2021年度)区级预算单位名称永州市零陵区疾病预防控制中心年度预算申请(万元)年初预算数全年预算数全年执行数分值执行率得分年度资金总额",
        "一是完善制度，二是加强监督。",
        "(50分)",
        "\t1. 表格单元格里的编号",
    ],
)
def test_sections_ignore_lines_that_are_not_headings(line: str) -> None:
    assert outline(line + "\n正文。") == []


def test_sections_paths_ranges_and_nesting() -> None:
    text = "一、甲\n正文一\n（一）子\n正文二\n二、乙\n正文三"
    sections = find_sections(text)
    by_heading = {s.heading: s for s in sections}
    assert by_heading["（一）子"].path == ("一、甲", "（一）子")
    assert text[by_heading["一、甲"].start : by_heading["一、甲"].end] == "一、甲\n正文一\n（一）子\n正文二"
    assert text[by_heading["二、乙"].start : by_heading["二、乙"].end] == "二、乙\n正文三"


def test_sections_skip_ranges_inside_tables() -> None:
    text = "一、甲\n1. 表内编号\n二、乙"
    start = text.index("1.")
    assert [s.heading for s in find_sections(text, [(start, start + 8)])] == ["一、甲", "二、乙"]


def test_sections_of_the_seed() -> None:
    document = read(SEED_PATH)
    levels = {s.heading: (s.level, s.path) for s in document.sections}
    assert [s.heading for s in document.sections if s.level == 1] == [
        "一、项目情况",
        "二、绩效自评工作开展情况",
        "三、综合评价结论",
        "四、绩效目标实现情况分析",
        "五、存在的问题和改进措施",
        "六、部门整体支出绩效自评结果拟应用和公开情况",
    ]
    assert levels["（2） 评价对象及范围"][0] == 2
    assert levels["1. 高标准谋划，健全工作机制。"] == (
        3,
        ("四、绩效目标实现情况分析", "（二）总体绩效目标完成情况", "1. 高标准谋划，健全工作机制。"),
    )


@pytest.mark.parametrize(
    ("text", "value"),
    [("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("九十九", 99), ("１２", 12), ("7", 7)],
)
def test_sections_chinese_numbers(text: str, value: int) -> None:
    assert chinese_number(text) == value


def test_sections_marker_families() -> None:
    found = [match_marker(line) for line in ("一、", "（一）", "1.", "（1）", "①", "第三部分")]
    assert [m[0].family for m in found if m] == ["cn", "cn_paren", "num", "num_paren", "circled", "part"]
