"""Document metadata read from the text: title, organisation, year, report date.

- title: the first line near the top naming the report (`…绩效自评报告`, `…自评表`), joined with the
  next line when the title is broken over two (`2023年度县委巡察办整体支出` / `绩效自评报告`);
- org: a labelled field (`单位名称：`, `部门(单位)全称：`, `发布机构：`) or the title's organisation
  (before or after its year: `潜江市民政局`);
- year: the title's year (`2022年`, `2022年度`), else the first year in the text;
- report_date: a labelled date (`发布日期：2025-04-29`) or the last full date near the end.
"""

from __future__ import annotations

import re
from typing import Any

from spacy.tokens import Doc

from nlp_service.ingest.document import Document
from nlp_service.numbers import normalise_width

TITLE_WORDS = re.compile(r"报告|報告|自评表|自評表|评价表|總結|总结")
_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
_ORG_FIELD = re.compile(r"(?:单位名称|單位名稱|部门\(单位\)全称|部门（单位）全称|发布机构|發布機構|实施单位|主管部门)"
                        r"(?:\(盖章\)|（盖章）)?[ \t]*[:：][ \t]*([^\s:：|()（）]{2,40})")
_ORG_IN_TITLE = re.compile(r"^(.{2,40}?)(?:19|20)\d\d\s*年|^(?:19|20)\d\d\s*年度?(.{2,30}?)(?:部门|整体|项目|专项|关于)")
_ISO_DATE = re.compile(r"(?:发布日期|發布日期|报告日期|日期)\s*[:：]\s*((?:19|20)\d\d)[-/.年](\d{1,2})[-/.月](\d{1,2})")
_CN_DATE = re.compile(r"((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
HEAD_LINES = 15


def document_title(text: str) -> str | None:
    """The report's title from its first lines."""
    lines = [ln.strip() for ln in text.splitlines()[:HEAD_LINES]]
    for i, line in enumerate(lines):
        if not line or len(line) > 80 or line.startswith(("-", "•", "|")):
            continue
        if TITLE_WORDS.search(line):
            if i > 0 and lines[i - 1] and not TITLE_WORDS.search(lines[i - 1]) and len(line) <= 12 \
                    and _YEAR.search(lines[i - 1]):
                return lines[i - 1] + line
            return line
    return None


def document_org(text: str, title: str | None) -> str | None:
    m = _ORG_FIELD.search(text[:2000])
    if m:
        return m.group(1)
    if title:
        t = _ORG_IN_TITLE.search(title)
        if t:
            return (t.group(1) or t.group(2)).strip("关于")
    return None


def document_year(text: str, title: str | None) -> int | None:
    for source in (title or "", text[:3000]):
        m = _YEAR.search(normalise_width(source))
        if m:
            return int(m.group(1))
    return None


def report_date(text: str) -> str | None:
    norm = normalise_width(text)
    m = _ISO_DATE.search(norm[:3000])
    if m is None:
        found = list(_CN_DATE.finditer(norm[-600:]))
        m = found[-1] if found else None
    if m is None:
        return None
    year, month, day = (int(g) for g in m.groups())
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def metadata_from_doc(doc: Doc, document: Document) -> dict[str, Any]:
    """title, org, year and report_date for the contract's `document` record (None when not found)."""
    text = document.text
    title = document_title(text)
    return {"title": title, "org": document_org(text, title), "year": document_year(text, title),
            "report_date": report_date(text)}
