"""The spaCy pipeline: jieba-segmented `zh` with one registered component per step.

Components write their results onto the `Doc` (`doc.spans[...]`, JSON-serialisable `._` values);
`doc_to_parts` turns them into the contract's records while the `Doc` is still alive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from nlp_service.ingest.document import Document
from nlp_service.pipeline import activities, claims, entities, metadata
from nlp_service.pipeline.tokenizer import blank_zh
from nlp_service.schema import ActivityPublic, ClaimPublic, EntityPublic

__all__ = ["PipelineParts", "build_pipeline", "doc_to_parts"]


@dataclass
class PipelineParts:
    claims: list[ClaimPublic]
    entities: list[EntityPublic]
    activities: list[ActivityPublic]
    metadata: dict[str, Any] = field(default_factory=dict)


def build_pipeline(use_models: bool = True) -> Language:
    """Build the pipeline once per process; `use_models=False` runs the rules alone."""
    nlp = blank_zh()
    for name, config in claims.components(use_models):
        nlp.add_pipe(name, config=config)
    for name, config in entities.components(use_models):
        nlp.add_pipe(name, config=config)
    for name, config in activities.COMPONENTS:
        nlp.add_pipe(name, config=config)
    nlp.initialize()
    return nlp


def doc_to_parts(doc: Doc, document: Document) -> PipelineParts:
    """The contract's claims, entities, activities and document metadata from a processed `Doc`."""
    claim_list = claims.claims_from_doc(doc, document)
    return PipelineParts(
        claims=claim_list,
        entities=entities.entities_from_doc(doc),
        activities=activities.activities_from_doc(doc, claim_list),
        metadata=metadata.metadata_from_doc(doc, document),
    )
