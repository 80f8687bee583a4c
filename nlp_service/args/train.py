"""Training data and training of the argument ranker.

- `DocCase`: a report run through the quantity and date components (kept for re-scoring), with the
  candidate set of each claim quantity (recorded while the rules choose).
- Examples: gold claims matched to quantities label the accepted candidates (`object`/`object_alt`,
  `predicate`/`predicate_alt`); rule readings of at least `min_score` over unlabelled text label the
  rules' choice (the "high-confidence rule labels").
- `fit`: listwise training (softmax over a quantity's candidates, every accepted one counts).
- `score_cases`: claims of the cases with a given chooser, scored like `nlp-service evaluate`.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from spacy.language import Language
from spacy.tokens import Doc

from nlp_service import ingest
from nlp_service.args.candidates import CandidateSet, candidate_set
from nlp_service.args.features import candidate_features, hash_features
from nlp_service.args.model import Ranker, RankerSize, bag
from nlp_service.evaluation import ClaimScore, accepts, match_spans, score_claims
from nlp_service.ingest.document import Document
from nlp_service.pipeline.arguments import Arguments, TokenIndex
from nlp_service.pipeline.claims import COMPONENTS, Chooser, ClaimFinder, claims_from_doc, rule_chooser
from nlp_service.pipeline.tokenizer import blank_zh
from nlp_service.tables import read_tables


@dataclass
class DocCase:
    name: str
    document: Document
    doc: Doc
    sets: dict[tuple[int, int], CandidateSet]
    gold: dict[str, Any] | None = None


@dataclass
class Example:
    """One quantity's candidates: hashed feature rows and which candidates are right, per role."""

    rows: dict[str, list[list[int]]]
    labels: dict[str, list[bool]]
    weight: float = 1.0


@dataclass
class TrainSettings:
    seed: int = 13
    epochs: int = 8
    batch_size: int = 32
    learning_rate: float = 0.01
    weight_decay: float = 0.0
    time_budget_s: float = 1200.0


@dataclass
class FitResult:
    ranker: Ranker
    seconds: float
    losses: list[float] = field(default_factory=list)


def quantity_pipeline() -> Language:
    """The pipeline up to (not including) the claims component."""
    nlp = blank_zh()
    for name, config in COMPONENTS[:-1]:
        nlp.add_pipe(name, config=config)
    nlp.initialize()
    return nlp


class _Recorder:
    """A chooser that keeps each quantity's candidate set and answers like the rules."""

    def __init__(self) -> None:
        self.sets: dict[tuple[int, int], CandidateSet] = {}

    def __call__(self, index: TokenIndex, quantity: dict[str, Any], left_floor: int,
                 dates: list[tuple[int, int]], proposals: list[Arguments]) -> Arguments:
        cands = candidate_set(index, quantity, left_floor, dates, proposals)
        self.sets[(quantity["start"], quantity["end"])] = cands
        return rule_chooser(index, quantity, left_floor, dates, proposals)


def make_case(nlp: Language, name: str, document: Document, gold: dict[str, Any] | None = None) -> DocCase:
    recorder = _Recorder()
    doc = ClaimFinder(recorder)(nlp(document.text))
    return DocCase(name, document, doc, recorder.sets, gold)


def gold_cases(nlp: Language, gold_dir: Path) -> list[DocCase]:
    """The development reports (NAME.txt + NAME.gold.json), in name order."""
    cases = []
    for path in sorted(gold_dir.glob("*.gold.json")):
        name = path.name[: -len(".gold.json")]
        gold = json.loads(path.read_text(encoding="utf-8"))
        cases.append(make_case(nlp, name, ingest.read(gold_dir / f"{name}.txt"), gold))
    return cases


def text_cases(nlp: Language, paths: Iterable[Path], limit_chars: int) -> list[DocCase]:
    """Unlabelled texts: the `content` of JSON-lines records, up to `limit_chars` in all."""
    cases: list[DocCase] = []
    used = 0
    for path in paths:
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            content = (json.loads(line).get("content") or "").strip() if line.strip() else ""
            if not content or used >= limit_chars:
                continue
            content = content[: limit_chars - used]
            used += len(content)
            cases.append(make_case(nlp, f"{path.stem}#{i}", ingest.read(content)))
    return cases


def _example(cands: CandidateSet, labels: dict[str, list[bool]], size: RankerSize, weight: float) -> Example:
    rows = {role: hash_features(candidate_features(cands, role, size.rule_features), size.buckets)
            for role in ("o", "p")}
    return Example(rows, labels, weight)


def _said(text: str, span: tuple[int, int] | None) -> str | None:
    return text[span[0] : span[1]] if span else None


def gold_examples(cases: Iterable[DocCase], size: RankerSize) -> list[Example]:
    """Examples of the gold claims that a claim quantity matches (as the scorer pairs them)."""
    out = []
    for case in cases:
        assert case.gold is not None
        text = case.document.text
        claims = [s._.claim for s in case.doc.spans.get("claims", [])]
        gold = case.gold["claims"]
        pairs = match_spans([(g["start"], g["end"]) for g in gold], [(c["start"], c["end"]) for c in claims])
        for gi, pi in pairs:
            g, c = gold[gi], claims[pi]
            cands = case.sets.get((c["start"], c["end"]))
            if cands is None:
                continue
            # the rules' reading is judged by the final claim (after list inheritance), the others by their text
            labels = {role: [accepts(c[key] if x.rule_best else _said(text, x.span), g[key], g.get(f"{key}_alt"))
                             for x in items]
                      for role, key, items in (("o", "object", cands.objects), ("p", "predicate", cands.predicates))}
            out.append(_example(cands, labels, size, 1.0))
    return out


def rule_examples(cases: Iterable[DocCase], size: RankerSize, min_score: float, weight: float) -> list[Example]:
    """Examples labelled by the rules' choice where it scored at least `min_score`."""
    out = []
    for case in cases:
        for cands in case.sets.values():
            if cands.best.score >= min_score:
                labels = {"o": [x.rule_best for x in cands.objects], "p": [x.rule_best for x in cands.predicates]}
                out.append(_example(cands, labels, size, weight))
    return out


def _loss(ranker: Ranker, batch: list[Example]) -> torch.Tensor:
    """Listwise loss: -log of the probability mass on the accepted candidates, per quantity and role
    (weighted mean over the groups that have both right and wrong candidates)."""
    rows: list[list[int]] = []
    groups: list[tuple[list[bool], float]] = []
    for ex in batch:
        for role in ("o", "p"):
            labels = ex.labels[role]
            if len(labels) < 2 or not any(labels) or all(labels):
                continue
            groups.append((labels, ex.weight))
            rows.extend(ex.rows[role])
    if not groups:
        return torch.zeros(())
    ids, offsets = bag(rows)
    scores = ranker.scorer(ids, offsets)
    width = max(len(labels) for labels, _ in groups)
    index = torch.zeros((len(groups), width), dtype=torch.long)
    present = torch.zeros((len(groups), width), dtype=torch.bool)
    good = torch.zeros((len(groups), width), dtype=torch.bool)
    at = 0
    for row, (labels, _) in enumerate(groups):
        n = len(labels)
        index[row, :n] = torch.arange(at, at + n)
        present[row, :n] = True
        good[row, :n] = torch.tensor(labels)
        at += n
    grid = scores[index]
    every = torch.logsumexp(grid.masked_fill(~present, float("-inf")), 1)
    right = torch.logsumexp(grid.masked_fill(~good, float("-inf")), 1)
    weights = torch.tensor([w for _, w in groups])
    return ((every - right) * weights).sum() / weights.sum()


def fit(examples: list[Example], size: RankerSize, settings: TrainSettings) -> FitResult:
    """Train a new ranker on `examples` (fixed seed; stops early at the time budget)."""
    torch.manual_seed(settings.seed)
    rng = random.Random(settings.seed)
    ranker = Ranker(size)
    optimiser = torch.optim.Adam(ranker.scorer.parameters(), lr=settings.learning_rate,
                                 weight_decay=settings.weight_decay)
    started = time.monotonic()
    losses = []
    order = list(range(len(examples)))
    for _ in range(settings.epochs):
        rng.shuffle(order)
        ranker.scorer.train()
        total, steps = 0.0, 0
        for first in range(0, len(order), settings.batch_size):
            batch = [examples[i] for i in order[first : first + settings.batch_size]]
            loss = _loss(ranker, batch)
            if not loss.requires_grad:
                continue
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            total += float(loss.detach())
            steps += 1
        losses.append(round(total / max(1, steps), 4))
        if time.monotonic() - started > settings.time_budget_s:
            break
    ranker.scorer.eval()
    return FitResult(ranker, time.monotonic() - started, losses)


def score_cases(cases: Iterable[DocCase], chooser: Chooser) -> ClaimScore:
    """Claim scores of the cases with arguments chosen by `chooser` (tables read as in `extract`)."""
    total = ClaimScore()
    for case in cases:
        assert case.gold is not None
        doc = ClaimFinder(chooser)(case.doc)
        claims = read_tables(case.document, claims_from_doc(doc, case.document)).claims
        total.add(score_claims(case.gold, {"claims": [c.model_dump() for c in claims]}))
    return total
