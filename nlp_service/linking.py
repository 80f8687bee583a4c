"""Links between claims and the indicators they evidence."""

from __future__ import annotations

from nlp_service.ingest.document import Document
from nlp_service.schema import ClaimPublic, IndicatorPublic, LinkPublic


def link(claims: list[ClaimPublic], indicators: list[IndicatorPublic], document: Document) -> list[LinkPublic]:
    """PLACEHOLDER until linking lands."""
    return []
