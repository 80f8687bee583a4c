"""The seed report's performance table (绩效自评表) written as DOCX, XLSX, HTML (GBK) and PDF.

`SEED_TABLE` is the table's logical grid (each merged cell once, with its span) as it stands in the
seed report (../shared/corpora/seed/zy-jiwei-2022-xuncha.txt); the writers below put it into real
files with real merged cells, so the readers can be checked against the grid and `extract` against
the seed's text version.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

SEED_PATH = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "seed" / "zy-jiwei-2022-xuncha.txt"
TITLE = "2022年度项目支出绩效自评表"
HEADER_TEXT = "中共益阳市资阳区纪律检查委员会"
NARRATIVE = [
    "中国共产党益阳市资阳区纪律检查委员会2022年巡察专项支出绩效自评报告",
    "一、项目情况",
    "本项目的实施单位为中国共产党益阳市资阳区纪律检查委员会、益阳市资阳区监察委员会、区委巡察办。",
    "（一）项目资金使用情况",
    "本项目预算收入55万元，资金来源为纳入一般公共预算的财政拨款。",
]
N_COLS = 9
A1 = "全年开展3轮常规巡察，1轮违规举债和虚假化债专项巡察，巡察单位39个，发现和反馈问题469个，移交问题线索22件。"
A3 = "每轮巡察发现问题集中向被巡察单位反馈，督促被巡察单位立行立改、形成长效。"
A6 = (
    "在违规举债和虚假化债专项巡察中，积极配合专项整治专班的工作安排，做到同步推进，高效协同，"
    "共发现问题27个，移交问题线索1个。"
)
A7 = "出台《区委巡察工作规划（2022-2026年）》《区委巡察村（社区）党组织专项规划（2022-2026年）》，高标准谋划六届区委巡察工作。"
A8 = (
    "在张家塞甜酒、益阳弹词等非遗项目中注入清廉因子，拍摄廉洁短视频；深入挖掘王恢先、张国基、高文华等家风故事，"
    "开展“品读红色家书、传承红色家风”主题活动；在张家塞乡三星村、大码头街道金花坪社区建设廉洁文化长廊；"
    "区政务中心成功获评“全省清廉政务大厅”。"
)
A9 = (
    "抓好《区委巡察整改监督工作实施办法（试行）》的执行落实，实行联合审签制度，区纪委监委、区委组织部、"
    "区委巡察机构对各被巡察单位整改资料共同审核并签署意见、严格把关，坚持“一张清单到底”和“三家联审销号”制度。"
)
A10 = (
    "组织开展廉政家访活动，区委书记带头，家访谈话154人次，收集意见建议67条。打造“非遗里的清廉”宣教品牌，"
    "在张家塞乡三星村、大码头街道金花坪社区建设廉洁文化长廊，区政务中心获评“全省清廉政务大厅”。"
)


@dataclass(frozen=True)
class SpecCell:
    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1


def _indicator_row(row: int, first_col: int, values: list[str]) -> list[SpecCell]:
    return [SpecCell(row, first_col + i, v) for i, v in enumerate(values)]


def _build_seed_table() -> list[SpecCell]:
    cells = [
        SpecCell(0, 0, "项目名称"),
        SpecCell(0, 1, "中国共产党益阳市资阳区纪律检查委员会巡察专项支出", colspan=8),
        SpecCell(1, 0, "主管部门"),
        SpecCell(1, 1, "中国共产党益阳市资阳区纪律检查委员会", colspan=4),
        SpecCell(1, 5, "实施单位"),
        SpecCell(1, 6, "中共益阳市资阳区纪委", colspan=3),
        SpecCell(2, 0, "项目资金\n（万元）", rowspan=5),
        SpecCell(2, 1, "", colspan=2),
        *_indicator_row(2, 3, ["年初\n预算数", "全年\n预算数", "全年\n执行数", "分值", "执行率", "得分"]),
        SpecCell(3, 1, "年度资金总额", colspan=2),
        *_indicator_row(3, 3, ["55", "55", "55", "10分", "100%", "10"]),
        SpecCell(4, 1, "其中：当年财政拨款", colspan=2),
        *_indicator_row(4, 3, ["55", "55", "55", "", "", ""]),
        SpecCell(5, 1, "上年结转资金", colspan=2),
        *_indicator_row(5, 3, [""] * 6),
        SpecCell(6, 1, "其他资金", colspan=2),
        *_indicator_row(6, 3, [""] * 6),
        SpecCell(7, 0, "年度总体目标", rowspan=2),
        SpecCell(7, 1, "预期目标", colspan=4),
        SpecCell(7, 5, "实际完成情况", colspan=4),
        SpecCell(8, 1, "坚持严的主基调不动摇，一体推进不敢腐、不能腐、不想腐。", colspan=4),
        SpecCell(8, 5, "坚持“三不腐”一体推进不动摇，反腐败斗争压倒性胜利全面巩固。", colspan=4),
        SpecCell(9, 0, "绩效\n指标", rowspan=11),
        *_indicator_row(
            9,
            1,
            [
                "一级指标",
                "二级指标",
                "三级指标",
                "年度\n指标值",
                "实际\n完成值",
                "分值",
                "得分",
                "偏差原因\n分析及\n改进措施",
            ],
        ),
        SpecCell(10, 1, "产出指标\n(50分)", rowspan=4),
        *_indicator_row(10, 2, ["数量指标", "巡察发现问题数量", "≥200", A1, "14", "14", ""]),
        *_indicator_row(11, 2, ["质量指标", "内控管理制度健全性", "100%", "100%", "14", "14", ""]),
        *_indicator_row(12, 2, ["时效指标", "问题反馈效率", "一个巡察期内", A3, "14", "14", ""]),
        *_indicator_row(13, 2, ["成本指标", "公用经费控制率", "100%", "70.56%", "8", "8", ""]),
        SpecCell(14, 1, "效益指标\n（40分）", rowspan=6),
        SpecCell(14, 2, "经济效益指标", rowspan=2),
        *_indicator_row(14, 3, ["重点工作完成率", "100%", "100%", "8", "8", ""]),
        *_indicator_row(15, 3, ["违规举债和虚假化债专项巡察成效", "达到目标", A6, "8", "8", ""]),
        *_indicator_row(16, 2, ["社会效益指标", "深化政治巡察", "健全", A7, "10", "10", ""]),
        *_indicator_row(17, 2, ["生态效益指标", "深入挖掘本地廉洁文化", "达到目标", A8, "8", "8", ""]),
        *_indicator_row(18, 2, ["可持续影响指标", "做好巡察整改回头看", "达到目标", A9, "8", "8", ""]),
        *_indicator_row(19, 2, ["服务对象满意度指标", "廉洁文化覆盖率", "≥80%", A10, "8", "8", ""]),
        SpecCell(20, 0, "总分", colspan=6),
        SpecCell(20, 6, "100"),
        SpecCell(20, 7, "100"),
        SpecCell(20, 8, ""),
    ]
    return cells


SEED_TABLE: list[SpecCell] = _build_seed_table()
N_ROWS = max(c.row + c.rowspan for c in SEED_TABLE)


def spec_signature(cells: list[SpecCell]) -> set[tuple[int, int, int, int, str]]:
    """Position, span and text of each cell (cell text with line breaks removed), for comparisons."""
    return {(c.row, c.col, c.rowspan, c.colspan, c.text.replace("\n", "")) for c in cells}


# ---------------------------------------------------------------- DOCX (python-docx, real merges)


def write_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    for paragraph in NARRATIVE:
        document.add_paragraph(paragraph)
    document.add_paragraph(TITLE)
    table = document.add_table(rows=N_ROWS, cols=N_COLS)
    table.style = "Table Grid"
    for spec in SEED_TABLE:
        cell = table.cell(spec.row, spec.col)
        if spec.rowspan > 1 or spec.colspan > 1:
            cell = cell.merge(table.cell(spec.row + spec.rowspan - 1, spec.col + spec.colspan - 1))
        cell.text = spec.text
    document.add_paragraph("附件结束。")
    document.save(str(path))
    return path


# ---------------------------------------------------------------- XLSX (openpyxl, merged ranges)


def write_xlsx(path: Path) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "绩效自评表"
    sheet.cell(row=1, column=1, value=TITLE)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=N_COLS)
    for spec in SEED_TABLE:
        value: str | int | float = spec.text
        if spec.text.isdigit():
            value = int(spec.text)
        sheet.cell(row=spec.row + 2, column=spec.col + 1, value=value)
        if spec.text == "70.56%":
            sheet.cell(row=spec.row + 2, column=spec.col + 1, value=0.7056).number_format = "0.00%"
        if spec.rowspan > 1 or spec.colspan > 1:
            sheet.merge_cells(
                start_row=spec.row + 2,
                start_column=spec.col + 1,
                end_row=spec.row + 1 + spec.rowspan,
                end_column=spec.col + spec.colspan,
            )
    notes = workbook.create_sheet("说明")
    notes.cell(row=1, column=1, value="本表金额单位为万元。")
    workbook.save(str(path))
    return path


# ---------------------------------------------------------------- HTML (GBK, rowspan/colspan)


def html_table(cells: list[SpecCell]) -> str:
    rows: list[list[str]] = [[] for _ in range(N_ROWS)]
    for spec in sorted(cells, key=lambda c: (c.row, c.col)):
        attrs = (f' rowspan="{spec.rowspan}"' if spec.rowspan > 1 else "") + (
            f' colspan="{spec.colspan}"' if spec.colspan > 1 else ""
        )
        rows[spec.row].append(f"<td{attrs}>{spec.text.replace(chr(10), '<br>')}</td>")
    body = "\n".join(f"<tr>{''.join(r)}</tr>" for r in rows)
    return f'<table border="1">\n{body}\n</table>'


def html_page(charset: str = "gb2312") -> str:
    paragraphs = "\n".join(f"<p>{p}</p>" for p in NARRATIVE)
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{NARRATIVE[0]}</title>
<style>td {{ border: 1px solid #000; }}</style>
<script>var nav = "首页 > 政务公开";</script></head>
<body>
<div class="nav"><a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; 财政预决算</div>
<nav><ul><li><a href="/">网站首页</a></li><li><a href="/xxgk">信息公开</a></li></ul></nav>
<div class="article">
<h1>{NARRATIVE[0]}</h1>
{paragraphs}
<p>{TITLE}</p>
{html_table(SEED_TABLE)}
</div>
<div id="footer">主办单位：益阳市资阳区人民政府办公室 版权所有</div>
</body></html>
"""


def write_html_gbk(path: Path) -> Path:
    path.write_bytes(html_page("gb2312").encode("gbk"))
    return path


# ---------------------------------------------------------------- PDF (reportlab, STSong-Light)


def write_pdf(path: Path, *, filler_paragraphs: int = 14) -> Path:
    """The narrative, then the table across a page break; a running header and page numbers."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=10.5, leading=15, wordWrap="CJK")
    cell_style = ParagraphStyle("cell", fontName="STSong-Light", fontSize=8, leading=10, wordWrap="CJK")

    def decorate(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont("STSong-Light", 9)
        canvas.drawCentredString(A4[0] / 2, A4[1] - 12 * mm, HEADER_TEXT)
        canvas.drawCentredString(A4[0] / 2, 10 * mm, f"- {doc.page} -")
        canvas.restoreState()

    story = [Paragraph(p, body) for p in NARRATIVE]
    filler = (
        "本次绩效自评按照规定程序开展，评价工作组对项目资料进行了核查，并结合实地了解的情况形成评价意见。"
    )
    story += [Paragraph(filler, body) for _ in range(filler_paragraphs)]
    story.append(Paragraph(TITLE, body))
    data: list[list[object]] = [["" for _ in range(N_COLS)] for _ in range(N_ROWS)]
    commands: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    for spec in SEED_TABLE:
        data[spec.row][spec.col] = Paragraph(spec.text.replace("\n", "<br/>"), cell_style)
        if spec.rowspan > 1 or spec.colspan > 1:
            commands.append(
                ("SPAN", (spec.col, spec.row), (spec.col + spec.colspan - 1, spec.row + spec.rowspan - 1))
            )
    widths = [w * mm for w in (14, 18, 18, 24, 18, 40, 12, 12, 18)]
    story.append(Table(data, colWidths=widths, style=TableStyle(commands)))
    story.append(Paragraph("附件结束。", body))
    doc = SimpleDocTemplate(str(path), pagesize=A4, topMargin=22 * mm, bottomMargin=20 * mm)
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return path
