"""PLACEHOLDER: entity components (being written)."""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc

from nlp_service.schema import EntityPublic


def components(use_models: bool) -> list[tuple[str, dict[str, Any]]]:
    return []


def entities_from_doc(doc: Doc) -> list[EntityPublic]:
    return []
