"""What the store hands out: plain pydantic records (also the API's response bodies)."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field


def _as_utc(value: datetime) -> datetime:
    """Timestamps are stored in UTC; SQLite hands them back naive."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


Timestamp = Annotated[datetime, AfterValidator(_as_utc)]


class Role(StrEnum):
    """Access levels, each including the ones before: viewer < reviewer < admin."""

    viewer = "viewer"
    reviewer = "reviewer"
    admin = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def allows(self, needed: Role) -> bool:
        """True when this role includes `needed`."""
        return self.rank >= needed.rank


class ReviewAction(StrEnum):
    accept = "accept"
    reject = "reject"
    correct = "correct"


REVIEW_STATUS = {
    ReviewAction.accept: "accepted",
    ReviewAction.reject: "rejected",
    ReviewAction.correct: "corrected",
}


class _Record(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class DocumentSummary(_Record):
    """One stored document (without its extraction)."""

    id: str = Field(description="sha256 of the file's bytes")
    source: str | None = None
    format: str | None = None
    size: int = 0
    title: str | None = None
    org: str | None = None
    year: int | None = None
    report_date: str | None = None
    chars: int | None = None
    status: Literal["pending", "done", "failed"]
    error: str | None = None
    pipeline_version: str | None = None
    created_at: Timestamp
    updated_at: Timestamp


class DocumentPage(BaseModel):
    items: list[DocumentSummary]
    total: int
    page: int
    per_page: int


class JobPublic(_Record):
    """A background job: ingest (extract an uploaded file) or reprocess (re-run a newer pipeline)."""

    id: str
    kind: Literal["ingest", "reprocess"]
    document_id: str
    status: Literal["queued", "running", "done", "failed"]
    error: str | None = None
    attempts: int = 0
    created_at: Timestamp
    updated_at: Timestamp


class ApiKeyPublic(_Record):
    """An API key as listed (never the secret itself)."""

    id: int
    prefix: str
    role: Role
    name: str | None = None
    created_at: Timestamp
    revoked_at: Timestamp | None = None


class ApiKeyCreated(BaseModel):
    """A newly created key: `key` is shown once and stored only as a hash."""

    key: str
    record: ApiKeyPublic


class ReviewPublic(_Record):
    id: int
    document_id: str
    claim_id: str
    pipeline_version: str | None = None
    action: ReviewAction
    reason: str
    original: dict[str, Any]
    correction: dict[str, Any] | None = None
    reviewer: str | None = None
    created_at: Timestamp


class StoredClaim(BaseModel):
    """A claim as stored: its contract record, its row id, its document and its latest review."""

    id: int = Field(description="row id, usable in PATCH /v1/claims/{id}")
    document_id: str
    claim: dict[str, Any]
    review_status: str | None = None
    reviews: list[ReviewPublic] = Field(default_factory=list)


class AuditEntry(_Record):
    id: int
    at: Timestamp
    principal: str | None = None
    action: str
    target: str | None = None
    detail: dict[str, Any] | None = None


class SentencePublic(BaseModel):
    start: int
    end: int
    text: str
    marked: str = Field(description="the sentence with the hit's span wrapped in 【】")


class HitDocument(BaseModel):
    id: str
    source: str | None = None
    title: str | None = None
    org: str | None = None
    year: int | None = None


class SearchHit(BaseModel):
    """One hit: a claim (scope=claims) or a sentence (scope=sentences), with offsets in the document."""

    type: Literal["claim", "sentence"]
    document: HitDocument
    start: int
    end: int
    text: str
    sentence: SentencePublic
    claim_row: int | None = None
    claim_id: str | None = None
    value: float | None = None
    unit: str | None = None
    kind: str | None = None
    object: str | None = None
    predicate: str | None = None
    review_status: str | None = None


class Facets(BaseModel):
    kind: dict[str, int] = Field(default_factory=dict)
    unit: dict[str, int] = Field(default_factory=dict)
    year: dict[str, int] = Field(default_factory=dict)
    org: dict[str, int] = Field(default_factory=dict)
    finding: dict[str, int] = Field(default_factory=dict, description="documents per finding code")


class SearchHits(BaseModel):
    total: int
    hits: list[SearchHit]
    facets: Facets | None = None
