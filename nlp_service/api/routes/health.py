"""`GET /healthz`: liveness, without authentication."""

from __future__ import annotations

from fastapi import APIRouter

from nlp_service.api.deps import StoreDep
from nlp_service.version import PIPELINE_VERSION

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="Liveness check (no API key needed)")
def healthz(store: StoreDep) -> dict[str, str]:
    return {"status": "ok", "pipeline_version": PIPELINE_VERSION, "database": store.db.dialect}
