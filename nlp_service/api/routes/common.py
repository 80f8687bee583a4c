"""Helpers shared by the routers: reading uploads within the size limit, error responses for OpenAPI."""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException, UploadFile

from nlp_service.api.errors import ERROR_EXAMPLE
from nlp_service.errors import EmptyInput, TooLarge


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for error statuses, all in the one error shape."""
    return {
        s: {"description": "error", "content": {"application/json": {"example": ERROR_EXAMPLE}}}
        for s in statuses
    }


def read_upload(file: UploadFile, limit: int) -> bytes:
    """The uploaded file's bytes; `TooLarge` past `limit`, `EmptyInput` when empty."""
    data = file.file.read(limit + 1)
    name = file.filename or "upload"
    if len(data) > limit:
        raise TooLarge(f"the file is larger than {limit} bytes", source=name)
    if not data:
        raise EmptyInput("the file is empty", source=name)
    return data


def not_found(what: str) -> HTTPException:
    return HTTPException(404, f"no {what} with this id")
