"""Shared fixtures: a database per test (SQLite file, and PostgreSQL when configured), a store on it.

`database_url` runs each test that uses it twice: on a fresh SQLite file and on a fresh schema of
the PostgreSQL server named by NLP_SERVICE_TEST_POSTGRES_URL (scripts/test.sh sets it). Without the
variable the PostgreSQL case is skipped; with it, an unreachable server makes the tests fail.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, make_url, text

from nlp_service.config import Settings
from nlp_service.index.records import Role
from nlp_service.index.store import Store
from nlp_service.schema import (
    ClaimKind,
    ClaimPublic,
    DocumentMeta,
    Extraction,
    FindingPublic,
    IndicatorPublic,
    LinkPublic,
)
from nlp_service.version import PIPELINE_VERSION

POSTGRES_URL = os.environ.get("NLP_SERVICE_TEST_POSTGRES_URL")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty database: a SQLite file, or a PostgreSQL schema dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'index.sqlite3'}"
        return
    if not POSTGRES_URL:
        pytest.skip("NLP_SERVICE_TEST_POSTGRES_URL is not set")
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield (
            make_url(POSTGRES_URL)
            .update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
        )
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def store(database_url: str, tmp_path: Path) -> Iterator[Store]:
    """A migrated store on `database_url`, with its data directory under tmp_path."""
    opened = Store(tmp_path / "data", database_url)
    opened.migrate()
    try:
        yield opened
    finally:
        opened.close()


SAMPLE_TEXT = "2022年，区纪委监委共发现问题23个，移交问题线索5条。\n预算执行率为95.5%，资金55万元。\n召开巡察工作会议3次。"
SAMPLE_CLAIMS: list[tuple[str, float, str, ClaimKind, str, str | None]] = [
    ("23个", 23.0, "个", "count", "问题", "发现"),
    ("5条", 5.0, "条", "count", "问题线索", "移交"),
    ("95.5%", 95.5, "%", "percent", "预算执行率", None),
    ("55万元", 550000.0, "元", "money", "资金", None),
    ("3次", 3.0, "次", "count", "巡察工作会议", "召开"),
]


def sample_extraction(
    text: str = SAMPLE_TEXT,
    *,
    org: str | None = "区纪委监委",
    year: int | None = 2022,
    version: str = PIPELINE_VERSION,
    finding: str | None = "funding_mismatch",
    claims: list[tuple[str, float, str, ClaimKind, str, str | None]] | None = None,
) -> Extraction:
    """A small valid extraction of `text` (SAMPLE_TEXT or a variant) made without the pipeline."""
    records = []
    for n, (span, value, unit, kind, obj, pred) in enumerate(
        SAMPLE_CLAIMS if claims is None else claims, start=1
    ):
        start = text.find(span)
        if start < 0:
            continue
        end = start + len(span)
        line_end = text.find("\n", end)
        sentence = (text.rfind("\n", 0, start) + 1, line_end if line_end >= 0 else len(text))
        records.append(
            ClaimPublic(
                id=f"c{n}",
                start=start,
                end=end,
                text=span,
                value=value,
                unit=unit,
                kind=kind,
                object=obj,
                predicate=pred,
                sentence=sentence,
            )
        )
    return Extraction(
        document=DocumentMeta(
            id=hashlib.sha256(text.encode()).hexdigest(),
            source="sample.txt",
            org=org,
            year=year,
            chars=len(text),
            pipeline_version=version,
        ),
        text=text,
        claims=records,
        indicators=[IndicatorPublic(id="i1", name="巡察发现问题数量")],
        links=[LinkPublic(claim="c1", indicator="i1", score=0.9, evidence="发现问题 ~ 巡察发现问题数量")],
        findings=[FindingPublic(id="f1", code=finding, severity="warning", message="资金不一致")]
        if finding
        else [],
    )


@pytest.fixture
def make_extraction() -> Callable[..., Extraction]:
    """The `sample_extraction` factory."""
    return sample_extraction


@dataclass
class ApiClient:
    """A TestClient on a fresh app and store, with one API key per role."""

    client: TestClient
    store: Store
    keys: dict[Role, str]

    def auth(self, role: Role) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[role]}"}


@pytest.fixture
def api(database_url: str, tmp_path: Path) -> Iterator[ApiClient]:
    """The API (rules-only extraction, one worker thread) on `database_url`, with small size limits."""
    from nlp_service.api.app import create_app

    settings = Settings(
        environment="test",
        data_dir=tmp_path / "data",
        database_url=database_url,
        use_models=False,
        workers=1,
        max_upload_bytes=256 * 1024,
        max_request_bytes=16 * 1024,
    )
    app = create_app(settings)
    with TestClient(app) as client:
        store: Store = app.state.store
        keys = {role: store.create_api_key(role, f"test {role.value}").key for role in Role}
        yield ApiClient(client, store, keys)
