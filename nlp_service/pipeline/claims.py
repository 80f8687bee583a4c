"""PLACEHOLDER: quantity and claim components (being written)."""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc

from nlp_service.ingest.document import Document
from nlp_service.schema import ClaimPublic

COMPONENTS: list[tuple[str, dict[str, Any]]] = []


def claims_from_doc(doc: Doc, document: Document) -> list[ClaimPublic]:
    return []
