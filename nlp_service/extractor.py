"""The one public entry: `extract(source) -> Extraction`.

bytes ─► ingest ─► Document ─► pipeline (claims, entities, activities)
                      └─► tables ─► indicators + funding ─► linking ─► checks ─► Extraction

CLI, API, batch and index all call `extract`; none re-implements a step.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.language import Language

from nlp_service import ingest, linking
from nlp_service.checks import run_checks
from nlp_service.ingest.document import Document
from nlp_service.pipeline import PipelineParts, build_pipeline, doc_to_parts
from nlp_service.schema import DocumentMeta, Extraction, FindingPublic, LinkPublic, SectionPublic
from nlp_service.tables import TableReading, read_tables
from nlp_service.version import PIPELINE_VERSION

Source = Path | bytes | str

_lock = threading.Lock()


@dataclass
class Steps:
    """Every step's output for one document, before it is shaped into the contract's `Extraction`."""

    document: Document
    parts: PipelineParts
    tables: TableReading
    links: list[LinkPublic]
    findings: list[FindingPublic]
    check_notes: list[str]


@lru_cache(maxsize=2)
def shared_pipeline(use_models: bool = True) -> Language:
    """The process's pipeline, built once (per `use_models`) and reused by every request."""
    return build_pipeline(use_models=use_models)


def extract(source: Source, *, name: str | None = None, use_models: bool = True) -> Extraction:
    """Read a report (a `Path`, its `bytes`, or its text as `str`) and return the contract's result.

    `name` is the file name to report (and to detect the format from) when `source` is bytes.
    Raises `nlp_service.errors.InputError` with a one-line reason for input that is not a report.
    """
    document = ingest.read(source, name=name)
    return extract_document(document, use_models=use_models)


def run_steps(document: Document, *, use_models: bool = True) -> Steps:
    """Run the pipeline, the table reader, linking and checks over an ingested `Document`."""
    nlp = shared_pipeline(use_models)
    # spaCy's string store and jieba's tokenizer are not thread-safe: one document at a time
    with _lock, nlp.memory_zone():
        doc = nlp(document.text)
        parts = doc_to_parts(doc, document)
    tables = read_tables(document, parts.claims)
    links = linking.link(tables.claims, tables.indicators, document)
    findings, check_notes = run_checks(document, tables.claims, tables, links)
    return Steps(document, parts, tables, links, findings, check_notes)


def extract_document(document: Document, *, use_models: bool = True) -> Extraction:
    """The contract's `Extraction` of an ingested `Document`."""
    steps = run_steps(document, use_models=use_models)
    tables = steps.tables
    meta = DocumentMeta(
        id=document.sha256,
        source=document.source,
        format=document.format,
        encoding=document.encoding,
        chars=len(document.text),
        pipeline_version=PIPELINE_VERSION,
        **steps.parts.metadata,
    )
    return Extraction(
        document=meta,
        text=document.text,
        sections=[
            SectionPublic(start=s.start, end=s.end, heading=s.heading, level=s.level, path=list(s.path))
            for s in document.sections
        ],
        entities=steps.parts.entities,
        claims=tables.claims,
        activities=steps.parts.activities,
        funding=tables.funding,
        indicators=tables.indicators,
        tables=tables.tables,
        links=steps.links,
        findings=steps.findings,
        notes=[*document.notes, *tables.notes, *steps.check_notes],
    )
