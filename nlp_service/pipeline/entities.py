"""Entity components: names of bodies, people and places (docs/entities.md).

- `nlp_service_entity_model` (only with models): the character BiLSTM-CRF of `models/ner/`, loaded
  once per process; writes `doc._.entity_model_spans`.
- `nlp_service_entity_rules`: the lexicon rules of `nlp_service.ner.lexicon` combined with the
  model's spans (see `nlp_service.ner.combine`); writes `doc._.entities` as `[start, end, label,
  source]` lists (JSON-serialisable).

`entities_from_doc` adds the DATE and DOC_TITLE spans of the dates component.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch
from spacy.language import Language
from spacy.tokens import Doc

from nlp_service.model_files import load_once
from nlp_service.ner.combine import DEFAULT_STRATEGY, combine
from nlp_service.ner.data import Span
from nlp_service.ner.tagger import Tagger
from nlp_service.pipeline.tokenizer import doc_text
from nlp_service.resources import MODELS_DIR
from nlp_service.schema import EntityPublic

MODEL_FILE = MODELS_DIR / "ner" / "ner.pt"
REBUILD_COMMAND = ".venv/bin/python scripts/train_ner.py scripts/configs/ner.json"
MODEL_KEY = "entity_model_spans"
ENTITIES_KEY = "entities"
SPAN_KEYS = {"dates": "DATE", "doc_titles": "DOC_TITLE"}

for _key in (MODEL_KEY, ENTITIES_KEY):
    if not Doc.has_extension(_key):
        Doc.set_extension(_key, default=None)

def components(use_models: bool) -> list[tuple[str, dict[str, Any]]]:
    """The entity components in pipeline order; the model runs first so the rules can use its places."""
    rules: tuple[str, dict[str, Any]] = ("nlp_service_entity_rules", {"strategy": DEFAULT_STRATEGY})
    if not use_models:
        return [("nlp_service_entity_rules", {"strategy": "rules"})]
    return [("nlp_service_entity_model", {"path": str(MODEL_FILE)}), rules]


def load_tagger(path: Path) -> Tagger:
    """The tagger saved at `path`, loaded once per process; a missing or unreadable file is ModelMissing."""
    return load_once(path, Tagger.load, REBUILD_COMMAND)


class EntityModel:
    """Tags each doc's text with the entity model (batched over the doc's windows, and over docs in `pipe`)."""

    def __init__(self, tagger: Tagger, batch_size: int = 128, threads: int = 1) -> None:
        self.tagger = tagger
        self.batch_size = batch_size
        self.threads = threads

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Any, batch_size: int = 32) -> Any:
        group: list[Doc] = []
        for doc in docs:
            group.append(doc)
            if len(group) >= batch_size:
                yield from self._tag(group)
                group = []
        yield from self._tag(group)

    def _tag(self, docs: list[Doc]) -> list[Doc]:
        if not docs:
            return docs
        previous = torch.get_num_threads()
        torch.set_num_threads(self.threads)  # small matrices: extra threads only wait on each other
        try:
            predictions = self.tagger.predict([doc_text(d) for d in docs], "reports", self.batch_size)
        finally:
            torch.set_num_threads(previous)
        for doc, spans in zip(docs, predictions, strict=True):
            doc._.set(MODEL_KEY, [list(s) for s in spans])
        return docs


class EntityRules:
    """Lexicon bodies and places, combined with the model's spans when the model ran."""

    def __init__(self, strategy: str) -> None:
        self.strategy = strategy

    def __call__(self, doc: Doc) -> Doc:
        model_spans: list[Span] = [(s, e, lab) for s, e, lab in (doc._.get(MODEL_KEY) or [])]
        strategy = self.strategy if doc._.get(MODEL_KEY) is not None else "rules"
        from_model = set(model_spans)
        doc._.set(
            ENTITIES_KEY,
            [[s, e, lab, "model" if (s, e, lab) in from_model else "rules"] for s, e, lab in combine(doc_text(doc), model_spans, strategy)],
        )
        return doc


@Language.factory(
    "nlp_service_entity_model",
    assigns=[f"doc._.{MODEL_KEY}"],
    default_config={"path": str(MODEL_FILE), "threads": 1},
)
def make_entity_model(nlp: Language, name: str, path: str, threads: int) -> EntityModel:
    return EntityModel(load_tagger(Path(path)), threads=threads)


@Language.factory("nlp_service_entity_rules", assigns=[f"doc._.{ENTITIES_KEY}"], default_config={"strategy": DEFAULT_STRATEGY})
def make_entity_rules(nlp: Language, name: str, strategy: str) -> EntityRules:
    return EntityRules(strategy)


def entities_from_doc(doc: Doc) -> list[EntityPublic]:
    """Names (PERSON/ORG/LOC) plus the DATE and DOC_TITLE spans, in text order."""
    text = doc_text(doc)
    found = [
        EntityPublic(start=s, end=e, text=text[s:e], label=label, source=source)
        for s, e, label, source in (doc._.get(ENTITIES_KEY) or [])
    ]
    for key, label in SPAN_KEYS.items():
        if key in doc.spans:
            found.extend(
                EntityPublic(start=sp.start_char, end=sp.end_char, text=sp.text, label=label, source="rules")
                for sp in doc.spans[key]
            )
    return sorted(found, key=lambda ent: (ent.start, ent.end, ent.label))
