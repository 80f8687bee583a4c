"""The ranker as a claim-argument chooser for `nlp_service.pipeline.claims.ClaimFinder`.

For each quantity it builds the candidate set (`candidates.py`), scores the object and predicate
candidates, and returns the reading made of the best of each. `use` says, per argument, whether the
ranker or the rules decide ("model" or "rules"); the shipped choice is the one the k-fold
measurement of `scripts/train_args.py` favoured (stored in the model file's `extra["use"]`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch

from nlp_service.args import MODEL_FILE, REBUILD_COMMAND
from nlp_service.args.candidates import Candidate, CandidateSet, candidate_set
from nlp_service.args.features import candidate_features, hash_features
from nlp_service.args.model import Ranker
from nlp_service.model_files import load_once
from nlp_service.pipeline.arguments import Arguments, TokenIndex, choose_arguments

DEFAULT_USE = {"object": "model", "predicate": "model"}
USE_NAMES = {"both": ("object", "predicate"), "object": ("object",), "predicate": ("predicate",), "none": ()}


def use_from_name(name: str) -> dict[str, str]:
    """`{"object": "model"|"rules", "predicate": ...}` from "both", "object", "predicate" or "none"."""
    if name not in USE_NAMES:
        raise ValueError(f"unknown argument-model use {name!r}; expected one of {', '.join(USE_NAMES)}")
    return {arg: "model" if arg in USE_NAMES[name] else "rules" for arg in ("object", "predicate")}



def load_ranker(path: Path) -> Ranker:
    """The ranker saved at `path`, loaded once per process; a missing or unreadable file is ModelMissing."""
    return load_once(path, Ranker.load, REBUILD_COMMAND)


def _pick(cands: list[Candidate], scores: list[float]) -> Candidate:
    return max(zip(scores, range(len(cands)), cands, strict=True), key=lambda t: (t[0], -t[1]))[2]


class RankerChooser:
    """Chooses object and predicate among the candidates by the ranker's scores."""

    def __init__(self, ranker: Ranker, use: dict[str, str] | None = None, margin: float | None = None) -> None:
        self.ranker = ranker
        self.use = dict(use or ranker.extra.get("use") or DEFAULT_USE)
        self.margin = float(margin if margin is not None else ranker.extra.get("margin", 0.0))

    def choose(self, cands: CandidateSet) -> Arguments:
        best = cands.best
        obj_span, pred_span = best.object_span, best.predicate_span
        rule_features = self.ranker.size.rule_features
        picked: list[Candidate | None] = []
        for role, key, items in (("o", "object", cands.objects), ("p", "predicate", cands.predicates)):
            if self.use.get(key) != "model" or len(items) < 2:
                picked.append(None)
                continue
            rows = hash_features(candidate_features(cands, role, rule_features), self.ranker.size.buckets)
            scores = self.ranker.scores(rows)
            choice = _pick(items, scores)
            rule_score = next(s for s, c in zip(scores, items, strict=True) if c.rule_best)
            beats = max(scores) - rule_score > self.margin
            picked.append(choice if beats and not choice.rule_best else None)
        if picked[0] is None and picked[1] is None:
            return best
        rule = best.rule
        if picked[0] is not None:
            obj_span = picked[0].span
            rule = picked[0].rules[0] if picked[0].rules else "ranker"
        if picked[1] is not None:
            pred_span = picked[1].span
        return Arguments(obj_span, pred_span, rule, best.score)

    def __call__(self, index: TokenIndex, quantity: dict[str, Any], left_floor: int,
                 dates: list[tuple[int, int]], proposals: list[Arguments]) -> Arguments:
        if "model" not in self.use.values():
            return choose_arguments(proposals, index.text)
        previous = torch.get_num_threads()
        torch.set_num_threads(1)  # tiny matrices: extra threads only wait on each other
        try:
            return self.choose(candidate_set(index, quantity, left_floor, dates, proposals))
        finally:
            torch.set_num_threads(previous)


def model_chooser(path: Path = MODEL_FILE, use: dict[str, str] | None = None) -> RankerChooser:
    """The chooser of the ranker saved at `path`, deciding the arguments `use` names ("model" or
    "rules" for "object" and "predicate"; by default as the training run decided, stored in the file).
    A missing or unreadable file raises ModelMissing."""
    return RankerChooser(load_ranker(path), use)
