"""The argument ranker: a scorer of hashed candidate features, trained listwise; save and load.

A candidate's score is a linear term (one weight per hashed feature) plus a small hidden layer over
the summed feature embeddings. The file is one `torch.save` dictionary of tensors and plain values,
read back with `weights_only=True` (no code runs on load).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import torch
from torch import nn

FORMAT = "nlp_service.args/1"


@dataclass
class RankerSize:
    buckets: int = 1 << 17
    hidden: int = 8
    rule_features: bool = True

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class Scorer(nn.Module):
    """Scores bags of hashed features: linear weights plus a one-hidden-layer term."""

    def __init__(self, size: RankerSize) -> None:
        super().__init__()
        self.linear = nn.EmbeddingBag(size.buckets, 1, mode="sum")
        self.embed = nn.EmbeddingBag(size.buckets, size.hidden, mode="sum")
        self.out = nn.Linear(size.hidden, 1)
        nn.init.zeros_(self.linear.weight)
        nn.init.normal_(self.embed.weight, std=0.01)

    def forward(self, ids: torch.Tensor, offsets: torch.Tensor) -> torch.Tensor:
        hidden = torch.relu(self.embed(ids, offsets))
        return (self.linear(ids, offsets) + self.out(hidden)).squeeze(-1)


def bag(rows: list[list[int]]) -> tuple[torch.Tensor, torch.Tensor]:
    """Flat ids and offsets of feature rows, for `nn.EmbeddingBag`."""
    offsets, flat, at = [], [], 0
    for row in rows:
        offsets.append(at)
        flat.extend(row)
        at += len(row)
    return torch.tensor(flat, dtype=torch.long), torch.tensor(offsets, dtype=torch.long)


class Ranker:
    """One scorer for object and predicate candidates (features carry their role)."""

    def __init__(self, size: RankerSize) -> None:
        self.size = size
        self.scorer = Scorer(size)
        self.extra: dict[str, Any] = {}

    @torch.no_grad()
    def scores(self, rows: list[list[int]]) -> list[float]:
        """Scores of candidate feature rows (an empty list for no rows)."""
        if not rows:
            return []
        self.scorer.eval()
        ids, offsets = bag(rows)
        result: list[float] = self.scorer(ids, offsets).tolist()
        return result

    def save(self, path: Path, extra: dict[str, Any] | None = None) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {"format": FORMAT, "size": self.size.as_dict(), "state_dict": self.scorer.state_dict(),
                   "extra": extra or {}}
        torch.save(payload, path)

    @classmethod
    def load(cls, path: Path) -> Ranker:
        """A saved ranker; raises OSError/RuntimeError/KeyError/ValueError on a missing or bad file."""
        payload = torch.load(path, map_location="cpu", weights_only=True)
        if not isinstance(payload, dict) or payload.get("format") != FORMAT:
            raise ValueError(f"{path} is not an argument model file")
        ranker = cls(RankerSize(**payload["size"]))
        ranker.scorer.load_state_dict(payload["state_dict"])
        ranker.scorer.eval()
        ranker.extra = dict(payload.get("extra") or {})
        return ranker
