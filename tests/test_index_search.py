"""Search on SQLite (FTS5) and PostgreSQL (tsvector): full text, structured filters, facets, bound params."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import event

from nlp_service.index.db import MIGRATIONS_DIR
from nlp_service.index.search import SearchQuery, search
from nlp_service.index.store import Store
from nlp_service.index.text import fts5_match, mark_span, segment_query, split_sentences
from nlp_service.schema import Extraction

MakeExtraction = Callable[..., Extraction]

OTHER_TEXT = "2023年，财政局共发现问题8个。\n项目资金12万元。"
OTHER_CLAIMS = [
    ("8个", 8.0, "个", "count", "问题", "发现"),
    ("12万元", 120000.0, "元", "money", "资金", None),
]


@pytest.fixture
def indexed(store: Store, make_extraction: MakeExtraction) -> Store:
    store.add_extraction(make_extraction())
    store.add_extraction(
        make_extraction(OTHER_TEXT, org="财政局", year=2023, finding=None, claims=OTHER_CLAIMS)
    )
    return store


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "发现问题"}, ["23个", "5条", "8个"]),  # every claim of a matching sentence
        ({"q": "发现问题", "min": 20}, ["23个"]),
        ({"q": "发现问题", "object": "问题", "predicate": "发现"}, ["23个", "8个"]),
        ({"q": "巡察"}, ["3次"]),
        ({"q": "巡察工作会议"}, ["3次"]),
        ({"kind": "money"}, ["55万元", "12万元"]),
        ({"kind": "money", "max": 200000}, ["12万元"]),
        ({"unit": "条"}, ["5条"]),
        ({"object": "线索"}, ["5条"]),
        ({"predicate": "召开"}, ["3次"]),
        ({"year": 2023}, ["8个", "12万元"]),
        ({"org": "纪委", "kind": "percent"}, ["95.5%"]),
        ({"indicator": "巡察发现问题"}, ["23个", "8个"]),
        ({"finding": "funding_mismatch", "kind": "count"}, ["23个", "5条", "3次"]),
        ({"q": "不存在的词语"}, []),
        ({"q": "。，"}, []),
    ],
)
def test_index_search_combines_full_text_and_filters(
    indexed: Store, params: dict[str, Any], expected: list[str]
) -> None:
    result = search(indexed, SearchQuery(**params))
    assert sorted(h.text for h in result.hits) == sorted(expected)
    assert result.total == len(expected)


@pytest.mark.parametrize(
    "params",
    [
        {"q": "'; DROP TABLE claims; --"},
        {"q": 'x" OR "1'},
        {"q": "NEAR(a b) * OR"},
        {"object": "%' OR 1=1 --"},
        {"org": "_"},
        {"predicate": "\\"},
        {"unit": "' OR ''='"},
    ],
)
def test_index_search_parameters_are_bound_not_formatted(indexed: Store, params: dict[str, Any]) -> None:
    assert search(indexed, SearchQuery(**params)).total == 0
    assert indexed.count("claims") == 7


def test_index_search_hit_carries_document_sentence_and_offsets(
    indexed: Store, make_extraction: MakeExtraction
) -> None:
    text = make_extraction().text
    hit = search(indexed, SearchQuery(q="移交线索", unit="条")).hits[0]
    assert text[hit.start : hit.end] == hit.text == "5条"
    assert text[hit.sentence.start : hit.sentence.end] == hit.sentence.text
    assert "问题线索【5条】" in hit.sentence.marked
    assert hit.document.org == "区纪委监委" and hit.document.year == 2022
    assert hit.claim_id == "c2" and hit.value == 5 and hit.claim_row is not None


def test_index_search_facets_count_the_matching_claims(indexed: Store) -> None:
    facets = search(indexed, SearchQuery(kind="count")).facets
    assert facets is not None
    assert facets.kind == {"count": 4}
    assert facets.year == {"2022": 3, "2023": 1}
    assert facets.org == {"区纪委监委": 3, "财政局": 1}
    assert facets.finding == {"funding_mismatch": 1}
    assert facets.unit["个"] == 2


def test_index_search_sentences_scope_marks_the_word(indexed: Store) -> None:
    result = search(indexed, SearchQuery(q="执行率", scope="sentences"))
    assert result.total == 1
    hit = result.hits[0]
    assert hit.type == "sentence" and hit.text == "执行率" and "【执行率】" in hit.sentence.marked


def test_index_search_ranks_claims_naming_the_query_words_first(indexed: Store) -> None:
    hits = search(indexed, SearchQuery(q="移交线索")).hits
    assert [h.text for h in hits] == ["5条", "23个"]


def test_index_search_pages_are_stable(indexed: Store) -> None:
    first = search(indexed, SearchQuery(limit=3, offset=0)).hits
    second = search(indexed, SearchQuery(limit=3, offset=3)).hits
    assert len(first) == 3 and not {h.claim_row for h in first} & {h.claim_row for h in second}


@pytest.mark.parametrize(
    ("query", "tokens"),
    [("发现问题", ["发现", "问题"]), ("  。，", []), ("ABC 项目", ["abc", "项目"])],
)
def test_index_text_segments_queries(query: str, tokens: list[str]) -> None:
    assert segment_query(query) == tokens


@pytest.mark.parametrize(
    ("tokens", "expression"),
    [(["发现", "问题"], '"发现" "问题"'), (['a"b'], '"a""b"')],
)
def test_index_text_fts5_expression_quotes_every_token(tokens: list[str], expression: str) -> None:
    assert fts5_match(tokens) == expression


@pytest.mark.parametrize(
    ("text", "spans"),
    [("甲。乙！\n丙", [(0, 2), (2, 4), (5, 6)]), ("  \n\n", []), ("无标点", [(0, 3)])],
)
def test_index_text_splits_sentences(text: str, spans: list[tuple[int, int]]) -> None:
    assert split_sentences(text) == spans


def test_index_text_marks_a_span() -> None:
    assert mark_span("共发现问题23个。", 5, 8) == "共发现问题【23个】。"


AGREEMENT_QUERIES = [
    {"q": "发现问题"},
    {"q": "移交线索", "limit": 1, "offset": 1},
    {"kind": "count", "limit": 2},
    {"kind": "money", "min": 100000},
    {"year": 2023},
    {"finding": "funding_mismatch"},
    {"indicator": "巡察发现问题"},
    {"q": "执行率", "scope": "sentences"},
    {"q": "发现问题", "scope": "sentences", "year": 2023},
    {"scope": "sentences", "org": "纪委", "limit": 2, "offset": 1},
]


@pytest.mark.parametrize("params", AGREEMENT_QUERIES)
def test_index_search_one_pass_and_sql_counting_agree(
    indexed: Store, params: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    one_pass = search(indexed, SearchQuery(**params))
    monkeypatch.setattr("nlp_service.index.search.ONE_PASS_LIMIT", 0)  # every search counts in SQL
    in_sql = search(indexed, SearchQuery(**params))
    assert one_pass.model_dump() == in_sql.model_dump()
    assert one_pass.total > 0


@pytest.mark.parametrize("params", AGREEMENT_QUERIES)
def test_index_search_without_facets_gives_the_same_hits(indexed: Store, params: dict[str, Any]) -> None:
    with_facets = search(indexed, SearchQuery(**params))
    without = search(indexed, SearchQuery(**params, facets=False))
    assert without.facets is None and with_facets.facets is not None
    assert without.total == with_facets.total
    assert [h.model_dump() for h in without.hits] == [h.model_dump() for h in with_facets.hits]


def test_index_search_sentence_facets_count_documents_year_and_org(indexed: Store) -> None:
    facets = search(indexed, SearchQuery(q="发现问题", scope="sentences")).facets
    assert facets is not None
    assert facets.year == {"2022": 1, "2023": 1} and facets.org == {"区纪委监委": 1, "财政局": 1}
    assert facets.kind == {} and facets.finding == {}


@pytest.mark.parametrize(
    "params", [{"q": "发现问题", "kind": "count", "min": 20}, {"q": "执行率", "scope": "sentences"}]
)
def test_index_search_full_text_is_matched_once_not_per_row(indexed: Store, params: dict[str, Any]) -> None:
    """Without planner statistics a join could run the FTS5 MATCH once per claim (seconds at 10,000
    documents); the MATCH must be a list built once (SQLite's plan says LIST SUBQUERY)."""
    if not indexed.db.is_sqlite:
        pytest.skip("an SQLite query plan")
    statements: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if "sentences_fts MATCH" in statement and not statement.startswith("EXPLAIN"):
            statements.append((statement, parameters))

    event.listen(indexed.db.read_engine, "before_cursor_execute", record)
    try:
        search(indexed, SearchQuery(**params))
    finally:
        event.remove(indexed.db.read_engine, "before_cursor_execute", record)
    assert statements
    with indexed.db.read() as conn:
        for statement, parameters in statements:
            plan = [row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)]
            assert any("LIST SUBQUERY" in step for step in plan), plan
            assert not any("INDEX 0:=" in step for step in plan), plan  # MATCH with rowid = (per row)


def _has_claims(store: Store) -> list[bool]:
    with store.db.read() as conn:
        rows = conn.exec_driver_sql("SELECT has_claims FROM sentences ORDER BY start").all()
    return [bool(r[0]) for r in rows]


def _claim_sentences_matching(store: Store, word: str) -> int:
    """Entries of the SQLite claim-sentence index holding `word` (read from the index alone)."""
    with store.db.read() as conn:
        statement = "SELECT count(*) FROM claim_sentences_fts WHERE claim_sentences_fts MATCH ?"
        return int(conn.exec_driver_sql(statement, (fts5_match([word]),)).scalar_one())


FUNDS_TEXT = "加强资金管理。\n项目资金12万元。"
FUNDS_CLAIM = [("12万元", 120000.0, "元", "money", "资金", None)]


def test_index_search_claims_read_only_the_sentences_holding_a_claim(
    store: Store, make_extraction: MakeExtraction
) -> None:
    store.add_extraction(make_extraction(FUNDS_TEXT, finding=None, claims=FUNDS_CLAIM))
    assert _has_claims(store) == [False, True]
    assert [h.text for h in search(store, SearchQuery(q="资金")).hits] == ["12万元"]
    assert search(store, SearchQuery(q="资金", scope="sentences")).total == 2
    if store.db.is_sqlite:
        assert _claim_sentences_matching(store, "资金") == 1

    store.add_extraction(make_extraction(FUNDS_TEXT, finding=None, claims=[]))  # re-extracted: no claim
    assert _has_claims(store) == [False, False]
    assert search(store, SearchQuery(q="资金")).total == 0
    assert search(store, SearchQuery(q="资金", scope="sentences")).total == 2
    if store.db.is_sqlite:
        assert _claim_sentences_matching(store, "资金") == 0  # the trigger removed the stale entry


def test_index_search_migration_0005_marks_the_sentences_of_an_older_index(
    store: Store, make_extraction: MakeExtraction
) -> None:
    """Downgrading to 0004 drops the flag and the claim-sentence index; upgrading rebuilds both from the
    stored claims, and the sentence index (whose triggers survive) keeps working."""
    store.add_extraction(make_extraction(FUNDS_TEXT, finding=None, claims=FUNDS_CLAIM))
    with store.db.write_engine.connect() as conn:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        config.attributes["connection"] = conn
        command.downgrade(config, "0004")
        conn.commit()
    store.migrate()
    assert _has_claims(store) == [False, True]
    assert [h.text for h in search(store, SearchQuery(q="资金")).hits] == ["12万元"]
    store.add_extraction(make_extraction("预算资金执行率95%。", finding=None, claims=[]))
    assert search(store, SearchQuery(q="执行率", scope="sentences")).total == 1
