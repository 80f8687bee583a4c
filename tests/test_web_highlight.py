"""Marked-up document text: escaped, claims whole and at their offsets, other spans nested."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from nlp_service.schema import ClaimPublic, DocumentMeta, EvidencePublic, Extraction, FindingPublic
from nlp_service.web.highlight import Span, mark_extraction, mark_text
from nlp_service.web.views import document_view


class _Marks(HTMLParser):
    """Collects the text of the whole document and of every <mark>, checking that tags nest."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text = ""
        self.stack: list[tuple[str, dict[str, str | None], int]] = []
        self.marks: list[tuple[dict[str, str | None], str]] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.stack.append((tag, dict(attrs), len(self.text)))

    def handle_endtag(self, tag: str) -> None:
        open_tag, attrs, start = self.stack.pop()
        assert open_tag == tag, f"</{tag}> closes <{open_tag}>"
        if tag == "mark":
            self.marks.append((attrs, self.text[start:]))

    def handle_data(self, data: str) -> None:
        self.text += data


def _parse(html: str) -> _Marks:
    parser = _Marks()
    parser.feed(html)
    parser.close()
    assert parser.stack == []
    return parser


def _claim(cid: str, start: int, end: int) -> Span:
    return Span(
        start, end, "claim", "claim", (("data-id", cid), ("data-start", str(start)), ("data-end", str(end)))
    )


HOSTILE = "前文<script>alert(\"x\")</script>发现问题23个<img src=x onerror=alert(1)>及'引号'与&amp;共5件"


@pytest.mark.parametrize(
    ("claims", "others"),
    [
        ([], []),
        ([(33, 36)], []),
        ([(33, 36), (76, 78)], [Span(31, 33, "arg"), Span(29, 31, "arg")]),
        ([(33, 36)], [Span(31, 34, "arg"), Span(35, 45, "evidence"), Span(0, 78, "evidence")]),
        ([(33, 36), (34, 37)], [Span(33, 36, "evidence"), Span(33, 36, "arg"), Span(34, 35, "arg")]),
        ([(0, 78)], [Span(10, 20, "evidence")]),
    ],
)
def test_web_highlight_keeps_text_exact_and_claims_whole(claims: list, others: list) -> None:
    spans = [_claim(f"c{n}", start, end) for n, (start, end) in enumerate(claims)]
    marked = mark_text(HOSTILE, spans, others)
    parsed = _parse(str(marked.html))
    assert parsed.text == HOSTILE
    assert "script" not in parsed.tags and "img" not in parsed.tags
    shown = [(attrs["data-id"], text) for attrs, text in parsed.marks]
    kept = [(s.start, s.end) for s in spans if _attr(s, "data-id") in marked.claims_shown]
    assert [text for _, text in shown] == [HOSTILE[start:end] for start, end in kept]
    assert len(marked.claims_shown) + len(marked.claims_skipped) == len(claims)


def _attr(span: Span, name: str) -> str:
    return dict(span.attrs)[name]


def test_web_highlight_escapes_attribute_values() -> None:
    span = Span(0, 2, "claim", "claim", (("data-id", "c1"), ("title", '"><script>')))
    html = str(mark_text("abcd", [span]).html)
    assert "<script>" not in html and "&#34;&gt;&lt;script&gt;" in html


def test_web_highlight_marks_every_claim_of_an_extraction_by_kind_link_and_finding() -> None:
    text = "巡察发现问题23个，移交问题线索22件，资金55万元。"
    claims = [
        ClaimPublic(
            id="c1", start=6, end=9, text="23个", value=23, unit="个", object="问题", object_span=(4, 6)
        ),
        ClaimPublic(id="c2", start=16, end=19, text="22件", value=22, unit="件"),
        ClaimPublic(id="c3", start=22, end=26, text="55万元", value=550000, unit="元", kind="money"),
    ]
    finding = FindingPublic(id="f1", code="funding_mismatch", severity="error", message="m",
                            evidence=[EvidencePublic(start=20, end=27)])  # fmt: skip
    extraction = Extraction(document=DocumentMeta(id="x"), text=text, claims=claims, findings=[finding])
    marked = mark_extraction(extraction, {"c2": "accepted"})
    parsed = _parse(str(marked.html))
    by_id = {attrs["data-id"]: (attrs, body) for attrs, body in parsed.marks}
    assert set(by_id) == {"c1", "c2", "c3"}
    for claim in claims:
        attrs, body = by_id[claim.id]
        assert (attrs["data-start"], attrs["data-end"], body) == (
            str(claim.start),
            str(claim.end),
            claim.text,
        )
    assert "kind-money" in str(by_id["c3"][0]["class"]) and "flagged" in str(by_id["c3"][0]["class"])
    assert "review-accepted" in str(by_id["c2"][0]["class"])
    assert re.search(r"对象：问题", str(by_id["c1"][0]["title"]))
    assert 'id="ev-f1-0"' in str(marked.html)


def test_web_highlight_names_the_claims_it_cannot_mark() -> None:
    text = "共发现问题23个。"
    claims = [
        ClaimPublic(id="c1", start=5, end=8, text="23个", value=23, unit="个"),
        ClaimPublic(id="c2", start=6, end=8, text="3个", value=3, unit="个"),
    ]
    view = document_view(Extraction(document=DocumentMeta(id="x"), text=text, claims=claims), [], {})
    assert str(view.marked).count("<mark") == 1
    assert any("c2" in note and "未在正文中标出" in note for note in view.notes)
