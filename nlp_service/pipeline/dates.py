"""Dates, periods and document titles: the `dates` and `doc_titles` span groups.

`2022年`, `2022年度`, `3月22日`, `2022—2026年`, `截至12月底` are DATE spans (not claims); `《…》` is a
DOC_TITLE span, and numbers inside it are not claims either. The entity helper reads both groups.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from nlp_service.numbers import normalise_width
from nlp_service.pipeline.tokenizer import doc_text

DATES_KEY = "dates"
DOC_TITLES_KEY = "doc_titles"

_YEAR = r"(?:(?:19|20)\d\d|20[xX×]{2}|[12]\d[xX]{2}|[〇零一二三四五六七八九]{4})"
_MONTH_TAIL = r"(?:份|底|末|初|中旬|上旬|下旬|中)?"
_MONTH = rf"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])[ \t]*月{_MONTH_TAIL}"
_DAY = r"(?:[ \t]*(?:3[01]|[12]\d|0?[1-9]|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])[ \t]*[日号])?"
_YEAR_TAIL = r"(?:度|初|底|末|中(?![央国國共心华華小层層期标])|上半年|下半年|前三季度|第[一二三四]季度|全年)?"
DATE_PATTERN = re.compile(
    rf"{_YEAR}[ \t]*(?:[-—–~至到][ \t]*{_YEAR}[ \t]*)?年{_YEAR_TAIL}(?:[ \t]*{_MONTH}{_DAY})?"
    rf"|{_YEAR}[ \t]*[-—–~至到][ \t]*{_YEAR}"
    rf"|(?<![\d.])(?:19|20)\d\d[-/.](?:1[0-2]|0?[1-9])[-/.](?:3[01]|[12]\d|0?[1-9])(?!\d)"
    rf"|(?<![\d.个個第])(?:1[0-2]|0?[1-9])[ \t]*月{_MONTH_TAIL}{_DAY}"
    rf"|(?<![个個第])(?:十[一二]?|[一二三四五六七八九])月{_MONTH_TAIL}{_DAY}"
)
TITLE_PATTERN = re.compile(r"《[^《》\n]{1,120}》")


@lru_cache(maxsize=8)
def find_dates(text: str) -> tuple[tuple[int, int], ...]:
    """Character ranges of the dates and periods in `text` (cached: several components ask)."""
    norm = normalise_width(text)
    return tuple((m.start(), m.end()) for m in DATE_PATTERN.finditer(norm))


@lru_cache(maxsize=8)
def find_doc_titles(text: str) -> tuple[tuple[int, int], ...]:
    """Character ranges of the `《…》` titles in `text`, brackets included."""
    return tuple((m.start(), m.end()) for m in TITLE_PATTERN.finditer(text))


def spans_for(doc: Doc, ranges: Iterable[tuple[int, int]], label: str) -> list[Span]:
    """Token-aligned spans covering the character ranges (expanded to whole tokens)."""
    spans = []
    for start, end in ranges:
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
        if span is not None:
            spans.append(span)
    return spans


@Language.factory("nlp_service_dates", assigns=["doc.spans"], default_config={})
def make_dates(nlp: Language, name: str) -> DateFinder:
    return DateFinder()


class DateFinder:
    """Puts DATE spans on `doc.spans["dates"]` and DOC_TITLE spans on `doc.spans["doc_titles"]`."""

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        doc.spans[DATES_KEY] = spans_for(doc, find_dates(text), "DATE")
        doc.spans[DOC_TITLES_KEY] = spans_for(doc, find_doc_titles(text), "DOC_TITLE")
        return doc
