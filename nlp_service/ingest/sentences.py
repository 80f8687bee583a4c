"""Sentence boundaries: after 。！？；(and !?;) and at line breaks, never inside quotes or brackets.

A terminator inside quotes or brackets ends the sentence only when the closing mark follows it at
once (`他说：“好。”`); an unbalanced opening mark stops counting at the end of its line.
"""

from __future__ import annotations

TERMINATORS = frozenset("。！？；!?;")
OPENERS = {
    "“": "”",
    "‘": "’",
    "《": "》",
    "（": "）",
    "(": ")",
    "「": "」",
    "『": "』",
    "【": "】",
    "〔": "〕",
}
CLOSERS = frozenset(OPENERS.values())
TRAILING = frozenset("”’」』）)》】〕")
LINE_BREAKS = frozenset("\n\r\u2028\u2029\x0b\x0c")


def _trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


def _boundaries(text: str) -> list[int]:
    """Character offsets where a sentence ends (exclusive)."""
    cuts: list[int] = []
    depth = 0
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in LINE_BREAKS:
            cuts.append(i)
            depth = 0
        elif ch in OPENERS:
            depth += 1
        elif ch in CLOSERS:
            depth = max(depth - 1, 0)
        elif ch in TERMINATORS:
            j = i + 1
            while j < n and text[j] in TERMINATORS:
                j += 1
            k = j
            while k < n and text[k] in TRAILING:
                depth = max(depth - 1, 0)
                k += 1
            if depth == 0:
                cuts.append(k)
            i = k
            continue
        i += 1
    cuts.append(n)
    return cuts


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans `(start, end)` over `text`, without surrounding whitespace."""
    spans: list[tuple[int, int]] = []
    start = 0
    for cut in _boundaries(text):
        span = _trimmed(text, start, cut)
        if span:
            spans.append(span)
        start = cut
    return spans
