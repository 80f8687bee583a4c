"""Performance tables (绩效自评表): grids read into `indicators` and `funding`."""

from __future__ import annotations

from dataclasses import dataclass, field

from nlp_service.ingest.document import Document
from nlp_service.schema import ClaimPublic, FundingPublic, IndicatorPublic, TablePublic

__all__ = ["TableReading", "read_tables"]


@dataclass
class TableReading:
    """What the tables of a document say, and the document's claims placed relative to them.

    `claims` is the pipeline's claim list with claims in structural table cells removed and claims
    in free-text cells marked `source="table"`.
    """

    claims: list[ClaimPublic]
    funding: FundingPublic | None = None
    indicators: list[IndicatorPublic] = field(default_factory=list)
    tables: list[TablePublic] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    total_weight: float | None = None
    total_score: float | None = None
    category_weights: dict[str, float] = field(default_factory=dict)


def read_tables(document: Document, claims: list[ClaimPublic]) -> TableReading:
    """PLACEHOLDER until the table interpreter lands."""
    return TableReading(claims=claims)
