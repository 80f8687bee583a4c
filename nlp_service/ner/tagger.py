"""The trained tagger as a unit: vocabularies + network; save, load, and batched prediction.

The file is one `torch.save` dictionary of tensors and plain values, read back with
`weights_only=True` (no code runs on load).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from nlp_service.ner.data import DOMAINS, Example, Span, chunk_text, spans_to_tags, tag_names, tags_to_spans
from nlp_service.ner.gazetteer import match_features
from nlp_service.ner.lexicon import fold, trad_to_simp
from nlp_service.ner.model import BOUNDARY, PAD, UNK, BiLstmCrf, NetworkSize, bigrams, normalize_char
from nlp_service.ner.segmentation import ALONE, LAST, word_positions

MAX_WINDOW = 200


BREAKS = re.compile(r"[\n\r\t|]")
NAME_CHAR = re.compile(r"[\u3400-\u9fffA-Za-z]")
CJK_CHAR = re.compile(r"[\u3400-\u9fff]")
PAIRED_MARKS = (("“", "”"), ("‘", "’"), ("「", "」"), ("『", "』"), ("（", "）"), ("(", ")"), ("《", "》"), ("【", "】"))


def _unbalanced(surface: str) -> bool:
    """Whether `surface` opens or closes a quotation or bracket it does not also close or open."""
    return any(surface.count(opening) != surface.count(closing) for opening, closing in PAIRED_MARKS)


def clean_spans(text: str, spans: Iterable[Span]) -> list[Span]:
    """Spans trimmed of surrounding spaces; those crossing a line or table break or a quotation's or
    bracket's edge (湖南巡视”公众), without a letter or CJK character, or of one character that is not
    CJK (江 for 江泽民 stays) are dropped."""
    cleaned = []
    for start, end, label in spans:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        surface = text[start:end]
        one_latin = end - start == 1 and not CJK_CHAR.match(surface)
        kept = surface and not one_latin and not BREAKS.search(surface) and not _unbalanced(surface)
        if kept and NAME_CHAR.search(surface):
            cleaned.append((start, end, label))
    return sorted(cleaned)


@dataclass
class Vocabulary:
    chars: dict[str, int]
    bigrams: dict[str, int]
    tags: list[str]
    domains: list[str]
    _normalised: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)
    _char_ids: dict[str, int] = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def build(cls, texts: Iterable[str], min_char: int = 1, min_bigram: int = 2, max_bigrams: int = 80000) -> Vocabulary:
        """Vocabularies from training texts (ids 0 and 1 are padding and unknown)."""
        char_counts: Counter[str] = Counter()
        bigram_counts: Counter[str] = Counter()
        for text in texts:
            chars = [normalize_char(c) for c in fold(text)]
            char_counts.update(chars)
            bigram_counts.update(bigrams(chars))
        kept_chars = [c for c, n in char_counts.most_common() if n >= min_char]
        kept_bigrams = [b for b, n in bigram_counts.most_common(max_bigrams) if n >= min_bigram]
        return cls(_index(kept_chars), _index(kept_bigrams), tag_names(), list(DOMAINS))

    def encode(self, text: str) -> tuple[list[int], list[int]]:
        """Character and bigram ids (traditional script folded to simplified first)."""
        chars = [normalize_char(c) for c in fold(text)]
        return [self.chars.get(c, UNK) for c in chars], [self.bigrams.get(b, UNK) for b in bigrams(chars)]

    def lexicon_features(self, text: str) -> list[int]:
        """Dictionary-match bit sets of the folded characters (`gazetteer.match_features`)."""
        return match_features("".join(self._normalised_chars(text)))

    def segment_features(self, text: str) -> list[int]:
        """Word positions of the folded characters (`segmentation.word_positions`)."""
        return word_positions("".join(self._normalised_chars(text)))

    def encode_text(self, text: str) -> TextIds:
        """Character ids and the ids of each character's bigram with the next one, for a whole text;
        a window's ids are slices of these (`TextIds.window`), equal to `encode` of the window."""
        folded = self._normalised_chars(text)
        char_ids = self._char_ids
        pairs = map(str.__add__, folded, folded[1:])
        return TextIds(folded, [char_ids[c] for c in text], [self.bigrams.get(b, UNK) for b in pairs], self.bigrams)

    def _normalised_chars(self, text: str) -> list[str]:
        """`normalize_char` of each folded character, memoised per character (one-for-one, so a
        window's characters are a slice of its text's)."""
        known = self._normalised
        missing = set(text).difference(known)
        if missing:
            table = trad_to_simp()
            for char in missing:
                known[char] = normalize_char(table.get(ord(char), char))
                self._char_ids[char] = self.chars.get(known[char], UNK)
        return [known[c] for c in text]

    def as_dict(self) -> dict[str, Any]:
        return {"chars": list(self.chars), "bigrams": list(self.bigrams), "tags": self.tags, "domains": self.domains}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Vocabulary:
        return cls(_index(data["chars"]), _index(data["bigrams"]), list(data["tags"]), list(data["domains"]))


@dataclass
class TextIds:
    """A text's folded characters, character ids and next-character bigram ids (see `encode_text`)."""

    folded: list[str]
    chars: list[int]
    next_bigrams: list[int]
    bigram_index: dict[str, int]

    def window(self, start: int, end: int) -> tuple[list[int], list[int]]:
        """`Vocabulary.encode(text[start:end])`: the last character pairs with the boundary mark."""
        last = self.bigram_index.get(self.folded[end - 1] + BOUNDARY, UNK)
        return self.chars[start:end], [*self.next_bigrams[start : end - 1], last]


def _index(items: list[str]) -> dict[str, int]:
    return {item: i + 2 for i, item in enumerate(items)}


@dataclass
class Batch:
    chars: torch.Tensor
    bigrams: torch.Tensor
    domains: torch.Tensor
    lengths: torch.Tensor
    mask: torch.Tensor
    tags: torch.Tensor
    lexicon: torch.Tensor | None = None
    segments: torch.Tensor | None = None


def _padded(rows: list[tuple[list[int], list[int]]]) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Character ids, bigram ids (padded with PAD to the longest row) and lengths of encoded windows."""
    width = max(len(chars) for chars, _ in rows)
    chars = torch.tensor([[*c, *[PAD] * (width - len(c))] for c, _ in rows], dtype=torch.long)
    bigram_ids = torch.tensor([[*b, *[PAD] * (width - len(b))] for _, b in rows], dtype=torch.long)
    return chars, bigram_ids, torch.tensor([len(c) for c, _ in rows])


def _window_features(per_text: list[list[int]] | None, group: list[tuple[int, int, int]], like: torch.Tensor) -> torch.Tensor | None:
    """Per-character feature ids of each (text, start, end) window, padded to the shape of `like`;
    None when the network takes no such feature."""
    if per_text is None:
        return None
    padded = torch.zeros_like(like)
    for row, (index, start, end) in enumerate(group):
        padded[row, : end - start] = torch.tensor(per_text[index][start:end])
    return padded


class Tagger:
    """Vocabulary + BiLSTM-CRF; `predict` tags many texts at once."""

    def __init__(self, vocab: Vocabulary, size: NetworkSize) -> None:
        self.vocab = vocab
        self.size = size
        self.network = BiLstmCrf(len(vocab.chars) + 2, len(vocab.bigrams) + 2, len(vocab.domains), vocab.tags, size)

    def batch(self, examples: Sequence[Example]) -> Batch:
        """Padded tensors for examples (texts must be non-empty)."""
        width = max(len(e.text) for e in examples)
        chars = torch.full((len(examples), width), PAD, dtype=torch.long)
        bigram_ids = torch.full((len(examples), width), PAD, dtype=torch.long)
        tags = torch.zeros((len(examples), width), dtype=torch.long)
        tag_index = {t: i for i, t in enumerate(self.vocab.tags)}
        lexicon = torch.zeros((len(examples), width), dtype=torch.long) if self.size.lexicon_dim else None
        segments = torch.zeros((len(examples), width), dtype=torch.long) if self.size.segment_dim else None
        for row, example in enumerate(examples):
            char_ids, bigram_list = self.vocab.encode(example.text)
            n = len(char_ids)
            chars[row, :n] = torch.tensor(char_ids)
            bigram_ids[row, :n] = torch.tensor(bigram_list)
            tags[row, :n] = torch.tensor([tag_index[t] for t in spans_to_tags(n, example.spans)])
            if lexicon is not None:
                lexicon[row, :n] = torch.tensor(self.vocab.lexicon_features(example.text))
            if segments is not None:
                segments[row, :n] = torch.tensor(self.vocab.segment_features(example.text))
        lengths = torch.tensor([len(e.text) for e in examples])
        domains = torch.tensor([self.vocab.domains.index(e.domain) for e in examples])
        mask = torch.arange(width).unsqueeze(0) < lengths.unsqueeze(1)
        return Batch(chars, bigram_ids, domains, lengths, mask, tags, lexicon, segments)

    def loss(self, batch: Batch) -> torch.Tensor:
        emissions = self.network.emissions(batch.chars, batch.bigrams, batch.domains, batch.lengths, batch.lexicon, batch.segments)
        return self.network.crf.neg_log_likelihood(emissions, batch.tags, batch.mask)

    @torch.no_grad()
    def predict(self, texts: Sequence[str], domain: str = "reports", batch_size: int = 128) -> list[list[Span]]:
        """Entity spans (start, end, label) for each text; long texts are tagged in windows."""
        self.network.eval()
        words = [self.vocab.segment_features(text) for text in texts] if self.size.segment_dim else None
        windows = [
            (i, s, e)
            for i, text in enumerate(texts)
            for s, e in chunk_text(text, MAX_WINDOW, [p in (LAST, ALONE) for p in words[i]] if words else None)
        ]
        windows.sort(key=lambda w: w[2] - w[1])
        encoded = [self.vocab.encode_text(text) for text in texts]
        matches = [self.vocab.lexicon_features(text) for text in texts] if self.size.lexicon_dim else None
        domain_id = self.vocab.domains.index(domain)
        results: list[list[Span]] = [[] for _ in texts]
        for first in range(0, len(windows), batch_size):
            group = windows[first : first + batch_size]
            chars, bigram_ids, lengths = _padded([encoded[i].window(s, e) for i, s, e in group])
            lexicon = _window_features(matches, group, chars)
            segments = _window_features(words, group, chars)
            domains = torch.full((len(group),), domain_id, dtype=torch.long)
            emissions = self.network.emissions(chars, bigram_ids, domains, lengths, lexicon, segments)
            paths = self.network.crf.decode_lengths(emissions, lengths.tolist())
            for (index, start, _), path in zip(group, paths, strict=True):
                results[index].extend(self._path_spans(path, start))
        return [clean_spans(text, spans) for text, spans in zip(texts, results, strict=True)]

    def _path_spans(self, path: list[int], offset: int) -> list[Span]:
        """`tags_to_spans` of a tag-id path, read only between its first and last entity tag (the O
        runs around them open and close nothing), shifted by `offset`."""
        outside = self.vocab.tags.index("O")
        inside = [i for i, tag in enumerate(path) if tag != outside]
        if not inside:
            return []
        first, last = inside[0], inside[-1] + 1
        spans = tags_to_spans([self.vocab.tags[t] for t in path[first:last]])
        return [(s + first + offset, e + first + offset, label) for s, e, label in spans]

    def save(self, path: Path, extra: dict[str, Any] | None = None) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "format": "nlp_service.ner/1",
            "vocab": self.vocab.as_dict(),
            "size": self.size.as_dict(),
            "state_dict": self.network.state_dict(),
            "extra": extra or {},
        }
        torch.save(payload, path)

    @classmethod
    def load(cls, path: Path) -> Tagger:
        """A saved tagger; raises OSError/RuntimeError/KeyError/ValueError on a missing or bad file."""
        payload = torch.load(path, map_location="cpu", weights_only=True)
        if not isinstance(payload, dict) or payload.get("format") != "nlp_service.ner/1":
            raise ValueError(f"{path} is not an entity model file")
        tagger = cls(Vocabulary.from_dict(payload["vocab"]), NetworkSize(**payload["size"]))
        tagger.network.load_state_dict(payload["state_dict"])
        tagger.network.eval()
        return tagger
