"""Fitting the tagger: shuffled length-bucketed batches, Adam; the weights kept are those of the best
held-out epoch, the last epoch, or the mean of the last epochs (`TrainSettings`)."""

from __future__ import annotations

import logging
import random
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from nlp_service.ner.combine import STRATEGIES, combine
from nlp_service.ner.data import LABELS, Example, Span
from nlp_service.ner.model import NetworkSize
from nlp_service.ner.pretrain import SkipGramSettings, pretrained_embeddings
from nlp_service.ner.tagger import Tagger, Vocabulary

log = logging.getLogger(__name__)


@dataclass
class TrainSettings:
    seed: int = 13
    epochs: int = 8
    batch_size: int = 32
    learning_rate: float = 2e-3
    clip: float = 5.0
    threads: int = 1
    time_budget_s: float = 1800.0
    keep_best_epoch: bool = True  # False: the last epoch is kept, the held-out set only reported
    average_last_epochs: int = 0  # N > 0: the weights kept are the mean of those after each of the last N epochs
    min_bigram: int = 2
    pretrain_epochs: int = 0  # > 0: embeddings start from skip-gram vectors of the training and unlabelled texts
    size: NetworkSize = field(default_factory=NetworkSize)


def span_scores(gold: Sequence[Sequence[Span]], pred: Sequence[Sequence[Span]]) -> dict[str, Any]:
    """Exact-span precision/recall/F1, overall and per label."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for g, p in zip(gold, pred, strict=True):
        gs, ps = set(g), set(p)
        for s in gs & ps:
            tp[s[2]] += 1
        for s in ps - gs:
            fp[s[2]] += 1
        for s in gs - ps:
            fn[s[2]] += 1
    scores: dict[str, Any] = {"all": _prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))}
    for label in sorted(set(tp) | set(fp) | set(fn) | set(LABELS)):
        scores[label] = _prf(tp[label], fp[label], fn[label])
    return scores


def strategy_scores(
    texts: Sequence[str], gold: Sequence[Sequence[Span]], model_spans: Sequence[Sequence[Span]], strategies: Sequence[str] = STRATEGIES
) -> dict[str, Any]:
    """`span_scores` of each way of combining the rules with the model's spans (`combine`)."""
    return {
        strategy: span_scores(gold, [combine(text, spans, strategy) for text, spans in zip(texts, model_spans, strict=True)])
        for strategy in strategies
    }


def _prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"p": round(precision, 4), "r": round(recall, 4), "f1": round(f1, 4), "gold": tp + fn}


def evaluate(tagger: Tagger, examples: Sequence[Example], domain: str | None = None) -> dict[str, Any]:
    """Span scores of `tagger` on examples (tagged with `domain`, or each example's own)."""
    preds: list[list[Span]] = []
    by_domain: dict[str, list[int]] = {}
    for i, e in enumerate(examples):
        by_domain.setdefault(domain or e.domain, []).append(i)
    slots: list[list[Span]] = [[] for _ in examples]
    for dom, indices in by_domain.items():
        for i, spans in zip(indices, tagger.predict([examples[i].text for i in indices], dom), strict=True):
            slots[i] = spans
    preds = slots
    return span_scores([e.spans for e in examples], preds)


def batches(examples: Sequence[Example], batch_size: int, rng: random.Random) -> Iterator[list[Example]]:
    """Shuffled batches of similar length (sorted within pools of 50 batches)."""
    order = list(examples)
    rng.shuffle(order)
    pool = batch_size * 50
    groups: list[list[Example]] = []
    for first in range(0, len(order), pool):
        chunk = sorted(order[first : first + pool], key=lambda e: len(e.text))
        groups.extend(chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size))
    rng.shuffle(groups)
    yield from groups


def train(
    train_set: Sequence[Example],
    heldout: Sequence[Example],
    settings: TrainSettings,
    out: Path | None = None,
    unlabelled: Sequence[str] = (),
) -> tuple[Tagger, dict[str, Any]]:
    """Fit a new tagger (vocabulary from `train_set` and the `unlabelled` texts); with
    `settings.pretrain_epochs`, its embeddings start from skip-gram vectors of both. The weights kept
    (see `fit`) are saved to `out`."""
    _seed_everything(settings)
    examples = [e for e in train_set if e.text]
    texts = [*(e.text for e in examples), *unlabelled]
    vocab = Vocabulary.build(texts, min_bigram=settings.min_bigram)
    tagger = Tagger(vocab, settings.size)
    pretrain_seconds = _pretrain_embeddings(tagger, texts, settings) if settings.pretrain_epochs else None
    metrics = fit(tagger, examples, heldout, settings)
    if pretrain_seconds is not None:
        metrics["pretrain_seconds"] = pretrain_seconds
    if out is not None:
        tagger.save(out, {"metrics": metrics})
    return tagger, metrics


def _pretrain_embeddings(tagger: Tagger, texts: Sequence[str], settings: TrainSettings) -> float:
    """The rows of the character and bigram embeddings whose units occur in `texts` replaced by their
    skip-gram vectors; the seconds it took."""
    started = time.monotonic()
    network, vocab = tagger.network, tagger.vocab
    chars, pairs = pretrained_embeddings(
        vocab.encode, texts, network.char_embedding.num_embeddings, network.bigram_embedding.num_embeddings,
        settings.size.char_dim, settings.size.bigram_dim, SkipGramSettings(epochs=settings.pretrain_epochs, seed=settings.seed),
    )
    with torch.no_grad():
        for embedding, vectors in ((network.char_embedding, chars), (network.bigram_embedding, pairs)):
            trained = vectors.abs().sum(1) > 0
            embedding.weight[trained] = vectors[trained]
    return round(time.monotonic() - started, 1)


def _seed_everything(settings: TrainSettings) -> None:
    random.seed(settings.seed)
    torch.manual_seed(settings.seed)
    torch.set_num_threads(settings.threads)


def fit(tagger: Tagger, train_set: Sequence[Example], heldout: Sequence[Example], settings: TrainSettings) -> dict[str, Any]:
    """Train `tagger` in place (fine-tuning when it is already trained); with `heldout` and
    `keep_best_epoch`, the best held-out epoch is kept, otherwise the last; with `average_last_epochs`
    N > 0, the mean of the weights after each of the last N epochs (checkpoint averaging) instead."""
    _seed_everything(settings)
    rng = random.Random(settings.seed)
    examples = [e for e in train_set if e.text]
    optimiser = torch.optim.Adam(tagger.network.parameters(), lr=settings.learning_rate)
    started = time.monotonic()
    history: list[dict[str, Any]] = []
    best_f1, best_state = -1.0, None
    averaged = CheckpointAverage(settings.epochs - settings.average_last_epochs) if settings.average_last_epochs > 0 else None
    for epoch in range(settings.epochs):
        tagger.network.train()
        total, steps = 0.0, 0
        for group in batches(examples, settings.batch_size, rng):
            optimiser.zero_grad()
            loss = tagger.loss(tagger.batch(group))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(tagger.network.parameters(), settings.clip)
            optimiser.step()
            total, steps = total + float(loss.detach()), steps + 1
            if time.monotonic() - started > settings.time_budget_s:
                break
        scores = evaluate(tagger, heldout) if heldout else {"all": {"f1": 0.0}}
        elapsed = round(time.monotonic() - started, 1)
        history.append({"epoch": epoch + 1, "loss": round(total / max(steps, 1), 4), "heldout": scores, "seconds": elapsed})
        log.info("epoch %d loss %.4f heldout F1 %.4f (%.0fs)", epoch + 1, total / max(steps, 1), scores["all"]["f1"], elapsed)
        if averaged is not None:
            averaged.add(epoch, tagger.network)
        elif heldout and settings.keep_best_epoch and scores["all"]["f1"] > best_f1:
            best_f1 = scores["all"]["f1"]
            best_state = {k: v.clone() for k, v in tagger.network.state_dict().items()}
        if time.monotonic() - started > settings.time_budget_s:
            break
    if best_state is not None:
        tagger.network.load_state_dict(best_state)
    extra: dict[str, Any] = {}
    if averaged is not None and averaged.count:
        tagger.network.load_state_dict(averaged.mean())
        extra["averaged_epochs"] = averaged.count
        if heldout:
            extra["averaged_heldout"] = evaluate(tagger, heldout)
            log.info("mean of the last %d epochs: heldout F1 %.4f", averaged.count, extra["averaged_heldout"]["all"]["f1"])
    tagger.network.eval()
    return {**extra, "history": history, "best_heldout_f1": max((h["heldout"]["all"]["f1"] for h in history), default=0.0), "train_seconds": round(time.monotonic() - started, 1)}


class CheckpointAverage:
    """Running mean of a network's floating-point weights over the epochs from `first_epoch` (0-based)
    on; integer buffers keep their latest value."""

    def __init__(self, first_epoch: int) -> None:
        self.first_epoch = max(first_epoch, 0)
        self.count = 0
        self.state: dict[str, torch.Tensor] = {}

    def add(self, epoch: int, network: torch.nn.Module) -> None:
        if epoch < self.first_epoch:
            return
        self.count += 1
        for name, value in network.state_dict().items():
            if name not in self.state or not value.is_floating_point():
                self.state[name] = value.detach().clone()
            else:
                self.state[name] += (value.detach() - self.state[name]) / self.count

    def mean(self) -> dict[str, torch.Tensor]:
        return {name: value.clone() for name, value in self.state.items()}


def blend_weights(network: torch.nn.Module, other: dict[str, torch.Tensor], other_share: float) -> None:
    """Move `network`'s floating-point weights `other_share` of the way towards `other` (same shapes):
    a fine-tuned network blended with its base keeps more of what the base knew (weight-space
    ensembling, Wortsman et al. 2022, "Robust fine-tuning of zero-shot models")."""
    if not 0.0 <= other_share <= 1.0:
        raise ValueError(f"other_share must be between 0 and 1, got {other_share}")
    state = network.state_dict()
    blended = {
        name: (1.0 - other_share) * value + other_share * other[name] if value.is_floating_point() else value
        for name, value in state.items()
    }
    network.load_state_dict(blended)
