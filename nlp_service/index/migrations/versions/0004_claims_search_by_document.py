"""A covering index of claims led by document and claim id, for the searches that start from
documents (finding code, indicator links, one document): the claims of those documents are read from
index entries only. It replaces ix_claims_document_claim, its prefix.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from __future__ import annotations

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None

BY_DOCUMENT = [
    "document_id",
    "claim_id",
    "kind",
    "unit",
    "value",
    "year",
    "org",
    "object",
    "predicate",
    "sentence_id",
]


def upgrade() -> None:
    op.drop_index("ix_claims_document_claim", table_name="claims")
    op.create_index("ix_claims_search_by_document", "claims", BY_DOCUMENT)


def downgrade() -> None:
    op.drop_index("ix_claims_search_by_document", table_name="claims")
    op.create_index("ix_claims_document_claim", "claims", ["document_id", "claim_id"])
