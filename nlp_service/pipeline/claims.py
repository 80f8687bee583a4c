"""The `claims` component: quantitative claims with their arguments, on `doc.spans["claims"]`.

Reads the `quantities` span group (see `pipeline/quantities.py`), keeps the claim candidates, and
attaches object, predicate, qualifier, time, agent and sentence (see `pipeline/arguments.py`) as a
JSON-serialisable dict on `span._.claim`. `claims_from_doc` turns them into the contract's records.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from spacy.attrs import IDX, LENGTH
from spacy.language import Language
from spacy.tokens import Doc, Span

from nlp_service.args import MODEL_FILE as ARGS_MODEL_FILE
from nlp_service.ingest.document import Document
from nlp_service.pipeline import dates as dates_component
from nlp_service.pipeline import quantities as quantities_component
from nlp_service.pipeline.arguments import (
    Arguments,
    TokenIndex,
    choose_arguments,
    clause_start,
    propose_arguments,
    sentence_range,
)
from nlp_service.pipeline.dates import find_dates
from nlp_service.pipeline.quantities import QUANTITIES_KEY
from nlp_service.pipeline.tokenizer import doc_text
from nlp_service.schema import ClaimPublic

CLAIMS_KEY = "claims"

if not Span.has_extension("claim"):
    Span.set_extension("claim", default=None)

COMPONENTS: list[tuple[str, dict[str, Any]]] = [
    ("nlp_service_quantities", {}),
    ("nlp_service_dates", {}),
    ("nlp_service_claims", {}),
]

# the factories are registered when their modules are imported
_FACTORIES = (dates_component.make_dates, quantities_component.make_quantities)


def components(use_models: bool) -> list[tuple[str, dict[str, Any]]]:
    """The claim components; with models the claims component loads the argument ranker of
    `models/args/` (which decides the arguments its training run found it better at, see its card)."""
    if not use_models:
        return COMPONENTS
    return [*COMPONENTS[:-1], ("nlp_service_claims", {"args_model": str(ARGS_MODEL_FILE)})]

_TOTAL = re.compile(r"共计|合计|累计|总计|合計|累計|總計|总共|(?<![公中])共(?![产青享同建性识])")
_PART = re.compile(r"其中|[(（]含")
_INCREASE = re.compile(r"(?:增加|增长|提高|上升|上涨|净增|增收|增長|提升)(?:了)?[ \t]*$")
_DECREASE = re.compile(r"(?:减少|下降|降低|压减|回落|減少)(?:了)?[ \t]*$")
_AGENT = re.compile(r"^[^\s，,。；;：:]{2,14}?(?:局|厅|委员会|纪委监委|委|政府|法院|检察院|中心|办公室|办|部|院)")


def token_offsets(doc: Doc) -> list[tuple[int, int]]:
    """(start, end) character offsets of the tokens, read in bulk."""
    if not len(doc):
        return []
    arr = doc.to_array([IDX, LENGTH])
    starts = arr[:, 0].tolist()
    return list(zip(starts, (arr[:, 0] + arr[:, 1]).tolist(), strict=True))


def qualifier_of(text: str, start: int, clause_from: int, sentence_from: int) -> str | None:
    """total / part / increase / decrease, from the words before the number (claims.md)."""
    left = text[clause_from:start]
    if _INCREASE.search(left):
        return "increase"
    if _DECREASE.search(left):
        return "decrease"
    if _TOTAL.search(left):
        return "total"
    if _PART.search(text[sentence_from:start]):
        return "part"
    return None


def time_of(text: str, start: int, sentence_from: int, dates: list[tuple[int, int]]) -> str | None:
    """The last date or period in the sentence before the number."""
    found = [text[s:e] for s, e in dates if sentence_from <= s and e <= start]
    return found[-1] if found else None


def agent_of(text: str, sentence_from: int, start: int) -> str | None:
    """An organisation opening the sentence (`县委巡察办…`), when there is one."""
    m = _AGENT.match(text, sentence_from, start)
    return m.group(0) if m else None


# picks one reading among the rule proposals: (index, quantity, left_floor, dates, proposals) -> reading
Chooser = Callable[[TokenIndex, dict[str, Any], int, list[tuple[int, int]], list[Arguments]], Arguments]


def rule_chooser(index: TokenIndex, quantity: dict[str, Any], left_floor: int, dates: list[tuple[int, int]],
                 proposals: list[Arguments]) -> Arguments:
    """The rules' choice: the best-scored proposal."""
    return choose_arguments(proposals, index.text)


def claim_record(text: str, index: TokenIndex, quantity: dict[str, Any], left_floor: int,
                 dates: list[tuple[int, int]], chooser: Chooser = rule_chooser) -> dict[str, Any]:
    """The claim dict stored on `span._.claim`: the quantity plus its arguments."""
    start, end = quantity["start"], quantity["end"]
    proposals = propose_arguments(index, start, end, quantity["kind"], left_floor, dates)
    args = chooser(index, quantity, left_floor, dates, proposals)
    sentence = sentence_range(text, start, end)
    clause_from = clause_start(text, start)
    obj, pred = args.object_span, args.predicate_span
    if pred and pred[1] - pred[0] > 1 and text[pred[1] - 1] == "了":
        pred = (pred[0], pred[1] - 1)
    return {
        **{k: quantity[k] for k in ("start", "end", "text", "value", "value_max", "unit", "kind",
                                    "approximate", "bound")},
        "qualifier": qualifier_of(text, start, clause_from, sentence[0]),
        "object": text[obj[0] : obj[1]] if obj else None,
        "object_span": list(obj) if obj else None,
        "predicate": text[pred[0] : pred[1]] if pred else None,
        "predicate_span": list(pred) if pred else None,
        "agent": agent_of(text, sentence[0], start),
        "time": time_of(text, start, sentence[0], dates),
        "sentence": list(sentence),
        "rule": args.rule,
        "confidence": round(0.5 + 0.5 * args.score, 2),
    }


# changes stated against a base (`比预算增加35%`) do not carry over to the next number
RATE_VERBS = frozenset({"增长", "增長", "增加", "减少", "減少", "下降", "上涨", "提高", "提升", "降低", "净增",
                        "上升", "回落", "增收"})
_COPULA_END = re.compile(r"[为為是达達][ \t]*$")
_LIST_GAP = re.compile(r"[^。；;！？!?\n]{0,25}")


def _family(kind: str) -> str:
    """Counts and physical measures list together (`护栏1820米,标志标牌18块`); money, percent apart."""
    return "count" if kind in ("count", "measure") else kind


def inherit_from_list(text: str, record: dict[str, Any], previous: dict[str, Any]) -> None:
    """List items share what the first one states: `完成护栏1820米,标志标牌18块` (完成 for both);
    `收容所1间200平方米` (the second number counts the same object)."""
    gap = text[previous["end"] : record["start"]]
    if not _LIST_GAP.fullmatch(gap) or "其中" in gap or record["qualifier"] == "part":
        return
    if record["rule"] in ("comparison before verb", "subject before verb") and record["object"] is None:
        record["object"], record["object_span"] = previous["object"], previous["object_span"]
    if not gap.strip() and record["object"] is None:
        for key in ("object", "object_span", "predicate", "predicate_span"):
            record[key] = previous[key]
        record["rule"] = "same as previous number"
        return
    shared_list = gap.strip() in ("、", "和", "及", "与", "，", ",")
    verb_only = record["predicate"] is not None and gap.strip()[1:] == record["predicate"] \
        and record["unit"] == previous["unit"]
    if record["object"] is None and previous["object"] and (
        gap.strip() in ("、", "和", "及", "与") or (gap.strip()[:1] == "、" and verb_only)
    ):
        record["object"], record["object_span"] = previous["object"], previous["object_span"]
        if record["predicate"] is None:
            record["predicate"], record["predicate_span"] = previous["predicate"], previous["predicate_span"]
        record["rule"] += ", object of the list"
        return
    if record["predicate"] is None and previous["predicate"] and record["rule"] in (
        "object after measure word", "noun phrase before number"
    ) and _family(record["kind"]) == _family(previous["kind"]) and any(sep in gap for sep in "、，,和及与") \
            and not _COPULA_END.search(gap) and (shared_list or previous["predicate"] not in RATE_VERBS):
        record["predicate"], record["predicate_span"] = previous["predicate"], previous["predicate_span"]
        record["rule"] += ", predicate of the list"


@Language.factory(
    "nlp_service_claims",
    requires=["doc.spans"],
    assigns=["doc.spans", "span._.claim"],
    default_config={"args_model": "", "args_use": ""},
)
def make_claims(nlp: Language, name: str, args_model: str, args_use: str) -> ClaimFinder:
    """`args_model`: the argument ranker's file (empty: the rules choose; unreadable: ModelMissing);
    `args_use`: which arguments it decides ("object", "predicate", "both", "none"; empty: as its
    training run decided, stored in the file)."""
    if not args_model:
        return ClaimFinder()
    from nlp_service.args.chooser import model_chooser, use_from_name  # torch only with models

    return ClaimFinder(model_chooser(Path(args_model), use_from_name(args_use) if args_use else None))


class ClaimFinder:
    """Keeps the claim quantities and attaches their arguments (chosen by `chooser`, the rules by default)."""

    def __init__(self, chooser: Chooser = rule_chooser) -> None:
        self.chooser = chooser

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        index = TokenIndex(text, token_offsets(doc))
        dates = list(find_dates(text))
        spans = []
        previous: dict[str, Any] | None = None
        for span in doc.spans.get(QUANTITIES_KEY, []):
            quantity = span._.quantity
            if quantity["non_claim"] is None:
                record = claim_record(text, index, quantity, previous["end"] if previous else 0, dates, self.chooser)
                if previous is not None:
                    inherit_from_list(text, record, previous)
                span._.claim = record
                spans.append(span)
                previous = record
        doc.spans[CLAIMS_KEY] = spans
        return doc


def section_of(document: Document, start: int) -> int | None:
    """Index in `document.sections` of the innermost section holding `start`."""
    best = None
    for i, section in enumerate(document.sections):
        if section.start <= start < section.end and (
            best is None or section.level >= document.sections[best].level
        ):
            best = i
    return best


def claims_from_doc(doc: Doc, document: Document) -> list[ClaimPublic]:
    """The contract's claims (ids c1, c2, …) from a processed `Doc`."""
    claims = []
    for i, span in enumerate(doc.spans.get(CLAIMS_KEY, []), start=1):
        record = dict(span._.claim)
        record.pop("rule", None)
        claims.append(ClaimPublic(id=f"c{i}", section=section_of(document, record["start"]),
                                  source="narrative", **record))
    return claims
