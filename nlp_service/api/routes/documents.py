"""Documents: upload (processed in the background), list, the contract's JSON, the original file."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, HTTPException, Query, Response, UploadFile, status
from fastapi.responses import FileResponse

from nlp_service.api.deps import ReviewerDep, SettingsDep, StoreDep, ViewerDep, WorkerDep
from nlp_service.api.routes.common import error_responses, not_found, read_upload
from nlp_service.index.processing import queue_upload
from nlp_service.index.records import DocumentPage, JobPublic

router = APIRouter(prefix="/v1/documents", tags=["documents"])

MEDIA_TYPES = {
    "txt": "text/plain; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "html": "text/html",
    "htm": "text/html",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

JOB_EXAMPLE = {
    "id": "4f1c0d2e9a8b4c7d9e0f1a2b3c4d5e6f",
    "kind": "ingest",
    "document_id": "3b9291bff0861bfd9ae5cfceb58e4766ea911cffbf6a2df62bba9217bbbf2873",
    "status": "queued",
    "error": None,
    "attempts": 0,
    "created_at": "2026-11-27T12:00:00Z",
    "updated_at": "2026-11-27T12:00:00Z",
}


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Upload a report; it is extracted in the background",
    description="Answers 202 with a job (poll `GET /v1/jobs/{id}`). The same file uploaded again is the "
    "same document (identity is the sha256 of the bytes); it is not extracted twice. Needs the reviewer role.",
    responses={
        202: {"content": {"application/json": {"example": JOB_EXAMPLE}}},
        **error_responses(401, 403, 413, 422),
    },
)
def upload_document(
    file: Annotated[UploadFile, File(description="the report: txt, md, html, docx, pdf or xlsx")],
    response: Response,
    store: StoreDep,
    settings: SettingsDep,
    worker: WorkerDep,
    principal: ReviewerDep,
) -> JobPublic:
    data = read_upload(file, settings.max_upload_bytes)
    job = queue_upload(store, worker, principal.label, data, file.filename)
    response.headers["Location"] = f"/v1/jobs/{job.id}"
    return job


@router.get("", summary="Stored documents, newest first (paged, filterable)", responses=error_responses(401))
def list_documents(
    store: StoreDep,
    _: ViewerDep,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=200)] = 20,
    status: Literal["pending", "done", "failed"] | None = None,
    org: Annotated[str | None, Query(max_length=200, description="organisation contains")] = None,
    year: int | None = None,
    source: Annotated[str | None, Query(max_length=200, description="file name contains")] = None,
    finding: Annotated[str | None, Query(max_length=64, description="has a finding with this code")] = None,
) -> DocumentPage:
    return store.list_documents(
        page=page, per_page=per_page, status=status, org=org, year=year, source=source, finding=finding
    )


@router.get(
    "/{document_id}",
    summary="A document's extraction (the contract's JSON, as stored)",
    responses={
        200: {
            "content": {
                "application/json": {
                    "example": {"schema": "nlp_service.extraction/1", "document": {}, "text": "…"}
                }
            }
        },
        **error_responses(401, 404, 409),
    },
)
def get_document(document_id: str, store: StoreDep, _: ViewerDep) -> Response:
    body = store.get_extraction_json(document_id)
    if body is None:
        document = store.get_document(document_id)
        if document is None:
            raise not_found("document")
        raise HTTPException(409, f"the document is {document.status}; it has no extraction yet")
    return Response(content=body.encode("utf-8"), media_type="application/json")


@router.get("/{document_id}/file", summary="The original uploaded file", responses=error_responses(401, 404))
def get_document_file(document_id: str, store: StoreDep, _: ViewerDep) -> FileResponse:
    document = store.get_document(document_id)
    path = store.file_path(document_id)
    if document is None or path is None or not path.is_file():
        raise not_found("document file")
    media_type = MEDIA_TYPES.get(document.format or "", "application/octet-stream")
    return FileResponse(
        path, media_type=media_type, filename=document.source or f"{document_id}.{document.format}"
    )
