"""Domain training data: sentences of government reports labelled by the lexicon rules (and, when a
teacher model is given, by the same combination the pipeline uses)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from nlp_service.ner.combine import combine
from nlp_service.ner.data import Example
from nlp_service.ner.tagger import Tagger

SENTENCE_END = re.compile(r"(?<=[。！？；!?;])|\n")


def report_sentences(path: Path, min_len: int = 8, max_len: int = 150) -> list[str]:
    """Sentences of every record's `content` in a JSON-lines file of reports."""
    sentences: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        content = json.loads(line).get("content") or ""
        sentences.extend(s.strip() for s in SENTENCE_END.split(content) if min_len <= len(s.strip()) <= max_len)
    return sentences


def label_report_sentences(path: Path, min_entities: int = 1, teacher: Tagger | None = None) -> list[Example]:
    """Report sentences with their rule (or rule + teacher) entities; those with fewer than
    `min_entities` entities are skipped."""
    sentences = report_sentences(path)
    model_spans = teacher.predict(sentences, "reports") if teacher else [[] for _ in sentences]
    strategy = "longest" if teacher else "rules"
    examples = []
    for text, spans in zip(sentences, model_spans, strict=True):
        entities = combine(text, spans, strategy)
        if len(entities) >= min_entities:
            examples.append(Example(text, entities, "reports"))
    return examples
