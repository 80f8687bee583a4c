"""Lexicon rules for bodies and places in government reports (no model).

A body is `[中共] [ADMIN | ORDINAL | STEM]* SUFFIX` with at least one unit before the suffix
(县委巡察办, 区财政局, 省委第三巡视组), or a whole name from `corpora/org_names.txt`. A place
name written immediately before a body is part of the body (益阳市资阳区 + 监察委员会); the place
spans come from `corpora/places.txt`, the administrative place names of jieba's dictionary
(`gazetteer.administrative_places`: 六安市, 马关县) and, in the pipeline, from the model.
Traditional characters are folded to simplified ones first (`corpora/trad_simp.txt`), one for one,
so offsets are unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from nlp_service.ner.data import Span
from nlp_service.ner.gazetteer import KINDS, administrative_places, county_stems, name_words
from nlp_service.resources import read_lines

ADMIN_HEAD = frozenset("省市县区州镇乡旗")  # one-character administrative units
ADMIN_UNITS = ("自治区", "自治州", "自治县", "新区", "经开区", "开发区", "省", "市", "县", "区", "州", "镇", "乡", "旗")
ORDINAL = r"(?:第[一二三四五六七八九十百零〇0-9]+(?:届|轮|次)?|[一二三四五六七八九十]+届|[XＸx]+届)"
GENERIC_BEFORE = "各全本我该此其每"
# Characters that, after a one-character suffix, show the suffix is part of another word (科技, 局面).
NOT_AFTER = {
    "科": "技学研普",
    "局": "面势限",
    "部": "分门署位件",
    "处": "理置于分罚",
    "所": "有以属在得需",
    "院": "校士",
    "会": "议计员上同",
    "室": "内外温",
    "站": "点",
    "办": "法理好",
    "庭": "审",
    "委": "员托屈派",
    "队": "伍员",
    "署": "名",
    "组": "织成建",
    "办公室": "主",
}
GENERIC_LEVELS = re.compile(r"(?:中国共产党|中共)?(?:乡镇|[省市县区]{2,})")
ADMIN_ONLY = re.compile(r"(?:中国共产党|中共)?(?:自治区|自治州|自治县|新区|经开区|开发区|[省市县区州镇乡旗])+")
TITLE_RE = re.compile(r"《[^《》]*》")


@lru_cache(maxsize=1)
def trad_to_simp() -> dict[int, str]:
    """Character table for folding traditional script (one character to one character)."""
    table: dict[int, str] = {}
    for line in read_lines("trad_simp.txt"):
        if len(line) == 2:
            table[ord(line[0])] = line[1]
    return table


def fold(text: str) -> str:
    """`text` with traditional characters replaced by simplified ones; same length."""
    return _fold_long(text) if len(text) > 1000 else text.translate(trad_to_simp())


@lru_cache(maxsize=2)
def _fold_long(text: str) -> str:
    """`fold` of a whole document, which the entity rules ask for several times per document."""
    return text.translate(trad_to_simp())


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _suffix_alternation(suffixes: Iterable[str], by_last_char: bool = False) -> str:
    """Suffixes, longest first, each refusing the continuations in NOT_AFTER (looked up by the whole
    suffix, or by its last character when `by_last_char`)."""
    parts = []
    for suffix in sorted(set(suffixes), key=len, reverse=True):
        bad = NOT_AFTER.get(suffix[-1] if by_last_char else suffix)
        parts.append(re.escape(suffix) + (f"(?![{bad}])" if bad else ""))
    return "|".join(parts)


@dataclass(frozen=True)
class WordMatcher:
    """Leftmost-longest, non-overlapping matches of a word list (words of two or more characters):
    a regular expression alternation of thousands of words tries each of them at every position."""

    words: frozenset[str]
    prefixes: frozenset[str]
    longest: int

    @classmethod
    def of(cls, words: Iterable[str]) -> WordMatcher:
        kept = frozenset(w for w in words if len(w) >= 2)
        return cls(kept, frozenset(w[:2] for w in kept), max(map(len, kept), default=2))

    def spans(self, text: str) -> list[tuple[int, int]]:
        found = []
        position, n = 0, len(text)
        while position < n - 1:
            end = self._longest_at(text, position) if text[position : position + 2] in self.prefixes else None
            if end is None:
                position += 1
            else:
                found.append((position, end))
                position = end
        return found

    def _longest_at(self, text: str, start: int) -> int | None:
        for end in range(min(len(text), start + self.longest), start + 1, -1):
            if text[start:end] in self.words:
                return end
        return None


@dataclass(frozen=True)
class Lexicon:
    body: re.Pattern[str]
    names: re.Pattern[str]
    places: WordMatcher
    suffixes: tuple[str, ...]  # the words that end a body's name (corpora/org_suffixes.txt)
    weak_suffixes: frozenset[str]

    @classmethod
    def load(cls) -> Lexicon:
        suffixes = read_lines("org_suffixes.txt")
        stems = read_lines("org_stems.txt")
        unit = f"(?:{_alternation(stems)}|{_alternation(ADMIN_UNITS)}|{ORDINAL}|委)"
        body = re.compile(f"(?P<units>(?:中国共产党|中共)?(?:{unit}){{1,6}})(?P<suffix>{_suffix_alternation(suffixes)})")
        weak = frozenset(s for s in suffixes if len(s) == 1 and s != "委")
        weak |= {"委员会", "中心", "办公室", "小组", "工作组", "学校", "学院", "公司", "集团", "银行", "合作社"}
        return cls(
            body=body,
            names=re.compile(_suffix_alternation(read_lines("org_names.txt"), by_last_char=True)),
            places=WordMatcher.of([*read_lines("places.txt"), *administrative_places()]),
            suffixes=tuple(suffixes),
            weak_suffixes=weak,
        )


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    return Lexicon.load()


def title_ranges(text: str) -> list[tuple[int, int]]:
    """(start, end) of every 《…》 title, brackets included."""
    return [m.span() for m in TITLE_RE.finditer(text)]


def inside_any(span: tuple[int, int], ranges: Sequence[tuple[int, int]]) -> bool:
    return any(s < span[1] and span[0] < e for s, e in ranges)


def body_spans(text: str, lexicon: Lexicon | None = None) -> list[Span]:
    """ORG spans found by the suffix pattern and the whole-name list, longest first on overlap."""
    lex = lexicon or default_lexicon()
    folded = fold(text)
    found: list[Span] = []
    position = 0
    while (match := lex.body.search(folded, position)) is not None:
        start, end = _trim_generic(folded, match.start(), match.end())
        weak_only = match["suffix"] in lex.weak_suffixes and ADMIN_ONLY.fullmatch(match["units"])
        units = match["units"]
        if GENERIC_LEVELS.match(units) and units[0] == units[1]:
            # 省市县 is a list of levels, not a name; but in 南县县委巡察组 and 遂宁市市场监督管理局 the
            # first of two equal units ends a place name: the search goes on from the second
            position = match.start() + 1
            continue
        if end - start >= 2 and not weak_only and not GENERIC_LEVELS.match(units):
            found.append((start, end, "ORG"))
        position = match.end()
    found.extend((m.start(), m.end(), "ORG") for m in lex.names.finditer(folded))
    return resolve_overlaps(found)


def _trim_generic(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop a match preceded by a generic determiner (各县委, 全市各部门): those are not names."""
    if start > 0 and text[start - 1] in GENERIC_BEFORE:
        return start, start
    return start, end


def place_spans(text: str, lexicon: Lexicon | None = None) -> list[Span]:
    lex = lexicon or default_lexicon()
    return [(start, end, "LOC") for start, end in lex.places.spans(fold(text))]


# Verbs of sending or going somewhere (赴安化, 外派安化巡察组, 进驻沭阳): what follows is a place. Not 到/在/深入,
# which as often precede 和平, 新兴 or 中西 (common words that are also the short names of counties).
DISPATCH_VERB = re.compile("赴|前往|派驻|外派|进驻|派往")


def dispatch_places(text: str) -> list[Span]:
    """The short name of a county or district (`gazetteer.county_stems`, written without its unit)
    right after a verb of going or sending: 外赴安化 (a stem followed by its unit is left to
    the place list)."""
    folded = fold(text)
    stems = county_stems()
    found: list[Span] = []
    for verb in DISPATCH_VERB.finditer(folded):
        start = verb.end()
        for size in (4, 3, 2):
            end = start + size
            if folded[start:end] in stems and not (end < len(folded) and folded[end] in ADMIN_HEAD):
                found.append((start, end, "LOC"))
                break
    return found


def resolve_overlaps(spans: Iterable[Span]) -> list[Span]:
    """Non-overlapping spans, preferring the longer one (then the earlier; for the same start and end,
    the one given first: a set here made that choice depend on the process's string hash seed)."""
    chosen: list[Span] = []
    taken: set[int] = set()
    for span in sorted(dict.fromkeys(spans), key=lambda s: (s[0] - s[1], s[0])):
        if not taken.intersection(range(span[0], span[1])):
            chosen.append(span)
            taken.update(range(span[0], span[1]))
    return sorted(chosen)


def attach_places(bodies: Sequence[Span], places: Sequence[Span], text: str) -> list[Span]:
    """Bodies extended leftwards over the places (and 中共) written right before them."""
    folded = fold(text)
    out: list[Span] = []
    for start, end, label in bodies:
        start = _extend_over_places(start, end, places)
        for party in ("中国共产党", "中共"):
            if folded[max(0, start - len(party)) : start] == party:
                start -= len(party)
        out.append((start, end, label))
    return out


def _extend_over_places(start: int, end: int, places: Sequence[Span]) -> int:
    """The new start of a body after taking in the chain of places that ends at (or inside) its start."""
    moved = True
    while moved:
        moved = False
        for p_start, p_end, _ in places:
            if p_start < start <= p_end and p_end < end:
                start, moved = p_start, True
    return start


def dictionary_place_heads(text: str, bodies: Sequence[Span], longest: int = 4) -> list[Span]:
    """Place names from the name dictionary (`gazetteer.name_words`, kind LOC) written right before a
    body that starts with its administrative unit (黄冈 + 市档案馆): used to extend the body, never
    reported as places themselves (the dictionary's place list is too loose for that)."""
    words, _ = name_words()
    place_bit = 1 << KINDS.index("LOC")
    folded = fold(text)
    heads: list[Span] = []
    for start, _, _ in bodies:
        if start >= len(folded) or folded[start] not in ADMIN_HEAD:
            continue
        for size in range(min(longest, start), 1, -1):
            if words.get(folded[start - size : start], 0) & place_bit:
                heads.append((start - size, start, "LOC"))
                break
    return heads


def rule_entities(text: str, extra_places: Sequence[Span] = (), lexicon: Lexicon | None = None) -> list[Span]:
    """Bodies and places found by the lexicon (the place list, dispatch places, `extra_places`); places
    inside a body are dropped; 《》 titles skipped."""
    lex = lexicon or default_lexicon()
    places = resolve_overlaps([*place_spans(text, lex), *dispatch_places(text), *extra_places])
    found = body_spans(text, lex)
    bodies = attach_places(found, [*places, *dictionary_place_heads(text, found)], text)
    spans = resolve_overlaps([*bodies, *places])
    titles = title_ranges(text)
    return [s for s in spans if not inside_any((s[0], s[1]), titles)]
