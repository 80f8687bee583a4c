"""Funding blocks and score columns of damaged or unusual layouts: source rows named without a
funding word, labels written once per column, a unit declared above the table, cells run together,
two-line headers that split the score column."""

import pytest

from nlp_service.ingest.document import Cell, Document, TableGrid
from nlp_service.tables import TableReading, read_tables
from nlp_service.tables.funding import declared_scale
from nlp_service.tables.runtogether import split_run

WAN = 10000.0


def _document(rows: list[list[str]], caption: str = "") -> Document:
    """The cells one per line after `caption`; one grid row per list."""
    text = caption
    cells: list[Cell] = []
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            cells.append(Cell(row=r, col=c, text=value, start=len(text), end=len(text) + len(value)))
            text += value + "\n"
    return Document(text=text, tables=[TableGrid(cells=cells, start=len(caption), end=len(text))])


def _read(rows: list[list[str]], caption: str = "") -> TableReading:
    return read_tables(_document(rows, caption), [])


def test_tables_funding_every_source_row_read_even_without_a_funding_word() -> None:
    reading = _read(
        [
            ["资金投入情况(万元)", "全年预算数(A)", "全年执行数(B)", "预算执行率(B/A×100%)"],
            ["年度资金总额:", "3359.62万", "3359.62万", "100%"],
            ["其中:中央财政资金", "829.3万", "829.3万", "100%"],
            ["彩票公益金用于医疗救助", "0", "0", "100%"],
            ["地方资金", "2530.32万", "2530.32万", "100%"],
            ["其他资金", "", "", ""],
            ["资金管理情况", "情况说明", "存在问题和改进措施", ""],
            ["分配科学性", "资金分配科学合理", "暂无", ""],
        ]
    )
    assert reading.funding is not None
    assert reading.funding.sources == {
        "中央财政资金": {"budget_full_year": 829.3 * WAN, "executed": 829.3 * WAN, "execution_rate": 100},
        "彩票公益金用于医疗救助": {"budget_full_year": 0, "executed": 0, "execution_rate": 100},
        "地方资金": {"budget_full_year": 2530.32 * WAN, "executed": 2530.32 * WAN, "execution_rate": 100},
    }


def test_tables_funding_received_and_labels_written_once_per_column() -> None:
    lines = ["计划安排资金", "(万元)", "170", "实际到位资金", "(万元)", "170", "实际支出", "(万元)", "179.6"]
    lines += ["结余(万元)", "0", *["其中:中央财政"] * 4, "省财政", "170", "省财政", "170", "省财政", "170"]
    lines += ["省财政", "其它", "其它", "9.6", "其它", "9.6", "其它", "二、项目支出明细情况"]
    reading = _read([[line] for line in lines])
    funding = reading.funding
    assert funding is not None
    assert (funding.budget_full_year, funding.received, funding.executed) == (
        170 * WAN,
        170 * WAN,
        179.6 * WAN,
    )
    assert funding.sources == {
        "省财政": {"budget_full_year": 170 * WAN, "received": 170 * WAN, "executed": 170 * WAN},
        "其它": {"received": 9.6 * WAN, "executed": 9.6 * WAN},
    }


@pytest.mark.parametrize(
    ("caption", "amount"),
    [
        ("金额单位: 万元\n", 6.84 * WAN),
        ("单位：元\n", 6.84),
        ("", 6.84),
    ],
)
def test_tables_funding_unit_declared_above_the_table(caption: str, amount: float) -> None:
    reading = _read(
        [
            ["预算数", "6.84", "到位数", "6.84", "执行数", "6.84", "100.00"],
            ["其中:财政资金", "6.84", "其中:财政资金", "6.84", "其中:财政资金", "6.84"],
            ["其他", "0.00", "其他", "0.00", "其他", "0.00"],
        ],
        caption,
    )
    funding = reading.funding
    assert funding is not None
    assert (funding.budget_full_year, funding.received, funding.executed) == (amount, amount, amount)
    assert funding.sources["财政资金"] == {"budget_full_year": amount, "received": amount, "executed": amount}
    assert funding.sources["其他"] == {"budget_full_year": 0, "received": 0, "executed": 0}


@pytest.mark.parametrize(
    ("caption", "scale"),
    [("金额单位：万元", WAN), ("填报单位:(盖章) 单位:万元 |", WAN), ("单位：元", 1.0), ("项目名称", 1.0)],
)
def test_tables_funding_declared_scale(caption: str, scale: float) -> None:
    assert declared_scale(caption) == scale


@pytest.mark.parametrize(
    ("run", "columns", "bound", "pieces"),
    [
        ("1484631.00%", 3, None, ["148", "46", "31.00"]),  # 46/148 = 31.08%: near enough to tell
        ("10200%", 3, [148, 46], ["102", "0", "0"]),
        ("4646100%", 3, [148, 46], ["46", "46", "100"]),
        ("4646100%", 3, None, None),  # 46 | 46 | 100% or 46461 | 0 | 0%: not read
        ("3359.623359.62100%", 3, None, ["3359.62", "3359.62", "100"]),
        ("64.864.864.8100%", 4, None, ["64.8", "64.8", "64.8", "100"]),
        ("100100100%", 3, None, None),  # 100 | 100 | 100% or 1001001 | 0 | 0%
        ("55550%", 3, None, None),
    ],
)
def test_tables_funding_run_together_numbers_split_only_one_way(
    run: str, columns: int, bound: list[float] | None, pieces: list[str] | None
) -> None:
    assert split_run(run, columns, bound) == pieces


def test_tables_funding_block_run_together_in_one_cell() -> None:
    cell = (
        "轉移支付(項目)名稱動物防疫補助資金投入情況(萬(wàn)元)全年預算數(A)全年執行數(B)"
        "預算執行率(B/A×100%)年度資金總額:1484631.00%其中:中央財政資金10200%地方資金4646100%"
        "其他資金資金管理情況情況說明"
    )
    document = _document([["內容概述", cell]])
    reading = read_tables(document, [])
    funding = reading.funding
    assert funding is not None
    assert (funding.budget_full_year, funding.executed, funding.execution_rate) == (148 * WAN, 46 * WAN, 31.0)
    start, end = funding.cells["execution_rate"]
    assert document.text[start:end] == "31.00%"
    assert funding.sources == {
        "中央财政资金": {"budget_full_year": 102 * WAN, "executed": 0, "execution_rate": 0},
        "地方资金": {"budget_full_year": 46 * WAN, "executed": 46 * WAN, "execution_rate": 100},
    }


def test_tables_funding_two_line_header_splits_the_score_column() -> None:
    header = ["一级指标", "二级指标", "三级指标", "指标分值", "预期指标值", "单项指标实际完成值"]
    reading = _read(
        [
            ["四、年度绩效指标完成情况", *header, "单项指标完成情况", "自评得分"],
            ["符号", "单位(文字描述)", "单项指标得分", "权重占比(%)", "单项指标折算得分"],
            ["产出指标", "质量指标", "覆盖率", "享受补贴人数之比", ">=", "98", "%(百分比)", "100%", "完成"]
            + ["25.00", "25.00", "6.25"],
            ["满意度指标", "服务对象满意度指标", "服务对象满意度", "对象的满意程度", ">=", "95", "%(百分比)"]
            + ["100%", "完成", "10.00", "10.00", "1.00"],
        ]
    )
    got = [(i.level1, i.level2, i.name, i.target.raw, i.weight, i.score) for i in reading.indicators]
    assert got == [
        ("产出指标", "质量指标", "覆盖率", ">=98%(百分比)", 25, 25),
        ("满意度指标", "服务对象满意度指标", "服务对象满意度", ">=95%(百分比)", 10, 10),
    ]
    assert list(reading.converted_scores.values()) == [6.25, 1.0]
