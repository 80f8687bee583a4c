"""Links between claims and the indicators they evidence.

For each indicator, every claim is scored on five signals and the claims above `THRESHOLD` are
linked, best first:

- words: the jieba words of the indicator name (the pipeline's own segmenter) found among the words
  of the claim's object and predicate, directly, as part of a longer word, or through a synonym
  group of `corpora/synonyms.tsv` (发现问题 ~ 巡察发现问题, 资金 ~ 经费);
- context: the indicator's words in the claim's sentence (在违规举债和虚假化债专项巡察中……共发现问题27个);
- cell: the claim stands in the indicator's own 实际完成值 cell;
- measure: the claim's unit and kind agree with the target's (人次 with ≥50000人次, % with ≥80%);
- section: a narrative claim standing in the part of the report on goals and their results.

`THRESHOLD` and the weights were calibrated on the gold links of the seed and development sets
(`scripts/eval_checks.py --links ../shared/corpora/seed/*.txt ../shared/corpora/dev/*.txt`): at 0.38
all 25 gold links are returned and every gold-linked indicator (20) has a gold link on top; precision
against the gold links is 0.34 there (the gold marks only the strongest evidence, so plausible links
such as other 发现问题 counts for 巡察发现问题数量 count against it); above 0.45 gold links start to drop
(recall 0.92). The evidence string says which signals matched.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

import jieba

from nlp_service.ingest.document import Document
from nlp_service.pipeline.tokenizer import domain_tokenizer
from nlp_service.resources import read_lines
from nlp_service.schema import ClaimPublic, IndicatorPublic, LinkPublic

SYNONYMS_FILE = "synonyms.tsv"
THRESHOLD = 0.38
WEIGHTS = {"words": 0.45, "context": 0.35, "cell": 0.45, "measure": 0.3, "section": 0.05}
# The name's last word after these suffixes is its head: 巡察发现问题数量 → 问题, 内控管理制度健全性 → 制度.
_HEAD_SUFFIX = re.compile(
    r"(数量|人数|人次数?|次数|个数|件数|户数|金额|面积|长度|比例|覆盖率|完成率|合格率|满意度|"
    r"健全性|及时性|规范性|有效性|执行率|发放率|到位率|成效|效率|情况|率|性|数)$"
)
MAX_LINKS_PER_INDICATOR = 15

_STOPWORDS = frozenset(
    [
        "的",
        "和",
        "与",
        "及",
        "或",
        "等",
        "其",
        "中",
        "为",
        "在",
        "对",
        "了",
        "是",
        "有",
        "个",
        "项",
        "指标",
        "情况",
        "工作",
        "数量",
        "数",
        "率",
        "度",
        "性",
        "开展",
        "相关",
        "按",
        "全年",
        "年度",
        "当年",
        "本年",
        "完成值",
        "实际",
        "目标",
        "其中",
        "共",
        "累计",
    ]
)
_WORD = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbfA-Za-z]+")
_STARS = re.compile(r"[★☆*＊]|[（(][^（()）]*[≥≤<>＜＞]\s*\**[^（()）]*[)）]")
_RESULT_SECTION = re.compile(r"绩效|目标|完成|实现|产出|效益|成效|情况")
_PERCENT_UNITS = {"%", "％", "百分点"}


@dataclass(frozen=True)
class Signals:
    words: float
    context: float
    cell: float
    measure: float
    section: float
    matched: tuple[str, ...]

    @property
    def score(self) -> float:
        total = sum(WEIGHTS[name] * getattr(self, name) for name in WEIGHTS)
        return round(min(1.0, max(0.0, total)), 3)


@lru_cache(maxsize=1)
def _tokenizer() -> jieba.Tokenizer:
    """The pipeline's segmenter with the domain lexicon, built once per process."""
    return domain_tokenizer()


@lru_cache(maxsize=1)
def synonym_groups() -> dict[str, frozenset[int]]:
    """Word → the numbers of the synonym groups it belongs to."""
    groups: dict[str, set[int]] = {}
    for number, line in enumerate(read_lines(SYNONYMS_FILE)):
        for word in line.split("\t"):
            if word.strip():
                groups.setdefault(word.strip(), set()).add(number)
    return {word: frozenset(ids) for word, ids in groups.items()}


@lru_cache(maxsize=4096)
def words(text: str) -> tuple[str, ...]:
    """Content words of `text`: jieba words without stopwords, digits and punctuation."""
    cleaned = _STARS.sub(" ", text)
    out: list[str] = []
    for token in _tokenizer().lcut(cleaned, HMM=False):
        if _WORD.fullmatch(token) and token not in _STOPWORDS and token not in out:
            out.append(token)
    return tuple(out)


@lru_cache(maxsize=1)
def _canonical_suffixes() -> tuple[tuple[str, str], ...]:
    """(word, the first word of its first group), longest words first: 专项经费 → 专项资金."""
    firsts: dict[int, str] = {}
    for number, line in enumerate(read_lines(SYNONYMS_FILE)):
        firsts[number] = line.split("\t")[0].strip()
    pairs = [(word, firsts[min(ids)]) for word, ids in synonym_groups().items() if len(word) >= 2]
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


@lru_cache(maxsize=8192)
def canonical(word: str) -> str:
    """A word with its synonym ending written the group's way: 专项经费 → 专项资金."""
    for suffix, first in _canonical_suffixes():
        if word.endswith(suffix):
            return word[: len(word) - len(suffix)] + first
    return word


def _ends_alike(a: str, b: str) -> bool:
    return a == b or (len(a) >= 2 and b.endswith(a)) or (len(b) >= 2 and a.endswith(b))


@lru_cache(maxsize=65536)
def _related(a: str, b: str) -> bool:
    """Same word, one the head of the other (常规巡察 ~ 巡察, 管理制度 ~ 制度), or synonyms (经费 ~ 资金)."""
    if _ends_alike(a, b) or _ends_alike(canonical(a), canonical(b)):
        return True
    groups = synonym_groups()
    return bool(groups.get(a, frozenset()) & groups.get(b, frozenset()))


class DocumentWords:
    """How rare each word is among the document's sentences: common words (巡察 in a 巡察 report) count less."""

    def __init__(self, document: Document) -> None:
        sentences = [set(words(s)) for s in re.split(r"[。！？\n]", document.text) if s.strip()]
        self.total = len(sentences)
        self.frequency: dict[str, int] = {}
        for sentence in sentences:
            for word in sentence:
                self.frequency[word] = self.frequency.get(word, 0) + 1

        self._result_section: dict[int, bool] = {}
        self._document = document

    def in_result_section(self, claim: ClaimPublic) -> bool:
        """Whether a narrative claim stands in a section on goals and results (computed once per claim)."""
        if claim.start not in self._result_section:
            self._result_section[claim.start] = _in_result_section(claim, self._document)
        return self._result_section[claim.start]

    def weight(self, word: str) -> float:
        return math.log((self.total + 1) / (self.frequency.get(word, 0) + 1)) + 1.0


def head_word(name: str) -> str | None:
    """The noun an indicator name counts or rates: its last word once 数量/率/性… are taken off."""
    stem = _HEAD_SUFFIX.sub("", _STARS.sub("", name))
    found = words(stem)
    return found[-1] if found else None


def _coverage(
    target_words: tuple[str, ...], found: tuple[str, ...], stats: DocumentWords, head: str | None = None
) -> tuple[float, tuple[str, ...]]:
    """Weighted share of `target_words` related to some word of `found` (the head word counts double)."""
    if not target_words or not found:
        return 0.0, ()

    def weight(word: str) -> float:
        return stats.weight(word) * (2.0 if word == head else 1.0)

    hits = [w for w in target_words if any(_related(w, f) for f in found)]
    matched = tuple(f for f in found if any(_related(w, f) for w in hits))
    return sum(weight(w) for w in hits) / sum(weight(w) for w in target_words), matched


def _unit_family(unit: str | None) -> str | None:
    if unit is None:
        return None
    if unit in _PERCENT_UNITS:
        return "%"
    return unit.replace("萬", "").replace("万", "")


def _measure(claim: ClaimPublic, indicator: IndicatorPublic) -> float:
    """1 when the claim's unit is the target's (or the actual value's), -1 when it plainly is not."""
    bare_actual = bool(indicator.actual.raw) and len(indicator.actual.raw or "") <= 12
    wanted = _unit_family(indicator.target.unit) or (
        _unit_family(indicator.actual.unit) if bare_actual else None
    )
    have = _unit_family(claim.unit)
    if wanted is None or have is None:
        return 0.0
    if wanted == have or wanted.startswith(have) or have.startswith(wanted):
        return 1.0
    if wanted == "%":
        return 0.0  # a rate is often evidenced by counts: 覆盖率 by 人次, 健全性 by 出台制度13项
    return -0.3


def cell_owners(claims: list[ClaimPublic], indicators: list[IndicatorPublic]) -> dict[str, str]:
    """Claim id → the indicator in whose 实际完成值 cell the claim stands."""
    return {c.id: i.id for i in indicators for c in claims if _in_cell(c, i)}


def _cell_signal(claim: ClaimPublic, indicator: IndicatorPublic, owners: dict[str, str] | None) -> float:
    """1 in the indicator's own cell; -0.5 in another indicator's cell (it evidences that one)."""
    if _in_cell(claim, indicator):
        return 1.0
    owner = (owners or {}).get(claim.id)
    return -0.5 if owner is not None and owner != indicator.id else 0.0


def _in_cell(claim: ClaimPublic, indicator: IndicatorPublic) -> bool:
    actual = indicator.actual
    if claim.id in actual.claims:
        return True
    return actual.start is not None and actual.end is not None and actual.start <= claim.start < actual.end


def _sentence(claim: ClaimPublic, document: Document) -> str:
    if claim.sentence is not None:
        return document.text[claim.sentence[0] : claim.sentence[1]]
    text = document.text
    begin = max(text.rfind(ch, 0, claim.start) for ch in "。！？\n") + 1
    ends = [i for i in (text.find(ch, claim.end) for ch in "。！？\n") if i >= 0]
    return text[begin : min(ends) if ends else len(text)]


def _words_before(claim: ClaimPublic, document: Document) -> str:
    """For a claim without an object (收容所1间200平方米): its clause up to the number."""
    text = document.text
    begin = max(text.rfind(ch, 0, claim.start) for ch in "，,。；;：:、\n|") + 1
    return text[max(begin, claim.start - 16) : claim.start]


def _in_result_section(claim: ClaimPublic, document: Document) -> bool:
    if claim.source == "table":
        return False
    return any(
        s.start <= claim.start < s.end and _RESULT_SECTION.search(s.heading) for s in document.sections
    )


def signals(
    claim: ClaimPublic,
    indicator: IndicatorPublic,
    document: Document,
    stats: DocumentWords | None = None,
    owners: dict[str, str] | None = None,
) -> Signals:
    """The five signals for one claim and one indicator."""
    stats = stats or DocumentWords(document)
    name_words = words(_HEAD_SUFFIX.sub("", _STARS.sub("", indicator.name))) or words(indicator.name)
    head = head_word(indicator.name)
    claim_words = words(f"{claim.predicate or ''} {claim.object or _words_before(claim, document)}")
    word_share, matched = _coverage(name_words, claim_words, stats, head)
    context_share, _ = _coverage(name_words, words(_sentence(claim, document)), stats)
    return Signals(
        words=word_share,
        context=context_share,
        cell=_cell_signal(claim, indicator, owners),
        measure=_measure(claim, indicator),
        section=1.0 if stats.in_result_section(claim) else 0.0,
        matched=matched,
    )


def _evidence(claim: ClaimPublic, indicator: IndicatorPublic, found: Signals) -> str:
    parts = []
    if found.matched:
        parts.append(f"{'…'.join(found.matched)} ~ {indicator.name}")
    if found.cell > 0:
        parts.append("实际完成值单元格")
    if found.context and not found.matched:
        parts.append(f"所在句提及{indicator.name}")
    if found.measure > 0:
        parts.append(f"单位{claim.unit}与目标一致")
    return "；".join(parts) or indicator.name


def rank(
    claims: list[ClaimPublic],
    indicator: IndicatorPublic,
    document: Document,
    stats: DocumentWords | None = None,
    owners: dict[str, str] | None = None,
) -> list[tuple[float, ClaimPublic, Signals]]:
    """Every claim scored against one indicator, best first (ties: the claim standing earlier)."""
    stats = stats or DocumentWords(document)
    scored = []
    for claim in claims:
        if claim.value is None:
            continue
        found = signals(claim, indicator, document, stats, owners)
        scored.append((found.score, claim, found))
    scored.sort(key=lambda item: (-item[0], item[1].start))
    return scored


def link(
    claims: list[ClaimPublic], indicators: list[IndicatorPublic], document: Document
) -> list[LinkPublic]:
    """For each indicator, the claims that evidence it, best first, above the calibrated threshold."""
    links: list[LinkPublic] = []
    stats = DocumentWords(document) if indicators else None
    owners = cell_owners(claims, indicators)
    for indicator in indicators:
        ranked = [item for item in rank(claims, indicator, document, stats, owners) if item[0] >= THRESHOLD]
        for score, claim, found in ranked[:MAX_LINKS_PER_INDICATOR]:
            links.append(
                LinkPublic(
                    claim=claim.id,
                    indicator=indicator.id,
                    score=score,
                    evidence=_evidence(claim, indicator, found),
                )
            )
    return links
