"""claim_conflict: the same thing stated twice with different values.

Two claims conflict when they count the same object with the same predicate and unit but different
values, and either one stands in the narrative and the other in the table, or both name the same
fund (中央财政资金 / 中央下达资金, 县财政资金 / 县财政配套资金) or the same specific amount of money.
Counts repeated within the narrative are left alone: 共发现问题61条 in one round and 241条 in another
are not a conflict, and nothing in the text says which round a count belongs to.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from itertools import combinations

from nlp_service.checks.base import CheckContext, Draft, amount, claim_evidence
from nlp_service.schema import ClaimPublic

# A fund named by the level of government that pays it: 中央财政资金, 中央下达资金, 县财政配套资金 …
_FUND_BY_LEVEL = re.compile(
    r"(中央|省级?|自治区|市级?|州级?|县级?|区级?|地方|本级)"
    r"(?:财政|財政)?(?:下达|下達|补助|補助|配套|专项|專項|安排)?(?:的)?(资金|資金|经费|經費)$"
)
_TARGET_OBJECT = re.compile(r"目标|目標|任务|任務|计划|計劃|指标|指標|(?:标准|標準)$")
_PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")
_TIME_PREFIX = re.compile(r"^(?:\d{4}年度?|全年|年度|当年|本年)")
_CLAUSE_START = re.compile(r"[，,。；;：:、\n（(）)]")
_YEAR = re.compile(r"(?:19|20)\d{2}年度?")
_COUNTED = re.compile(r"[0-9０-９.]+\s*[万亿萬億]?[^\s0-9０-９，,。；;、的]?")
_MIN_OBJECT_CHARS = 4  # 问题, 单位, 方面 are too generic to say two numbers must agree
_MIN_MONEY_NAME_CHARS = 3  # 执行数, 总投资 name one amount; 资金 alone (涉及资金) does not
_SENTENCE_END = re.compile(r"[。！？!?\n]")


def plain_name(name: str) -> str:
    """A name without spaces and without the pinyin that some converted pages insert: 經(jīng)費 → 經費."""
    return _PINYIN.sub("", re.sub(r"\s", "", name))


def clause_name(claim: ClaimPublic, text: str) -> str:
    """What a money claim's clause says before its number: 2021年度中央下达资金61.8万元 → 中央下达资金,
    2023年度收入合计3642.4万元 → 收入合计, 执行数为1050万元 → 执行数 (other numbers left out)."""
    window = max(0, claim.start - 16)
    clause_start = max((m.end() for m in _CLAUSE_START.finditer(text, window, claim.start)), default=window)
    name = _COUNTED.sub("", _YEAR.sub("", text[clause_start : claim.start]))
    name = re.sub(r"[为是达约:：]+$", "", plain_name(name))
    return _TIME_PREFIX.sub("", name) or plain_name(claim.object or "")


@lru_cache(maxsize=8)
def _sentence_ends(text: str) -> list[int]:
    return [m.end() for m in _SENTENCE_END.finditer(text)]


def _in_list(claim: ClaimPublic, text: str) -> bool:
    """A share of another total (after 其中 in its sentence, or inside a (含…) bracket): the same
    name under two totals (预算收入 and 实际收入) is two things, not one thing said twice."""
    ends = _sentence_ends(text)
    index = bisect_right(ends, claim.start)
    begin = ends[index - 1] if index else 0
    before = text[begin : claim.start]
    bracket = max(before.rfind("("), before.rfind("（"))
    inside_bracket = bracket > max(before.rfind(")"), before.rfind("）"))
    return "其中" in before or (inside_bracket and before[bracket + 1 : bracket + 2] == "含")


def conflict_key(claim: ClaimPublic, text: str) -> tuple[str, str, str] | None:
    """What a claim counts, normalised so that two claims with the same key must agree."""
    if claim.value is None or claim.qualifier in ("increase", "decrease"):
        return None
    if not claim.object and claim.kind != "money":
        return None
    if claim.bound != "eq" or claim.approximate or claim.kind in ("percent", "score", "duration"):
        return None
    full_name = clause_name(claim, text) if claim.kind == "money" else ""
    fund = _FUND_BY_LEVEL.search(full_name)
    if fund:  # a fund has one amount, whether stated alone or in a list
        return "fund:" + fund.group(1).rstrip("级"), "资金", claim.unit or ""
    name = full_name or _TIME_PREFIX.sub("", plain_name(claim.object or ""))
    own_words = name.replace(claim.predicate, "") if claim.predicate else name
    shortest = _MIN_MONEY_NAME_CHARS if claim.kind == "money" else _MIN_OBJECT_CHARS
    if _in_list(claim, text) or len(own_words) < shortest:
        return None
    if claim.kind != "money" and _TARGET_OBJECT.search(name):
        return None  # targets and plans differ from what was done; 投资计划30.9万元 is an amount
    return name, claim.predicate or "", claim.unit or ""


def _year_before(text: str, start: int) -> str | None:
    """The last year (2021年) written before `start` in the same line: the time a claim speaks of."""
    line_start = text.rfind("\n", 0, start) + 1
    years = re.findall(r"(?:19|20)\d{2}(?=年)", text[line_start:start])
    return years[-1] if years else None


def _comparable(a: ClaimPublic, b: ClaimPublic, key: tuple[str, str, str]) -> bool:
    """Narrative against table, or two statements of the same fund or amount of money."""
    return a.source != b.source or key[0].startswith("fund:") or a.kind == "money"


def _differ(a: ClaimPublic, b: ClaimPublic, text: str) -> bool:
    if a.value is None or b.value is None:
        return False
    if not _SENTENCE_END.search(text[min(a.end, b.end) : max(a.start, b.start)]):
        return False  # one sentence: a list of values ("分别为620万亩、640万亩"), not a restatement
    years = (_year_before(text, a.start), _year_before(text, b.start))
    if years[0] and years[1] and years[0] != years[1]:
        return False
    return abs(a.value - b.value) > 1e-6 * max(abs(a.value), abs(b.value), 1)


def _name(claim: ClaimPublic, text: str) -> str:
    if claim.kind == "money":
        return clause_name(claim, text)
    return f"{claim.predicate or ''}{plain_name(claim.object or '')}"


def _message(members: list[ClaimPublic], text: str) -> str:
    """正文称中央下达资金61.8万元，又称30.9万元、66.8万元: every value the same thing is given."""
    first = members[0]
    where = "自评表" if first.source == "table" else "正文"
    others: list[str] = []
    for claim in members[1:]:
        name = _name(claim, text)
        said = ("自评表" if claim.source == "table" else "") + (name if name != _name(first, text) else "")
        said += amount(claim.value or 0, claim.unit)
        if claim.value != first.value and said not in others:
            others.append(said)
    return (
        f"{where}称{_name(first, text)}{amount(first.value or 0, first.unit)}，又称{'、'.join(others)}，"
        "同一事项数值不一致"
    )


def claim_conflict(ctx: CheckContext) -> list[Draft]:
    """Two claims with the same object and predicate (and unit) but different values."""
    groups: dict[tuple[str, str, str], list[ClaimPublic]] = {}
    for claim in ctx.claims:
        key = conflict_key(claim, ctx.text)
        if key is not None:
            groups.setdefault(key, []).append(claim)
    drafts: list[Draft] = []
    for key, members in groups.items():
        pairs = (p for p in combinations(members, 2) if _comparable(*p, key) and _differ(*p, ctx.text))
        pair = next(pairs, None)
        if pair is None:
            continue
        evidence = [claim_evidence(c) for c in members]
        drafts.append(Draft("claim_conflict", "warning", _message(members, ctx.text), evidence))
    return drafts
