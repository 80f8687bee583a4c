"""Claim arguments: which noun phrase a quantity counts (object) and which action produced it (predicate).

The rules follow the conventions of claims.md and the gold sets:
- `选派5名巡察干部`: a measure word directly followed by a noun counts that noun (object after);
- `发现问题23个`: otherwise the object is the phrase between the last action verb and the number;
- `预算收入55万元`: with no verb the object is the clause's noun phrase, predicate null;
- `固定资产投资增长11.2%`: a verb right before the number takes the phrase before it as object.

`propose_arguments` returns scored candidates; `choose_arguments` takes the best. A learned ranker can
replace the choice without touching the proposals. Everything works on plain text plus token
boundaries (the jieba segmentation of the spaCy `Doc`), so it can be tested without a pipeline.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from nlp_service.resources import read_lines

PREDICATES_FILE = "predicates.txt"

CLAUSE_BREAKS = frozenset("，,；;。！？!?\n：:、|")
SENTENCE_BREAKS = frozenset("。！？!?；;\n")
MAX_LEFT = 40
MAX_RIGHT = 30

LINK_TAIL = frozenset({"共计", "合计", "总计", "累计", "共", "计", "为", "是", "分别", "均", "仅", "已", "的",
                       "了", "约", "在", "到", "至", "总", "總", "共計", "合計", "累計", "爲", "為", "又", "有", "日均", "首次",
                       "同比", "较上年", "比上年", "人均", "亩均", "均已", "已经", "累计达", "和", "及", "与", "再",
                       "分别再", "实际", "平均", "拟", "年均", "将", "由", "从", "從", "要", "将要", "需"})
LINK_HEAD = frozenset({"其中", "另有", "另", "此外", "同时", "并", "共", "已", "还", "又", "先后", "对", "向",
                       "从", "在", "将", "把", "给", "为", "累计", "合计", "总计", "共计", "的", "和", "及",
                       "其", "即", "含", "包括", "包含", "分别", "均", "也", "都", "年中", "當年", "当年",
                       "對", "從", "將", "為", "全年共", "截至", "截止", "到", "至", "中", "具体为", "具体",
                       "主要", "是", "有", "等", "占比", "比", "较", "较上年", "同比", "同期", "比上年", "全年",
                       "本项目", "该项目", "全市", "全区", "全县", "全省", "全镇", "全乡", "全州", "全国",
                       "全院", "全局", "全區", "全縣", "我市", "我区", "我县", "我镇", "我省", "我局",
                       "我院", "我州", "我乡", "我單位", "我单位", "我部门", "我中心", "我校", "本单位", "本部门",
                       "以及", "这", "该", "此", "這", "該", "按", "按照", "经", "經", "部分", "正在",
                       "现已", "已经", "尚有", "尚", "予以", "共有", "今年", "去年", "明年", "预计", "预计今年",
                       "拟", "一次性", "要", "再", "力争", "确保", "计划"})
RIGHT_STOP = frozenset({"的", "中", "用于", "以", "等", "即", "均", "也", "都", "已", "为",
                        "是", "对", "着力", "先后", "分别", "全部", "正在", "还", "又", "将", "进一步", "积极",
                        "专题", "并", "但", "而", "联合", "後", "后", "内", "以上", "以下", "左右", "共", "来", "能",
                        "可", "在", "于", "從", "从", "至", "到", "次", "的同时", "之", "占", "佔", "比",
                        "較", "较", "同比", "得到", "获得", "所", "被", "由", "向", "給", "给", "經", "经",
                        "按", "按照", "根据", "通过", "主要", "重点", "重點", "现已", "系", "大體",
                        "大体", "持平", "主要用于", "统一", "持续", "持續", "以及", "是否"})
ORG_SUFFIX = re.compile(r"..(?:局|厅|委|政府|法院|检察院|人大|政协|办公室|中心|省|市|县|州|机关)$|^我[市区县镇乡省局院校州]$")
_VERB_BEFORE_WEI = frozenset("评評作成认認称稱视視列定更改转轉")
_DIGIT_START = re.compile(r"[\d０-９一二三四五六七八九十两兩]")


@lru_cache(maxsize=1)
def predicate_lexicon() -> frozenset[str]:
    """The action verbs of `corpora/predicates.txt`."""
    return frozenset(w for line in read_lines(PREDICATES_FILE) for w in line.split())


@dataclass(frozen=True)
class Arguments:
    """One reading of a claim's arguments, with the rule that proposed it and its score."""

    object_span: tuple[int, int] | None
    predicate_span: tuple[int, int] | None
    rule: str
    score: float


class TokenIndex:
    """Token boundaries of a text (from the segmenter) with fast lookup by character range."""

    def __init__(self, text: str, tokens: list[tuple[int, int]]) -> None:
        self.text = text
        self.tokens = tokens
        self.starts = [s for s, _ in tokens]

    def within(self, start: int, end: int) -> list[tuple[int, int]]:
        """Tokens lying inside [start, end), clipped to the range."""
        i = max(0, bisect.bisect_right(self.starts, start) - 1)
        out = []
        while i < len(self.tokens) and self.tokens[i][0] < end:
            s, e = self.tokens[i]
            s, e = max(s, start), min(e, end)
            if s < e:
                out.append((s, e))
            i += 1
        return out

    def word(self, span: tuple[int, int]) -> str:
        return self.text[span[0] : span[1]]


_HEADING_START = re.compile(r"[ \t]*(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d+[、.．])")


def is_break(text: str, i: int) -> bool:
    """True when text[i] ends a clause; a line break inside a wrapped sentence does not."""
    ch = text[i]
    if ch != "\n":
        return ch in CLAUSE_BREAKS
    line_start = text.rfind("\n", 0, i) + 1
    if i - line_start < 25 or i + 1 >= len(text) or i == 0 or "|" in text[line_start:i]:
        return True
    prev, nxt = text[i - 1], text[i + 1]
    if not ("\u4e00" <= prev <= "\u9fff" or prev.isdigit() or prev == " "):
        return True
    if not ("\u4e00" <= nxt <= "\u9fff" or nxt.isdigit()):
        return True
    return bool(_HEADING_START.match(text, i + 1))


def clause_start(text: str, pos: int, floor: int = 0) -> int:
    """Start of the clause ending at `pos` (after the last comma-like break, an unclosed bracket)."""
    depth = 0
    limit = max(floor, pos - MAX_LEFT)
    i = pos - 1
    while i >= limit:
        ch = text[i]
        if ch in CLAUSE_BREAKS and is_break(text, i):
            return i + 1
        if ch in ")）":
            depth += 1
        elif ch in "(（":
            if depth == 0:
                return i + 1
            depth -= 1
        i -= 1
    return limit


def clause_end(text: str, pos: int) -> int:
    """End of the clause starting at `pos`."""
    limit = min(len(text), pos + MAX_RIGHT)
    depth = 0
    for i in range(pos, limit):
        ch = text[i]
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            depth = max(0, depth - 1)
        elif ch in CLAUSE_BREAKS and is_break(text, i) and (depth == 0 or ch in "。；;\n"):
            return i
    return limit


def sentence_range(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around [start, end): between sentence breaks, trimmed of white space."""
    s = start
    while s > 0 and text[s - 1] not in SENTENCE_BREAKS and start - s < 300:
        s -= 1
    e = end
    while e < len(text) and text[e] not in SENTENCE_BREAKS and e - end < 300:
        e += 1
    if e < len(text) and text[e] not in "\n":
        e += 1
    while s < e and text[s].isspace():
        s += 1
    return s, e


ADVERB_PREFIXES = ("圆满", "全面", "累计", "共", "已", "先后", "同步", "统筹", "正式", "提前", "分解", "实际",
                   "顺利", "按时", "如期", "再", "全部", "均", "积极", "专题", "亲自", "日均", "人均", "亩均",
                   "统一", "重点", "重點", "共计", "合计", "新", "另", "又", "还", "已經", "已经", "共同",
                   "正在", "部分", "予以", "主要", "未", "及时", "依法", "严肃", "集中", "组织", "持续")
CHANGE_VERBS = frozenset({"增长", "增長", "增加", "减少", "減少", "下降", "上涨", "提高", "提升", "降低", "达到",
                          "达", "達", "達到", "超过", "突破", "保持", "稳定", "惠及", "到位", "净增", "上升",
                          "回落", "增收", "实现", "實現", "完成", "完成了"})
TAIL_VERB = re.compile(r"(?P<verb>达到|(?<![下到抵送传表发直转轉])[达達]|達到|增长|增長|增加|上涨|下降|减少|減少|提高"
                       r"|提升|降低|超过|突破|惠及|到位|净增|上升|回落|保持|稳定)(?:了|到|在|至|为)?$")
_ENUMERATOR = re.compile(r"(?:\d+[.、．]|[(（]\d+[)）]|[一二三四五六七八九十]+是|[一二三四五六七八九十]+、"
                         r"|[(（][一二三四五六七八九十]+[)）]|目标\d+[:：]?)")
_ORDINAL_HEAD = re.compile(r"(?:第[一二三四五六七八九十\d]+[轮輪批届屆期次][、,，和及]?)+")
_DETERMINER = re.compile(r"(?:本项目|该项目|本单位|本部门|该单位|该局|我[市区县镇乡省局院州])")
_ALIAS = re.compile(r"[(（](?:下称|以下简称|简称|以下称)[^)）]*[)）]$")
EMBEDDING_HEADS = ("率", "比例", "比重", "费", "費", "经费", "總額", "总额", "水平", "支付", "金额", "金額")
# event nouns that follow the counted units as the action done to them (`对14个党组织常规巡察`)
EVENT_AFTER_OBJECT = frozenset({"常规巡察", "专项巡察", "巡察", "巡视", "常規巡察", "規範化建設", "规范化建设",
                                "巡察工作", "专项巡察工作", "督查", "审计", "審計"})
# units that count occurrences of the action itself (`走访40人次`: the object is 走访)
OCCURRENCE_UNITS = ("次", "人次", "场次", "批次", "期", "轮", "輪")
# verbs that allocate or spend money: with them the money counts the subject, not the activity
FUNDING_VERBS = frozenset({"安排", "投入", "拨付", "撥付", "筹集", "籌集", "争取", "爭取", "落实", "落實", "下达", "下達",
                           "使用", "支付", "到位", "分配", "统筹", "統籌", "发行", "增发", "追加", "下拨", "新增",
                           "获得", "獲得", "获", "收到", "结转"})
PREPOSITIONS = frozenset({"对", "對", "向", "给", "給", "为", "為"})


def _is_verb(word: str) -> bool:
    return word in predicate_lexicon()


STRONG_VERBS = ("开展", "開展", "召开", "召開", "举办", "舉辦", "完成", "发现", "發現", "移交", "选派", "抽调",
                "下达", "下達", "新建", "印发", "出台", "收集", "查阅", "提交", "受理", "办理", "辦理", "安排",
                "投入", "开设", "发放", "走访", "约谈", "培训")


def verb_part(word: str) -> tuple[int, int] | None:
    """Where the verb sits inside a token: `圆满完成` -> (2, 4), `开展业务` -> (0, 2); None for no verb."""
    if _is_verb(word):
        return 0, len(word)
    for prefix in ADVERB_PREFIXES:
        if word.startswith(prefix) and _is_verb(word[len(prefix) :]):
            return len(prefix), len(word)
    for verb in STRONG_VERBS:
        if word.startswith(verb) and len(word) > len(verb):
            return 0, len(verb)
    return None


def embedded(text: str, verb: tuple[int, int], number_start: int) -> bool:
    """A verb inside a noun compound counted by the number (`艾滋病检测比例70%`, `系统维护费18万元`)."""
    between = text[verb[1] : number_start].rstrip(" 为為是:：")
    return 0 < len(between) <= 6 and between.endswith(EMBEDDING_HEADS)


_PINYIN = re.compile(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6}[)）]")


def _verbs_across_pinyin(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Verbs in text annotated with pinyin (`發(fā)現(xiàn)`), matched on the characters alone."""
    chars: list[str] = []
    where: list[tuple[int, int]] = []
    i = start
    while i < end:
        m = _PINYIN.match(text, i, end)
        if m:
            i = m.end()
            if where:
                where[-1] = (where[-1][0], i)
            continue
        chars.append(text[i])
        where.append((i, i + 1))
        i += 1
    plain = "".join(chars)
    found = []
    j = 0
    while j < len(plain):
        for size in (4, 3, 2):
            if j + size <= len(plain) and _is_verb(plain[j : j + size]):
                found.append((where[j][0], where[j + size - 1][1]))
                j += size
                break
        else:
            j += 1
    return found


def verbs_in(index: TokenIndex, start: int, end: int) -> list[tuple[int, int]]:
    """Action verbs (single tokens or two joined tokens) inside [start, end)."""
    if _PINYIN.search(index.text, start, end):
        return _verbs_across_pinyin(index.text, start, end)
    toks = index.within(start, end)
    found = []
    i = 0
    while i < len(toks):
        if i + 1 < len(toks) and _is_verb(index.word((toks[i][0], toks[i + 1][1]))):
            found.append((toks[i][0], toks[i + 1][1]))
            i += 2
            continue
        part = verb_part(index.word(toks[i]))
        if part is not None:
            found.append((toks[i][0] + part[0], toks[i][0] + part[1]))
        i += 1
    return group_verbs(index.text, found)


def group_verbs(text: str, verbs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Verbs written together act as one: `发现和反馈`, `整改落实`, `立项实施` become one span;
    verbs run together before 的 (`调研指导反馈的6个方面`) are named by the last one."""
    grouped: list[tuple[int, int]] = []
    last_single: list[tuple[int, int]] = []
    for verb in verbs:
        if grouped and text[grouped[-1][1] : verb[0]] in ("", "和", "及", "并", "與", "与", "、", "和及"):
            adjacent = text[grouped[-1][1] : verb[0]] == ""
            grouped[-1] = (grouped[-1][0], verb[1])
            last_single[-1] = verb if adjacent else grouped[-1]
        else:
            grouped.append(verb)
            last_single.append(verb)
    return [single if text.startswith("的", group[1]) else group
            for group, single in zip(grouped, last_single, strict=True)]


def strip_span(index: TokenIndex, start: int, end: int, head: bool = True) -> tuple[int, int]:
    """Drop linking words and punctuation from the edges of a phrase (token-wise)."""
    text = index.text
    changed = True
    while changed and start < end:
        changed = False
        while start < end and (text[start] in " \t\n\u3000" or text[start] in "”’、,，·-—_|:："
                               or (text[start] in "“‘\"" and "”" not in text[start:end])):
            start += 1
            changed = True
        m = _ENUMERATOR.match(text, start, end)
        if m and m.end() < end:
            start = m.end()
            changed = True
        m = _DETERMINER.match(text, start, end)
        if head and m and m.end() < end:
            start = m.end()
            changed = True
        m = _ALIAS.search(text, start, end)
        if m and m.start() > start:
            end = m.start()
            changed = True
        while end > start and (text[end - 1].isspace() or text[end - 1] in "“\"‘、,，(（·-—_:："):
            end -= 1
            changed = True
        toks = index.within(start, end)
        if toks and index.word(toks[-1]) in LINK_TAIL and toks[-1][0] > start:
            end = toks[-1][0]
            changed = True
        elif toks and index.word(toks[-1]) in LINK_TAIL and len(toks) == 1:
            return start, start
        toks = index.within(start, end)
        if head and toks and index.word(toks[0]) in LINK_HEAD and toks[0][1] <= end:
            start = toks[0][1]
            changed = True
    if end - start > 1 and text[end - 1] in "为為" and text[end - 2] not in _VERB_BEFORE_WEI:
        end -= 1
    if text[start:end].count("(") + text[start:end].count("（") > text[start:end].count(")") + text[
        start:end
    ].count("）"):
        cut = max(text.rfind("(", start, end), text.rfind("（", start, end))
        if cut > start:
            end = cut
    return start, end


def strip_dates_and_agents(index: TokenIndex, start: int, end: int,
                           dates: list[tuple[int, int]]) -> tuple[int, int]:
    """Drop a leading date (`2024年,`), ordinal (`第十轮`) and organisation (`民政局`) from a noun phrase;
    after `等` (`陈列等专项经费`) the phrase names the category, which is kept."""
    for _ in range(2):
        start, end = strip_span(index, start, end)
        for s, e in dates:
            if s <= start + 2 and start < e <= end:
                start = e
        m = _ORDINAL_HEAD.match(index.text, start, end)
        if m and m.end() < end:
            start = m.end()
    cut = index.text.rfind("等", start, end)
    if cut > start and end - cut > 2:
        start = cut + 1
    for tok in index.within(start, end)[:-1]:
        if not ORG_SUFFIX.search(index.word(tok)):
            break
        start = tok[1]
    return strip_span(index, start, end)


def right_object(index: TokenIndex, start: int, end: int, counts_events: bool = False) -> tuple[int, int] | None:
    """The noun phrase right after a quantity (`5名巡察干部` -> 巡察干部), up to a verb or a stop word."""
    text = index.text
    if text.startswith("等", start):
        start += 1
    if start >= end or not ("\u4e00" <= text[start] <= "\u9fff") or _DIGIT_START.match(text, start):
        return None
    for stop_char in ("对", "對"):
        cut = text.find(stop_char, start + 1, end)
        if cut > 0:
            end = cut
    toks = index.within(start, end)
    stop = start
    for tok in toks:
        word = index.word(tok)
        if word in RIGHT_STOP or _is_verb(word) or _DIGIT_START.match(word):
            break
        if stop > start and word in EVENT_AFTER_OBJECT and not counts_events:
            break
        stop = tok[1]
    if stop == start:
        return None
    s, e = strip_span(index, start, stop, head=False)
    return (s, e) if e > s else None


def _preposition_before(index: TokenIndex, start: int, end: int) -> bool:
    """A preposition (对/向/给) in [start, end): the verb follows the counted list (`对5个单位开展巡察`)."""
    return any(ch in "对對向" for ch in index.text[start:end])


def _verb_later(index: TokenIndex, start: int) -> tuple[int, int] | None:
    """The first verb after `start` in the same sentence (`对5个单位…开展了巡察`)."""
    text = index.text
    stop = start
    while stop < len(text) and stop - start < 60 and text[stop] not in "。；;！？!?，,":
        stop += 1
    found = verbs_in(index, start, stop)
    return found[0] if found else None


def _head_after_de(text: str, span: tuple[int, int] | None) -> tuple[int, int] | None:
    """`落实疫情防控不力的网格区` -> 网格区: the head noun after the last 的 of a long phrase."""
    if span is None:
        return None
    cut = text.rfind("的", span[0], span[1])
    if cut >= 0 and span[1] - cut - 1 >= 2 and text.count("(", span[0], cut) == text.count(")", span[0], cut):
        return cut + 1, span[1]
    return span


def _tail_verb(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A change verb closing the phrase before the number (`培训率达`, `减少到`), by characters."""
    m = TAIL_VERB.search(text, start, end)
    if m is None or m.start() == start:
        return None
    return m.start("verb"), m.end("verb")


def propose_arguments(index: TokenIndex, start: int, end: int, kind: str, left_floor: int,
                      dates: list[tuple[int, int]]) -> list[Arguments]:
    """Readings of the object and predicate of the quantity at [start, end), best-scored first."""
    text = index.text
    ls = clause_start(text, start, left_floor)
    le = strip_span(index, ls, start, head=False)[1]
    re_ = clause_end(text, end)
    tail = _tail_verb(text, ls, le)
    head_end = tail[0] if tail is not None else le
    verbs = [v for v in verbs_in(index, ls, le) if not embedded(text, v, head_end)
             and not (kind in ("money", "percent") and _inside_item_name(index, v, ls))]
    if tail is not None:
        verbs = [v for v in verbs if v[1] <= tail[0]] + [tail]
    after = right_object(index, end, re_, text[start:end].endswith(OCCURRENCE_UNITS))
    right_verbs = verbs_in(index, end, re_)
    verb_next = right_verbs[0] if right_verbs and not text[end : right_verbs[0][0]].strip() else None
    proposals: list[Arguments] = [Arguments(None, None, "none", 0.1)]
    last = verbs[-1] if verbs else None
    at_end = last is not None and last[1] >= le
    if after is not None and kind in ("score", "money") or (kind == "percent" and le > ls):
        after = None
    if after is not None:
        pred = last
        if last is None or _preposition_before(index, last[1], le):
            pred = _verb_later(index, after[1]) or pred
        proposals.append(Arguments(after, pred, "object after measure word", 0.9))
    if verb_next is not None and (last is None or at_end):
        obj = _object(index, strip_span(index, verb_next[1], re_), re_)
        if obj is None and last is None:
            obj = _nonempty(strip_dates_and_agents(index, ls, le, dates))
        pred = last if at_end else verb_next
        proposals.append(Arguments(obj, pred, "verb after number", 0.88))
    if last is not None and at_end:
        proposals.extend(_verb_at_end(index, verbs, ls, le, dates, kind, (start, end)))
    elif verbs:
        verb = _governing_verb(text, verbs)
        obj = _head_after_de(text, _nonempty(strip_dates_and_agents(index, verb[1], le, dates)))
        if obj is None:
            subject = strip_dates_and_agents(index, ls, verb[0], dates)
            proposals.append(Arguments(_nonempty(subject), verb, "subject before verb and agent", 0.8))
        else:
            proposals.append(Arguments(obj, verb, "object between verb and number", 0.85))
    else:
        obj = strip_dates_and_agents(index, ls, le, dates)
        if obj[1] > obj[0]:
            score = 0.5 if ORG_SUFFIX.search(text[obj[0] : obj[1]]) else 0.7
            proposals.append(Arguments(_head_after_de(text, obj), None, "noun phrase before number", score))
    if kind == "duration":
        proposals = [Arguments(None, a.predicate_span, a.rule, a.score) for a in proposals]
    return sorted(proposals, key=lambda a: -a.score)


def _inside_item_name(index: TokenIndex, verb: tuple[int, int], clause_from: int) -> bool:
    """A verb inside the name of a budget item or a rate (`矛盾纠纷排查59万元`, `保障能力提升补助资金`):
    a noun stands right before it and it does not allocate money."""
    text = index.text
    if text[verb[0] : verb[1]] in FUNDING_VERBS:
        return False
    before = [t for t in index.within(clause_from, verb[0]) if index.word(t).strip()]
    if not before:
        return False
    word = index.word(before[-1])
    if ORG_SUFFIX.search(word) or word[-1] in "我镇乡村市区县省局委院厅":
        return False
    if word in ("与", "與", "和", "及", "、") and len(before) > 1 and verb_part(index.word(before[-2])) is None:
        return True
    if word in LINK_HEAD or word in LINK_TAIL or verb_part(word) is not None or word in ADVERB_PREFIXES:
        return False
    return "\u4e00" <= word[-1] <= "\u9fff" and before[-1][1] == verb[0]


def _governing_verb(text: str, verbs: list[tuple[int, int]]) -> tuple[int, int]:
    """The last verb, or an earlier one when a coordination joins the objects
    (`听取巡察工作及整改情况汇报3次` -> 听取)."""
    i = len(verbs) - 1
    while i > 0 and any(c in text[verbs[i - 1][1] : verbs[i][0]] for c in "及和与、"):
        i -= 1
    return verbs[i]


def _verb_at_end(index: TokenIndex, verbs: list[tuple[int, int]], ls: int, le: int,
                 dates: list[tuple[int, int]], kind: str, number: tuple[int, int]) -> list[Arguments]:
    """A verb right before the number: `投资增长11.2%` (subject), `开展巡中调研6次` (earlier verb),
    `病虫害防治3.45万亩` (the activity itself is what is measured)."""
    text = index.text
    last = verbs[-1]
    if len(verbs) > 1:
        first = verbs[-2]
        obj = strip_dates_and_agents(index, first[1], le if text[last[0]:last[1]] not in CHANGE_VERBS else last[0],
                                     dates)
        return [Arguments(_nonempty(obj), first, "earlier verb, object up to the number", 0.8)]
    subject = strip_dates_and_agents(index, ls, last[0], dates)
    if text[ls : last[0]].lstrip()[:1] in ("比", "较", "較", "同", "与", "與"):
        return [Arguments(None, last, "comparison before verb", 0.75)]
    if text[last[0] : last[1]] in CHANGE_VERBS:
        return [Arguments(_head_after_de(text, _nonempty(subject)), last, "subject before verb", 0.75)]
    activity = (subject[0], last[1])
    budget_item = kind == "money" and text[last[0] : last[1]] not in FUNDING_VERBS
    if subject[1] > subject[0] and (activity[1] - activity[0] <= 6 or budget_item):
        return [Arguments(activity, last, "activity as object", 0.75)]
    if subject[1] > subject[0]:
        return [Arguments(_head_after_de(text, subject), last, "subject before activity verb", 0.75)]
    counts_action = kind == "measure" or text[number[0] : number[1]].endswith(OCCURRENCE_UNITS)
    return [Arguments(last if counts_action else None, last, "activity as object", 0.6)]


def _nonempty(span: tuple[int, int]) -> tuple[int, int] | None:
    return span if span[1] > span[0] else None


def _object(index: TokenIndex, span: tuple[int, int], limit: int) -> tuple[int, int] | None:
    """The noun phrase starting at `span` (cut at the next verb or stop word)."""
    obj = right_object(index, span[0], min(span[1], limit)) if span[1] > span[0] else None
    return obj


def choose_arguments(proposals: list[Arguments], text: str = "") -> Arguments:
    """The best-scored reading (the predicate reduced to its head verb)."""
    return max(proposals, key=lambda a: a.score)
