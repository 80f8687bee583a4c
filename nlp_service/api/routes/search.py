"""`GET /v1/search`: full text and structured filters over claims (or sentences), with facets."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from nlp_service.api.deps import StoreDep, ViewerDep
from nlp_service.api.routes.common import error_responses
from nlp_service.index.records import SearchHits
from nlp_service.index.search import SearchQuery, search

router = APIRouter(prefix="/v1/search", tags=["search"])

SEARCH_EXAMPLE = {
    "total": 1,
    "hits": [
        {
            "type": "claim",
            "document": {
                "id": "3b92…",
                "source": "report.txt",
                "title": None,
                "org": "区纪委监委",
                "year": 2022,
            },
            "start": 1636,
            "end": 1639,
            "text": "23个",
            "sentence": {
                "start": 1620,
                "end": 1650,
                "text": "…共发现问题23个。",
                "marked": "…共发现问题【23个】。",
            },
            "claim_row": 17,
            "claim_id": "c12",
            "value": 23,
            "unit": "个",
            "kind": "count",
            "object": "问题",
            "predicate": "发现",
            "review_status": None,
        }
    ],
    "facets": {
        "kind": {"count": 1},
        "unit": {"个": 1},
        "year": {"2022": 1},
        "org": {"区纪委监委": 1},
        "finding": {},
    },
}


@router.get(
    "",
    summary="Search claims (or sentences) by Chinese full text and structured filters",
    description="Example: `/v1/search?q=发现问题&kind=count&min=20&year=2022`. Full text is segmented with "
    "jieba; every word must occur in the claim's sentence. Filters combine with AND.",
    responses={
        200: {"content": {"application/json": {"example": SEARCH_EXAMPLE}}},
        **error_responses(401, 422),
    },
)
def search_index(query: Annotated[SearchQuery, Query()], store: StoreDep, _: ViewerDep) -> SearchHits:
    return search(store, query)
