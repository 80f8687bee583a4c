"""Gold files (`NAME.gold.json`, see ../shared/docs/claims.md) as the inputs of linking and checks.

Lets linking and the checks be measured on their own, on claims and tables as a reviewer marked
them, apart from the errors of the claim extractor and the table reader.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nlp_service.ingest.document import Document
from nlp_service.schema import ClaimPublic, FundingPublic, IndicatorPublic, TargetPublic
from nlp_service.tables import TableReading

_SCALE = {"万元": 10000.0, "萬元": 10000.0, "亿元": 1e8, "元": 1.0}
_NUMBER = re.compile(r"(-?\d+(?:\.\d+)?)\s*([%％]|万元|亿元|元|万|[^\d\s.,，;；)）]{0,3})")
_AMOUNT_FIELDS = ("budget_initial", "budget_full_year", "executed")
_CLAIM_FIELDS = (
    "value",
    "value_max",
    "unit",
    "kind",
    "approximate",
    "bound",
    "qualifier",
    "object",
    "predicate",
)


@dataclass
class GoldDocument:
    name: str
    document: Document
    claims: list[ClaimPublic]
    tables: TableReading
    gold: dict[str, Any]


def parse_target(raw: str | None) -> TargetPublic:
    """`≥200` → op >=, 200; `<=5300元/户` → op <=, 5300, 元/户; `1.2万亩` → 12000 亩."""
    if not raw:
        return TargetPublic(raw=raw)
    op = None
    if re.search(r"≥|>=|不低于|不少于|以上", raw):
        op = ">="
    elif re.search(r"≤|<=|不高于|不超过|以下|以内", raw):
        op = "<="
    elif re.search(r"[>＞]", raw):
        op = ">"
    elif re.search(r"[<＜]", raw):
        op = "<"
    match = _NUMBER.search(raw)
    if not match:
        return TargetPublic(raw=raw, op=op)
    value = float(match.group(1))
    unit = match.group(2) or None
    if unit and unit.startswith("万"):
        value *= 10000
        unit = unit[1:] or None
    if unit == "％":
        unit = "%"
    return TargetPublic(raw=raw, op=op or "=", value=value, unit=unit)


def gold_claims(gold: dict[str, Any]) -> list[ClaimPublic]:
    claims = []
    for index, item in enumerate(gold.get("claims", [])):
        fields = {k: item.get(k) for k in _CLAIM_FIELDS if item.get(k) is not None}
        claims.append(
            ClaimPublic(
                id=f"c{index}",
                start=item["start"],
                end=item["end"],
                text=item["text"],
                source=item.get("source", "narrative"),
                **fields,
            )
        )
    return claims


def gold_indicators(gold: dict[str, Any]) -> list[IndicatorPublic]:
    return [
        IndicatorPublic(
            id=f"i{n}",
            level1=item.get("level1"),
            level2=item.get("level2"),
            name=item["name"],
            target=parse_target(item.get("target")),
            weight=item.get("weight"),
            score=item.get("score"),
        )
        for n, item in enumerate(gold.get("indicators") or [], start=1)
    ]


def gold_funding(gold: dict[str, Any]) -> FundingPublic | None:
    item = gold.get("funding")
    if not item:
        return None
    scale = _SCALE.get(item.get("unit") or "元", 1.0)

    def scaled(values: dict[str, Any]) -> dict[str, float | None]:
        out: dict[str, float | None] = {}
        for key in (*_AMOUNT_FIELDS, "received", "execution_rate"):
            if key in values:
                value = values[key]
                money = key in _AMOUNT_FIELDS or key == "received"
                out[key] = None if value is None else float(value) * (scale if money else 1)
        return out

    sources = {re.sub(r"^其中[:：]", "", row["row"]): scaled(row) for row in item.get("sub_rows", [])}
    main = scaled(item)
    return FundingPublic(
        row=item.get("row"),
        weight=item.get("weight"),
        score=item.get("score"),
        sources=sources,
        budget_initial=main.get("budget_initial"),
        budget_full_year=main.get("budget_full_year"),
        executed=main.get("executed"),
        execution_rate=main.get("execution_rate"),
        received=main.get("received"),
    )


def load_gold(txt_path: Path) -> GoldDocument:
    """The document and its gold claims, indicators and funding, as the pipeline would hand them on."""
    gold_path = txt_path.with_name(txt_path.name.removesuffix(".txt") + ".gold.json")
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    text = txt_path.read_text(encoding="utf-8")
    claims = gold_claims(gold)
    tables = TableReading(claims=claims, funding=gold_funding(gold), indicators=gold_indicators(gold))
    return GoldDocument(
        txt_path.name.removesuffix(".txt"), Document(text=text, source=txt_path.name), claims, tables, gold
    )
