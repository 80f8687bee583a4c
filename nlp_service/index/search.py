"""Search over the index: Chinese full text (jieba tokens in FTS5 / tsvector) combined with structured
filters on claims, returning hits with the document, the sentence (span marked) and offsets, plus
facets. Every value is a bound parameter; only the FTS expression is built here, from quoted tokens.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    and_,
    bindparam,
    case,
    cast,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
    true,
    tuple_,
    union_all,
)

from nlp_service.index import tables as t
from nlp_service.index.records import Facets, HitDocument, SearchHit, SearchHits, SentencePublic
from nlp_service.index.store import Store
from nlp_service.index.text import fts5_match, mark_span, segment_query

FACET_LIMIT = 20


class SearchQuery(BaseModel):
    """A search: full text `q` and/or structured filters. Claim filters apply to scope=claims."""

    q: str | None = Field(
        default=None, max_length=200, description="Chinese full text (segmented with jieba)"
    )
    scope: Literal["claims", "sentences"] = "claims"
    kind: str | None = Field(
        default=None, max_length=16, description="claim kind: count, money, percent, score, …"
    )
    unit: str | None = Field(default=None, max_length=32)
    object: str | None = Field(default=None, max_length=200, description="claim object contains this text")
    predicate: str | None = Field(
        default=None, max_length=200, description="claim predicate contains this text"
    )
    min: float | None = Field(default=None, description="value ≥ min")
    max: float | None = Field(default=None, description="value ≤ max")
    year: int | None = None
    org: str | None = Field(default=None, max_length=200, description="organisation contains this text")
    indicator: str | None = Field(
        default=None, max_length=200, description="claim linked to an indicator whose name contains this"
    )
    finding: str | None = Field(
        default=None, max_length=64, description="document has a finding with this code"
    )
    document: str | None = Field(default=None, max_length=64, description="restrict to one document id")
    limit: int = Field(default=20, ge=1, le=500)
    offset: int = Field(default=0, ge=0, le=100_000)
    facets: bool = True


def search(store: Store, query: SearchQuery) -> SearchHits:
    """Run `query` against `store`; an empty full-text query (only punctuation) matches nothing."""
    tokens = segment_query(query.q) if query.q else []
    if query.q and not tokens:
        return SearchHits(total=0, hits=[], facets=Facets() if query.facets else None)
    if query.scope == "sentences":
        return _search_sentences(store, query, tokens)
    return _search_claims(store, query, tokens)


# ---------------------------------------------------------------------- full text
def _sentence_ids_matching(store: Store, tokens: list[str]) -> Select[Any]:
    if store.db.is_sqlite:
        return (
            select(literal_column("rowid"))
            .select_from(text("sentences_fts"))
            .where(text("sentences_fts MATCH :fts").bindparams(bindparam("fts", fts5_match(tokens))))
        )
    tsv: ColumnElement[Any] = literal_column("sentences.tsv")
    condition = tsv.op("@@")(func.plainto_tsquery(literal_column("'simple'::regconfig"), " ".join(tokens)))
    return select(t.sentences.c.id).where(condition)


# ---------------------------------------------------------------------- claims
def _claim_conditions(store: Store, query: SearchQuery, tokens: list[str]) -> list[ColumnElement[bool]]:
    c = t.claims.c
    conditions: list[ColumnElement[bool]] = []
    if tokens:
        conditions.append(c.sentence_id.in_(_sentence_ids_matching(store, tokens)))
    if query.kind:
        conditions.append(c.kind == query.kind)
    if query.unit:
        conditions.append(c.unit == query.unit)
    if query.object:
        conditions.append(c.object.contains(query.object, autoescape=True))
    if query.predicate:
        conditions.append(c.predicate.contains(query.predicate, autoescape=True))
    if query.min is not None:
        conditions.append(c.value >= query.min)
    if query.max is not None:
        conditions.append(c.value <= query.max)
    if query.year is not None:
        conditions.append(c.year == query.year)
    if query.org:
        conditions.append(c.org.contains(query.org, autoescape=True))
    if query.document:
        conditions.append(c.document_id == query.document)
    if query.finding:
        conditions.append(
            c.document_id.in_(select(t.findings.c.document_id).where(t.findings.c.code == query.finding))
        )
    if query.indicator:
        conditions.append(_linked_to_indicator(query.indicator))
    return conditions


def _linked_to_indicator(name: str) -> ColumnElement[bool]:
    c, lk, ind = t.claims.c, t.links.c, t.indicators.c
    linked = (
        select(lk.document_id, lk.claim_id)
        .select_from(
            t.links.join(
                t.indicators, and_(ind.document_id == lk.document_id, ind.indicator_id == lk.indicator_id)
            )
        )
        .where(ind.name.contains(name, autoescape=True))
    )
    return tuple_(c.document_id, c.claim_id).in_(linked)


def _search_claims(store: Store, query: SearchQuery, tokens: list[str]) -> SearchHits:
    c, s, d = t.claims.c, t.sentences.c, t.documents.c
    where = and_(true(), *_claim_conditions(store, query, tokens))
    page = (
        select(c.id, func.count().over().label("matches"))
        .where(where)
        .order_by(*_claim_order(tokens))
        .limit(query.limit)
        .offset(query.offset)
        .subquery("page")
    )
    rows_query = (
        select(
            c.id,
            c.document_id,
            c.claim_id,
            c.start,
            c.end,
            c.text,
            c.value,
            c.unit,
            c.kind,
            c.object,
            c.predicate,
            c.review_status,
            c.sentence_start,
            c.sentence_end,
            s.start.label("s_start"),
            s.end.label("s_end"),
            s.text.label("s_text"),
            d.source,
            d.title,
            d.org,
            d.year,
            page.c.matches,
        )
        .select_from(
            page.join(t.claims, c.id == page.c.id)
            .join(t.documents, d.id == c.document_id)
            .outerjoin(t.sentences, s.id == c.sentence_id)
        )
        .order_by(*_claim_order(tokens))
    )
    with store.db.read() as conn:
        rows = conn.execute(rows_query).all()
        if rows:
            total = rows[0].matches  # counted by the window function in the same pass
        else:
            total = conn.execute(select(func.count()).select_from(t.claims).where(where)).scalar_one()
        facets = _claim_facets(conn, where) if query.facets else None
    return SearchHits(total=total, hits=[_claim_hit(r) for r in rows], facets=facets)


def _claim_order(tokens: list[str]) -> list[ColumnElement[Any]]:
    """Claims whose object or predicate holds a query word first, then in document order."""
    c = t.claims.c
    if not tokens:
        return [c.id]
    named = or_(
        *[c.object.contains(tok, autoescape=True) for tok in tokens],
        *[c.predicate.contains(tok, autoescape=True) for tok in tokens],
    )
    return [case((named, 0), else_=1), c.id]


def _claim_hit(r: Any) -> SearchHit:
    if r.s_text is not None and r.s_start <= r.start and r.end <= r.s_end:
        s_start, s_end, s_text = r.s_start, r.s_end, r.s_text
    else:
        s_start, s_end, s_text = r.start, r.end, r.text
    return SearchHit(
        type="claim",
        document=HitDocument(id=r.document_id, source=r.source, title=r.title, org=r.org, year=r.year),
        start=r.start,
        end=r.end,
        text=r.text,
        sentence=SentencePublic(
            start=s_start,
            end=s_end,
            text=s_text,
            marked=mark_span(s_text, r.start - s_start, r.end - s_start),
        ),
        claim_row=r.id,
        claim_id=r.claim_id,
        value=r.value,
        unit=r.unit,
        kind=r.kind,
        object=r.object,
        predicate=r.predicate,
        review_status=r.review_status,
    )


def _claim_facets(conn: Any, where: ColumnElement[bool]) -> Facets:
    """Facets of the matching claims, in one statement (one scan of the matches)."""
    c = t.claims.c
    m = select(c.kind, c.unit, c.year, c.org, c.document_id).where(where).cte("matching")
    parts = []
    for name, column in (("kind", m.c.kind), ("unit", m.c.unit), ("year", m.c.year), ("org", m.c.org)):
        parts.append(
            select(literal(name), cast(column, String), func.count())
            .where(column.is_not(None))
            .group_by(column)
        )
    f = t.findings.c
    parts.append(
        select(literal("finding"), cast(f.code, String), func.count(f.document_id.distinct()))
        .where(f.document_id.in_(select(m.c.document_id)))
        .group_by(f.code)
    )
    counts: dict[str, dict[str, int]] = {}
    for facet, value, n in conn.execute(union_all(*parts)):
        counts.setdefault(facet, {})[value] = n
    return Facets(**{name: _top(values) for name, values in counts.items()})


def _top(counts: dict[str, int]) -> dict[str, int]:
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return dict(ordered[:FACET_LIMIT])


# ---------------------------------------------------------------------- sentences
def _search_sentences(store: Store, query: SearchQuery, tokens: list[str]) -> SearchHits:
    s, d = t.sentences.c, t.documents.c
    conditions: list[ColumnElement[bool]] = []
    if tokens:
        conditions.append(s.id.in_(_sentence_ids_matching(store, tokens)))
    document_conditions: list[ColumnElement[bool]] = []
    if query.year is not None:
        document_conditions.append(d.year == query.year)
    if query.org:
        document_conditions.append(d.org.contains(query.org, autoescape=True))
    if document_conditions:
        conditions.append(s.document_id.in_(select(d.id).where(*document_conditions)))
    if query.document:
        conditions.append(s.document_id == query.document)
    if query.finding:
        conditions.append(
            s.document_id.in_(select(t.findings.c.document_id).where(t.findings.c.code == query.finding))
        )
    where = and_(true(), *conditions)
    page = (
        select(s.id, func.count().over().label("matches"))
        .where(where)
        .order_by(s.id)
        .limit(query.limit)
        .offset(query.offset)
        .subquery("page")
    )
    rows_query = (
        select(s.id, s.document_id, s.start, s.end, s.text, d.source, d.title, d.org, d.year, page.c.matches)
        .select_from(page.join(t.sentences, s.id == page.c.id).join(t.documents, d.id == s.document_id))
        .order_by(s.id)
    )
    joined = t.sentences.join(t.documents, d.id == s.document_id)
    with store.db.read() as conn:
        rows = conn.execute(rows_query).all()
        if rows:
            total = rows[0].matches
        else:
            total = conn.execute(select(func.count()).select_from(t.sentences).where(where)).scalar_one()
        facets = _sentence_facets(conn, joined, where) if query.facets else None
    return SearchHits(total=total, hits=[_sentence_hit(r, tokens) for r in rows], facets=facets)


def _sentence_hit(r: Any, tokens: list[str]) -> SearchHit:
    lowered = r.text.lower()
    positions = [(lowered.find(tok), tok) for tok in tokens if lowered.find(tok) >= 0]
    first, token = min(positions) if positions else (0, "")
    return SearchHit(
        type="sentence",
        document=HitDocument(id=r.document_id, source=r.source, title=r.title, org=r.org, year=r.year),
        start=r.start + first,
        end=r.start + first + len(token),
        text=r.text[first : first + len(token)],
        sentence=SentencePublic(
            start=r.start, end=r.end, text=r.text, marked=mark_span(r.text, first, first + len(token))
        ),
    )


def _sentence_facets(conn: Any, joined: Any, where: ColumnElement[bool]) -> Facets:
    d = t.documents.c
    facets = Facets()
    for name, column in (("year", d.year), ("org", d.org)):
        counts = conn.execute(
            select(column, func.count().label("n"))
            .select_from(joined)
            .where(where, column.is_not(None))
            .group_by(column)
            .order_by(func.count().desc())
            .limit(FACET_LIMIT)
        )
        setattr(facets, name, {str(value): n for value, n in counts})
    return facets
