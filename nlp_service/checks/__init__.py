"""Cross-checks: one rule per finding code of the contract, each citing its evidence."""

from __future__ import annotations

from nlp_service.ingest.document import Document
from nlp_service.schema import ClaimPublic, FindingPublic, LinkPublic
from nlp_service.tables import TableReading


def run_checks(
    document: Document, claims: list[ClaimPublic], tables: TableReading, links: list[LinkPublic]
) -> tuple[list[FindingPublic], list[str]]:
    """PLACEHOLDER until the checks land. Returns findings and notes on checks that could not run."""
    return [], []
