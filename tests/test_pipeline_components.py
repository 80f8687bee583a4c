"""The registered spaCy components: span groups, JSON-serialisable extensions, kept-whole quantities."""

from __future__ import annotations

import json

import pytest
from spacy.language import Language
from spacy.tokens import Span

from nlp_service.ingest.document import Document
from nlp_service.pipeline import activities, claims, metadata
from nlp_service.pipeline.tokenizer import blank_zh

TEXT = ("2022年3月22日，区委召开全区巡察工作会议，部署开展第一轮巡察。"
        "巡察组发现问题23个，移交问题线索22件，根据《巡察工作条例》要求整改。")


@pytest.fixture(scope="module")
def nlp() -> Language:
    pipeline = blank_zh()
    for name, config in [*claims.COMPONENTS, *activities.COMPONENTS]:
        pipeline.add_pipe(name, config=config)
    return pipeline


@pytest.mark.parametrize("name", ["nlp_service_quantities", "nlp_service_dates", "nlp_service_claims",
                                  "nlp_service_activities"])
def test_pipeline_components_are_registered_factories(name: str) -> None:
    assert name in Language.factories


@pytest.mark.parametrize("extension", ["quantity", "claim", "activity"])
def test_pipeline_components_register_span_extensions_once(extension: str) -> None:
    assert Span.has_extension(extension)


def test_pipeline_components_domain_lexicon_segments_domain_words(nlp: Language) -> None:
    words = [t.text for t in nlp.tokenizer("纪委监委移交问题线索，执行率达到100%")]
    assert "纪委监委" in words and "问题线索" in words and "执行率" in words


def test_pipeline_components_keep_number_and_unit_whole(nlp: Language) -> None:
    doc = nlp(TEXT)
    words = [t.text for t in doc]
    assert "23个" in words and "22件" in words
    assert "".join(t.text_with_ws for t in doc) == TEXT


def test_pipeline_components_span_groups(nlp: Language) -> None:
    doc = nlp(TEXT)
    assert [s.text for s in doc.spans["claims"]] == ["23个", "22件"]
    assert "2022年3月22日" in [s.text for s in doc.spans["dates"]]
    assert [s.text for s in doc.spans["doc_titles"]] == ["《巡察工作条例》"]
    reasons = {s.text: s._.quantity["non_claim"] for s in doc.spans["quantities"]}
    assert reasons["23个"] is None and reasons["一轮"] == "ordinal"


def test_pipeline_components_extension_values_are_json(nlp: Language) -> None:
    doc = nlp(TEXT)
    for group, extension in (("quantities", "quantity"), ("claims", "claim"), ("activities", "activity")):
        for span in doc.spans[group]:
            json.dumps(getattr(span._, extension), ensure_ascii=False)


def test_pipeline_components_activities_carry_date_and_claims(nlp: Language) -> None:
    doc = nlp("2022年3月22日，区委召开4次区委常委会。")
    found = activities.activities_from_doc(doc, claims.claims_from_doc(doc, Document(text=doc.text)))
    assert found and found[0].predicate == "召开"
    assert found[0].date == "2022年3月22日"
    assert found[0].claims == ["c1"]


@pytest.mark.parametrize(
    ("text", "title", "year"),
    [("某某区纪委监委2022年巡察专项支出绩效自评报告\n一、项目情况\n", "某某区纪委监委2022年巡察专项支出绩效自评报告", 2022),
     ("2023年度县委巡察办整体支出\n绩效自评报告\n一、基本情况", "2023年度县委巡察办整体支出绩效自评报告", 2023)],
)
def test_pipeline_components_metadata_title_and_year(nlp: Language, text: str, title: str, year: int) -> None:
    meta = metadata.metadata_from_doc(nlp(text), Document(text=text))
    assert (meta["title"], meta["year"]) == (title, year)


def test_pipeline_components_metadata_report_date() -> None:
    assert metadata.report_date("正文。\n某某单位\n2023年4月27日") == "2023-04-27"
