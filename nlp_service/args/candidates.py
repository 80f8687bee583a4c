"""Candidate object and predicate spans of one quantity: the rule proposals plus nearby alternatives.

The rules (`nlp_service.pipeline.arguments.propose_arguments`) give one or two readings; the ranker
chooses among a wider set built from the same clause: every token-aligned phrase that ends where the
rules' left phrase ends (or before its closing change verb), the phrase after each verb, the noun
phrase after the number and its shorter token prefixes, and every action verb of the clause.
`None` (no object, no predicate) is always a candidate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from nlp_service.pipeline.arguments import (
    Arguments,
    TokenIndex,
    _head_after_de,
    _tail_verb,
    choose_arguments,
    clause_end,
    clause_start,
    right_object,
    strip_dates_and_agents,
    strip_span,
    verbs_in,
)

Span = tuple[int, int]
MAX_OBJECTS = 32
MAX_PREDICATES = 12
RIGHT_TOKENS = 6


@dataclass
class Candidate:
    """One candidate span (None: no argument) with what the rules said about it."""

    span: Span | None
    rule_best: bool = False  # the rules' chosen reading has this span
    rule_proposed: bool = False  # some rule proposal has this span
    rule_score: float = 0.0  # best score of a proposal with this span
    rules: list[str] = field(default_factory=list)  # names of the proposals with this span


@dataclass
class Context:
    """The quantity and the clause around it, as the features see them."""

    text: str
    index: TokenIndex
    start: int
    end: int
    kind: str
    unit: str
    clause: Span  # clause start .. number start (before stripping)
    left_end: int  # end of the stripped left phrase
    right_end: int
    verbs: list[Span]
    left_floor: int  # end of the previous claim (0 for the first)


@dataclass
class CandidateSet:
    context: Context
    objects: list[Candidate]
    predicates: list[Candidate]
    best: Arguments  # the rules' choice


def _trim_le(text: str, span: Span | None) -> Span | None:
    """The predicate as the claim reports it (a closing 了 dropped)."""
    if span and span[1] - span[0] > 1 and text[span[1] - 1] == "了":
        return span[0], span[1] - 1
    return span


def _add(found: dict[Span | None, Candidate], span: Span | None, limit: int) -> None:
    if span is not None and span[1] <= span[0]:
        return
    if span not in found and len(found) < limit:
        found[span] = Candidate(span)


def candidate_set(index: TokenIndex, quantity: dict[str, Any], left_floor: int, dates: list[Span],
                  proposals: list[Arguments]) -> CandidateSet:
    """Object and predicate candidates of the quantity, marked with the rule proposals."""
    text = index.text
    start, end = quantity["start"], quantity["end"]
    ls = clause_start(text, start, left_floor)
    le = strip_span(index, ls, start, head=False)[1]
    re_ = clause_end(text, end)
    best = choose_arguments(proposals, text)
    verbs = verbs_in(index, ls, le)
    context = Context(text, index, start, end, quantity["kind"], quantity.get("unit") or "", (ls, start), le, re_,
                      verbs, left_floor)

    objects: dict[Span | None, Candidate] = {}
    predicates: dict[Span | None, Candidate] = {}
    for a in proposals:
        _add(objects, a.object_span, MAX_OBJECTS + 8)
        _add(predicates, _trim_le(text, a.predicate_span), MAX_PREDICATES + 8)
    _add(objects, None, MAX_OBJECTS + 8)
    _add(predicates, None, MAX_PREDICATES + 8)

    tail = _tail_verb(text, ls, le)
    ends = [le] + ([tail[0]] if tail is not None else [])
    for verb in verbs:
        for stop in ends:
            if verb[1] < stop:
                span = strip_dates_and_agents(index, verb[1], stop, dates)
                _add(objects, span, MAX_OBJECTS)
                _add(objects, _head_after_de(text, span) if span[1] > span[0] else None, MAX_OBJECTS)
    for stop in ends:
        span = strip_dates_and_agents(index, ls, stop, dates)
        _add(objects, span, MAX_OBJECTS)
        if span[1] > span[0]:
            _add(objects, _head_after_de(text, span), MAX_OBJECTS)
        for tok in index.within(ls, stop):
            _add(objects, strip_span(index, tok[0], stop), MAX_OBJECTS)
    for counts_events in (False, True):
        _add(objects, right_object(index, end, re_, counts_events), MAX_OBJECTS)
    right_tokens = index.within(end, re_)[:RIGHT_TOKENS]
    for tok in right_tokens:
        span = strip_span(index, end, tok[1], head=False)
        if span[0] == end or text.startswith("等", end):
            _add(objects, span, MAX_OBJECTS)
    for verb in verbs:
        _add(objects, verb, MAX_OBJECTS)

    before = verbs_in(index, clause_start(text, ls - 1, max(0, ls - 60)), ls - 1) if ls > 0 else []
    for verb in [*before[-1:], *verbs, *verbs_in(index, end, re_)]:
        _add(predicates, _trim_le(text, verb), MAX_PREDICATES)
    if tail is not None:
        _add(predicates, tail, MAX_PREDICATES)

    for a in proposals:
        for found, key in ((objects, a.object_span), (predicates, _trim_le(text, a.predicate_span))):
            cand = found[key]
            cand.rule_proposed = True
            cand.rule_score = max(cand.rule_score, a.score)
            cand.rules.append(a.rule)
    objects[best.object_span].rule_best = True
    predicates[_trim_le(text, best.predicate_span)].rule_best = True
    return CandidateSet(context, list(objects.values()), list(predicates.values()), best)
