"""PLACEHOLDER: activity component (being written)."""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc

from nlp_service.schema import ActivityPublic, ClaimPublic

COMPONENTS: list[tuple[str, dict[str, Any]]] = []


def activities_from_doc(doc: Doc, claims: list[ClaimPublic]) -> list[ActivityPublic]:
    return []
