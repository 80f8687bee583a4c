"""PLACEHOLDER: document metadata (title, org, year, report date) (being written)."""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc

from nlp_service.ingest.document import Document


def metadata_from_doc(doc: Doc, document: Document) -> dict[str, Any]:
    return {}
