"""The fact index: documents, their extractions and every claim, entity, indicator and finding,
plus reviews, API keys, the audit log and background jobs.

Open one with `open_store(settings)` (or `Store(data_dir, url)` + `migrate()`); it is safe to share
between threads. Identity of a document is the sha256 of its bytes, so the same file stored twice is
one document. Writes are single explicit transactions (see `nlp_service.index.db`).
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import tempfile
import uuid
from bisect import bisect_right
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, and_, delete, func, insert, or_, select, update

from nlp_service.config import Settings
from nlp_service.index import tables as t
from nlp_service.index.db import Database
from nlp_service.index.records import (
    REVIEW_STATUS,
    ApiKeyCreated,
    ApiKeyPublic,
    AuditEntry,
    DocumentPage,
    DocumentSummary,
    JobPublic,
    ReviewAction,
    ReviewPublic,
    Role,
    StoredClaim,
)
from nlp_service.index.text import segment_for_index, split_sentences
from nlp_service.schema import ClaimPublic, Extraction

KEY_PREFIX = "nlp_"


def now() -> datetime:
    return datetime.now(UTC)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Store:
    """The index over one database and one data directory (uploaded files live in `files/`)."""

    def __init__(self, data_dir: Path, url: str) -> None:
        self.data_dir = Path(data_dir)
        self.db = Database(url)

    # ------------------------------------------------------------------ lifecycle
    def migrate(self) -> None:
        """Create or upgrade the schema (Alembic, idempotent)."""
        self.db.migrate()

    def optimize(self) -> None:
        """Refresh SQLite's query-planner statistics (an approximate ANALYZE, fast at any size).

        Run after bulk loading and now and then; PostgreSQL's autovacuum does this by itself."""
        if not self.db.is_sqlite:
            return
        with self.db.write() as conn:
            conn.exec_driver_sql("PRAGMA analysis_limit=1000")
            conn.exec_driver_sql("ANALYZE")

    def close(self) -> None:
        """Release the database connections."""
        self.db.dispose()

    # ------------------------------------------------------------------ documents
    def save_file(
        self, data: bytes, source: str | None, fmt: str | None = None
    ) -> tuple[DocumentSummary, bool]:
        """Keep an uploaded file and register its document (status pending when new).

        Returns the document and whether it was new; the same bytes give the same document.
        The file is written (atomically) before the row is committed, so a committed document
        always has its file.
        """
        doc_id = sha256_hex(data)
        relative = self._write_file(doc_id, data)
        stamp = now()
        row = {
            "id": doc_id,
            "source": source,
            "format": fmt or _format_of(source),
            "size": len(data),
            "file_path": relative,
            "status": "pending",
            "created_at": stamp,
            "updated_at": stamp,
        }
        with self.db.write() as conn:
            existing = conn.execute(
                select(t.documents.c.id, t.documents.c.file_path).where(t.documents.c.id == doc_id)
            ).first()
            if existing is None:
                conn.execute(insert(t.documents).values(**row))
            elif existing.file_path is None:
                conn.execute(update(t.documents).where(t.documents.c.id == doc_id).values(file_path=relative))
        document = self.get_document(doc_id)
        assert document is not None
        return document, existing is None

    def _write_file(self, doc_id: str, data: bytes) -> str:
        relative = f"files/{doc_id[:2]}/{doc_id}"
        path = self.data_dir / relative
        if path.is_file() and path.stat().st_size == len(data):
            return relative
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        return relative

    def file_path(self, document_id: str) -> Path | None:
        """Where the document's original file is kept, or None when it has none."""
        with self.db.read() as conn:
            relative = conn.execute(
                select(t.documents.c.file_path).where(t.documents.c.id == document_id)
            ).scalar_one_or_none()
        return self.data_dir / relative if relative else None

    def add_extraction(self, extraction: Extraction, *, source: str | None = None) -> str:
        """Store (or replace) a document's extraction and every derived row, in one transaction.

        Creates the document row when missing (used for bulk loading without a file). Reviews of
        the document's claims are kept and re-applied to claims with the same id. Returns the id.
        """
        meta = extraction.document
        doc_id = meta.id
        rows = _derived_rows(extraction)
        stamp = now()
        doc_values = {
            "source": source or meta.source,
            "format": meta.format,
            "title": meta.title,
            "org": meta.org,
            "year": meta.year,
            "report_date": meta.report_date,
            "chars": meta.chars,
            "status": "done",
            "error": None,
            "pipeline_version": meta.pipeline_version,
            "updated_at": stamp,
        }
        body = extraction.model_dump_json()
        with self.db.write() as conn:
            exists = conn.execute(select(t.documents.c.id).where(t.documents.c.id == doc_id)).first()
            if exists is None:
                conn.execute(insert(t.documents).values(id=doc_id, size=0, created_at=stamp, **doc_values))
            else:
                conn.execute(update(t.documents).where(t.documents.c.id == doc_id).values(**doc_values))
                _delete_derived(conn, doc_id)
            conn.execute(
                insert(t.extractions).values(
                    document_id=doc_id, pipeline_version=meta.pipeline_version, body=body, created_at=stamp
                )
            )
            _insert_derived(conn, doc_id, rows)
            _reapply_reviews(conn, doc_id)
        return doc_id

    def mark_failed(self, document_id: str, error: str) -> None:
        """Record why a document could not be extracted."""
        with self.db.write() as conn:
            conn.execute(
                update(t.documents)
                .where(t.documents.c.id == document_id)
                .values(status="failed", error=error, updated_at=now())
            )

    def get_document(self, document_id: str) -> DocumentSummary | None:
        """The document's summary, or None."""
        with self.db.read() as conn:
            row = conn.execute(select(t.documents).where(t.documents.c.id == document_id)).first()
        return DocumentSummary.model_validate(row) if row else None

    def get_extraction_json(self, document_id: str) -> str | None:
        """The stored contract JSON, exactly as produced (None when not extracted yet)."""
        with self.db.read() as conn:
            return conn.execute(
                select(t.extractions.c.body).where(t.extractions.c.document_id == document_id)
            ).scalar_one_or_none()

    def get_extraction(self, document_id: str) -> Extraction | None:
        """The stored extraction as the contract's model."""
        body = self.get_extraction_json(document_id)
        return Extraction.model_validate_json(body) if body else None

    def list_documents(
        self,
        *,
        page: int = 1,
        per_page: int = 20,
        status: str | None = None,
        org: str | None = None,
        year: int | None = None,
        source: str | None = None,
        finding: str | None = None,
    ) -> DocumentPage:
        """Documents, newest first, filtered by status, organisation (substring), year, file name
        (substring) and finding code; `page` counts from 1."""
        d = t.documents
        conditions = []
        if status:
            conditions.append(d.c.status == status)
        if org:
            conditions.append(d.c.org.contains(org, autoescape=True))
        if year is not None:
            conditions.append(d.c.year == year)
        if source:
            conditions.append(d.c.source.contains(source, autoescape=True))
        if finding:
            conditions.append(
                d.c.id.in_(select(t.findings.c.document_id).where(t.findings.c.code == finding))
            )
        where = and_(*conditions) if conditions else None
        query = (
            select(d).order_by(d.c.created_at.desc(), d.c.id).limit(per_page).offset((page - 1) * per_page)
        )
        count = select(func.count()).select_from(d)
        if where is not None:
            query, count = query.where(where), count.where(where)
        with self.db.read() as conn:
            items = [DocumentSummary.model_validate(r) for r in conn.execute(query)]
            total = conn.execute(count).scalar_one()
        return DocumentPage(items=items, total=total, page=page, per_page=per_page)

    def stale_documents(self, pipeline_version: str) -> list[str]:
        """Ids of documents extracted by another pipeline version (or failed), to reprocess."""
        d = t.documents
        with self.db.read() as conn:
            rows = conn.execute(
                select(d.c.id)
                .where(d.c.file_path.is_not(None))
                .where(or_(d.c.pipeline_version != pipeline_version, d.c.status == "failed"))
                .order_by(d.c.created_at)
            )
            return [r.id for r in rows]

    def count(self, table: str) -> int:
        """Rows in one of the index's tables (for statistics and tests)."""
        with self.db.read() as conn:
            return conn.execute(select(func.count()).select_from(t.metadata.tables[table])).scalar_one()

    # ------------------------------------------------------------------ claims and reviews
    def get_claim(self, ref: str) -> StoredClaim | None:
        """A claim by row id (`"123"`) or by `"<document sha256>:<claim id>"`, with its reviews."""
        row = self._claim_row(ref)
        if row is None:
            return None
        extraction = self.get_extraction(row.document_id)
        claim = _claim_in(extraction, row.claim_id) if extraction else None
        with self.db.read() as conn:
            reviews = [
                _review(r)
                for r in conn.execute(
                    select(t.reviews)
                    .where(t.reviews.c.document_id == row.document_id, t.reviews.c.claim_id == row.claim_id)
                    .order_by(t.reviews.c.id)
                )
            ]
        return StoredClaim(
            id=row.id,
            document_id=row.document_id,
            claim=claim.model_dump(mode="json") if claim else {},
            review_status=row.review_status,
            reviews=reviews,
        )

    def _claim_row(self, ref: str) -> Any:
        c = t.claims
        if ref.isdigit():
            condition = c.c.id == int(ref)
        elif ":" in ref:
            doc_id, claim_id = ref.split(":", 1)
            condition = and_(c.c.document_id == doc_id, c.c.claim_id == claim_id)
        else:
            return None
        with self.db.read() as conn:
            return conn.execute(
                select(c.c.id, c.c.document_id, c.c.claim_id, c.c.review_status).where(condition)
            ).first()

    def review_claim(
        self,
        ref: str,
        action: ReviewAction,
        reason: str,
        *,
        reviewer: str | None,
        correction: dict[str, Any] | None = None,
    ) -> ReviewPublic | None:
        """Record a reviewer's decision on a claim (the extracted claim is kept unchanged).

        `correction` holds the corrected fields for action=correct. Returns None for an unknown claim.
        """
        stored = self.get_claim(ref)
        if stored is None:
            return None
        document = self.get_document(stored.document_id)
        stamp = now()
        values = {
            "document_id": stored.document_id,
            "claim_id": stored.claim.get("id", ""),
            "pipeline_version": document.pipeline_version if document else None,
            "action": action.value,
            "reason": reason,
            "original": json.dumps(stored.claim, ensure_ascii=False),
            "correction": json.dumps(correction, ensure_ascii=False) if correction is not None else None,
            "reviewer": reviewer,
            "created_at": stamp,
        }
        with self.db.write() as conn:
            review_id = conn.execute(
                insert(t.reviews).values(**values).returning(t.reviews.c.id)
            ).scalar_one()
            conn.execute(
                update(t.claims).where(t.claims.c.id == stored.id).values(review_status=REVIEW_STATUS[action])
            )
        return ReviewPublic(id=review_id, **{**values, "original": stored.claim, "correction": correction})

    # ------------------------------------------------------------------ API keys
    def create_api_key(self, role: Role, name: str | None = None) -> ApiKeyCreated:
        """A new random key for `role`; only its sha256 is stored, the key is returned once."""
        prefix = secrets.token_hex(4)
        key = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
        stamp = now()
        with self.db.write() as conn:
            key_id = conn.execute(
                insert(t.api_keys)
                .values(
                    prefix=prefix,
                    key_hash=sha256_hex(key.encode()),
                    role=role.value,
                    name=name,
                    created_at=stamp,
                )
                .returning(t.api_keys.c.id)
            ).scalar_one()
        record = ApiKeyPublic(id=key_id, prefix=prefix, role=role, name=name, created_at=stamp)
        return ApiKeyCreated(key=key, record=record)

    def verify_api_key(self, key: str) -> ApiKeyPublic | None:
        """The key's record when `key` is a valid, unrevoked key; otherwise None."""
        if not key.startswith(KEY_PREFIX) or len(key) > 200:
            return None
        with self.db.read() as conn:
            row = conn.execute(
                select(t.api_keys).where(
                    t.api_keys.c.key_hash == sha256_hex(key.encode()), t.api_keys.c.revoked_at.is_(None)
                )
            ).first()
        return ApiKeyPublic.model_validate(row) if row else None

    def get_api_key(self, key_id: int) -> ApiKeyPublic | None:
        with self.db.read() as conn:
            row = conn.execute(select(t.api_keys).where(t.api_keys.c.id == key_id)).first()
        return ApiKeyPublic.model_validate(row) if row else None

    def list_api_keys(self) -> list[ApiKeyPublic]:
        with self.db.read() as conn:
            return [
                ApiKeyPublic.model_validate(r)
                for r in conn.execute(select(t.api_keys).order_by(t.api_keys.c.id))
            ]

    def revoke_api_key(self, key_id: int) -> bool:
        """Revoke a key; False when there is no such active key."""
        with self.db.write() as conn:
            result = conn.execute(
                update(t.api_keys)
                .where(t.api_keys.c.id == key_id, t.api_keys.c.revoked_at.is_(None))
                .values(revoked_at=now())
            )
        return result.rowcount > 0

    # ------------------------------------------------------------------ audit log
    def audit(
        self,
        principal: str | None,
        action: str,
        target: str | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        """Append one entry to the audit log."""
        with self.db.write() as conn:
            conn.execute(
                insert(t.audit_log).values(
                    at=now(),
                    principal=principal,
                    action=action,
                    target=target,
                    detail=json.dumps(detail, ensure_ascii=False) if detail is not None else None,
                )
            )

    def audit_entries(
        self, *, limit: int = 100, offset: int = 0, action: str | None = None
    ) -> list[AuditEntry]:
        """Audit entries, newest first."""
        query = select(t.audit_log).order_by(t.audit_log.c.id.desc()).limit(limit).offset(offset)
        if action:
            query = query.where(t.audit_log.c.action == action)
        with self.db.read() as conn:
            return [
                AuditEntry(
                    id=r.id,
                    at=r.at,
                    principal=r.principal,
                    action=r.action,
                    target=r.target,
                    detail=json.loads(r.detail) if r.detail else None,
                )
                for r in conn.execute(query)
            ]

    # ------------------------------------------------------------------ jobs
    def create_job(self, kind: str, document_id: str, *, status: str = "queued") -> JobPublic:
        """Persist a job (queued unless told otherwise) and return it."""
        stamp = now()
        values = {
            "id": uuid.uuid4().hex,
            "kind": kind,
            "document_id": document_id,
            "status": status,
            "attempts": 0,
            "created_at": stamp,
            "updated_at": stamp,
        }
        with self.db.write() as conn:
            conn.execute(insert(t.jobs).values(**values))
        return JobPublic.model_validate(values)

    def get_job(self, job_id: str) -> JobPublic | None:
        with self.db.read() as conn:
            row = conn.execute(select(t.jobs).where(t.jobs.c.id == job_id)).first()
        return JobPublic.model_validate(row) if row else None

    def claim_next_job(self) -> JobPublic | None:
        """Take the oldest queued job and mark it running (atomically); None when the queue is empty."""
        j = t.jobs
        with self.db.write() as conn:
            candidate = select(j.c.id).where(j.c.status == "queued").order_by(j.c.created_at, j.c.id).limit(1)
            if not self.db.is_sqlite:
                candidate = candidate.with_for_update(skip_locked=True)
            job_id = conn.execute(candidate).scalar_one_or_none()
            if job_id is None:
                return None
            conn.execute(
                update(j)
                .where(j.c.id == job_id)
                .values(status="running", attempts=j.c.attempts + 1, updated_at=now())
            )
            row = conn.execute(select(j).where(j.c.id == job_id)).one()
        return JobPublic.model_validate(row)

    def finish_job(self, job_id: str, error: str | None = None) -> None:
        """Mark a job done, or failed with `error`."""
        with self.db.write() as conn:
            conn.execute(
                update(t.jobs)
                .where(t.jobs.c.id == job_id)
                .values(status="failed" if error else "done", error=error, updated_at=now())
            )

    def requeue_interrupted(self) -> int:
        """Put jobs left running by a stopped process back in the queue; returns how many.

        Call once at start-up, before any worker runs (one server process per database)."""
        with self.db.write() as conn:
            result = conn.execute(
                update(t.jobs).where(t.jobs.c.status == "running").values(status="queued", updated_at=now())
            )
        return result.rowcount

    def active_job_for(self, document_id: str) -> JobPublic | None:
        """A queued or running job of the document, if there is one."""
        j = t.jobs
        with self.db.read() as conn:
            row = conn.execute(
                select(j)
                .where(j.c.document_id == document_id, j.c.status.in_(("queued", "running")))
                .order_by(j.c.created_at)
                .limit(1)
            ).first()
        return JobPublic.model_validate(row) if row else None

    def queued_jobs(self) -> int:
        with self.db.read() as conn:
            return conn.execute(
                select(func.count()).select_from(t.jobs).where(t.jobs.c.status == "queued")
            ).scalar_one()


def open_store(settings: Settings) -> Store:
    """The store the settings name, migrated to the newest schema."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = Store(settings.data_dir, settings.sqlalchemy_url())
    store.migrate()
    return store


# ---------------------------------------------------------------------- derived rows
def _format_of(source: str | None) -> str:
    if source and "." in source:
        return source.rsplit(".", 1)[1].lower()[:16]
    return "txt"


def _year_of(time: str | None, fallback: int | None) -> int | None:
    if time:
        digits = [time[i : i + 4] for i in range(len(time) - 3) if time[i : i + 4].isdigit()]
        years = {int(d) for d in digits if 1990 <= int(d) <= 2100}
        if len(years) == 1:
            return years.pop()
    return fallback


def _derived_rows(extraction: Extraction) -> dict[str, list[dict[str, Any]]]:
    text = extraction.text
    spans = split_sentences(text)
    meta = extraction.document
    return {
        "sentences": [
            {"start": s, "end": e, "text": text[s:e], "tokens": segment_for_index(text[s:e])}
            for s, e in spans
        ],
        "claims": [_claim_row(c, meta.org, meta.year) for c in extraction.claims],
        "entities": [e.model_dump(include={"start", "end", "text", "label"}) for e in extraction.entities],
        "activities": [
            {
                "activity_id": a.id,
                **a.model_dump(include={"start", "end", "text", "predicate", "object", "date"}),
            }
            for a in extraction.activities
        ],
        "indicators": [
            {
                "indicator_id": i.id,
                "level1": i.level1,
                "level2": i.level2,
                "name": i.name,
                "target_op": i.target.op,
                "target_value": i.target.value,
                "target_unit": i.target.unit,
                "actual_value": i.actual.value,
                "actual_unit": i.actual.unit,
                "weight": i.weight,
                "score": i.score,
                "met": i.met,
            }
            for i in extraction.indicators
        ],
        "links": [
            {"claim_id": x.claim, "indicator_id": x.indicator, "score": x.score} for x in extraction.links
        ],
        "findings": [
            {"finding_id": f.id, "code": f.code, "severity": f.severity, "message": f.message}
            for f in extraction.findings
        ],
    }


def _claim_row(c: ClaimPublic, org: str | None, year: int | None) -> dict[str, Any]:
    sentence = c.sentence or (None, None)
    return {
        "claim_id": c.id,
        "start": c.start,
        "end": c.end,
        "text": c.text,
        "value": c.value,
        "value_max": c.value_max,
        "unit": c.unit,
        "kind": c.kind,
        "bound": c.bound,
        "qualifier": c.qualifier,
        "object": c.object,
        "predicate": c.predicate,
        "agent": c.agent,
        "time": c.time,
        "source": c.source,
        "confidence": c.confidence,
        "sentence_start": sentence[0],
        "sentence_end": sentence[1],
        "year": _year_of(c.time, year),
        "org": org,
    }


_DERIVED = (t.claims, t.sentences, t.entities, t.activities, t.indicators, t.links, t.findings, t.extractions)


def _delete_derived(conn: Connection, doc_id: str) -> None:
    for table in _DERIVED:
        conn.execute(delete(table).where(table.c.document_id == doc_id))


def _insert_derived(conn: Connection, doc_id: str, rows: dict[str, list[dict[str, Any]]]) -> None:
    starts = [s["start"] for s in rows["sentences"]]
    claim_sentences = [bisect_right(starts, claim["start"]) - 1 for claim in rows["claims"]]
    holding = set(claim_sentences)
    for index, sentence in enumerate(rows["sentences"]):
        sentence["has_claims"] = index in holding
    sentence_ids = _insert_sentences(conn, doc_id, rows["sentences"])
    for claim, index in zip(rows["claims"], claim_sentences, strict=True):
        claim["sentence_id"] = sentence_ids[index] if index >= 0 else None
    for name in ("claims", "entities", "activities", "indicators", "links", "findings"):
        _insert_many(conn, t.metadata.tables[name], doc_id, rows[name])


def _insert_sentences(conn: Connection, doc_id: str, rows: list[dict[str, Any]]) -> list[int]:
    if not rows:
        return []
    statement = insert(t.sentences).returning(t.sentences.c.id, sort_by_parameter_order=True)
    result = conn.execute(statement, [{"document_id": doc_id, **r} for r in rows])
    return [r.id for r in result]


def _insert_many(conn: Connection, table: Any, doc_id: str, rows: Iterable[dict[str, Any]]) -> None:
    batch = [{"document_id": doc_id, **r} for r in rows]
    if batch:
        conn.execute(insert(table), batch)


def _reapply_reviews(conn: Connection, doc_id: str) -> None:
    latest: dict[str, str] = {}
    for r in conn.execute(
        select(t.reviews.c.claim_id, t.reviews.c.action)
        .where(t.reviews.c.document_id == doc_id)
        .order_by(t.reviews.c.id)
    ):
        latest[r.claim_id] = REVIEW_STATUS[ReviewAction(r.action)]
    for claim_id, status in latest.items():
        conn.execute(
            update(t.claims)
            .where(t.claims.c.document_id == doc_id, t.claims.c.claim_id == claim_id)
            .values(review_status=status)
        )


def _claim_in(extraction: Extraction, claim_id: str) -> ClaimPublic | None:
    return next((c for c in extraction.claims if c.id == claim_id), None)


def _review(row: Any) -> ReviewPublic:
    return ReviewPublic(
        id=row.id,
        document_id=row.document_id,
        claim_id=row.claim_id,
        pipeline_version=row.pipeline_version,
        action=ReviewAction(row.action),
        reason=row.reason,
        original=json.loads(row.original),
        correction=json.loads(row.correction) if row.correction else None,
        reviewer=row.reviewer,
        created_at=row.created_at,
    )
