"""Tables flattened into plain text, rebuilt as grids with offsets into the text."""

import pytest

from nlp_service.ingest.document import TableGrid
from nlp_service.ingest.flattened import find_flattened_tables

TAB_TABLE = (
    "正文第一段。\n\n"
    "\t一级指标\n\t二级指标\n\t三级指标\n\t年度\n指标值\n\t分值\n\n"
    "\t产出指标\n\n(50分)\n\t数量指标\n\t巡察发现问题数量\n\t≥200\n\t14\n\n"
    "\t\n\t质量指标\n\t制度健全性\n\t100%\n\t14\n\n"
    "\t总分\n\t100\n"
)
PIPE_TABLE = (
    "说明文字\n"
    "一级指标 | 二级指标 | 三级指标 | 指标值 |\n"
    "产出指标 | 数量指标 | 培训人数 | 200人 |\n"
    "| 质量指标 | 合格率 | 100% |\n"
    "| | 及时率 | ≥95% |\n"
)
SPACE_TABLE = (
    "项目资金（万元） 年初预算数 全年预算数 全年执行数\n"
    "年度资金总额 55 55 50\n"
    "一级指标 二级指标 三级指标 指标值\n"
    "产出指标 数量指标 培训人数 200人\n"
)


def _rows(grid: TableGrid) -> list[list[str]]:
    return [[cell.text for cell in row] for row in grid.rows()]


def _assert_offsets(text: str, grid: TableGrid) -> None:
    for cell in grid.cells:
        assert text[cell.start : cell.end] == cell.text


def test_flattened_tab_layout_rebuilds_rows_and_cells() -> None:
    grids = find_flattened_tables(TAB_TABLE)
    assert len(grids) == 1
    rows = _rows(grids[0])
    assert rows[0] == ["一级指标", "二级指标", "三级指标", "年度\n指标值", "分值"]
    assert rows[1] == ["产出指标\n\n(50分)", "数量指标", "巡察发现问题数量", "≥200", "14"]
    assert rows[2] == ["", "质量指标", "制度健全性", "100%", "14"]  # merged cell left empty
    assert rows[3] == ["总分", "100"]
    _assert_offsets(TAB_TABLE, grids[0])


def test_flattened_tab_layout_joins_a_row_broken_by_a_blank_line_in_a_cell() -> None:
    text = (
        "\t一级指标\n\t二级指标\n\t三级指标\n\t分值\n\n"
        "\t产出指标\n\t数量指标\n\t人数\n\t10\n\n"
        "\t效益指标\n（40分）\n\n"
        "\t社会效益指标\n\t满意度\n\t10\n"
    )
    rows = _rows(find_flattened_tables(text)[0])
    assert rows[-1] == ["效益指标\n（40分）", "社会效益指标", "满意度", "10"]


def test_flattened_pipe_layout_keeps_leading_empty_cells() -> None:
    grids = find_flattened_tables(PIPE_TABLE)
    assert len(grids) == 1
    rows = _rows(grids[0])
    assert rows[0] == ["一级指标", "二级指标", "三级指标", "指标值"]
    assert rows[2] == ["", "质量指标", "合格率", "100%"]
    assert rows[3] == ["", "", "及时率", "≥95%"]
    _assert_offsets(PIPE_TABLE, grids[0])


def test_flattened_pipe_layout_one_cell_per_line() -> None:
    text = "一级指标 |\n二级指标 |\n三级指标 |\n指标值 |\n产出指标 |\n数量指标 |\n人数 |\n200人 |\n"
    rows = _rows(find_flattened_tables(text)[0])
    assert [cell for row in rows for cell in row] == [
        "一级指标",
        "二级指标",
        "三级指标",
        "指标值",
        "产出指标",
        "数量指标",
        "人数",
        "200人",
    ]


def test_flattened_space_layout_splits_cells_at_spaces() -> None:
    grids = find_flattened_tables(SPACE_TABLE)
    assert len(grids) == 1
    rows = _rows(grids[0])
    assert rows[1] == ["年度资金总额", "55", "55", "50"]
    assert rows[3] == ["产出指标", "数量指标", "培训人数", "200人"]
    _assert_offsets(SPACE_TABLE, grids[0])


@pytest.mark.parametrize(
    "text",
    [
        "本项目预算执行率为100%，项目资金使用规范。\n\n（一）项目资金使用情况\n资金到位及时。\n",
        "\t第一段缩进的正文，提到执行率。\n\t第二段缩进的正文。\n",
        "",
    ],
)
def test_flattened_narrative_is_no_table(text: str) -> None:
    assert find_flattened_tables(text) == []


def test_flattened_markdown_table_drops_rule_rows() -> None:
    text = "| 一级指标 | 二级指标 | 三级指标 | 指标值 |\n|---|---|---|---|\n| 产出指标 | 数量指标 | 人数 | 200人 |\n"
    rows = _rows(find_flattened_tables(text)[0])
    assert rows == [
        ["", "一级指标", "二级指标", "三级指标", "指标值"],
        ["", "产出指标", "数量指标", "人数", "200人"],
    ]


def test_flattened_glued_table_cut_at_words_and_values() -> None:
    text = "文档简介：一级指标二级指标三级指标指标目标值产出指标数量指标免费开放天数=300天质量指标验收合格率=100%\n"
    grids = find_flattened_tables(text)
    assert len(grids) == 1
    cells = [cell for row in _rows(grids[0]) for cell in row]
    assert cells == [
        "一级指标",
        "二级指标",
        "三级指标",
        "指标目标值",
        "产出指标",
        "数量指标",
        "免费开放天数",
        "=300天",
        "质量指标",
        "验收合格率",
        "=100%",
    ]
    _assert_offsets(text, grids[0])


def test_flattened_glued_traditional_funding_with_pinyin_glosses() -> None:
    text = "預(yù)算數(shù)(A)執(zhí)行數(shù)(B)執(zhí)行率(B/A)得分年度財政資金總額10萬8萬80%16年度績效指標(biāo)一級指標\n"
    cells = [cell for row in _rows(find_flattened_tables(text)[0]) for cell in row]
    assert cells[-7:-2] == ["年度財政資金總額", "10萬", "8萬", "80%", "16"]
