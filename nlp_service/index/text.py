"""Text for the full-text index: search units (sentences), jieba segmentation, query building.

The index segments with the project's domain tokenizer (`pipeline.tokenizer.domain_tokenizer`),
built once per process. Indexed text uses jieba's search mode (words and their sub-words), queries
the precise mode, so a query word matches inside longer indexed compounds.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

import jieba

from nlp_service.pipeline.tokenizer import domain_tokenizer

_SENTENCE_END = re.compile(r"[。！？；!?;]+|\n+")
_tokenizer: jieba.Tokenizer | None = None
_tokenizer_lock = threading.Lock()


def tokenizer() -> jieba.Tokenizer:
    """The process's one domain tokenizer (built on first use)."""
    global _tokenizer
    with _tokenizer_lock:
        if _tokenizer is None:
            _tokenizer = domain_tokenizer()
        return _tokenizer


def _is_word(token: str) -> bool:
    return any(ch.isalnum() for ch in token)


@lru_cache(maxsize=65536)
def segment_for_index(text: str) -> str:
    """Space-separated tokens of `text` (search mode: words and their sub-words), lower-cased.

    Cached: reports repeat many sentences (headings, boilerplate) word for word."""
    tok = tokenizer()
    with _tokenizer_lock:
        tokens = tok.lcut_for_search(text)
    return " ".join(t.strip().lower() for t in tokens if _is_word(t))


def segment_query(query: str) -> list[str]:
    """The words of a search query (precise mode), lower-cased, without punctuation."""
    tok = tokenizer()
    with _tokenizer_lock:
        tokens = tok.lcut(query)
    return [t.strip().lower() for t in tokens if _is_word(t)]


def fts5_match(tokens: list[str]) -> str:
    """An FTS5 MATCH expression requiring every token (each one quoted as a phrase)."""
    return " ".join('"' + t.replace('"', '""') + '"' for t in tokens)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Search units: (start, end) of each sentence, cut after 。！？； and at line breaks."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end() if match.group().strip() else match.start()
        _add_span(spans, text, start, end)
        start = match.end()
    _add_span(spans, text, start, len(text))
    return spans


def _add_span(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def mark_span(sentence: str, start: int, end: int, *, left: str = "【", right: str = "】") -> str:
    """`sentence` with [start, end) (offsets relative to the sentence) wrapped in markers."""
    start = max(0, min(start, len(sentence)))
    end = max(start, min(end, len(sentence)))
    return sentence[:start] + left + sentence[start:end] + right + sentence[end:]
