"""Hashed features of candidate objects and predicates (strings hashed into a fixed table).

Each candidate gets a few dozen string features: its side of the number and distance to it, its
length, its first and last characters, the characters around it, the words between it and the
number, the quantity's kind and unit, conjunctions of these, and (with `rule_features`) what the
rules said about it. Strings are hashed with CRC-32, stable across processes.
"""

from __future__ import annotations

import zlib

from nlp_service.args.candidates import Candidate, CandidateSet, Context
from nlp_service.pipeline.arguments import ORG_SUFFIX, predicate_lexicon

PUNCT = set("，,；;。：:、()（）“”\"‘’ \t\n|")


def _bucket(n: int, edges: tuple[int, ...] = (0, 1, 2, 3, 4, 6, 8, 12, 16, 24)) -> str:
    for edge in edges:
        if n <= edge:
            return str(edge)
    return "big"


def _shape(ch: str) -> str:
    if not ch:
        return "^"
    if "\u4e00" <= ch <= "\u9fff":
        return "H"
    if ch.isdigit():
        return "D"
    if ch.isascii() and ch.isalpha():
        return "L"
    if ch.isspace():
        return "S"
    return ch


def _quantity_features(ctx: Context) -> list[str]:
    text = ctx.text
    unit_last = ctx.unit[-1:] or "-"
    before = text[max(0, ctx.start - 1) : ctx.start]
    after = text[ctx.end : ctx.end + 1]
    gap = text[ctx.left_floor : ctx.start].strip() if ctx.left_floor else "^"
    listed = f"list={gap}" if len(gap) <= 2 else f"listlen={_bucket(len(gap))}"
    return [f"kind={ctx.kind}", listed, f"unit={unit_last}", f"before={before}", f"after={after}",
            f"verbs={_bucket(len(ctx.verbs), (0, 1, 2, 3))}",
            f"clause={_bucket(ctx.start - ctx.clause[0])}", f"rightlen={_bucket(ctx.right_end - ctx.end)}"]


def _rule_features(cand: Candidate, best_span: tuple[int, int] | None) -> list[str]:
    feats = [f"best={cand.rule_best}", f"proposed={cand.rule_proposed}",
             f"score={round(cand.rule_score, 1)}"]
    feats += [f"rule={r}" for r in cand.rules[:3]]
    if cand.span is not None and best_span is not None and cand.span != best_span:
        s, e = cand.span
        bs, be = best_span
        if bs <= s and e <= be:
            feats.append("inside_best")
        elif s <= bs and be <= e:
            feats.append("contains_best")
        if e == be:
            feats.append("same_end_as_best")
        if s == bs:
            feats.append("same_start_as_best")
    elif best_span is None and cand.span is not None:
        feats.append("best_is_none")
    return feats


def _span_features(ctx: Context, cand: Candidate, role: str) -> list[str]:
    text = ctx.text
    if cand.span is None:
        return ["none"]
    s, e = cand.span
    word = text[s:e]
    side = "L" if e <= ctx.start else ("R" if s >= ctx.end else "X")
    gap = text[e : ctx.start] if side == "L" else text[ctx.end : s]
    verbs = predicate_lexicon()
    feats = [
        f"side={side}", f"len={_bucket(e - s)}", f"dist={_bucket(len(gap))}",
        f"first={word[:1]}", f"last={word[-1:]}", f"first2={word[:2]}", f"last2={word[-2:]}",
        f"prev={_shape(text[s - 1 : s]) if s else '^'}", f"prevch={text[s - 1 : s]}",
        f"next={text[e : e + 1]}", f"word={word}" if len(word) <= 8 else "word=long",
        f"gap={gap}" if len(gap) <= 3 else f"gaplen={_bucket(len(gap))}",
        f"de={'的' in word}", f"punct={any(c in PUNCT for c in word)}",
        f"digit={any(c.isdigit() for c in word)}", f"latin={any(c.isascii() and c.isalpha() for c in word)}",
        f"verb={word in verbs}", f"startverb={word[:2] in verbs}", f"endverb={word[-2:] in verbs}",
        f"org={bool(ORG_SUFFIX.search(word))}", f"clausestart={s == ctx.clause[0]}",
        f"leftend={e == ctx.left_end}",
    ]
    if side == "L":
        feats += [f"gapverb={any(text[i:i + 2] in verbs for i in range(e, ctx.start - 1))}"]
    if role == "p":
        feats += [f"le={text[e : e + 1] == '了'}", f"inclause={s >= ctx.clause[0]}"]
    return feats


def candidate_features(cands: CandidateSet, role: str, rule_features: bool) -> list[list[str]]:
    """Feature strings of each object (`role` "o") or predicate ("p") candidate of a set."""
    ctx = cands.context
    quantity = _quantity_features(ctx)
    items = cands.objects if role == "o" else cands.predicates
    best_span = next((c.span for c in items if c.rule_best), None)
    rows = []
    for cand in items:
        own = _span_features(ctx, cand, role)
        ruled = _rule_features(cand, best_span) if rule_features else []
        crossed = [f"{q}&{f}" for q in quantity[:2] for f in (*own[:6], *ruled[:2])]
        rows.append([f"{role}:{f}" for f in (*own, *ruled, *quantity, *crossed)])
    return rows


def hash_features(rows: list[list[str]], buckets: int) -> list[list[int]]:
    """Each feature string as an index into a table of `buckets` rows."""
    return [[zlib.crc32(f.encode("utf-8")) % buckets for f in row] for row in rows]
