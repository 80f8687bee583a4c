"""A funding block whose cells lost their separators: one text cell holding the header and its rows
run together (`全年预算数(A)全年执行数(B)预算执行率(B/A×100%)年度资金总额:1484631.00%其中:…`).

Such a block is read only where its header ends with the execution rate, so that every row's run of
digits must end with a percentage, and only where the run splits into amounts and that rate in
exactly one way that agrees with itself: the rate is 执行数 / 预算数 to within rounding, a source row
is no larger than the total row, and each piece is a well-formed number (no leading zero, at most two
decimals). A row that splits in no way or in several is left unread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp_service.tables.stream import Token
from nlp_service.tables.vocab import funding_kind, squash_offsets

__all__ = ["RunTogetherBlock", "read_run_together", "split_run"]

_HEADER_WORD_RE = re.compile(
    r"(年初预算数|全年预算数|调整后预算数|全年执行数|(?:预算)?执行率)(?:[(（][^()（）]{0,14}[)）])?"
)
_ROW_RE = re.compile(r"(?P<label>[^\d%％]{2,30}?)[:：]?(?P<run>\d[\d.,]*[%％])")
_STOP_RE = re.compile(r"资金管理情况|总体目标|绩效指标|年度目标|一级指标")
_PIECE_RE = re.compile(r"^(0|[1-9]\d*)(\.\d{1,2})?$")
_MIN_CELL = 40  # a cell shorter than this is an ordinary cell, not a block run together
_RATE_SHARE = 0.01  # a printed rate within 1% of 执行数 / 预算数 (rates are printed rounded)


@dataclass
class RunTogetherBlock:
    """The rows read: (label token, {field: value token}); money in 万元 where the block says so."""

    rows: list[tuple[Token, dict[str, Token]]]
    scale: float


def read_run_together(tokens: list[Token]) -> RunTogetherBlock | None:
    """The first cell of `tokens` holding a funding block run together, read (see the module doc)."""
    for token in tokens:
        if len(token.body) >= _MIN_CELL:
            block = _read_cell(token)
            if block is not None:
                return block
    return None


def _read_cell(token: Token) -> RunTogetherBlock | None:
    text, offsets = squash_offsets(token.text)
    header = _header(text)
    if header is None:
        return None
    start, end, kinds = header
    rows: list[tuple[Token, dict[str, Token]]] = []
    total: list[float] | None = None
    pos = end
    while (m := _ROW_RE.match(text, pos)) is not None and not _STOP_RE.search(m.group("label")):
        pos = m.end()
        pieces = split_run(m.group("run").replace(",", ""), len(kinds), total)
        if pieces is None:
            continue
        if total is None:
            total = [float(p) for p in pieces[:-1]]
        values: dict[str, Token] = {}
        at = m.start("run")
        for kind, piece in zip(kinds, pieces, strict=True):
            width = len(piece) + (1 if kind == "execution_rate" else 0)
            values[kind] = _token(
                token, offsets, at, at + width, piece + ("%" if kind == "execution_rate" else "")
            )
            at += width
        label = m.group("label")
        rows.append((_token(token, offsets, m.start("label"), m.start("label") + len(label), label), values))
    if not rows:
        return None
    scale = 1e4 if re.search(r"万元", text[max(0, start - 12) : end]) else 1.0
    return RunTogetherBlock(rows, scale)


def _header(text: str) -> tuple[int, int, list[str]] | None:
    """(start, end, column kinds) of a run of funding header words ending with the execution rate."""
    for m in _HEADER_WORD_RE.finditer(text):
        kinds: list[str] = []
        pos = m.start()
        while (word := _HEADER_WORD_RE.match(text, pos)) is not None:
            kind = funding_kind(word.group(0))
            if kind is None or kind in kinds:
                break
            kinds.append(kind)
            pos = word.end()
        if len(kinds) >= 3 and kinds[-2:] == ["executed", "execution_rate"]:
            return m.start(), pos, kinds
    return None


def _token(cell: Token, offsets: list[int], start: int, end: int, text: str) -> Token:
    """A piece of `cell` (positions in its squashed text) as a token with document offsets."""
    return Token(text, cell.start + offsets[start], cell.start + offsets[end - 1] + 1)


def split_run(run: str, columns: int, bound: list[float] | None = None) -> list[str] | None:
    """`1484631.00%` over 全年预算数 | 全年执行数 | 执行率 → ['148', '46', '31.00']: the one split of the
    digits into `columns` numbers, the last a percentage, whose rate is the executed share of the
    budget; None where no split or several fit. `bound`: amounts a source row may not exceed."""
    digits = run.rstrip("%％")
    fits = [
        pieces
        for pieces in _splits(digits, columns)
        if _consistent([float(p) for p in pieces]) and _within(pieces[:-1], bound)
    ]
    return fits[0] if len(fits) == 1 else None


def _splits(digits: str, columns: int) -> list[list[str]]:
    if columns == 1:
        return [[digits]] if _PIECE_RE.match(digits) else []
    out: list[list[str]] = []
    for cut in range(1, len(digits)):
        head = digits[:cut]
        if _PIECE_RE.match(head):
            out += [[head, *rest] for rest in _splits(digits[cut:], columns - 1)]
    return out


def _consistent(values: list[float]) -> bool:
    """The rate (last) is the executed amount (second last) over the budget (third last)."""
    budget, executed, rate = values[-3], values[-2], values[-1]
    if budget <= 0:
        return False
    computed = executed / budget * 100
    return abs(computed - rate) <= _RATE_SHARE * max(computed, rate) + 1e-9


def _within(amounts: list[str], bound: list[float] | None) -> bool:
    return bound is None or all(float(a) <= b * (1 + 1e-9) for a, b in zip(amounts, bound, strict=False))
