"""The network: character + bigram (+ domain) embeddings, a BiLSTM, and a linear-chain CRF."""

from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass
from functools import lru_cache

import numpy as np
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from nlp_service.ner.gazetteer import N_BITS
from nlp_service.ner.segmentation import N_POSITIONS

PAD, UNK = 0, 1
BOUNDARY = "\u0002"


@dataclass
class NetworkSize:
    char_dim: int = 100
    bigram_dim: int = 50
    domain_dim: int = 8
    hidden: int = 128
    dropout: float = 0.3
    lexicon_dim: int = 0  # > 0: dictionary-match features (nlp_service.ner.gazetteer) projected to this width
    segment_dim: int = 0  # > 0: word-position features (nlp_service.ner.segmentation) embedded at this width

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)


@lru_cache(maxsize=65536)
def normalize_char(char: str) -> str:
    """One character folded for lookup: full-width to half-width, digits to 0, Latin to lower case."""
    folded = unicodedata.normalize("NFKC", char)
    folded = folded if len(folded) == 1 else char
    if folded.isdigit():
        return "0"
    return folded.lower()


def bigrams(chars: list[str]) -> list[str]:
    """Each character's right-hand bigram (the last one pairs with a boundary mark)."""
    return [a + b for a, b in zip(chars, [*chars[1:], BOUNDARY], strict=True)]


class Crf(nn.Module):
    """A linear-chain CRF over BIO tags with start/end scores; decoding forbids invalid I- tags."""

    def __init__(self, tags: list[str]) -> None:
        super().__init__()
        n = len(tags)
        self.transitions = nn.Parameter(torch.zeros(n, n))
        self.start = nn.Parameter(torch.zeros(n))
        self.end = nn.Parameter(torch.zeros(n))
        self.forbidden: torch.Tensor
        self.forbidden_start: torch.Tensor
        self.register_buffer("forbidden", _forbidden_transitions(tags), persistent=False)
        self.register_buffer("forbidden_start", _forbidden_starts(tags), persistent=False)

    def neg_log_likelihood(self, emissions: torch.Tensor, tags: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Mean over the batch of -log p(tags | emissions); `mask` marks real positions (B, T)."""
        return (self._log_partition(emissions, mask) - self._path_score(emissions, tags, mask)).mean()

    def _path_score(self, emissions: torch.Tensor, tags: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        maskf = mask.float()
        emit = emissions.gather(2, tags.unsqueeze(2)).squeeze(2)
        trans = self.transitions[tags[:, :-1], tags[:, 1:]]
        score = self.start[tags[:, 0]] + (emit * maskf).sum(1) + (trans * maskf[:, 1:]).sum(1)
        last = tags.gather(1, (mask.sum(1) - 1).unsqueeze(1)).squeeze(1)
        return score + self.end[last]

    def _log_partition(self, emissions: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        alpha = self.start + emissions[:, 0]
        for t in range(1, emissions.size(1)):
            step = torch.logsumexp(alpha.unsqueeze(2) + self.transitions + emissions[:, t].unsqueeze(1), dim=1)
            alpha = torch.where(mask[:, t].unsqueeze(1), step, alpha)
        return torch.logsumexp(alpha + self.end, dim=1)

    def decode(self, emissions: torch.Tensor, mask: torch.Tensor) -> list[list[int]]:
        """The best valid tag sequence for each row (Viterbi), cut to its length."""
        transitions = self.transitions.masked_fill(self.forbidden, -1e4)
        score = (self.start + emissions[:, 0]).masked_fill(self.forbidden_start, -1e4)
        stay = torch.arange(emissions.size(2)).unsqueeze(0).expand(emissions.size(0), -1)
        history = []
        for t in range(1, emissions.size(1)):
            best, index = (score.unsqueeze(2) + transitions).max(dim=1)
            real = mask[:, t].unsqueeze(1)
            history.append(torch.where(real, index, stay))  # padding steps point to themselves
            score = torch.where(real, best + emissions[:, t], score)
        last = (score + self.end).argmax(1)
        path = [last]
        for index in reversed(history):
            path.append(index.gather(1, path[-1].unsqueeze(1)).squeeze(1))
        tags = torch.stack(path[::-1], 1).tolist()
        return [row[:length] for row, length in zip(tags, mask.sum(1).tolist(), strict=True)]

    def decode_lengths(self, emissions: torch.Tensor, lengths: list[int]) -> list[list[int]]:
        """`decode` for rows of the given lengths, run in numpy: the same float32 sums and maxima, step
        by step, without torch's per-operation overhead (the tagger's hot loop at prediction time)."""
        floor = np.float32(-1e4)
        scores = emissions.detach().numpy()
        transitions = np.where(self.forbidden.numpy(), floor, self.transitions.detach().numpy())
        score = self.start.detach().numpy() + scores[:, 0]
        score = np.where(self.forbidden_start.numpy(), floor, score)
        rows, width, n_tags = scores.shape
        real_until = np.asarray(lengths)
        stay = np.broadcast_to(np.arange(n_tags), (rows, n_tags))
        history = []
        for t in range(1, width):
            candidates = score[:, :, None] + transitions
            real = (real_until > t)[:, None]
            history.append(np.where(real, candidates.argmax(axis=1), stay))  # padding steps point to themselves
            score = np.where(real, candidates.max(axis=1) + scores[:, t], score)
        last = (score + self.end.detach().numpy()).argmax(axis=1)
        path = [last]
        every_row = np.arange(rows)
        for index in reversed(history):
            path.append(index[every_row, path[-1]])
        tags = np.stack(path[::-1], axis=1).tolist()
        return [row[:length] for row, length in zip(tags, lengths, strict=True)]


def _forbidden_transitions(tags: list[str]) -> torch.Tensor:
    """(from, to) pairs that break BIO: I-X may only follow B-X or I-X."""
    n = len(tags)
    forbidden = torch.zeros(n, n, dtype=torch.bool)
    for j, to in enumerate(tags):
        if to.startswith("I-"):
            for i, frm in enumerate(tags):
                forbidden[i, j] = frm[2:] != to[2:] or frm == "O"
    return forbidden


def _forbidden_starts(tags: list[str]) -> torch.Tensor:
    return torch.tensor([t.startswith("I-") for t in tags], dtype=torch.bool)


class BiLstmCrf(nn.Module):
    """Character BiLSTM-CRF tagger with bigram and domain embeddings."""

    def __init__(self, n_chars: int, n_bigrams: int, n_domains: int, tags: list[str], size: NetworkSize) -> None:
        super().__init__()
        self.char_embedding = nn.Embedding(n_chars, size.char_dim, padding_idx=PAD)
        self.bigram_embedding = nn.Embedding(n_bigrams, size.bigram_dim, padding_idx=PAD)
        self.domain_embedding = nn.Embedding(n_domains, size.domain_dim)
        width = size.char_dim + 2 * size.bigram_dim + size.domain_dim + size.lexicon_dim + size.segment_dim
        self.lexicon = nn.Linear(N_BITS, size.lexicon_dim) if size.lexicon_dim else None
        self.segment_embedding = nn.Embedding(N_POSITIONS, size.segment_dim, padding_idx=PAD) if size.segment_dim else None
        self.dropout = nn.Dropout(size.dropout)
        self.lstm = nn.LSTM(width, size.hidden, batch_first=True, bidirectional=True)
        self.project = nn.Linear(2 * size.hidden, len(tags))
        self.crf = Crf(tags)

    def emissions(
        self,
        chars: torch.Tensor,
        bigram_ids: torch.Tensor,
        domains: torch.Tensor,
        lengths: torch.Tensor,
        lexicon: torch.Tensor | None = None,
        segments: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """Tag scores (B, T, n_tags) for padded id tensors (B, T); `bigram_ids` are right-hand bigrams,
        `lexicon` the dictionary-match bit sets (used when the network has a lexicon projection),
        `segments` the word positions (used when it has a segment embedding)."""
        left = torch.nn.functional.pad(bigram_ids[:, :-1], (1, 0), value=PAD)
        domain = self.domain_embedding(domains).unsqueeze(1).expand(-1, chars.size(1), -1)
        parts = [self.char_embedding(chars), self.bigram_embedding(left), self.bigram_embedding(bigram_ids), domain]
        if self.lexicon is not None:
            if lexicon is None:
                raise ValueError("this network needs the dictionary-match features")
            bits = (lexicon.unsqueeze(2) >> torch.arange(N_BITS)) & 1
            parts.append(self.lexicon(bits.float()))
        if self.segment_embedding is not None:
            if segments is None:
                raise ValueError("this network needs the word-position features")
            parts.append(self.segment_embedding(segments))
        features = torch.cat(parts, 2)
        packed = pack_padded_sequence(self.dropout(features), lengths.cpu(), batch_first=True, enforce_sorted=False)
        output, _ = self.lstm(packed)
        hidden, _ = pad_packed_sequence(output, batch_first=True, total_length=chars.size(1))
        return self.project(self.dropout(hidden))
