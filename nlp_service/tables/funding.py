"""The funding block (项目资金 / 资金情况) of a performance table, read into `FundingPublic`.

Three readings, header first: (1) a header run (年初预算数 全年预算数 全年执行数 分值 执行率 得分)
followed by labelled rows (年度资金总额, 其中：当年财政拨款, 上年结转资金, 其他资金 …) whose values
fill the header's columns — every source row down to the end of the block, including rows named
without a funding word (`彩票公益金用于医疗救助 | 0 | 0 | 100%`); (2) where no such header exists,
label–value pairs (`预算数 6.84`, `项目金额 | 164万元`, `实际到位资金 (万元) 170`), then the source
rows written once per column under them (`其中:财政资金 6.84 其中:财政资金 6.84 …`); (3) a block
whose cells ran together in one cell (`runtogether`). Money goes to 元: a value that carries 万/万元
is multiplied out, and so is a bare value under a 万元 header or below a caption declaring 万元
(`金额单位：万元`). 实际到位资金 / 到位数 is read as `received`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp_service.schema import FundingPublic
from nlp_service.tables.runtogether import read_run_together
from nlp_service.tables.stream import Token
from nlp_service.tables.vocab import (
    END_RE,
    FUNDING_LABEL_RE,
    FUNDING_TOTAL_RE,
    column_kind,
    compact,
    funding_kind,
    is_level1,
    is_level2,
)

__all__ = ["FundingRow", "declared_scale", "read_funding"]

_VALUE_RE = re.compile(r"^(-|—|/|－)$|^\d[\d,，]*(\.\d+)?\s*(万元|萬元|万|萬|元|%|％|分)?$")
_MONEY_FIELDS = ("budget_initial", "budget_full_year", "executed")
_AMOUNT_FIELDS = (*_MONEY_FIELDS, "received")  # read in 元
_STOP_RE = re.compile(r"^(年度总体目标|总体目标|年度目标|绩效指标|资金管理情况|年度绩效目标|预期目标)")


@dataclass
class FundingRow:
    """A labelled row: field → (value token)."""

    label: Token
    values: dict[str, Token]


def read_funding(tokens: list[Token], declared_scale: float = 1.0) -> tuple[FundingPublic | None, list[str]]:
    """The funding row of a table's token stream, with notes on what could not be read.

    `declared_scale` is the unit stated above the table (`金额单位：万元` → 1e4), used where the
    table itself names none."""
    header = _funding_header(tokens)
    if header is not None:
        first, kinds = header
        rows = _labelled_rows(tokens, first + len(kinds), kinds)
        if rows:
            last = max(max((t.end for t in r.values.values()), default=r.label.end) for r in rows)
            scale = _table_scale([t for t in tokens[max(0, first - 6) :] if t.start <= last + 40])
            named = scale > 1 or _names_yuan(tokens, first)
            scale = scale if named else declared_scale
            notes = [] if named or scale > 1 else ["funding header names no unit: amounts read as 元"]
            return _to_public(rows, scale), notes
    pairs = _label_value_pairs(tokens, declared_scale)
    if pairs is not None:
        return pairs, ["funding read from labelled values (no column header)"]
    block = read_run_together(tokens)
    if block is not None:
        rows = [FundingRow(label, values) for label, values in block.rows]
        return _to_public(rows, block.scale), ["funding read from a cell whose columns ran together"]
    return None, []


def _names_yuan(tokens: list[Token], first: int) -> bool:
    return any("元" in t.body for t in tokens[max(0, first - 6) : first + 8])


def _funding_header(tokens: list[Token]) -> tuple[int, list[str]] | None:
    for i, token in enumerate(tokens):
        kind = funding_kind(token.text)
        if kind not in _MONEY_FIELDS:
            continue
        kinds = [kind]
        k = i + 1
        while k < len(tokens) and (nxt := funding_kind(tokens[k].text)) and nxt not in kinds:
            kinds.append(nxt)
            k += 1
        if len(kinds) >= 2 and not _is_value(tokens[i + 1].body if i + 1 < len(tokens) else ""):
            return i, kinds
        if _labelled_row_follows(tokens, k):  # `金额(万元)` over `(一)财政拨款小计 | 6.30`
            return i, kinds
    return None


def _labelled_row_follows(tokens: list[Token], k: int) -> bool:
    return (
        k + 1 < len(tokens)
        and _is_label(tokens[k])
        and _is_value(tokens[k + 1].body)
        and bool(tokens[k + 1].body)
    )


def _is_value(body: str) -> bool:
    return bool(_VALUE_RE.match(body))


def _is_label(token: Token) -> bool:
    body = token.body
    return bool(body) and not _is_value(body) and len(body) <= 30 and bool(FUNDING_LABEL_RE.search(body))


def _labelled_rows(tokens: list[Token], begin: int, kinds: list[str]) -> list[FundingRow]:
    rows: list[FundingRow] = []
    label: Token | None = None
    values: list[Token] = []
    orphans: list[Token] = []  # values right under the header, their label written elsewhere
    for at in range(begin, len(tokens)):
        token = tokens[at]
        body = token.body
        if _STOP_RE.match(body) or column_kind(token.text) in ("level1", "name"):
            break
        if not body or _is_value(body):
            if label is not None:
                values.append(token)
            elif not rows and body:
                orphans.append(token)
            continue
        if _GROUPING_RE.match(body):  # `按收入性质分:`, a lone `其中:`
            continue
        inline = _inline_row(token, kinds)
        if inline is not None:  # `其中: 一般公共预算:1873.66万元` (部门整体 tables)
            if label is not None:
                rows.append(FundingRow(label, _assign(values, kinds)))
            rows.append(inline)
            label, values = None, []
            continue
        if label is None and not rows and len(orphans) >= 2:
            rows.append(FundingRow(Token("", orphans[0].start, orphans[0].start), _assign(orphans, kinds)))
        if label is not None:
            rows.append(FundingRow(label, _assign(values, kinds)))
        if not (_is_label(token) or (rows and _leads_value_row(tokens, at))):
            label = None
            if rows:
                break
            continue
        label, values = token, []
    if label is not None:
        rows.append(FundingRow(label, _assign(values, kinds)))
    return [r for r in rows if r.values or FUNDING_LABEL_RE.search(r.label.body)]


def _leads_value_row(tokens: list[Token], at: int) -> bool:
    """A short text cell opening a row whose other cells are all amounts or rates (a source row
    named without a funding word: `彩票公益金用于医疗救助 | 0 | 0 | 100%`)."""
    token = tokens[at]
    if not token.row_start or len(token.body) > 30 or _names_something_else(token):
        return False
    rest: list[Token] = []
    for nxt in tokens[at + 1 :]:
        if nxt.row_start:
            break
        rest.append(nxt)
    filled = [t.body for t in rest if t.body]
    return len(filled) >= 2 and all(_is_value(b) for b in filled)


def _names_something_else(token: Token) -> bool:
    """A header, a category or a 总分 row: not a source of funds."""
    text = token.text
    return bool(
        column_kind(text)
        or funding_kind(text)
        or is_level1(text)
        or is_level2(text)
        or END_RE.match(token.body)
    )


_GROUPING_RE = re.compile(r"^(按.{1,8}分|其中)[:：]?$")
_INLINE_RE = re.compile(
    r"^(?:其中[:：]\s*)?(?P<label>[^:：\d]{2,20})[:：]\s*(?P<value>\d[\d,，]*(?:\.\d+)?\s*(?:万元|萬元|万|萬|元)?)$"
)


def _inline_row(token: Token, kinds: list[str]) -> FundingRow | None:
    """A cell holding a label and its amount (`项目支出:2985.5万元`), read into the first money column."""
    m = _INLINE_RE.match(token.text.strip())
    money = [k for k in kinds if k in _MONEY_FIELDS]
    if m is None or not money:
        return None
    offset = token.start + (len(token.text) - len(token.text.lstrip()))
    label = Token(m.group("label"), offset + m.start("label"), offset + m.end("label"))
    value = Token(m.group("value"), offset + m.start("value"), offset + m.end("value"))
    return FundingRow(label, {money[-1] if "budget_full_year" not in money else "budget_full_year": value})


def _assign(values: list[Token], kinds: list[str]) -> dict[str, Token]:
    """Values to columns in order; trailing empty cells dropped; a percent goes to the rate."""
    while values and not values[-1].body:
        values = values[:-1]
    if len(values) > len(kinds):
        values = [v for v in values if v.body][: len(kinds)]
    out: dict[str, Token] = {}
    if len(values) < len(kinds) and any("%" in v.body for v in values) and "execution_rate" in kinds:
        rate_at = next(k for k, v in enumerate(values) if "%" in v.body)
        before = [k for k in kinds[: kinds.index("execution_rate")]]
        after = [k for k in kinds[kinds.index("execution_rate") + 1 :]]
        pairs = list(zip(before[-rate_at:] if rate_at else [], values[:rate_at], strict=False))
        pairs.append(("execution_rate", values[rate_at]))
        pairs += list(zip(after, values[rate_at + 1 :], strict=False))
    else:
        pairs = list(zip(kinds, values, strict=False))
    for kind, token in pairs:
        if token.body and token.body not in ("-", "—", "/", "－"):
            out[kind] = token
    return out


def _table_scale(tokens: list[Token]) -> float:
    return 1e4 if any(re.search(r"万元|萬元|万", t.body) for t in tokens) else 1.0


def _number(token: Token, scale: float, money: bool) -> float | None:
    body = token.body.replace(",", "").replace("，", "")
    m = re.match(r"^(\d+(?:\.\d+)?)\s*(万元|萬元|万|萬|元|%|％|分)?$", body)
    if not m:
        return None
    value = float(m.group(1))
    unit = m.group(2) or ""
    if not money:
        return value
    if unit in ("万元", "萬元", "万", "萬"):
        return round(value * 1e4, 4)
    return round(value * (1.0 if unit == "元" else scale), 4)


def _to_public(rows: list[FundingRow], scale: float) -> FundingPublic:
    main = next((r for r in rows if FUNDING_TOTAL_RE.search(r.label.body) and r.values), None)
    main = main or next((r for r in rows if r.values), rows[0])
    funding = FundingPublic(unit="元", row=_label_text(main.label) or None)
    if main.label.body:
        funding.cells["row"] = [main.label.start, main.label.end]
    for field, token in main.values.items():
        value = _number(token, scale, field in _AMOUNT_FIELDS)
        if value is None:
            continue
        setattr(funding, field, value)
        funding.cells[field] = [token.start, token.end]
    for row in rows:
        if row is not main:
            _add_source(funding, row, dict.fromkeys(row.values, scale))
    return funding


def _label_text(token: Token) -> str:
    return re.sub(r"[:：]$", "", compact(token.text))


def _label_value_pairs(tokens: list[Token], declared_scale: float) -> FundingPublic | None:
    """`预算数 6.84 … 执行数 6.84`, `项目金额 | 164万元`: labels each followed by a value; then the
    source rows written once per column under them (`其中:财政资金 6.84 其中:财政资金 6.84 …`)."""
    found: dict[str, tuple[float, Token, Token]] = {}
    scales: dict[str, float] = {}
    last = -1
    for i, token in enumerate(tokens[:-1]):
        field = funding_kind(token.text) or (
            "budget_full_year" if FUNDING_TOTAL_RE.search(token.body) else None
        )
        if field is None or field in found:
            continue
        k = i + 1
        if re.fullmatch(r"[(（](万元|萬元|元)[)）]", tokens[k].body) and k + 1 < len(tokens):
            k += 1
        if not tokens[k].body or not _is_value(tokens[k].body):
            continue
        scale = _pair_scale(tokens, i, k, declared_scale)
        value = _number(tokens[k], scale, field in _AMOUNT_FIELDS)
        if value is not None:
            found[field] = (value, token, tokens[k])
            scales[field] = scale
            last = max(last, k)
    if not any(f in found for f in _MONEY_FIELDS):
        return None
    first_label = min((label for _, label, _ in found.values()), key=lambda t: t.start)
    funding = FundingPublic(unit="元", row=_label_text(first_label))
    for field, (value, _, cell) in found.items():
        setattr(funding, field, value)
        funding.cells[field] = [cell.start, cell.end]
    columns = sorted(found, key=lambda f: found[f][1].start)
    for row in _repeated_label_rows(tokens, last + 1, columns):
        _add_source(funding, row, {f: scales[f] for f in row.values})
    return funding


def _pair_scale(tokens: list[Token], label_at: int, value_at: int, declared_scale: float) -> float:
    """万元 on the label or its unit cell, else around it; the declared unit where none is named."""
    if re.search(r"万元|萬元", tokens[label_at].body + tokens[value_at - 1].body):
        return 1e4
    around = tokens[max(0, label_at - 3) : label_at + 12]
    scale = _table_scale(around)
    return scale if scale > 1 or any("元" in t.body for t in around) else declared_scale


_DECLARED_UNIT_RE = re.compile(r"(?:金额|资金|计量)?单位[:：]\s*[(（]?(万元|萬元|元)")


def declared_scale(preamble: str) -> float:
    """The money unit a table's caption declares (`金额单位：万元` → 1e4); 1.0 where none (元)."""
    found = _DECLARED_UNIT_RE.findall(preamble)
    return 1e4 if found and found[-1] in ("万元", "萬元") else 1.0


def _repeated_label_rows(tokens: list[Token], begin: int, columns: list[str]) -> list[FundingRow]:
    """Source rows whose label stands in every column, each followed by that column's value:
    `省财政 170 省财政 170 省财政 170 省财政` (a blank value leaves its column out)."""
    rows: list[FundingRow] = []
    k = next((j for j in range(begin, begin + _LEAD_IN) if _repeated_label(tokens, j)), len(tokens))
    while (found := _repeated_label(tokens, k)) is not None:
        label, occurrences, k = found
        values = {
            field: token
            for field, token in zip(columns, occurrences, strict=False)
            if token is not None and token.body not in ("-", "—", "/", "－")
        }
        rows.append(FundingRow(label, values))
    return rows


_LEAD_IN = 4  # cells between the last labelled value and the first source row (`结余 | 0`, a rate)


def _repeated_label(tokens: list[Token], k: int) -> tuple[Token, list[Token | None], int] | None:
    """The label at k written twice or more in a row, each time with its value or none; with the
    values and the index after the run."""
    if k >= len(tokens) or not _is_label(tokens[k]):
        return None
    label = tokens[k]
    occurrences: list[Token | None] = []
    j = k
    while j < len(tokens) and tokens[j].body == label.body:
        value = tokens[j + 1] if j + 1 < len(tokens) and _is_value(tokens[j + 1].body) else None
        occurrences.append(value)
        j += 2 if value is not None else 1
    return (label, occurrences, j) if len(occurrences) >= 2 else None


def _add_source(funding: FundingPublic, row: FundingRow, scales: dict[str, float]) -> None:
    """A source row into `funding.sources` (amounts in 元) with its cells; a row of blanks is left out."""
    if not row.values:
        return
    label = re.sub(r"^其中[:：]?", "", _label_text(row.label))
    funding.sources[label] = {
        field: _number(token, scales.get(field, 1.0), field in _AMOUNT_FIELDS)
        for field, token in row.values.items()
    }
    funding.cells[label] = [row.label.start, row.label.end]
    for field, token in row.values.items():
        funding.cells[f"{label}.{field}"] = [token.start, token.end]
