"""Training-data augmentation: copies of labelled sentences with their names swapped for other names
of the same label from the same corpus (mention replacement), so the tagger learns from the context
and the shape of a name rather than from the few thousand names a small corpus holds."""

from __future__ import annotations

import random
from collections.abc import Sequence

from nlp_service.ner.data import Example, Span


def replace_mentions(examples: Sequence[Example], copies: int, seed: int, rate: float = 0.7) -> list[Example]:
    """`copies` new examples per example that holds a name; each name is replaced with probability
    `rate` by a name of the same label drawn from all of `examples` (spans shifted to match)."""
    pool: dict[str, list[str]] = {}
    for example in examples:
        for start, end, label in example.spans:
            pool.setdefault(label, []).append(example.text[start:end])
    rng = random.Random(seed)
    out = []
    for _ in range(copies):
        for example in examples:
            if example.spans:
                out.append(_replaced(example, pool, rng, rate))
    return out


def _replaced(example: Example, pool: dict[str, list[str]], rng: random.Random, rate: float) -> Example:
    pieces: list[str] = []
    spans: list[Span] = []
    cursor = length = 0
    for start, end, label in sorted(example.spans):
        if start < cursor:  # overlapping spans do not occur in BIO data; skip one if they do
            continue
        pieces.append(example.text[cursor:start])
        length += start - cursor
        name = rng.choice(pool[label]) if rng.random() < rate else example.text[start:end]
        pieces.append(name)
        spans.append((length, length + len(name), label))
        length += len(name)
        cursor = end
    pieces.append(example.text[cursor:])
    return Example("".join(pieces), spans, example.domain)
