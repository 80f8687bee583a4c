"""The store on SQLite and PostgreSQL: migrations, document identity, extractions, reviews, keys, jobs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from nlp_service.index import tables as t
from nlp_service.index.records import ReviewAction, Role
from nlp_service.index.store import Store
from nlp_service.schema import Extraction

MakeExtraction = Callable[..., Extraction]


def _ignore_full_text(obj: Any, name: str | None, type_: str, _reflected: bool, _compare_to: Any) -> bool:
    full_text = ("sentences_fts", "claim_sentences_fts")
    return not (name or "").startswith(full_text) and name not in {
        "tsv",
        "ix_sentences_tsv",
        "ix_sentences_tsv_with_claims",
    }


def test_index_store_migrations_match_the_table_definitions(store: Store) -> None:
    store.migrate()  # a second run is a no-op
    with store.db.write_engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": _ignore_full_text})
        assert compare_metadata(context, t.metadata) == []


def test_index_store_same_file_twice_is_one_document(store: Store) -> None:
    first, new_first = store.save_file("本项目预算55万元。".encode(), "a.txt")
    second, new_second = store.save_file("本项目预算55万元。".encode(), "copy-of-a.txt")
    assert (new_first, new_second) == (True, False)
    assert first.id == second.id
    assert store.count("documents") == 1
    path = store.file_path(first.id)
    assert path is not None and path.read_bytes() == "本项目预算55万元。".encode()


def test_index_store_extraction_replaces_derived_rows(store: Store, make_extraction: MakeExtraction) -> None:
    extraction = make_extraction()
    for _ in range(2):
        store.add_extraction(extraction)
    counts = {
        name: store.count(name)
        for name in ("documents", "extractions", "claims", "indicators", "links", "findings")
    }
    assert counts == {
        "documents": 1,
        "extractions": 1,
        "claims": 5,
        "indicators": 1,
        "links": 1,
        "findings": 1,
    }
    assert store.get_extraction_json(extraction.document.id) == extraction.model_dump_json()


@pytest.mark.parametrize(
    "text",
    [
        "2022年共发现问题23个。",
        "行一\r\n行二\t\u3000全角空格\u2028分隔",
        'emoji 🙂 and "quotes" \\ backslash',
    ],
)
def test_index_store_returns_document_text_exactly(
    store: Store, make_extraction: MakeExtraction, text: str
) -> None:
    extraction = make_extraction(text)
    store.add_extraction(extraction)
    stored = store.get_extraction(extraction.document.id)
    assert stored is not None and stored.text == text


def test_index_store_claim_values_are_normalised_columns(
    store: Store, make_extraction: MakeExtraction
) -> None:
    doc_id = store.add_extraction(make_extraction())
    with store.db.read() as conn:
        rows = conn.execute(
            select(
                t.claims.c.claim_id,
                t.claims.c.value,
                t.claims.c.unit,
                t.claims.c.kind,
                t.claims.c.year,
                t.claims.c.org,
            )
            .where(t.claims.c.document_id == doc_id)
            .order_by(t.claims.c.claim_id)
        ).all()
    assert [tuple(r) for r in rows][:2] == [
        ("c1", 23.0, "个", "count", 2022, "区纪委监委"),
        ("c2", 5.0, "条", "count", 2022, "区纪委监委"),
    ]


@pytest.mark.parametrize(
    ("action", "correction", "status"),
    [
        (ReviewAction.accept, None, "accepted"),
        (ReviewAction.reject, None, "rejected"),
        (ReviewAction.correct, {"value": 24}, "corrected"),
    ],
)
def test_index_store_review_keeps_the_original_and_survives_reprocessing(
    store: Store,
    make_extraction: MakeExtraction,
    action: ReviewAction,
    correction: dict[str, Any] | None,
    status: str,
) -> None:
    extraction = make_extraction()
    doc_id = store.add_extraction(extraction)
    review = store.review_claim(f"{doc_id}:c1", action, "核对原文", reviewer="key:1", correction=correction)
    assert review is not None and review.original["value"] == 23 and review.correction == correction
    store.add_extraction(extraction)  # re-extraction keeps reviews and their status
    claim = store.get_claim(f"{doc_id}:c1")
    assert claim is not None
    assert claim.review_status == status and claim.claim["value"] == 23 and len(claim.reviews) == 1
    assert store.get_claim(str(claim.id)) is not None


@pytest.mark.parametrize("ref", ["999999", "nosuchdoc:c1", "c1", ""])
def test_index_store_unknown_claim_is_none(store: Store, make_extraction: MakeExtraction, ref: str) -> None:
    store.add_extraction(make_extraction())
    assert store.get_claim(ref) is None
    assert store.review_claim(ref, ReviewAction.accept, "x", reviewer=None) is None


def test_index_store_api_keys_are_hashed_verified_and_revoked(store: Store) -> None:
    created = store.create_api_key(Role.reviewer, "张三")
    with store.db.read() as conn:
        stored_hash = conn.execute(select(t.api_keys.c.key_hash)).scalar_one()
    assert created.key not in stored_hash and created.key.startswith("nlp_")
    verified = store.verify_api_key(created.key)
    assert verified is not None and verified.role is Role.reviewer
    assert store.verify_api_key(created.key + "x") is None
    assert store.revoke_api_key(created.record.id) and not store.revoke_api_key(created.record.id)
    assert store.verify_api_key(created.key) is None


def test_index_store_jobs_are_claimed_once_and_requeued_after_a_crash(store: Store) -> None:
    document, _ = store.save_file(b"text", "a.txt")
    job = store.create_job("ingest", document.id)
    claimed = store.claim_next_job()
    assert claimed is not None and claimed.id == job.id and claimed.status == "running"
    assert store.claim_next_job() is None
    assert store.requeue_interrupted() == 1  # as at start-up after a kill
    again = store.claim_next_job()
    assert again is not None and again.attempts == 2
    store.finish_job(again.id)
    finished = store.get_job(job.id)
    assert finished is not None and finished.status == "done"


def test_index_store_stale_documents_are_those_of_other_pipeline_versions(
    store: Store, make_extraction: MakeExtraction
) -> None:
    old = make_extraction("旧版本抽取的报告，发现问题23个。", version="0.0.1")
    store.save_file(old.text.encode(), "old.txt")
    store.add_extraction(old)
    current = make_extraction()
    store.save_file(current.text.encode(), "current.txt")
    store.add_extraction(current)
    assert store.stale_documents(current.document.pipeline_version) == [old.document.id]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, 2),
        ({"year": 2022}, 1),
        ({"org": "纪委"}, 1),
        ({"finding": "funding_mismatch"}, 1),
        ({"source": "sample"}, 2),
    ],
)
def test_index_store_lists_documents_with_filters(
    store: Store, make_extraction: MakeExtraction, filters: dict[str, Any], expected: int
) -> None:
    store.add_extraction(make_extraction())
    store.add_extraction(make_extraction("另一份报告。", org="财政局", year=2023, finding=None))
    page = store.list_documents(**filters)
    assert page.total == expected and len(page.items) == expected


def test_index_store_audit_log_is_newest_first(store: Store) -> None:
    store.audit("key:1", "document.upload", "abc", {"source": "a.txt"})
    store.audit("key:2", "claim.accept", "abc:c1")
    entries = store.audit_entries()
    assert [e.action for e in entries] == ["claim.accept", "document.upload"]
    assert entries[1].detail == {"source": "a.txt"}
    assert [e.action for e in store.audit_entries(action="claim.accept")] == ["claim.accept"]
