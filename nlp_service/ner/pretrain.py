"""Character and bigram vectors learnt from unlabelled text (skip-gram with negative sampling,
Mikolov et al. 2013) to start the tagger's embeddings from: a character or bigram that the labelled
corpora never show still gets a vector placed among the units that share its contexts."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np
import torch
from torch import nn

log = logging.getLogger(__name__)


@dataclass
class SkipGramSettings:
    window: int = 3
    negatives: int = 5
    epochs: int = 2
    batch_size: int = 8192
    learning_rate: float = 0.003
    subsample: float = 1e-4  # frequent units are dropped from the training pairs (word2vec's t)
    seed: int = 13


def skipgram_vectors(sequences: Sequence[Sequence[int]], n_units: int, dim: int, settings: SkipGramSettings) -> torch.Tensor:
    """(n_units, dim) vectors for unit ids 0..n_units-1 from id sequences; ids 0 and 1 (padding,
    unknown) are never trained on. Rows of units that never occur stay zero."""
    rng = np.random.default_rng(settings.seed)
    torch.manual_seed(settings.seed)
    lengths = [len(s) for s in sequences]
    ids = np.fromiter(chain.from_iterable(sequences), dtype=np.int64, count=sum(lengths))
    sentence = np.repeat(np.arange(len(lengths)), lengths)
    counts = np.bincount(ids, minlength=n_units).astype(np.float64)
    counts[:2] = 0
    if counts.sum() == 0:
        return torch.zeros(n_units, dim)
    frequency = counts / counts.sum()
    rarity = settings.subsample / np.maximum(frequency, 1e-12)
    keep_probability = np.minimum(1.0, np.sqrt(rarity) + rarity)
    noise = torch.tensor(counts**0.75 / (counts**0.75).sum(), dtype=torch.float)
    centre = nn.Embedding(n_units, dim, sparse=True)
    context = nn.Embedding(n_units, dim, sparse=True)
    nn.init.uniform_(centre.weight, -0.5 / dim, 0.5 / dim)
    nn.init.zeros_(context.weight)
    optimiser = torch.optim.SparseAdam([centre.weight, context.weight], lr=settings.learning_rate)
    started = time.monotonic()
    for epoch in range(settings.epochs):
        pairs = _pairs(ids, sentence, keep_probability, settings.window, rng)
        total, steps = 0.0, 0
        for first in range(0, len(pairs), settings.batch_size):
            batch = torch.from_numpy(pairs[first : first + settings.batch_size])
            negative = torch.multinomial(noise, batch.size(0) * settings.negatives, replacement=True).view(batch.size(0), -1)
            u = centre(batch[:, 0])
            positive_score = (u * context(batch[:, 1])).sum(1)
            negative_score = torch.bmm(context(negative), u.unsqueeze(2)).squeeze(2)
            loss = -(nn.functional.logsigmoid(positive_score).mean() + nn.functional.logsigmoid(-negative_score).sum(1).mean())
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            total, steps = total + float(loss.detach()), steps + 1
        log.info("skip-gram epoch %d: %d pairs, loss %.4f (%.0fs)", epoch + 1, len(pairs), total / max(steps, 1), time.monotonic() - started)
    vectors = centre.weight.detach().clone()
    vectors[counts == 0] = 0.0
    return vectors


def _pairs(ids: np.ndarray, sentence: np.ndarray, keep_probability: np.ndarray, window: int, rng: np.random.Generator) -> np.ndarray:
    """Shuffled (centre, context) id pairs within `window` positions and one sentence, after dropping
    frequent units at random and the padding/unknown ids."""
    kept = (rng.random(len(ids)) < keep_probability[ids]) & (ids > 1)
    ids, sentence = ids[kept], sentence[kept]
    chunks = []
    for distance in range(1, window + 1):
        same = sentence[distance:] == sentence[:-distance]
        left, right = ids[:-distance][same], ids[distance:][same]
        chunks += [np.stack([left, right], 1), np.stack([right, left], 1)]
    pairs = np.concatenate(chunks) if chunks else np.zeros((0, 2), np.int64)
    return pairs[rng.permutation(len(pairs))]


def standardised(vectors: torch.Tensor) -> torch.Tensor:
    """Vectors scaled to the unit standard deviation of a freshly initialised nn.Embedding (the rows
    that were never trained stay zero)."""
    trained = vectors.abs().sum(1) > 0
    if not trained.any():
        return vectors
    return vectors / vectors[trained].std().clamp_min(1e-8)


def pretrained_embeddings(
    encode: Callable[[str], tuple[list[int], list[int]]], texts: Sequence[str], n_chars: int, n_bigrams: int, char_dim: int, bigram_dim: int, settings: SkipGramSettings
) -> tuple[torch.Tensor, torch.Tensor]:
    """Standardised skip-gram vectors of the characters and of the bigrams of `texts`, as ids of a
    vocabulary's `encode` (characters and right-hand bigrams)."""
    encoded = [encode(text) for text in texts]
    chars = skipgram_vectors([c for c, _ in encoded], n_chars, char_dim, settings)
    pairs = skipgram_vectors([b for _, b in encoded], n_bigrams, bigram_dim, settings)
    return standardised(chars), standardised(pairs)
