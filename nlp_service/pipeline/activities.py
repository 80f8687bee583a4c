"""The `activities` component: events a report says were held or carried out, with the claims they carry.

`召开全区巡察工作会议`, `开展…专项巡察`, `组织…培训`: an event verb followed (within the clause) by a
noun phrase that ends in an event noun. Each activity gets the sentence's date and agent, and the
ids of the claims of its clause (`召开4次区委常委会` -> the claim `4次`). Spans go on
`doc.spans["activities"]` with a JSON-serialisable dict on `span._.activity`.
"""

from __future__ import annotations

import re
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from nlp_service.pipeline.arguments import clause_end, clause_start, sentence_range
from nlp_service.pipeline.claims import CLAIMS_KEY, agent_of, time_of, token_offsets
from nlp_service.pipeline.dates import find_dates
from nlp_service.pipeline.tokenizer import doc_text
from nlp_service.schema import ActivityPublic, ClaimPublic

ACTIVITIES_KEY = "activities"

if not Span.has_extension("activity"):
    Span.set_extension("activity", default=None)

COMPONENTS: list[tuple[str, dict[str, Any]]] = [("nlp_service_activities", {})]

EVENT_VERBS = ("召开", "召開", "举办", "舉辦", "举行", "舉行", "开展", "開展", "组织开展", "组织", "組織", "启动",
               "部署", "进行", "進行", "实施", "實施", "完成")
EVENT_NOUNS = ("会议", "會議", "常委会", "常委會", "座谈会", "推进会", "培训班", "培训", "培訓", "巡察", "巡视",
               "督查", "检查", "調研", "调研", "活动", "活動", "讲座", "演出", "评价", "評價", "审计", "審計",
               "学习", "學習", "竞赛", "比武", "宣传", "宣講", "宣讲", "谈话", "談話", "回头看", "专项整治",
               "监督", "監督", "考核", "验收", "绩效自评", "自评", "评估", "演练", "展览", "會", "会")
_EVENT = re.compile(
    rf"(?P<verb>{'|'.join(sorted(EVENT_VERBS, key=len, reverse=True))})了?"
    rf"(?P<object>[^、，,。；;！？!?\n：:][^，,。；;！？!?\n：:]{{0,29}}(?:{'|'.join(sorted(EVENT_NOUNS, key=len, reverse=True))})”?)"
)


def find_activities(text: str, token_edges: set[int] | None = None) -> list[dict[str, Any]]:
    """Event mentions in `text`: span, predicate and object (offsets index `text`).

    With `token_edges` (the segmenter's token boundaries) the verb must be a word of its own, so that
    `组织部` is no 组织 event; relative clauses (`进行的评价`) and copulas (`单位为…`) are skipped.
    """
    found = []
    for m in _EVENT.finditer(text):
        if token_edges is not None and not {m.start("verb"), m.end("verb")} <= token_edges:
            continue
        if text.startswith("的", m.end("verb")) or re.search(r"[为是為]", m.group("object")):
            continue
        obj_start = m.start("object")
        while obj_start < m.end() and (text[obj_start].isdigit() or text[obj_start] in "余多次轮場场期个個 "):
            obj_start += 1
        if obj_start >= m.end():
            continue
        found.append({"start": m.start(), "end": m.end(), "text": m.group(0), "predicate": m.group("verb"),
                      "predicate_span": [m.start("verb"), m.end("verb")], "object": text[obj_start : m.end()]})
    return found


def attach_context(text: str, activity: dict[str, Any], dates: list[tuple[int, int]],
                   claim_spans: list[tuple[int, int]]) -> dict[str, Any]:
    """Date, agent and the indexes of the claims in the activity's clause."""
    sentence = sentence_range(text, activity["start"], activity["end"])
    clause = (clause_start(text, activity["start"]), clause_end(text, activity["end"]))
    inside = [i for i, (s, e) in enumerate(claim_spans) if clause[0] <= s and e <= clause[1]]
    date = time_of(text, activity["start"], sentence[0], dates)
    return {**activity, "date": date, "agent": agent_of(text, sentence[0], activity["start"]),
            "claim_indexes": inside}


@Language.factory("nlp_service_activities", requires=["doc.spans"], assigns=["doc.spans", "span._.activity"],
                  default_config={})
def make_activities(nlp: Language, name: str) -> ActivityFinder:
    return ActivityFinder()


class ActivityFinder:
    """Finds activities and stores them on `doc.spans["activities"]`."""

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        dates = list(find_dates(text))
        claim_spans = [(s._.claim["start"], s._.claim["end"]) for s in doc.spans.get(CLAIMS_KEY, [])]
        spans = []
        edges = {x for span in token_offsets(doc) for x in span}
        for activity in find_activities(text, edges):
            span = doc.char_span(activity["start"], activity["end"], alignment_mode="expand")
            if span is None:
                continue
            span._.activity = attach_context(text, activity, dates, claim_spans)
            spans.append(span)
        doc.spans[ACTIVITIES_KEY] = spans
        return doc


def activities_from_doc(doc: Doc, claims: list[ClaimPublic]) -> list[ActivityPublic]:
    """The contract's activities (ids a1, a2, …); each claim they carry gets `claim.activity`."""
    by_start = {c.start: c for c in claims}
    claim_spans = [s._.claim for s in doc.spans.get(CLAIMS_KEY, [])]
    out = []
    for i, span in enumerate(doc.spans.get(ACTIVITIES_KEY, []), start=1):
        record = span._.activity
        ids = []
        for index in record["claim_indexes"]:
            claim = by_start.get(claim_spans[index]["start"]) if index < len(claim_spans) else None
            if claim is not None:
                ids.append(claim.id)
                claim.activity = claim.activity or f"a{i}"
        out.append(ActivityPublic(id=f"a{i}", start=record["start"], end=record["end"], text=record["text"],
                                  predicate=record["predicate"], object=record["object"], date=record["date"],
                                  agent=record["agent"], claims=ids))
    return out
