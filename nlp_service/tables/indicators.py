"""The indicator block of a performance table: header found by its words, rows aligned to it.

`find_indicator_header` finds the run of header cells (一级指标 二级指标 三级指标 年度指标值 …) and
names each column's kind. `align_rows` then reads the cells after the header as rows: a dynamic
programme assigns every cell, in order, to a column of some row, scoring how well the cell's
content fits the column (a category word in 一级指标, a bare number in 分值, …) and allowing
columns to be absent (merged cells written once, collapsed empty cells) and rows to begin only
where the text starts a row. Rows of complete grids read positionally; rows that lost cells, and
streams of one cell per line, read by content.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from nlp_service.tables.stream import Token
from nlp_service.tables.targets import is_bare_value
from nlp_service.tables.vocab import END_RE, column_kind, is_level1, is_level2, squash

__all__ = [
    "HEADERLESS_KINDS",
    "ITEM_WEIGHT_RE",
    "find_headerless_start",
    "IndicatorHeader",
    "IndicatorRow",
    "find_indicator_header",
    "align_rows",
    "block_end",
]

_NUMBER_RE = re.compile(r"^\d{1,3}(\.\d+)?分?$")
ITEM_WEIGHT_RE = re.compile(r"^(?P<item>.{2,30}?)[(（](?P<weight>\d+(?:\.\d+)?)分[)）]$")
HEADERLESS_KINDS = ["level1", "level2", "name", "target", "actual", "deviation"]
_STRUCTURAL = ("group", "level1", "level2")


@dataclass
class IndicatorHeader:
    """The header run: where it is in the token stream and the kind of each column."""

    first: int
    last: int
    kinds: list[str]


@dataclass
class IndicatorRow:
    """One aligned row: column kind → token (absent columns are missing)."""

    cells: dict[str, Token] = field(default_factory=dict)

    @property
    def start(self) -> int:
        return min(t.start for t in self.cells.values())

    @property
    def end(self) -> int:
        return max(t.end for t in self.cells.values())


def find_indicator_header(tokens: list[Token], begin: int = 0) -> IndicatorHeader | None:
    """The first run of header cells naming an indicator column and a value column."""
    i = begin
    while i < len(tokens):
        kind = column_kind(tokens[i].text) or column_kind(_header_suffix(tokens[i].text))
        if kind in ("group", "level1", "level2", "name"):
            first = i - 1 if i > begin and tokens[i - 1].body == "序号" else i
            header = _header_run(tokens, first)
            if header is not None:
                return _with_sub_header(tokens, header)
        i += 1
    return None


def _header_run(tokens: list[Token], first: int) -> IndicatorHeader | None:
    kinds: list[str] = []
    k = first
    while k < len(tokens):
        body = tokens[k].body
        kind = column_kind(tokens[k].text) or (
            column_kind(_header_suffix(tokens[k].text)) if k == first else None
        )
        kind = "index" if body == "序号" and k == first else kind
        if kind is None and not body and kinds:
            k += 1
            continue
        if kind is None and _header_suffix(tokens[k].text) and kinds:
            kind = column_kind(_header_suffix(tokens[k].text))
        if kind == "deviation" and kinds and kinds[-1] == "deviation":
            k += 1
            continue
        if kind in ("target", "actual") and kind in kinds:
            kind = "other"  # a second-line sub-header (`2021年实际实现值 | 预期2022年实现值`)
        if kind is None or (kind in kinds and kind not in ("other",)):
            break
        kinds.append(kind)
        k += 1
    if "name" not in kinds and "level2" not in kinds and "level1" in kinds:
        kinds[kinds.index("level1")] = "name"  # a one-level table (部门整体 scores): the category is the item
    has_name = "name" in kinds or ("level2" in kinds and "target" in kinds)
    has_value = any(kind in kinds for kind in ("target", "actual", "weight", "score"))
    if not (has_name and has_value):
        return None
    if "name" not in kinds:
        kinds.insert(kinds.index("level2") + 1, "name")
    return IndicatorHeader(first=first, last=k - 1, kinds=kinds)


_SCORING = ("weight", "score", "converted", "deduct")


def _with_sub_header(tokens: list[Token], header: IndicatorHeader) -> IndicatorHeader:
    """A two-line header whose second line splits a scoring column into sub-columns:
    `… 自评得分` over `单项指标得分 | 权重占比(%) | 单项指标折算得分`. The parent column gives way to
    its sub-columns; a first-line column of a kind they repeat (`指标分值`) is read as `other`;
    the second line's other cells (`符号`, `单位`) qualify earlier columns and are left out."""
    reach = min(header.last + 2, len(tokens))
    second = next((k for k in range(header.first + 1, reach) if tokens[k].row_start), None)
    if second is None:
        return header
    end = second + 1
    while end < len(tokens) and not tokens[end].row_start:
        end += 1
    sub = [column_kind(t.text) for t in tokens[second:end] if t.body]
    if None in sub or not any(kind in _SCORING for kind in sub):
        return header
    parent = _header_run(tokens[:second], header.first)
    if parent is None:
        return header
    split_at = next((k for k, kind in enumerate(sub) if kind in _SCORING), 0)
    children = [str(kind) for kind in sub[split_at:]]
    owner = max((k for k, kind in enumerate(parent.kinds) if kind in _SCORING), default=None)
    if owner is None:
        return header
    before = ["other" if kind in children else kind for kind in parent.kinds[:owner]]
    after = ["other" if kind in children else kind for kind in parent.kinds[owner + 1 :]]
    return IndicatorHeader(first=header.first, last=end - 1, kinds=[*before, *children, *after])


def find_headerless_start(tokens: list[Token]) -> int | None:
    """A table continued from an earlier page: rows opening with a category word then a sub-category
    word, twice or more, with no header. The start of the first such row, or None."""
    starts = [
        k
        for k in range(len(tokens) - 1)
        if tokens[k].row_start and is_level1(tokens[k].text) and is_level2(tokens[k + 1].text)
    ]
    return starts[0] if len(starts) >= 2 else None


def _header_suffix(text: str) -> str:
    """`…说明:下列内容…一级指标` → `一级指标`: a header word closing a polluted cell."""
    m = re.search(r"(一级指标|二级指标|三级指标)$", squash(text))
    return m.group(1) if m else ""


def block_end(tokens: list[Token], begin: int) -> int:
    """Index of the first token after the block: a 总分/合计 row, a new table, or the end."""
    for k in range(begin, len(tokens)):
        body = tokens[k].body
        if END_RE.match(body) or column_kind(tokens[k].text) == "level1":
            return k
    return len(tokens)


def _fit(token: Token, kind: str) -> float:
    """How well a cell's content fits a column kind (higher is better)."""
    return _fit_text(token.text, kind)


@lru_cache(maxsize=65536)
def _fit_text(text: str, kind: str) -> float:
    """`_fit` of a cell's text (pure: the row aligner asks it for every cell × column pair)."""
    token = Token(text, 0, 0)
    body = token.body
    level1, level2 = is_level1(token.text), is_level2(token.text)
    number = bool(_NUMBER_RE.match(body))
    if kind == "group":
        return 0.2 if not body else (1.0 if column_kind(token.text) == "group" else -3.0)
    if kind == "index":
        return 1.0 if re.fullmatch(r"\d{1,2}", body) else (0.2 if not body else -2.0)
    if kind in ("level1", "level2"):
        return _fit_level(body, kind, level1, level2, number)
    if kind == "name":
        if not body:
            return -2.0
        if level1 or level2:
            return -1.5
        if _NUMBERED_NAME_RE.match(body):
            return 3.0
        return -2.0 if number else (-1.0 if is_bare_value(body) else 2.0)
    if kind in ("target", "actual"):
        if not body:
            return 0.1
        if _NUMBERED_NAME_RE.match(body):
            return -2.0
        if level1 or level2:
            return -2.0
        return 1.5 if is_bare_value(body) else 1.0 if number else 0.8
    if kind in ("weight", "score", "deduct", "converted"):
        if kind == "weight" and ITEM_WEIGHT_RE.match(body):
            return 1.0
        return 2.0 if number else 0.2 if not body or body in ("-", "/") else -3.0
    if kind == "unit":
        return 0.5 if body and len(body) <= 4 and not number else (0.1 if not body else -2.0)
    if body in _NATURE_WORDS:
        return 2.0
    return 0.2 if not body else (-2.0 if level1 or level2 else 0.3)


def _fit_level(body: str, kind: str, level1: bool, level2: bool, number: bool) -> float:
    if not body:
        return 0.3
    mine, other = (level1, level2) if kind == "level1" else (level2, level1)
    if mine:
        return 3.0
    if other:
        return -2.0
    if number or len(body) > 12 or _NUMBERED_NAME_RE.match(body):
        return -3.0
    return -0.5 if re.search(r"\d", body) or len(body) > 8 else 0.0


_SKIP = {
    "index": 0.0,
    "group": 0.0,
    "level1": -0.1,
    "level2": -0.1,
    "name": -9.0,
    "deviation": -0.05,
    "other": -0.1,
    "unit": -0.05,
}
_DEFAULT_SKIP = -0.4
_NEW_ROW = -1.0
_BARE_NAME_ROW = -1.5  # a row that closes right after its name (no value at all) is unlikely
_NUMBERED_NAME_RE = re.compile(r"^(指标\d+[.:：、]|★)")
_NATURE_WORDS = ("定性", "定量", "正向", "反向", "正向指标", "反向指标")
_DROP_EMPTY = -0.05
_DROP_TEXT = -3.0


def align_rows(tokens: list[Token], kinds: list[str]) -> list[IndicatorRow]:
    """Best reading of `tokens` as rows of the `kinds` columns (see the module docstring)."""
    n, width = len(tokens), len(kinds)
    if n == 0:
        return []
    name_col = kinds.index("name")
    skip = [_SKIP.get(k, _DEFAULT_SKIP) for k in kinds]
    tail = [sum(skip[c:]) for c in range(width + 1)]
    neg = float("-inf")
    best = [[neg] * (width + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int, int] | None]] = [[None] * (width + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for i in range(n + 1):
        _close_rows(best, back, i, tokens, name_col, tail, width)
        if i == n:
            break
        for c in range(width + 1):
            score = best[i][c]
            if score == neg:
                continue
            _relax_token(best, back, i, c, score, tokens[i], kinds, skip)
    return _trace(best, back, tokens, kinds, name_col, tail, width)


def _close_rows(
    best: list[list[float]],
    back: list[list[tuple[int, int, int] | None]],
    i: int,
    tokens: list[Token],
    name_col: int,
    tail: list[float],
    width: int,
) -> None:
    """End the current row before token i (only where token i starts a visible row)."""
    if i == len(tokens) or not tokens[i].row_start:
        return
    for c in range(name_col + 1, width + 1):
        if best[i][c] == float("-inf"):
            continue
        score = best[i][c] + tail[c] + _NEW_ROW + (_BARE_NAME_ROW if c == name_col + 1 else 0.0)
        if score > best[i][0]:
            best[i][0] = score
            back[i][0] = (i, c, -2)


def _relax_token(
    best: list[list[float]],
    back: list[list[tuple[int, int, int] | None]],
    i: int,
    c: int,
    score: float,
    token: Token,
    kinds: list[str],
    skip: list[float],
) -> None:
    width = len(kinds)
    drop = score + (_DROP_EMPTY if not token.body else _DROP_TEXT)
    if drop > best[i + 1][c]:
        best[i + 1][c], back[i + 1][c] = drop, (i, c, -1)
    skipped = 0.0
    for target in range(c, width):
        fit = _fit(token, kinds[target])
        if target == c and _category_named_item(token, kinds, target):
            fit = _NAME_AFTER_LEVEL2
        gain = score + skipped + fit
        if gain > best[i + 1][target + 1]:
            best[i + 1][target + 1], back[i + 1][target + 1] = gain, (i, c, target)
        skipped += skip[target]


_NAME_AFTER_LEVEL2 = 0.5


def _category_named_item(token: Token, kinds: list[str], target: int) -> bool:
    """An item named like a category (`服务对象满意度`, not `社会效益指标`) right after the row's
    二级指标 cell."""
    return (
        kinds[target] == "name"
        and target > 0
        and kinds[target - 1] == "level2"
        and is_level2(token.text)
        and not token.body.endswith("指标")
    )


def _trace(
    best: list[list[float]],
    back: list[list[tuple[int, int, int] | None]],
    tokens: list[Token],
    kinds: list[str],
    name_col: int,
    tail: list[float],
    width: int,
) -> list[IndicatorRow]:
    n = len(tokens)
    ends = [(best[n][c] + tail[c], c) for c in range(name_col + 1, width + 1) if best[n][c] > float("-inf")]
    if best[n][0] > float("-inf"):
        ends.append((best[n][0], 0))
    if not ends:
        return []
    _, c = max(ends)
    i = n
    rows: list[IndicatorRow] = [IndicatorRow()]
    while i > 0 or c > 0:
        step = back[i][c]
        if step is None:
            break
        prev_i, prev_c, col = step
        if col == -2:
            rows.append(IndicatorRow())
        elif col >= 0:
            rows[-1].cells[kinds[col]] = tokens[prev_i]
        i, c = prev_i, prev_c
    return [r for r in reversed(rows) if "name" in r.cells]
