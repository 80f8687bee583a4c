"""Training examples for the entity recogniser: readers for BIO and CLUENER files, BIO encoding.

An `Example` is a text with entity spans `(start, end, label)` (end exclusive) and a domain id: the
corpora annotate with different conventions (CLUENER keeps address chains whole, the reports split
them), so the model is told which convention a sentence follows.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

LABELS = ("PERSON", "ORG", "LOC")
DOMAINS = ("news", "cluener", "weibo", "reports")

BIO_LABEL_MAP = {
    "PER": "PERSON",
    "PERSON": "PERSON",
    "ORG": "ORG",
    "LOC": "LOC",
    "GPE": "LOC",
    "PER.NAM": "PERSON",
    "ORG.NAM": "ORG",
    "LOC.NAM": "LOC",
    "GPE.NAM": "LOC",
}
CLUENER_LABEL_MAP = {
    "name": "PERSON",
    "organization": "ORG",
    "company": "ORG",
    "government": "ORG",
    "address": "LOC",
    "scene": "LOC",
}

Span = tuple[int, int, str]


@dataclass
class Example:
    text: str
    spans: list[Span] = field(default_factory=list)
    domain: str = "news"


def tag_names() -> list[str]:
    """The BIO tag inventory: O, then B-/I- for each label."""
    return ["O"] + [f"{p}-{lab}" for lab in LABELS for p in ("B", "I")]


def spans_to_tags(length: int, spans: Iterable[Span]) -> list[str]:
    """BIO tags for a text of `length` characters; overlapping spans keep the first one written."""
    tags = ["O"] * length
    for start, end, label in spans:
        if start < 0 or end > length or start >= end or any(t != "O" for t in tags[start:end]):
            continue
        tags[start] = f"B-{label}"
        for i in range(start + 1, end):
            tags[i] = f"I-{label}"
    return tags


def tags_to_spans(tags: list[str]) -> list[Span]:
    """Spans from BIO tags; an I- tag without a matching open span starts a new one."""
    spans: list[Span] = []
    start, label = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, name = tag.partition("-")
        continues = prefix == "I" and name == label and start >= 0
        if continues:
            continue
        if start >= 0:
            spans.append((start, i, label))
            start, label = -1, ""
        if prefix in ("B", "I"):
            start, label = i, name
    return spans


def read_bio(path: Path, domain: str, label_map: dict[str, str] = BIO_LABEL_MAP) -> list[Example]:
    """A one-character-per-line BIO file (`char TAG` or `char\\tTAG`, blank line between sentences).

    Tags outside `label_map` (e.g. Weibo's nominal mentions) become O.
    """
    examples: list[Example] = []
    chars: list[str] = []
    tags: list[str] = []
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        parts = line.split()
        if len(parts) < 2:
            if chars:
                examples.append(Example("".join(chars), tags_to_spans(tags), domain))
            chars, tags = [], []
            continue
        chars.append(parts[0][0])
        prefix, _, name = parts[1].partition("-")
        mapped = label_map.get(name)
        tags.append(f"{prefix}-{mapped}" if mapped and prefix in ("B", "I") else "O")
    return examples


def read_cluener(path: Path, label_map: dict[str, str] = CLUENER_LABEL_MAP) -> list[Example]:
    """CLUENER JSON lines: {"text", "label": {type: {surface: [[start, end_inclusive], ...]}}}."""
    examples: list[Example] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        spans: list[Span] = []
        for kind, surfaces in (record.get("label") or {}).items():
            if kind not in label_map:
                continue
            for offsets in surfaces.values():
                spans.extend((s, e + 1, label_map[kind]) for s, e in offsets)
        examples.append(Example(record["text"], sorted(spans), "cluener"))
    return examples


def chunk_text(text: str, max_len: int, word_ends: Sequence[bool] | None = None) -> Iterator[tuple[int, int]]:
    """(start, end) windows of at most `max_len` characters, cut after sentence punctuation if possible,
    else (given `word_ends`, true at each character that ends a word) after the last whole word, so
    that a long unpunctuated list of names is not cut inside a name."""
    start = 0
    while start < len(text):
        end = min(len(text), start + max_len)
        if end < len(text):
            cut = max(text.rfind(p, start + max_len // 2, end) for p in "。！？；;，,\n")
            if cut < 0 and word_ends is not None:
                cut = next((i for i in range(end - 1, start + max_len // 2 - 1, -1) if word_ends[i]), -1)
            end = cut + 1 if cut >= 0 else end
        yield start, end
        start = end


def split_example(example: Example, max_len: int) -> list[Example]:
    """An example cut into windows of at most `max_len` characters; spans crossing a cut are dropped."""
    if len(example.text) <= max_len:
        return [example]
    pieces = []
    for start, end in chunk_text(example.text, max_len):
        spans = [(s - start, e - start, lab) for s, e, lab in example.spans if s >= start and e <= end]
        pieces.append(Example(example.text[start:end], spans, example.domain))
    return pieces


def sample(examples: list[Example], limit: int | None, seed: int) -> list[Example]:
    """At most `limit` examples drawn with a fixed seed (all of them when `limit` is None)."""
    if limit is None or limit >= len(examples):
        return list(examples)
    return random.Random(seed).sample(examples, limit)


GOLD_LABELS = {"PERSON": "PERSON", "PER": "PERSON", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC"}


@dataclass
class GoldDocument:
    name: str
    text: str
    spans: list[Span]


def read_entity_gold(folder: Path) -> list[GoldDocument]:
    """Reports with entity gold: NAME.txt + NAME.entities.json ({"entities": [{start, end, label}]})."""
    docs = []
    for gold_file in sorted(folder.glob("*.entities.json")):
        name = gold_file.name[: -len(".entities.json")]
        text = (folder / f"{name}.txt").read_text(encoding="utf-8")
        entities = json.loads(gold_file.read_text(encoding="utf-8"))["entities"]
        spans = [(e["start"], e["end"], GOLD_LABELS[e["label"]]) for e in entities if e["label"] in GOLD_LABELS]
        docs.append(GoldDocument(name, text, sorted(spans)))
    return docs


def document_examples(docs: Iterable[GoldDocument], max_len: int) -> list[Example]:
    """Training windows of gold documents (domain "reports"), blank windows dropped."""
    examples = []
    for doc in docs:
        for piece in split_example(Example(doc.text, doc.spans, "reports"), max_len):
            if piece.text.strip():
                examples.append(piece)
    return examples
