"""The pydantic models of the extraction contract (../shared/docs/contract.md).

This is the only shape that leaves the library: the CLI prints it, the API returns it and the
index stores it. Field names are part of the contract; fields may be added, never renamed.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_ID = "nlp_service.extraction/1"

ClaimKind = Literal["count", "money", "percent", "score", "duration", "measure"]
Bound = Literal["eq", "gt", "ge", "lt", "le", "range"]
Qualifier = Literal["total", "part", "increase", "decrease"]
Severity = Literal["error", "warning", "info"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DocumentMeta(_Model):
    id: str = Field(description="sha256 of the document's bytes")
    source: str | None = None
    format: str = "txt"
    encoding: str | None = None
    title: str | None = None
    org: str | None = None
    year: int | None = None
    report_date: str | None = None
    chars: int = 0
    pipeline_version: str = ""


class SectionPublic(_Model):
    start: int
    end: int
    heading: str
    level: int = 1
    path: list[str] = Field(default_factory=list)


class EntityPublic(_Model):
    start: int
    end: int
    text: str
    label: str
    source: str = "rules"


class ClaimPublic(_Model):
    id: str
    start: int
    end: int
    text: str
    value: float | None
    value_max: float | None = None
    unit: str | None = None
    kind: ClaimKind = "count"
    approximate: bool = False
    bound: Bound = "eq"
    qualifier: Qualifier | None = None
    object: str | None = None
    object_span: tuple[int, int] | None = None
    predicate: str | None = None
    predicate_span: tuple[int, int] | None = None
    agent: str | None = None
    time: str | None = None
    activity: str | None = None
    sentence: tuple[int, int] | None = None
    section: int | None = None
    source: Literal["narrative", "table"] = "narrative"
    confidence: float = 1.0


class ActivityPublic(_Model):
    id: str
    start: int
    end: int
    text: str
    predicate: str | None = None
    object: str | None = None
    date: str | None = None
    agent: str | None = None
    claims: list[str] = Field(default_factory=list)


class FundingPublic(_Model):
    unit: str = "元"
    row: str | None = None
    budget_initial: float | None = None
    budget_full_year: float | None = None
    executed: float | None = None
    execution_rate: float | None = None
    weight: float | None = None
    score: float | None = None
    received: float | None = Field(
        default=None, description="实际到位资金 / 到位数 in 元, where the table gives the amount received"
    )
    sources: dict[str, dict[str, float | None]] = Field(
        default_factory=dict, description="sub-rows such as 当年财政拨款 with their amounts in 元"
    )
    cells: dict[str, list[int]] = Field(
        default_factory=dict, description="field name -> [start, end] of the cell in the text"
    )


class TargetPublic(_Model):
    raw: str | None = None
    op: str | None = None
    value: float | None = None
    value_max: float | None = None
    unit: str | None = None


class ActualPublic(_Model):
    raw: str | None = None
    value: float | None = None
    unit: str | None = None
    claims: list[str] = Field(default_factory=list)
    start: int | None = None
    end: int | None = None


class IndicatorPublic(_Model):
    id: str
    level1: str | None = None
    level2: str | None = None
    name: str
    target: TargetPublic = Field(default_factory=TargetPublic)
    actual: ActualPublic = Field(default_factory=ActualPublic)
    weight: float | None = None
    score: float | None = None
    deviation: str | None = None
    met: bool | None = None
    start: int | None = None
    end: int | None = None


class LinkPublic(_Model):
    claim: str
    indicator: str
    score: float
    evidence: str


class EvidencePublic(_Model):
    start: int | None = None
    end: int | None = None
    indicator: str | None = None
    table_row: str | None = None
    claim: str | None = None
    note: str | None = None


class FindingPublic(_Model):
    id: str
    code: str
    severity: Severity
    message: str
    evidence: list[EvidencePublic] = Field(default_factory=list)


class TablePublic(_Model):
    """A performance table as read: which kind, where, and what could not be read."""

    kind: str
    start: int
    end: int
    rows: int
    columns: int
    notes: list[str] = Field(default_factory=list)


class Extraction(_Model):
    schema_: str = Field(default=SCHEMA_ID, alias="schema", serialization_alias="schema")
    document: DocumentMeta
    text: str
    sections: list[SectionPublic] = Field(default_factory=list)
    entities: list[EntityPublic] = Field(default_factory=list)
    claims: list[ClaimPublic] = Field(default_factory=list)
    activities: list[ActivityPublic] = Field(default_factory=list)
    funding: FundingPublic | None = None
    indicators: list[IndicatorPublic] = Field(default_factory=list)
    tables: list[TablePublic] = Field(default_factory=list)
    links: list[LinkPublic] = Field(default_factory=list)
    findings: list[FindingPublic] = Field(default_factory=list)
    notes: list[str] = Field(
        default_factory=list, description="what could not be read or checked, for the reviewer"
    )

    model_config = ConfigDict(extra="forbid", populate_by_name=True, serialize_by_alias=True)
