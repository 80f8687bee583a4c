"""`POST /v1/extract`: stateless extraction of an uploaded file or a text (nothing is stored)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, Response, UploadFile

from nlp_service.api.deps import SettingsDep, ViewerDep
from nlp_service.api.routes.common import error_responses, read_upload
from nlp_service.errors import EmptyInput
from nlp_service.extractor import extract

router = APIRouter(prefix="/v1/extract", tags=["extract"])


@router.post(
    "",
    summary="Extract one report without storing it (the same JSON as `nlp-service extract`)",
    description="Send either `file` (multipart upload) or `text` (form field).",
    responses={
        200: {
            "content": {
                "application/json": {
                    "example": {
                        "schema": "nlp_service.extraction/1",
                        "document": {},
                        "text": "…",
                        "claims": [],
                    }
                }
            }
        },
        **error_responses(401, 413, 415, 422),
    },
)
def extract_report(
    settings: SettingsDep,
    _: ViewerDep,
    file: Annotated[UploadFile | None, File(description="the report file")] = None,
    text: Annotated[
        str | None, Form(description="the report as text", examples=["本项目预算55万元，执行率100%。"])
    ] = None,
) -> Response:
    if (file is None) == (text is None):
        raise HTTPException(422, "send exactly one of `file` or `text`")
    if file is not None:
        data = read_upload(file, settings.max_upload_bytes)
        result = extract(data, name=file.filename or "upload.txt", use_models=settings.use_models)
    else:
        if not text or not text.strip():
            raise EmptyInput("the text is empty", source="text")
        result = extract(text, name="text.txt", use_models=settings.use_models)
    return Response(content=result.model_dump_json().encode("utf-8"), media_type="application/json")
