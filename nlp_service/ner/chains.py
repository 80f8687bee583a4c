"""Five conventions of the entity gold that the model's spans miss, applied after the rules and the
model have met (`nlp_service.ner.combine`):

- places in a chain are separate names (docs/entities.md: 张家塞乡 | 三星村, 大码头街道 | 金花坪社区):
  a place span that runs on past an administrative unit into a verb (金花坪社区建设廉洁文化长廊) ends
  at the unit; a place span is cut after each administrative unit that a further unit follows (and after the
  country's name before a region: 中华人民共和国 | 香港特别行政区), or that the short name of a county
  ends (巴彦淖尔市 | 临河, `gazetteer.county_stems`), and a run of
  one-character abbreviations of countries and provinces (中美, 港澳台, 京津冀) into its characters, as
  the news corpora mark them;
- names written without separators (lists of officials once the spaces between them are lost:
  李鹏乔石李瑞环) are separate names: a PERSON span of four or more Chinese characters that reads as a
  run of names, each starting with a surname, is cut into them;
- bodies joined by 和/与 are separate names (生态环境部 | 省生态环境厅; not 文化和旅游局, whose first part
  ends in no body's suffix), a body followed by 及其 is the body alone (人大及其常委会: 人大), and a
  body does not start with the preposition 经 (经省编委批准: 省编委);
- generic bodies are no names (docs/entities.md: 各乡镇, 村（社区）党组织): an ORG span that starts with
  a generic level (乡镇党委, 村党总支, 基层人民法院, 中级人民法院) is dropped, and so is a bare level's
  committee before 书记 (市委书记, 县委书记: a title; 维西县委书记 keeps 维西县委);
- names listed with 、 are of one kind: when the model marks one person of a list (王恢先、张国基、高文华等),
  the other items that read as a person's name (a surname and one or two characters) are people too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from nlp_service.ner.data import Span
from nlp_service.ner.gazetteer import county_stems, verb_words
from nlp_service.ner.lexicon import ADMIN_HEAD, default_lexicon, fold
from nlp_service.resources import read_lines

UNIT_ENDS = ("自治区", "自治州", "自治县", "街道", "社区", "新区", "省", "市", "县", "区", "州", "盟", "旗", "乡", "镇", "村")
# One-character short names of countries, continents and provinces (中 美 欧 …; not 东 西 南 北 宁, which
# mostly mean a direction or another word) and the two-character places written with them.
ABBREVIATIONS = frozenset("中美日俄英法德意韩朝印巴以加澳欧亚非越泰蒙葡京津沪渝冀晋辽苏浙皖闽赣鲁豫鄂湘粤桂琼川蜀黔滇陕藏疆港台")
WHOLE_NAMES = frozenset({"巴西", "巴中", "中亚"})
COUNTRY_PREFIXES = ("中华人民共和国",)  # the country written before one of its regions
LIST_MARK = "、"
CJK = re.compile(r"[\u3400-\u9fff]")
NAME_LENGTHS = (3, 2)  # a surname and a one- or two-character given name; three characters tried first


def apply_conventions(text: str, spans: Sequence[Span]) -> list[Span]:
    """The five conventions: chained places cut, joined bodies cut and generic ones dropped, runs of
    names cut, then the other people of a list added."""
    bodies = drop_generic_bodies(text, split_joined_bodies(text, split_place_chains(text, spans)))
    return listed_people(text, split_name_runs(text, bodies))


@lru_cache(maxsize=1)
def surnames() -> tuple[frozenset[str], frozenset[str]]:
    """One-character and two-character surnames of `corpora/surnames.txt`."""
    names = read_lines("surnames.txt")
    return frozenset(n for n in names if len(n) == 1), frozenset(n for n in names if len(n) == 2)


def split_place_chains(text: str, spans: Sequence[Span]) -> list[Span]:
    """Each LOC span cut into its administrative units when it chains two or more of them; a unit
    keeps at least two characters before its suffix's end and the rest must itself end in a unit or be
    a county's short name."""
    folded = fold(text)
    out: list[Span] = []
    for start, end, label in spans:
        if label != "LOC":
            out.append((start, end, label))
            continue
        if _abbreviation_run(folded[start:end]):
            out.extend((i, i + 1, label) for i in range(start, end))
            continue
        end = _end_before_verb(folded, start, end)
        cut = start
        country = next((c for c in COUNTRY_PREFIXES if folded.startswith(c, start)), "")
        if country and end - start - len(country) >= 3 and folded[start:end].endswith(UNIT_ENDS):
            out.append((start, start + len(country), label))  # 中华人民共和国 | 香港特别行政区
            cut = start + len(country)
        ends_in_unit = folded[start:end].endswith(UNIT_ENDS)
        for point in _unit_ends(folded, cut, end):
            rest = folded[point:end]
            if point - cut >= 3 and ((ends_in_unit and end - point >= 3) or (not ends_in_unit and rest in county_stems())):
                out.append((cut, point, label))
                cut = point
        out.append((cut, end, label))
    return out


JOINERS = "和与"


def split_joined_bodies(text: str, spans: Sequence[Span]) -> list[Span]:
    """Each ORG span that joins two bodies with 和/与 cut into them (both parts of three or more
    characters ending in a body's suffix), one running on into 及其 cut before it, and one starting
    with the preposition 经 before a level (经省编委) started after it."""
    folded = fold(text)
    out: list[Span] = []
    for start, end, label in spans:
        if label != "ORG":
            out.append((start, end, label))
            continue
        if folded[start] == "经" and end - start >= 3 and folded[start + 1] in ADMIN_HEAD:
            start += 1
        surface = folded[start:end]
        if (cut := surface.find("及其")) >= 2:
            out.append((start, start + cut, label))
            continue
        out.extend(_joined_parts(surface, start, label))
    return out


def _joined_parts(surface: str, start: int, label: str) -> list[Span]:
    suffixes = default_lexicon().suffixes
    for position, character in enumerate(surface):
        left, right = surface[:position], surface[position + 1 :]
        if character in JOINERS and len(left) >= 3 and len(right) >= 3 and left.endswith(suffixes) and right.endswith(suffixes):
            return [(start, start + position, label), (start + position + 1, start + len(surface), label)]
    return [(start, start + len(surface), label)]


GENERIC_BODY_STARTS = ("乡镇", "基层", "中级", "各级", "村")
BARE_COMMITTEE = re.compile(f"[{''.join(sorted(ADMIN_HEAD))}]委")
TITLE_AFTER = "书记"


def drop_generic_bodies(text: str, spans: Sequence[Span]) -> list[Span]:
    """The spans less the ORG spans that start with a generic level (乡镇党委, 基层人民法院) and the bare
    committees of a level written before 书记 (市委书记)."""
    folded = fold(text)
    return [
        (start, end, label)
        for start, end, label in spans
        if label != "ORG"
        or not (
            folded.startswith(GENERIC_BODY_STARTS, start)
            or (BARE_COMMITTEE.fullmatch(folded, start, end) and folded.startswith(TITLE_AFTER, end))
        )
    ]


def split_name_runs(text: str, spans: Sequence[Span]) -> list[Span]:
    """Each PERSON span of four or more Chinese characters that reads as two or more names cut into them."""
    folded = fold(text)
    out: list[Span] = []
    for start, end, label in spans:
        names = _run_of_names(folded[start:end]) if label == "PERSON" and end - start >= 4 else None
        if names:
            out.extend((start + a, start + b, label) for a, b in names)
        else:
            out.append((start, end, label))
    return out


def _run_of_names(surface: str) -> list[tuple[int, int]] | None:
    """The cut of `surface` into two or more names (a surname and one or two more characters) that
    puts the fewest surname characters inside given names, then makes the most names; None when
    there is no such cut."""
    if not all(CJK.match(c) for c in surface):
        return None
    single = surnames()[0]
    n = len(surface)
    score: list[tuple[int, int] | None] = [None] * (n + 1)  # (surname characters inside, -names) of the best cut of surface[:i]
    previous = [0] * (n + 1)
    score[0] = (0, 0)
    for i in range(n):
        reached = score[i]
        if reached is None:
            continue
        for name_end, surname_length in _names_at(surface, i):
            given = surface[i + surname_length : name_end]
            candidate = (reached[0] + sum(c in single for c in given), reached[1] - 1)
            current = score[name_end]
            if current is None or candidate < current:
                score[name_end], previous[name_end] = candidate, i
    if score[n] is None:
        return None
    cuts = []
    end = n
    while end > 0:
        cuts.append((previous[end], end))
        end = previous[end]
    return cuts[::-1] if len(cuts) >= 2 else None


def _names_at(surface: str, start: int) -> list[tuple[int, int]]:
    """(end, surname length) of each name that may start at `start`: a surname and one or two characters."""
    single, double = surnames()
    lengths = [1] if surface[start] in single else []
    if surface[start : start + 2] in double:
        lengths.append(2)
    return [(start + s + g, s) for s in lengths for g in (1, 2) if start + s + g <= len(surface)]


def _end_before_verb(text: str, start: int, end: int) -> int:
    """The end of a place span that does not end in an administrative unit but runs on past one into a
    dictionary verb: the end of that unit (金花坪社区|建设廉洁文化长廊); otherwise `end`."""
    if text[start:end].endswith(UNIT_ENDS):
        return end
    verbs = verb_words()
    for point in _unit_ends(text, start, end):
        if point - start >= 2 and any(text[point : point + n] in verbs for n in (2, 3, 4) if point + n <= end):
            return point
    return end


def _abbreviation_run(surface: str) -> bool:
    return 2 <= len(surface) <= 3 and surface not in WHOLE_NAMES and all(c in ABBREVIATIONS for c in surface)


def _unit_ends(text: str, start: int, end: int) -> list[int]:
    """Positions inside (start, end) right after an administrative suffix."""
    points = []
    for position in range(start + 1, end):
        if text[start:position].endswith(UNIT_ENDS) and not text[position:end].startswith(("区", "县", "市")):
            points.append(position)
    return points


def listed_people(text: str, spans: Sequence[Span]) -> list[Span]:
    """PERSON spans for the items of a 、 list that holds a PERSON span and read as names; items that
    overlap another span are left alone."""
    folded = fold(text)
    taken = {i for s, e, _ in spans for i in range(s, e)}
    found: list[Span] = []
    for start, end, label in spans:
        if label != "PERSON":
            continue
        for item in [*_items_after(folded, end), *_items_before(folded, start)]:
            if not taken.intersection(range(item[0], item[1])):
                found.append((item[0], item[1], "PERSON"))
                taken.update(range(item[0], item[1]))
    return sorted([*spans, *found])


def _items_after(text: str, end: int) -> list[Span]:
    """Names listed after a name ending at `end`: 、X、Y… while each X reads as a name."""
    items = []
    while end < len(text) and text[end] == LIST_MARK:
        name = _name_at(text, end + 1)
        if name is None:
            break
        items.append(name)
        end = name[1]
    return items


def _items_before(text: str, start: int) -> list[Span]:
    """Names listed before a name starting at `start`: …X、Y、 while each X reads as a name."""
    items = []
    while start > 0 and text[start - 1] == LIST_MARK:
        name = _name_ending_at(text, start - 1)
        if name is None:
            break
        items.append(name)
        start = name[0]
    return items


def _name_at(text: str, start: int) -> Span | None:
    """A name starting at `start` and followed by a list mark, 等, 和/及/与 or a non-CJK character."""
    for length in NAME_LENGTHS:
        end = start + length
        if end <= len(text) and _reads_as_name(text[start:end]) and (end == len(text) or _ends_item(text, end)):
            return (start, end, "PERSON")
    return None


def _name_ending_at(text: str, end: int) -> Span | None:
    """A name ending at `end` (the list mark after it): the longest one that reads as a name."""
    for length in NAME_LENGTHS:
        start = end - length
        if start >= 0 and _reads_as_name(text[start:end]):
            return (start, end, "PERSON")
    return None


def _ends_item(text: str, position: int) -> bool:
    return text[position] in "、等和及与" or not CJK.match(text[position])


def _reads_as_name(candidate: str) -> bool:
    """Two or three CJK characters starting with a known surname."""
    single, double = surnames()
    if not all(CJK.match(c) for c in candidate) or LIST_MARK in candidate:
        return False
    return candidate[:1] in single or (len(candidate) == 3 and candidate[:2] in double)
