"""The one public entry: `extract(source) -> Extraction`.

bytes ─► ingest ─► Document ─► pipeline (claims, entities, activities)
                      └─► tables ─► indicators + funding ─► linking ─► checks ─► Extraction

CLI, API, batch and index all call `extract`; none re-implements a step.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

from spacy.language import Language

from nlp_service import ingest, linking
from nlp_service.checks import run_checks
from nlp_service.ingest.document import Document
from nlp_service.pipeline import build_pipeline, doc_to_parts
from nlp_service.schema import DocumentMeta, Extraction, SectionPublic
from nlp_service.tables import read_tables
from nlp_service.version import PIPELINE_VERSION

Source = Path | bytes | str

_lock = threading.Lock()


@lru_cache(maxsize=2)
def _pipeline(use_models: bool) -> Language:
    return build_pipeline(use_models=use_models)


def extract(source: Source, *, name: str | None = None, use_models: bool = True) -> Extraction:
    """Read a report (a `Path`, its `bytes`, or its text as `str`) and return the contract's result.

    `name` is the file name to report (and to detect the format from) when `source` is bytes.
    Raises `nlp_service.errors.InputError` with a one-line reason for input that is not a report.
    """
    document = ingest.read(source, name=name)
    return extract_document(document, use_models=use_models)


def extract_document(document: Document, *, use_models: bool = True) -> Extraction:
    """Run the pipeline, the table reader, linking and checks over an ingested `Document`."""
    nlp = _pipeline(use_models)
    # spaCy's string store and jieba's tokenizer are not thread-safe: one document at a time
    with _lock, nlp.memory_zone():
        doc = nlp(document.text)
        parts = doc_to_parts(doc, document)
    tables = read_tables(document, parts.claims)
    claims = tables.claims
    links = linking.link(claims, tables.indicators, document)
    findings, check_notes = run_checks(document, claims, tables, links)
    meta = DocumentMeta(
        id=document.sha256,
        source=document.source,
        format=document.format,
        encoding=document.encoding,
        chars=len(document.text),
        pipeline_version=PIPELINE_VERSION,
        **parts.metadata,
    )
    return Extraction(
        document=meta,
        text=document.text,
        sections=[
            SectionPublic(start=s.start, end=s.end, heading=s.heading, level=s.level, path=list(s.path))
            for s in document.sections
        ],
        entities=parts.entities,
        claims=claims,
        activities=parts.activities,
        funding=tables.funding,
        indicators=tables.indicators,
        tables=tables.tables,
        links=links,
        findings=findings,
        notes=[*document.notes, *tables.notes, *check_notes],
    )
