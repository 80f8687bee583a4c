"""Dictionary-match features for the entity recogniser: for each character, which kinds of known
name (person, place, body) cover it and where it stands in the matched word (B, I, E, S).

The words come from the part-of-speech tags of jieba's own dictionary (nr/nrt/nrfg person, ns place,
nt body), which ships with the installed `jieba` package (nothing is downloaded), plus the repository's
`corpora/places.txt`. Names never seen in training but present in the dictionary (马拉维, 廊坊) then
carry a signal the character embeddings alone do not.

A character's features are one integer: bit `3 * kind + position` is set for every dictionary word
of that kind covering the character at that position (9 bits: 3 kinds x 3 positions).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import jieba

from nlp_service.resources import read_lines

KINDS = ("PERSON", "LOC", "ORG")
JIEBA_TAGS = {"nr": 0, "nrt": 0, "nrfg": 0, "ns": 1, "nt": 2}
POSITIONS = 3  # first, inside, last character of the matched word
N_BITS = POSITIONS * len(KINDS)
MAX_WORD = 10


def tagged_words() -> Iterator[tuple[str, str]]:
    """(word, part-of-speech tag) of each entry of jieba's bundled dictionary, read from disk (not kept:
    each word list built from it is cached by its own function)."""
    dictionary = Path(jieba.__file__).parent / "dict.txt"
    with dictionary.open(encoding="utf-8") as handle:
        for parts in map(str.split, handle):
            if len(parts) == 3:
                yield parts[0], parts[2]


@lru_cache(maxsize=1)
def name_words() -> tuple[dict[str, int], frozenset[str]]:
    """Word -> bit set of the kinds it is listed as (bit k for KINDS[k]), and the words' first two
    characters (a position whose next two characters start no word is skipped)."""
    words: dict[str, int] = {}
    for word, tag in tagged_words():
        if tag in JIEBA_TAGS and 2 <= len(word) <= MAX_WORD:
            words[word] = words.get(word, 0) | 1 << JIEBA_TAGS[tag]
    for place in read_lines("places.txt"):
        if 2 <= len(place) <= MAX_WORD:
            words[place] = words.get(place, 0) | 1 << KINDS.index("LOC")
    return words, frozenset(w[:2] for w in words)


ADMIN_SUFFIXES = tuple("省市县区州旗盟")


@lru_cache(maxsize=1)
def administrative_places() -> tuple[str, ...]:
    """Place words of jieba's dictionary that end in an administrative unit (六安市, 马关县, 红河州;
    not …地区): a far tighter list than its place words as a whole."""
    return tuple(
        word
        for word, tag in tagged_words()
        if tag == "ns" and 3 <= len(word) <= MAX_WORD and word.endswith(ADMIN_SUFFIXES) and not word.endswith("地区")
    )


STEM_SUFFIXES = tuple("县市区")
# Units whose name without the suffix is a common word, not the place's short name (城区, 新区, 矿区).
NOT_STEM_ENDS = ("自治县", "新区", "城区", "郊区", "矿区", "林区", "市区", "景区", "园区", "地区", "山区", "社区")


@lru_cache(maxsize=1)
def county_stems() -> frozenset[str]:
    """Short names of counties, county-level cities and districts, as reports write them without
    their unit (安化 for 安化县, 临河 for 临河区): the administrative places ending in 县/市/区, less the
    suffix, at least two characters. Many are also common words (和平, 新兴, 三维, 中方), so they are
    only used where the context says a place is meant (`lexicon.dispatch_places`, `chains`)."""
    return frozenset(
        word[:-1]
        for word in administrative_places()
        if word.endswith(STEM_SUFFIXES) and not word.endswith(NOT_STEM_ENDS) and len(word) >= 3
    )


def match_features(chars: str) -> list[int]:
    """The feature integer of each character of `chars` (already folded to simplified script)."""
    lexicon, prefixes = name_words()
    features = [0] * len(chars)
    n = len(chars)
    for start in range(n - 1):
        if chars[start : start + 2] not in prefixes:
            continue
        for end in range(start + 2, min(n, start + MAX_WORD) + 1):
            kinds = lexicon.get(chars[start:end])
            if kinds:
                _mark(features, start, end, kinds)
    return features


def _mark(features: list[int], start: int, end: int, kinds: int) -> None:
    for kind in range(len(KINDS)):
        if kinds >> kind & 1:
            base = POSITIONS * kind
            features[start] |= 1 << base
            features[end - 1] |= 1 << (base + 2)
            for inside in range(start + 1, end - 1):
                features[inside] |= 1 << (base + 1)


@lru_cache(maxsize=1)
def verb_words() -> frozenset[str]:
    """Words of two or more characters that jieba's dictionary tags as verbs (v, vn: 建设, 开展)."""
    return frozenset(word for word, tag in tagged_words() if tag in ("v", "vn") and len(word) >= 2)
