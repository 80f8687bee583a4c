"""Search over the index: Chinese full text (jieba tokens in FTS5 / tsvector) combined with structured
filters on claims, returning hits with the document, the sentence (span marked) and offsets, plus
facets. Every value is a bound parameter; only the FTS expression is built here, from quoted tokens.
"""

from __future__ import annotations

import heapq
import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from operator import itemgetter
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import (
    ColumnElement,
    Connection,
    FromClause,
    Integer,
    Row,
    Select,
    String,
    and_,
    any_,
    bindparam,
    case,
    func,
    literal_column,
    or_,
    select,
    table,
    tuple_,
)
from sqlalchemy.dialects.postgresql import ARRAY

from nlp_service.index import tables as t
from nlp_service.index.records import Facets, HitDocument, SearchHit, SearchHits, SentencePublic
from nlp_service.index.store import Store
from nlp_service.index.text import fts5_match, mark_span, segment_query

FACET_LIMIT = 20
ONE_PASS_LIMIT = 20_000
"""A search with facets reads at most this many matches (id, rank, facet columns) in one pass and counts
its total, page and facets from them; a broader one (hardly any filter) counts, pages and facets in SQL
instead. Both are exact; a search without facets pages and counts in one SQL statement."""


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
def _sentence_ids_matching(store: Store, tokens: list[str], claims_only: bool) -> Select[Any]:
    """Ids of the sentences holding every token (with `claims_only`, of those that hold a claim).
    SQLite: the FTS5 MATCH (`claim_sentences_fts` indexes the sentences with claims), evaluated once
    into a list that then probes the covering indexes (a join would let the planner, without
    statistics, run MATCH once per claim); PostgreSQL: the GIN-indexed tsvector (a partial index for
    the sentences with claims)."""
    if store.db.is_sqlite:
        name = "claim_sentences_fts" if claims_only else "sentences_fts"
        match = literal_column(name).op("MATCH", is_comparison=True)
        return (
            select(literal_column("rowid"))
            .select_from(table(name))
            .where(match(bindparam("fts", fts5_match(tokens))))
        )
    tsv: ColumnElement[Any] = literal_column("sentences.tsv")
    condition = tsv.op("@@")(func.plainto_tsquery(literal_column("'simple'::regconfig"), " ".join(tokens)))
    matching = select(t.sentences.c.id).where(condition)
    return matching.where(t.sentences.c.has_claims) if claims_only else matching


def _full_text(
    store: Store, tokens: list[str], sentence_id: ColumnElement[Any], claims_only: bool
) -> list[ColumnElement[bool]]:
    return [sentence_id.in_(_sentence_ids_matching(store, tokens, claims_only))] if tokens else []


def _contains(column: ColumnElement[Any], value: str, sqlite: bool) -> ColumnElement[bool]:
    """`column` holds `value` as written (no wildcards, case-sensitive). SQLite: instr(), several
    times cheaper than LIKE … ESCAPE on Chinese text (and case-sensitive like PostgreSQL's LIKE);
    PostgreSQL: LIKE with the wildcards escaped."""
    if sqlite:
        return func.instr(column, value) > 0
    return column.contains(value, autoescape=True)


# ---------------------------------------------------------------------- one pass over the matches
def _read_matches(conn: Connection, matches: Select[Any]) -> list[Row[Any]] | None:
    """Every match (at most ONE_PASS_LIMIT), or None when there are more (then SQL counts instead)."""
    rows = list(conn.execute(matches.limit(ONE_PASS_LIMIT + 1)).all())
    return rows if len(rows) <= ONE_PASS_LIMIT else None


def _page_and_total(
    conn: Connection,
    source: FromClause,
    conditions: list[ColumnElement[bool]],
    order: list[ColumnElement[Any]],
    id_column: ColumnElement[int],
    query: SearchQuery,
) -> tuple[int, list[int]]:
    """The number of matches and the page's ids in one statement (a window count beside the page);
    a page past the end counts separately."""
    page = (
        select(id_column, func.count().over().label("matches"))
        .select_from(source)
        .where(*conditions)
        .order_by(*order)
        .limit(query.limit)
        .offset(query.offset)
    )
    rows = conn.execute(page).all()
    if rows:
        return int(rows[0][1]), [r[0] for r in rows]
    return conn.execute(select(func.count()).select_from(source).where(*conditions)).scalar_one(), []


def _page_ids(rows: list[Row[Any]], query: SearchQuery, key: Callable[[Row[Any]], Any]) -> list[int]:
    """Ids (first column) of the requested page of `rows` in the order of `key` (a bounded heap)."""
    first = heapq.nsmallest(query.offset + query.limit, rows, key=key)
    return [r[0] for r in first[query.offset :]]


def _ordered(rows: Sequence[Row[Any]], ids: list[int]) -> list[Row[Any]]:
    by_id = {r.id: r for r in rows}
    return [by_id[i] for i in ids if i in by_id]


def _facets_of(
    combos: Iterable[tuple[tuple[Any, ...], int]], names: tuple[str, ...], finding: Counter[str] | None = None
) -> Facets:
    """Facets from counts of value combinations (one count per distinct tuple of `names` values)."""
    counts: dict[str, Counter[str]] = {name: Counter() for name in names}
    for values, n in combos:
        for name, value in zip(names, values, strict=True):
            if value is not None:
                counts[name][str(value)] += n
    if finding is not None:
        counts["finding"] = finding
    return Facets(**{name: _top(values) for name, values in counts.items()})


def _top(counts: Counter[str] | dict[str, int]) -> dict[str, int]:
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return dict(ordered[:FACET_LIMIT])


# ---------------------------------------------------------------------- claims
CLAIM_FACETS = ("kind", "unit", "year", "org")


def _claim_conditions(query: SearchQuery, sqlite: bool) -> list[ColumnElement[bool]]:
    """The structured filters (the full-text condition comes from `_with_full_text`)."""
    c = t.claims.c
    conditions: list[ColumnElement[bool]] = []
    if query.kind:
        conditions.append(c.kind == query.kind)
    if query.unit:
        conditions.append(c.unit == query.unit)
    if query.object:
        conditions.append(_contains(c.object, query.object, sqlite))
    if query.predicate:
        conditions.append(_contains(c.predicate, query.predicate, sqlite))
    if query.min is not None:
        conditions.append(c.value >= query.min)
    if query.max is not None:
        conditions.append(c.value <= query.max)
    if query.year is not None:
        conditions.append(c.year == query.year)
    if query.org:
        conditions.append(_contains(c.org, query.org, sqlite))
    if query.document:
        conditions.append(c.document_id == query.document)
    if query.finding:
        conditions.append(
            c.document_id.in_(select(t.findings.c.document_id).where(t.findings.c.code == query.finding))
        )
    if query.indicator:
        conditions.append(_linked_to_indicator(query.indicator, sqlite))
    return conditions


def _linked_to_indicator(name: str, sqlite: bool) -> ColumnElement[bool]:
    c, lk, ind = t.claims.c, t.links.c, t.indicators.c
    linked = (
        select(lk.document_id, lk.claim_id)
        .select_from(
            t.links.join(
                t.indicators, and_(ind.document_id == lk.document_id, ind.indicator_id == lk.indicator_id)
            )
        )
        .where(_contains(ind.name, name, sqlite))
    )
    return tuple_(c.document_id, c.claim_id).in_(linked)


def _claim_rank(tokens: list[str], sqlite: bool) -> ColumnElement[Any]:
    """0 for claims whose object or predicate holds a query word, else 1 (ranked first, then by id)."""
    c = t.claims.c
    if not tokens:
        return literal_column("0", Integer)
    named = or_(
        *[_contains(c.object, tok, sqlite) for tok in tokens],
        *[_contains(c.predicate, tok, sqlite) for tok in tokens],
    )
    return case((named, 0), else_=1)


def _search_claims(store: Store, query: SearchQuery, tokens: list[str]) -> SearchHits:
    """With facets, one pass: every match's id, rank and facet columns, read from the covering indexes,
    counted, paged and faceted here; without facets, one statement for the page and the total. Only
    the page's claims are read in full."""
    c = t.claims.c
    source = t.claims
    sqlite = store.db.is_sqlite
    conditions = _full_text(store, tokens, c.sentence_id, claims_only=True) + _claim_conditions(query, sqlite)
    rank = _claim_rank(tokens, sqlite)
    facet_columns = [c.kind, c.unit, c.year, c.org, c.document_id] if query.facets else []
    matches = select(c.id, rank.label("rank"), *facet_columns).select_from(source).where(*conditions)
    with store.db.read() as conn:
        rows = _read_matches(conn, matches) if query.facets else None
        if rows is not None:
            total = len(rows)
            ids = _page_ids(rows, query, key=itemgetter(1, 0))  # rank, then id
            facets = _claim_facets_of_rows(conn, rows) if query.facets else None
        else:
            order: list[ColumnElement[Any]] = [rank, c.id] if tokens else [c.id]
            total, ids, facets = _claims_counted_in_sql(conn, source, conditions, order, query)
        hits = [_claim_hit(r) for r in _ordered(_claim_rows(conn, ids), ids)]
    return SearchHits(total=total, hits=hits, facets=facets)


def _claim_facets_of_rows(conn: Connection, rows: list[Any]) -> Facets:
    """Rows are (id, rank, kind, unit, year, org, document_id); read by position (attribute access
    costs more than the counting)."""
    combos = Counter(r[2:6] for r in rows)
    documents = sorted({r[6] for r in rows})
    return _facets_of(combos.items(), CLAIM_FACETS, _finding_counts(conn, documents))


def _finding_counts(conn: Connection, documents: list[str]) -> Counter[str]:
    """Documents per finding code among `documents`, bound as one parameter (a JSON array on SQLite,
    an array on PostgreSQL) whatever their number."""
    f = t.findings.c
    among: ColumnElement[bool]
    if conn.dialect.name == "sqlite":
        listed: Select[Any] = select(literal_column("value")).select_from(
            func.json_each(bindparam("documents", json.dumps(documents)))
        )
        among = f.document_id.in_(listed)
    else:
        among = f.document_id == any_(bindparam("documents", documents, type_=ARRAY(String)))
    counts = conn.execute(select(f.code, func.count(f.document_id.distinct())).where(among).group_by(f.code))
    return Counter[str](dict(counts.all()))


def _claims_counted_in_sql(
    conn: Connection,
    source: FromClause,
    conditions: list[ColumnElement[bool]],
    order: list[ColumnElement[Any]],
    query: SearchQuery,
) -> tuple[int, list[int], Facets | None]:
    """Total, page and facets in SQL: a search without facets (one statement for page and total), or
    one with more than ONE_PASS_LIMIT matches."""
    c = t.claims.c
    total, ids = _page_and_total(conn, source, conditions, order, c.id, query)
    if not query.facets:
        return total, ids, None
    combos = conn.execute(
        select(c.kind, c.unit, c.year, c.org, func.count())
        .select_from(source)
        .where(*conditions)
        .group_by(c.kind, c.unit, c.year, c.org)
    )
    f = t.findings.c
    matching_documents = select(c.document_id).select_from(source).where(*conditions)
    finding = Counter[str](
        dict(
            conn.execute(
                select(f.code, func.count(f.document_id.distinct()))
                .where(f.document_id.in_(matching_documents))
                .group_by(f.code)
            ).all()
        )
    )
    return total, ids, _facets_of(((tuple(r[:4]), r[4]) for r in combos), CLAIM_FACETS, finding)


def _claim_rows(conn: Connection, ids: list[int]) -> Sequence[Any]:
    if not ids:
        return []
    c, s, d = t.claims.c, t.sentences.c, t.documents.c
    details = (
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
            s.start.label("s_start"),
            s.end.label("s_end"),
            s.text.label("s_text"),
            d.source,
            d.title,
            d.org,
            d.year,
        )
        .select_from(
            t.claims.join(t.documents, d.id == c.document_id).outerjoin(t.sentences, s.id == c.sentence_id)
        )
        .where(c.id.in_(ids))
    )
    return conn.execute(details).all()


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


# ---------------------------------------------------------------------- sentences
SENTENCE_FACETS = ("year", "org")


def _sentence_conditions(query: SearchQuery, sqlite: bool) -> list[ColumnElement[bool]]:
    s, d = t.sentences.c, t.documents.c
    conditions: list[ColumnElement[bool]] = []
    if query.year is not None:
        conditions.append(d.year == query.year)
    if query.org:
        conditions.append(_contains(d.org, query.org, sqlite))
    if query.document:
        conditions.append(s.document_id == query.document)
    if query.finding:
        conditions.append(
            s.document_id.in_(select(t.findings.c.document_id).where(t.findings.c.code == query.finding))
        )
    return conditions


def _search_sentences(store: Store, query: SearchQuery, tokens: list[str]) -> SearchHits:
    """As for claims: with facets one pass over every match's id (and its document's year and
    organisation), without facets one statement for the page and the total."""
    s, d = t.sentences.c, t.documents.c
    source = t.sentences.join(t.documents, d.id == s.document_id)
    conditions = _full_text(store, tokens, s.id, claims_only=False) + _sentence_conditions(
        query, store.db.is_sqlite
    )
    facet_columns = [d.year, d.org] if query.facets else []
    matches = select(s.id, *facet_columns).select_from(source).where(*conditions)
    with store.db.read() as conn:
        rows = _read_matches(conn, matches) if query.facets else None
        if rows is not None:
            total = len(rows)
            ids = _page_ids(rows, query, key=itemgetter(0))
            facets = _sentence_facets_of_rows(rows) if query.facets else None
        else:
            total, ids, facets = _sentences_counted_in_sql(conn, source, conditions, query)
        hits = [_sentence_hit(r, tokens) for r in _ordered(_sentence_rows(conn, ids), ids)]
    return SearchHits(total=total, hits=hits, facets=facets)


def _sentence_facets_of_rows(rows: list[Any]) -> Facets:
    """Rows are (id, year, org)."""
    return _facets_of(Counter(r[1:3] for r in rows).items(), SENTENCE_FACETS)


def _sentences_counted_in_sql(
    conn: Connection, source: FromClause, conditions: list[ColumnElement[bool]], query: SearchQuery
) -> tuple[int, list[int], Facets | None]:
    s, d = t.sentences.c, t.documents.c
    total, ids = _page_and_total(conn, source, conditions, [s.id], s.id, query)
    if not query.facets:
        return total, ids, None
    combos = conn.execute(
        select(d.year, d.org, func.count()).select_from(source).where(*conditions).group_by(d.year, d.org)
    )
    return total, ids, _facets_of(((tuple(r[:2]), r[2]) for r in combos), SENTENCE_FACETS)


def _sentence_rows(conn: Connection, ids: list[int]) -> Sequence[Any]:
    if not ids:
        return []
    s, d = t.sentences.c, t.documents.c
    details = (
        select(s.id, s.document_id, s.start, s.end, s.text, d.source, d.title, d.org, d.year)
        .select_from(t.sentences.join(t.documents, d.id == s.document_id))
        .where(s.id.in_(ids))
    )
    return conn.execute(details).all()


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
