"""`GET /v1/audit`: the audit log (admin)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from nlp_service.api.deps import AdminDep, StoreDep
from nlp_service.api.routes.common import error_responses
from nlp_service.index.records import AuditEntry

router = APIRouter(prefix="/v1/audit", tags=["audit"])


@router.get("", summary="Audit log entries, newest first (admin)", responses=error_responses(401, 403))
def list_audit(
    store: StoreDep,
    _: AdminDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
    action: Annotated[str | None, Query(max_length=64, examples=["claim.reject"])] = None,
) -> list[AuditEntry]:
    return store.audit_entries(limit=limit, offset=offset, action=action)
