"""`GET /v1/jobs/{id}`: the state of a background job."""

from __future__ import annotations

from fastapi import APIRouter

from nlp_service.api.deps import StoreDep, ViewerDep
from nlp_service.api.routes.common import error_responses, not_found
from nlp_service.index.records import JobPublic

router = APIRouter(prefix="/v1/jobs", tags=["jobs"])


@router.get("/{job_id}", summary="A background job's state", responses=error_responses(401, 404))
def get_job(job_id: str, store: StoreDep, _: ViewerDep) -> JobPublic:
    job = store.get_job(job_id)
    if job is None:
        raise not_found("job")
    return job
