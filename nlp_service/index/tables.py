"""The index's tables (SQLAlchemy Core). The schema itself is created by the Alembic migrations
in `nlp_service/index/migrations/`; a test checks that these definitions and the migrations agree.

Full text: `sentences.tokens` holds jieba-segmented text (tokens separated by spaces). On SQLite the
FTS5 table `sentences_fts` (external content, kept in step by triggers) indexes it; on PostgreSQL the
generated column `sentences.tsv` (`to_tsvector('simple', tokens)`) with a GIN index does. Claim
searches read only the sentences that hold a claim (`has_claims`): the FTS5 table
`claim_sentences_fts` on SQLite, a partial GIN index on PostgreSQL (migration 0005).
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    false,
)

metadata = MetaData()

SHA = String(64)


def _doc_fk() -> Column[str]:
    return Column(
        "document_id", SHA, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True
    )


documents = Table(
    "documents",
    metadata,
    Column("id", SHA, primary_key=True, comment="sha256 of the file's bytes"),
    Column("source", Text),
    Column("format", String(16)),
    Column("size", Integer, nullable=False, default=0),
    Column("file_path", Text, comment="the original file, relative to the data directory"),
    Column("title", Text),
    Column("org", Text, index=True),
    Column("year", Integer, index=True),
    Column("report_date", String(32)),
    Column("chars", Integer),
    Column("status", String(16), nullable=False, index=True, comment="pending | done | failed"),
    Column("error", Text),
    Column("pipeline_version", String(32), index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

extractions = Table(
    "extractions",
    metadata,
    Column("document_id", SHA, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("pipeline_version", String(32), nullable=False),
    Column("body", Text, nullable=False, comment="the contract's JSON"),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

sentences = Table(
    "sentences",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _doc_fk(),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("tokens", Text, nullable=False, comment="jieba-segmented text, space separated"),
    Column(
        "has_claims",
        Boolean,
        nullable=False,
        server_default=false(),
        comment="a claim lies in this sentence (claim searches read only these)",
    ),
)

# Covering indexes of search (migration 0003): every column a claim search filters on, ranks by or
# counts in a facet, led by the sentence (the full-text join), by kind and unit (structured filters) or
# by document and claim id (finding, indicator and document filters; migration 0004).
CLAIMS_SEARCH_BY_SENTENCE = (
    "sentence_id", "kind", "value", "unit", "year", "org", "document_id", "object", "predicate"
)  # fmt: skip
CLAIMS_SEARCH_BY_KIND = (
    "kind", "unit", "value", "year", "org", "document_id", "object", "predicate", "sentence_id"
)  # fmt: skip
CLAIMS_SEARCH_BY_DOCUMENT = (
    "document_id", "claim_id", "kind", "unit", "value", "year", "org", "object", "predicate", "sentence_id"
)  # fmt: skip

claims = Table(
    "claims",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _doc_fk(),
    Column("claim_id", String(32), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("value", Float),
    Column("value_max", Float),
    Column("unit", String(32)),
    Column("kind", String(16), nullable=False),
    Column("bound", String(8)),
    Column("qualifier", String(16)),
    Column("object", Text),
    Column("predicate", Text),
    Column("agent", Text),
    Column("time", Text),
    Column("source", String(16)),
    Column("confidence", Float),
    Column("sentence_start", Integer),
    Column("sentence_end", Integer),
    Column("sentence_id", Integer, ForeignKey("sentences.id", ondelete="SET NULL")),
    Column("year", Integer),
    Column("org", Text),
    Column("review_status", String(16), comment="latest review: accepted | rejected | corrected"),
    Index("ix_claims_unit", "unit"),
    Index("ix_claims_object_predicate", "object", "predicate"),
    Index("ix_claims_year", "year"),
    Index("ix_claims_org", "org"),
    Index("ix_claims_search_by_sentence", *CLAIMS_SEARCH_BY_SENTENCE),
    Index("ix_claims_search_by_kind", *CLAIMS_SEARCH_BY_KIND),
    Index("ix_claims_search_by_document", *CLAIMS_SEARCH_BY_DOCUMENT),
)

entities = Table(
    "entities",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _doc_fk(),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("label", String(32), nullable=False, index=True),
)

activities = Table(
    "activities",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _doc_fk(),
    Column("activity_id", String(32), nullable=False),
    Column("start", Integer),
    Column("end", Integer),
    Column("text", Text, nullable=False),
    Column("predicate", Text),
    Column("object", Text),
    Column("date", Text),
)

indicators = Table(
    "indicators",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _doc_fk(),
    Column("indicator_id", String(32), nullable=False),
    Column("level1", Text),
    Column("level2", Text),
    Column("name", Text, nullable=False, index=True),
    Column("target_op", String(8)),
    Column("target_value", Float),
    Column("target_unit", String(32)),
    Column("actual_value", Float),
    Column("actual_unit", String(32)),
    Column("weight", Float),
    Column("score", Float),
    Column("met", Boolean),
    Index("ix_indicators_document_indicator_name", "document_id", "indicator_id", "name"),
)

links = Table(
    "links",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _doc_fk(),
    Column("claim_id", String(32), nullable=False),
    Column("indicator_id", String(32), nullable=False),
    Column("score", Float),
    Index("ix_links_document_indicator", "document_id", "indicator_id"),
)

findings = Table(
    "findings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _doc_fk(),
    Column("finding_id", String(32), nullable=False),
    Column("code", String(64), nullable=False, index=True),
    Column("severity", String(16), nullable=False),
    Column("message", Text, nullable=False),
)

reviews = Table(
    "reviews",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _doc_fk(),
    Column("claim_id", String(32), nullable=False),
    Column("pipeline_version", String(32)),
    Column("action", String(16), nullable=False, comment="accept | reject | correct"),
    Column("reason", Text, nullable=False),
    Column("original", Text, nullable=False, comment="the claim's JSON as extracted"),
    Column("correction", Text, comment="JSON of the corrected fields"),
    Column("reviewer", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("prefix", String(16), nullable=False),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("name", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("principal", Text),
    Column("action", String(64), nullable=False, index=True),
    Column("target", Text),
    Column("detail", Text),
)

jobs = Table(
    "jobs",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("kind", String(16), nullable=False, comment="ingest | reprocess"),
    Column("document_id", SHA, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("status", String(16), nullable=False, index=True, comment="queued | running | done | failed"),
    Column("error", Text),
    Column("attempts", Integer, nullable=False, default=0),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
