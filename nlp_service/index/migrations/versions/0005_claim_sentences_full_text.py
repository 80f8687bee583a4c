"""Full text over the sentences that hold claims: a claim search reads only these.

A common word (资金, 工作) occurs in tens of thousands of sentences, of which about a third hold a
claim; a claim search matched them all and then probed the claims index for each. `sentences.has_claims`
marks the sentences that hold one (set by the store when it inserts a document); on SQLite a second
FTS5 index over those sentences only (`claim_sentences_fts`, kept in step by triggers), on PostgreSQL a
partial GIN index, serve the claim searches.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None

SQLITE_FTS = [
    "CREATE VIRTUAL TABLE claim_sentences_fts USING fts5(tokens, content='sentences', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 0')",
    "INSERT INTO claim_sentences_fts(rowid, tokens) SELECT id, tokens FROM sentences WHERE has_claims",
    "CREATE TRIGGER claim_sentences_fts_insert AFTER INSERT ON sentences WHEN new.has_claims BEGIN "
    "INSERT INTO claim_sentences_fts(rowid, tokens) VALUES (new.id, new.tokens); END",
    "CREATE TRIGGER claim_sentences_fts_delete AFTER DELETE ON sentences WHEN old.has_claims BEGIN "
    "INSERT INTO claim_sentences_fts(claim_sentences_fts, rowid, tokens) VALUES ('delete', old.id, old.tokens); END",
]
BACKFILL = (
    "UPDATE sentences SET has_claims = EXISTS (SELECT 1 FROM claims WHERE claims.sentence_id = sentences.id)"
)


def upgrade() -> None:
    op.add_column(
        "sentences",
        sa.Column(
            "has_claims",
            sa.Boolean(),
            nullable=False,
            server_default=sa.false(),
            comment="a claim lies in this sentence (claim searches read only these)",
        ),
    )
    op.execute(BACKFILL)
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_FTS:
            op.execute(statement)
    else:
        op.create_index(
            "ix_sentences_tsv_with_claims",
            "sentences",
            ["tsv"],
            postgresql_using="gin",
            postgresql_where=sa.text("has_claims"),
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("claim_sentences_fts_insert", "claim_sentences_fts_delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS claim_sentences_fts")
    else:
        op.drop_index("ix_sentences_tsv_with_claims", table_name="sentences")
    # ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35) keeps the table, and with it the sentences_fts triggers
    op.execute("ALTER TABLE sentences DROP COLUMN has_claims")
