"""The interpreter on reader grids: real merged cells, other column orders, 扣分 tables, notes."""

import pytest

from nlp_service.ingest.document import Cell, Document, TableGrid
from nlp_service.tables import TableReading, read_tables


def _document(rows: list[list[str | tuple[str, int]]]) -> Document:
    """A document whose text is the cells one per line and whose grid has them with their spans.

    A cell written `(text, n)` spans n rows (merged vertically) and is written once, like the
    DOCX/HTML readers do; the following rows simply lack that column.
    """
    text_parts: list[str] = []
    cells: list[Cell] = []
    pos = 0
    covered: dict[tuple[int, int], bool] = {}
    for r, row in enumerate(rows):
        col = 0
        for item in row:
            while covered.get((r, col)):
                col += 1
            value, span = (item, 1) if isinstance(item, str) else item
            cells.append(Cell(row=r, col=col, text=value, start=pos, end=pos + len(value), rowspan=span))
            for k in range(1, span):
                covered[(r + k, col)] = True
            text_parts.append(value + "\n")
            pos += len(value) + 1
            col += 1
    text = "".join(text_parts)
    return Document(text=text, tables=[TableGrid(cells=cells, start=0, end=len(text))])


def _read(rows: list[list[str | tuple[str, int]]]) -> TableReading:
    return read_tables(_document(rows), [])


def test_tables_grids_merged_categories_carried_down() -> None:
    reading = _read(
        [
            ["项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
            ["年度资金总额", "55", "55", "50", "10", "90.9%", "9"],
            ["其中：当年财政拨款", "55", "55", "50", "", "", ""],
            ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
            [("产出指标(50分)", 3), ("数量指标", 2), "培训人数", "≥200人", "230人", "20", "20"],
            ["培训场次", "≥5次", "4次", "10", "8"],
            ["质量指标", "合格率", "100%", "100%", "20", "20"],
            [("满意度指标(10分)", 1), "服务对象满意度指标", "满意度", "≥90%", "95%", "10", "10"],
            ["总分", "60", "58"],
        ]
    )
    got = [(i.level1, i.level2, i.name, i.target.raw, i.weight, i.score) for i in reading.indicators]
    assert got == [
        ("产出指标", "数量指标", "培训人数", "≥200人", 20, 20),
        ("产出指标", "数量指标", "培训场次", "≥5次", 10, 8),
        ("产出指标", "质量指标", "合格率", "100%", 20, 20),
        ("满意度指标", "服务对象满意度指标", "满意度", "≥90%", 10, 10),
    ]
    assert reading.category_weights == {"产出指标": 50, "满意度指标": 10}
    assert (reading.total_weight, reading.total_score) == (60, 58)
    assert reading.funding is not None
    assert (reading.funding.budget_full_year, reading.funding.executed) == (550000, 500000)
    assert reading.funding.execution_rate == pytest.approx(90.9)
    assert reading.funding.sources == {
        "当年财政拨款": {"budget_initial": 550000, "budget_full_year": 550000, "executed": 500000}
    }
    assert [i.met for i in reading.indicators] == [True, False, True, True]


def test_tables_grids_columns_in_another_order() -> None:
    reading = _read(
        [
            ["一级指标", "二级指标", "三级指标", "分值", "年度指标值", "全年实际值", "得分", "未完成原因"],
            [("产出指标", 2), ("数量指标", 2), "补助面积", "20", "29.5亩", "29.5亩", "20", ""],
            ["其中桃树面积", "1.5亩", "1.5亩", ""],
        ]
    )
    got = [(i.name, i.target.raw, i.weight, i.score) for i in reading.indicators]
    assert got == [("补助面积", "29.5亩", 20, 20), ("其中桃树面积", "1.5亩", None, None)]


def test_tables_grids_deduction_table_scores_from_weight_and_deduction() -> None:
    reading = _read(
        [
            ["序号", "一级指标", "分值", "扣分", "评价等级"],
            ["1", "运行成本", "8", "2", "优"],
            ["2", "管理效率", "22", "2.15", ""],
        ]
    )
    got = [(i.level1, i.name, i.weight, i.score) for i in reading.indicators]
    assert got == [("运行成本", "运行成本", 8, 6), ("管理效率", "管理效率", 22, pytest.approx(19.85))]
    assert "scores computed as 分值 − 扣分" in reading.notes


def test_tables_grids_unreadable_table_is_reported_not_guessed() -> None:
    reading = _read([["序号", "学校", "人数"], ["1", "第一中学", "842"], ["2", "第二中学", "900"]])
    assert reading.indicators == [] and reading.funding is None
    assert reading.tables[0].kind == "other"
    assert any("not read" in note for note in reading.notes)


def test_tables_grids_glued_funding_read_from_plain_text() -> None:
    text = "預(yù)算數(shù)(A)執(zhí)行數(shù)(B)執(zhí)行率(B/A)得分年度財政資金總額10萬8萬80%16年度績效指標(biāo)一級指標\n"
    funding = read_tables(Document(text=text), []).funding
    assert funding is not None
    assert (funding.budget_full_year, funding.executed, funding.execution_rate, funding.score) == (
        100000,
        80000,
        80,
        16,
    )
    start, end = funding.cells["executed"]
    assert text[start:end] == "8萬"


@pytest.mark.parametrize(
    "text",
    [
        "附表1：\n序号 |\n一级指标 |\n二级指标 |\n三级指标 |\n指标分值",  # cut off after the header
        "序号 | 一级指标 |\n",
        "|||\n|||\n|||\n",
        "\t一级指标\n\t二级指标\n\t三级指标\n\t指标值\n\n" * 3,
    ],
)
def test_tables_grids_truncated_tables_end_cleanly(text: str) -> None:
    reading = read_tables(Document(text=text), [])
    assert reading.indicators == []
