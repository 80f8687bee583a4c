"""Indexes for search: claims by sentence with kind, value, object and predicate (covering the
full-text filter and its ordering), claims by object and predicate, links and indicators for the
indicator filter.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("claims") as batch_op:
        batch_op.drop_index("ix_claims_sentence_id")
        batch_op.drop_index("ix_claims_object")
        batch_op.drop_index("ix_claims_predicate")
        batch_op.create_index(
            "ix_claims_sentence_search", ["sentence_id", "kind", "value", "object", "predicate"]
        )
        batch_op.create_index("ix_claims_object_predicate", ["object", "predicate"])
    op.create_index("ix_links_document_indicator", "links", ["document_id", "indicator_id"])
    op.create_index(
        "ix_indicators_document_indicator_name", "indicators", ["document_id", "indicator_id", "name"]
    )


def downgrade() -> None:
    op.drop_index("ix_indicators_document_indicator_name", table_name="indicators")
    op.drop_index("ix_links_document_indicator", table_name="links")
    with op.batch_alter_table("claims") as batch_op:
        batch_op.drop_index("ix_claims_object_predicate")
        batch_op.drop_index("ix_claims_sentence_search")
        batch_op.create_index("ix_claims_predicate", ["predicate"])
        batch_op.create_index("ix_claims_object", ["object"])
        batch_op.create_index("ix_claims_sentence_id", ["sentence_id"])
