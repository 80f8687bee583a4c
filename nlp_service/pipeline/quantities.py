"""The `quantities` component: every number with a unit, kept as one token, tagged claim or not.

Each span on `doc.spans["quantities"]` carries `span._.quantity`, a JSON-serialisable dict (see
`nlp_service.numbers.Quantity`) plus `non_claim`: None for a claim candidate, else the reason it is
not a claim (date, ordinal, list number, document number, title, slogan, norm, bare number).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from nlp_service.numbers import Quantity, find_quantities, normalise_width
from nlp_service.pipeline.dates import find_dates, find_doc_titles
from nlp_service.pipeline.tokenizer import PROTECTED_KEY, doc_text
from nlp_service.resources import read_lines

QUANTITIES_KEY = "quantities"
SLOGANS_FILE = "slogans.txt"

if not Span.has_extension("quantity"):
    Span.set_extension("quantity", default=None)

_ORDINAL_BEFORE = re.compile(r"(?:第|首)[ \t]*$|\d[:：]$")
_MONEY_BEFORE = re.compile(r"(?:费|費|资金|資金|经费|經費|金额|金額|预算|預算|投资|投資|收入|支出)[^，,。；;]{0,2}$")
_DOC_NUMBER = re.compile(r"[〔\[【(（][ \t]*\d{4}[ \t]*[〕\]】)）][ \t]*\d+[ \t]*[号號]")
_QUOTE_PAIRS = {"“": "”", "‘": "’", "「": "」", "\"": "\""}
_GENERIC_ONE = {"一", "壹"}
_ORDINAL_UNITS = {"轮", "輪"}
# nouns counted without a measure word in this genre (`反馈的6个方面14问题`)
BARE_COUNTED = ("问题", "問題", "部门")
_NOUN_AFTER_SLOGAN = re.compile(r"[个個家][^\s，,。；;、：:“”\"（）()]{0,2}[”\"’」]")


def _overlaps(start: int, end: int, ranges: Iterable[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in ranges)


def _inside_quote(text: str, start: int, end: int, limit: int = 8) -> bool:
    """True when the span sits in a short quotation (a set slogan such as “三个三”)."""
    left = text[max(0, start - limit) : start]
    right = text[end : end + limit]
    for opening, closing in _QUOTE_PAIRS.items():
        i = left.rfind(opening)
        if i < 0 or closing in left[i + 1 :]:
            continue
        j = right.find(closing)
        if j >= 0 and not re.search(r"[，,。；;\n]", left[i:] + right[:j]):
            return True
    return False


def _in_norm(text: str, start: int) -> bool:
    """A per-unit requirement (`每个巡察组核定编制3名`): 每 earlier in the same clause."""
    clause = re.split(r"[，,。；;！？\n]", text[max(0, start - 30) : start])[-1]
    return "每" in clause


@lru_cache(maxsize=1)
def slogans() -> tuple[str, ...]:
    """Set phrases of `corpora/slogans.txt` (`两个维护`, `八项规定`)."""
    return tuple(read_lines(SLOGANS_FILE))


def non_claim_reason(text: str, q: Quantity, dates: list[tuple[int, int]],
                     titles: list[tuple[int, int]], doc_numbers: list[tuple[int, int]]) -> str | None:
    """Why `q` is not a quantitative claim, or None when it is one."""
    before = text[max(0, q.start - 3) : q.start]
    if q.kind != "duration" and _overlaps(q.start, q.end, dates):
        return "date"
    if _overlaps(q.start, q.end, doc_numbers):
        return "document number"
    if _overlaps(q.start, q.end, titles):
        return "title"
    if q.unit is None and q.scaled and _MONEY_BEFORE.search(text, max(0, q.start - 8), q.start):
        q.unit, q.kind = "元", "money"
    if q.unit is None and not q.scaled and not (q.value.is_integer() and text.startswith(BARE_COUNTED, q.end)):
        return "bare number"
    if q.chinese and q.unit == "分":
        return "adverb"
    if text.startswith(("岁", "歲"), q.end):
        return "age"
    if q.unit == "周" and text.startswith("年", q.end):
        return "anniversary"
    if _ORDINAL_BEFORE.search(before):
        return "ordinal"
    if before[-1:].isascii() and before[-1:].isalpha():
        return "code"
    if q.chinese and q.text[:1] in _GENERIC_ONE and q.value == 1 and not q.approximate:
        return "generic one"
    if q.chinese and q.unit in _ORDINAL_UNITS and q.value >= 10:
        return "ordinal"
    if q.chinese and text.startswith(slogans(), q.start):
        return "slogan"
    if q.chinese and (_inside_quote(text, q.start, q.end) or _NOUN_AFTER_SLOGAN.match(text, q.end - 1)):
        return "slogan"
    if q.kind not in ("money", "percent") and _in_norm(text, q.start):
        return "norm"
    return None


def find_claim_candidates(text: str) -> list[tuple[Quantity, str | None]]:
    """Every quantity of `text` with the reason it is not a claim (None for claims)."""
    dates = list(find_dates(text))
    titles = list(find_doc_titles(text))
    doc_numbers = [(m.start(), m.end()) for m in _DOC_NUMBER.finditer(normalise_width(text))]
    found: list[tuple[Quantity, str | None]] = []
    previous_end = -10
    for q in find_quantities(text):
        reason = non_claim_reason(text, q, dates, titles, doc_numbers)
        if reason is None and q.chinese and previous_end == q.start and found and found[-1][1] == "ordinal":
            reason = "ordinal"
        found.append((q, reason))
        previous_end = q.end
    return found


def _union(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def protected_ranges(text: str) -> tuple[list[tuple[int, int]], set[int], list[tuple[Quantity, str | None]]]:
    """What the tokenizer keeps whole (quantities, dates), where it also cuts (title edges), and the
    claim candidates it found on the way."""
    candidates = find_claim_candidates(text)
    whole = _union([*((q.start, q.end) for q, _ in candidates), *find_dates(text)])
    cuts = {x for s, e in find_doc_titles(text) for x in (s, e)}
    return whole, cuts, candidates


def merge_quantity_tokens(doc: Doc, ranges: list[tuple[int, int]]) -> None:
    """Keep each number-and-unit span whole: merge its tokens where the span is token-aligned."""
    with doc.retokenize() as retokenizer:
        for start, end in ranges:
            span = doc.char_span(start, end)
            if span is not None and len(span) > 1:
                retokenizer.merge(span)


@Language.factory("nlp_service_quantities", assigns=["doc.spans", "span._.quantity"], default_config={})
def make_quantities(nlp: Language, name: str) -> QuantityFinder:
    return QuantityFinder()


class QuantityFinder:
    """Finds quantities, merges their tokens and stores them on `doc.spans["quantities"]`."""

    def __call__(self, doc: Doc) -> Doc:
        candidates = doc.user_data.pop(PROTECTED_KEY, None)
        if candidates is None:
            candidates = find_claim_candidates(doc_text(doc))
        merge_quantity_tokens(doc, [(q.start, q.end) for q, _ in candidates])
        spans = []
        for q, reason in candidates:
            span = doc.char_span(q.start, q.end, alignment_mode="expand")
            if span is None:
                continue
            span._.quantity = {**q.as_dict(), "non_claim": reason}
            spans.append(span)
        doc.spans[QUANTITIES_KEY] = spans
        return doc
