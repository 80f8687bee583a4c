"""Read-only queries the review pages need beyond the store's public methods: per-document counts
(claims, reviewed claims, findings by severity) and a document's reviews, all with bound parameters."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select

from nlp_service.exports import ReviewRecord
from nlp_service.index import tables as t
from nlp_service.index.store import Store


@dataclass
class DocumentStats:
    claims: int = 0
    reviewed: int = 0
    findings: dict[str, int] = field(default_factory=dict)

    @property
    def progress(self) -> int:
        """Reviewed claims as a whole percentage (100 for a document without claims)."""
        return 100 if self.claims == 0 else round(100 * self.reviewed / self.claims)


def document_stats(store: Store, document_ids: Sequence[str]) -> dict[str, DocumentStats]:
    """Claim, review and finding counts for each of `document_ids`."""
    stats = {doc_id: DocumentStats() for doc_id in document_ids}
    if not document_ids:
        return stats
    c, f = t.claims, t.findings
    claim_counts = (
        select(c.c.document_id, func.count(), func.count(c.c.review_status))
        .where(c.c.document_id.in_(list(document_ids)))
        .group_by(c.c.document_id)
    )
    finding_counts = (
        select(f.c.document_id, f.c.severity, func.count())
        .where(f.c.document_id.in_(list(document_ids)))
        .group_by(f.c.document_id, f.c.severity)
    )
    with store.db.read() as conn:
        for doc_id, total, reviewed in conn.execute(claim_counts):
            stats[doc_id].claims, stats[doc_id].reviewed = total, reviewed
        for doc_id, severity, count in conn.execute(finding_counts):
            stats[doc_id].findings[severity] = count
    return stats


def claim_statuses(store: Store, document_id: str) -> dict[str, str]:
    """The latest review status (accepted, rejected, corrected) of each reviewed claim of a document."""
    c = t.claims
    query = select(c.c.claim_id, c.c.review_status).where(
        c.c.document_id == document_id, c.c.review_status.is_not(None)
    )
    with store.db.read() as conn:
        return {claim_id: status for claim_id, status in conn.execute(query)}


def document_reviews(store: Store, document_id: str) -> list[ReviewRecord]:
    """Every review of a document's claims, oldest first, as export records."""
    r = t.reviews
    query = select(r).where(r.c.document_id == document_id).order_by(r.c.id)
    with store.db.read() as conn:
        rows = list(conn.execute(query))
    return [
        ReviewRecord(
            claim_id=row.claim_id,
            action=row.action,
            reviewer=row.reviewer or "",
            created_at=row.created_at.isoformat(timespec="seconds") if row.created_at else "",
            reason=row.reason,
            changes=json.loads(row.correction) if row.correction else {},
            original=json.loads(row.original) if row.original else {},
        )
        for row in rows
    ]
