"""Training-data augmentation: copies of labelled sentences with their names swapped for other names
of the same label from the same corpus (mention replacement), so the tagger learns from the context
and the shape of a name rather than from the few thousand names a small corpus holds; and copies
with people's names replaced by runs of names written without separators (name runs)."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

from nlp_service.ner.chains import surnames
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
    def replacement(span: Span) -> list[str]:
        return [rng.choice(pool[span[2]]) if rng.random() < rate else example.text[span[0] : span[1]]]

    return _rewritten(example, replacement)


def _rewritten(example: Example, replacement: Callable[[Span], list[str]]) -> Example:
    """`example` with each span's text replaced by the names `replacement` gives for it, written one
    after the other, each its own span of the span's label (spans shifted to match)."""
    pieces: list[str] = []
    spans: list[Span] = []
    cursor = length = 0
    for start, end, label in sorted(example.spans):
        if start < cursor:  # overlapping spans do not occur in BIO data; skip one if they do
            continue
        pieces.append(example.text[cursor:start])
        length += start - cursor
        for name in replacement((start, end, label)):
            pieces.append(name)
            spans.append((length, length + len(name), label))
            length += len(name)
        cursor = end
    pieces.append(example.text[cursor:])
    return Example("".join(pieces), spans, example.domain)


def glue_name_runs(examples: Sequence[Example], copies: int, seed: int, rate: float = 0.5, longest_run: int = 6) -> list[Example]:
    """`copies` new examples per example that holds a person's name written in Chinese characters;
    one such name (and each other with probability `rate`) is replaced by a run of two to
    `longest_run` surnamed names of the corpus written without separators (李鹏乔石李瑞环), each its own
    PERSON span, as lists of officials read once the spaces between names are lost. The corpora hold few such runs; news and reports
    converted from PDF hold many."""
    names = sorted({e.text[s:t] for e in examples for s, t, label in e.spans if label == "PERSON" and _surnamed(e.text[s:t])})
    rng = random.Random(seed)
    out = []
    for _ in range(copies):
        for example in examples:
            if names and any(label == "PERSON" and _chinese_name(example.text[s:t]) for s, t, label in example.spans):
                out.append(_glued(example, names, rng, rate, longest_run))
    return out


def _chinese_name(surface: str) -> bool:
    return 2 <= len(surface) <= 4 and all("\u4e00" <= c <= "\u9fff" for c in surface)


def _surnamed(surface: str) -> bool:
    """A Chinese name that starts with a surname of corpora/surnames.txt (the runs are of such names)."""
    single, double = surnames()
    return _chinese_name(surface) and (surface[0] in single or surface[:2] in double)


def _glued(example: Example, names: list[str], rng: random.Random, rate: float, longest_run: int) -> Example:
    eligible = [s for s in sorted(example.spans) if s[2] == "PERSON" and _chinese_name(example.text[s[0] : s[1]])]
    forced = rng.choice(eligible)  # every copy holds at least one run

    def replacement(span: Span) -> list[str]:
        run = [example.text[span[0] : span[1]]]
        if span in eligible and (span == forced or rng.random() < rate):
            run += rng.sample(names, min(len(names), rng.randint(1, longest_run - 1)))
            rng.shuffle(run)
        return run

    return _rewritten(example, replacement)
