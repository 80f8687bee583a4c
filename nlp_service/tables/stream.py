"""A table grid as a stream of cells, with cells broken over lines or words joined back.

Damaged layouts lose row boundaries and break cells (`数量\\n指标`, `年度` `指标值`, `>=` `98`
`%`). The interpreter reads a stream of `Token`s: each grid cell in row order, `row_start` telling
that the cell begins a visible row (a new row may begin there; nowhere else). `join_broken` puts
cells back together where the joined text is a header or category word the parts are not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp_service.ingest.document import TableGrid
from nlp_service.tables.vocab import column_kind, funding_kind, is_level1, is_level2, squash

__all__ = ["Token", "grid_tokens", "join_broken"]


@dataclass(frozen=True)
class Token:
    """One cell (or several joined) of the stream: its text and range in the document text."""

    text: str
    start: int
    end: int
    row_start: bool = False

    @property
    def body(self) -> str:
        return squash(self.text)


def grid_tokens(grid: TableGrid) -> list[Token]:
    """The grid's cells in reading order; the first cell of each grid row starts a row."""
    out: list[Token] = []
    for row in grid.rows():
        for k, cell in enumerate(row):
            out.append(Token(cell.text, cell.start, cell.end, row_start=k == 0))
    return out


def _joined(parts: list[Token]) -> Token:
    text = "".join(p.text.strip() for p in parts)
    return Token(text, parts[0].start, parts[-1].end, parts[0].row_start)


def _is_vocab(text: str) -> bool:
    return bool(column_kind(text) or funding_kind(text) or is_level1(text) or is_level2(text))


_WEIGHT_TAIL_RE = re.compile(r"^[（(]?\s*\d+(\.\d+)?\s*分?\s*[)）]$")
_OP_ONLY_RE = re.compile(r"^(>=|<=|≥|≤|>|<|=|＞|＜|≧|≦)$")
_UNIT_ONLY_RE = re.compile(
    r"^(%|％)(\(百分比\)|（百分比）)?$|^%?[(（][^)）]{1,6}[)）]$|^[^\d\s|]{1,3}/[^\d\s|]{1,3}$"
)
_NUMBER_RE = re.compile(r"^[<>=≥≤]*\d+(\.\d+)?$")


def join_broken(tokens: list[Token]) -> list[Token]:
    """Join cells broken over lines or split at spaces (see the module docstring)."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        joined = _try_vocab_join(tokens, i)
        if joined is not None:
            token, used = joined
            out.append(token)
            i += used
            continue
        token = tokens[i]
        prev = out[-1] if out else None
        if prev is not None and _attaches_to_previous(prev, token):
            out[-1] = _joined([prev, token])
        else:
            out.append(token)
        i += 1
    return _join_operators(out)


def _try_vocab_join(tokens: list[Token], i: int) -> tuple[Token, int] | None:
    """Join 2-4 short cells whose concatenation is a vocabulary word none of them is alone."""
    first = tokens[i]
    if not first.body or len(first.body) > 8 or (_is_vocab(first.text) and not _is_partial(first.body)):
        return None
    for size in (2, 3, 4):
        parts = tokens[i : i + size]
        if len(parts) < size or any(not p.body or len(p.body) > 10 for p in parts):
            continue
        text = "".join(p.body for p in parts)
        if _is_vocab(text) and _parts_may_join(parts, text):
            return _joined(parts), size
    return None


def _parts_may_join(parts: list[Token], joined: str) -> bool:
    """No later part is a category word or another column's header (`偏差原因` + `产出指标`)."""
    for part in parts[1:]:
        if is_level1(part.text) or is_level2(part.text):
            return False
        kind = column_kind(part.text)
        if kind is not None and kind != column_kind(joined):
            return False
    return not _is_vocab(parts[-1].text) or _is_partial(parts[0].body)


def _is_partial(body: str) -> bool:
    """Header fragments that happen to be words by themselves (`全年`, `年度`)."""
    return body in {"年度", "全年", "年初", "实际", "偏差原因", "未完成原因"}


def _attaches_to_previous(prev: Token, token: Token) -> bool:
    """A category weight after its category, a unit after its number, a closing parenthesis."""
    body, prev_body = token.body, prev.body
    if not body:
        return False
    if _WEIGHT_TAIL_RE.match(body) and is_level1(prev.text) and "分" not in prev_body[-3:]:
        return True
    if body == "指标" and prev_body and not prev_body.endswith("指标") and len(prev_body) <= 8:
        return True
    if not token.row_start and _UNIT_ONLY_RE.match(body) and _NUMBER_RE.match(prev_body):
        return True
    return not token.row_start and prev_body.count("(") + prev_body.count("（") > prev_body.count(
        ")"
    ) + prev_body.count("）")


def _join_operators(tokens: list[Token]) -> list[Token]:
    """`>=` `98%` on one line → `>=98%`."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if _OP_ONLY_RE.match(token.body) and i + 1 < len(tokens) and not tokens[i + 1].row_start:
            out.append(_joined([token, tokens[i + 1]]))
            i += 2
            continue
        out.append(token)
        i += 1
    return out
