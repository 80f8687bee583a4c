"""Covering indexes for one-pass search: every column a claim search filters on, ranks by or counts
in a facet (kind, value, unit, year, org, document, object, predicate, sentence), so a search reads
index entries only, never the claims table. One index leads with the sentence (the full-text join:
FTS5 rowid -> claims), one with kind and unit (structured filters). They replace the two narrower
indexes of 0002/0001 that are their prefixes.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None

BY_SENTENCE = ["sentence_id", "kind", "value", "unit", "year", "org", "document_id", "object", "predicate"]
BY_KIND = ["kind", "unit", "value", "year", "org", "document_id", "object", "predicate", "sentence_id"]


def upgrade() -> None:
    op.drop_index("ix_claims_sentence_search", table_name="claims")
    op.drop_index("ix_claims_kind_value", table_name="claims")
    op.create_index("ix_claims_search_by_sentence", "claims", BY_SENTENCE)
    op.create_index("ix_claims_search_by_kind", "claims", BY_KIND)


def downgrade() -> None:
    op.drop_index("ix_claims_search_by_kind", table_name="claims")
    op.drop_index("ix_claims_search_by_sentence", table_name="claims")
    op.create_index("ix_claims_kind_value", "claims", ["kind", "value"])
    op.create_index(
        "ix_claims_sentence_search", "claims", ["sentence_id", "kind", "value", "object", "predicate"]
    )
