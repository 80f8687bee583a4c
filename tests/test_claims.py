"""Claims with their arguments: hand-built sentences, offsets round trip, the seed and the dev floors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language

from nlp_service.evaluation import evaluate, predictions_by_extracting, score_claims
from nlp_service.extractor import extract
from nlp_service.ingest.document import Document
from nlp_service.pipeline import claims as claims_module
from nlp_service.pipeline.tokenizer import blank_zh
from nlp_service.schema import ClaimPublic

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
SEED = CORPORA / "seed"
DEV = CORPORA / "dev"
needs_seed = pytest.mark.skipif(not SEED.is_dir(), reason="shared seed corpus not available")
needs_dev = pytest.mark.skipif(not DEV.is_dir(), reason="shared dev corpus not available")


@pytest.fixture(scope="module")
def nlp() -> Language:
    pipeline = blank_zh()
    for name, config in claims_module.COMPONENTS:
        pipeline.add_pipe(name, config=config)
    return pipeline


def claims_of(nlp: Language, text: str) -> list[ClaimPublic]:
    return claims_module.claims_from_doc(nlp(text), Document(text=text))


@pytest.mark.parametrize(
    ("text", "number", "obj", "pred"),
    [
        ("巡察组发现问题23个。", "23个", "问题", "发现"),
        ("区委巡察办选派5名巡察干部参加培训。", "5名", "巡察干部", "选派"),
        ("本项目预算收入55万元。", "55万元", "预算收入", None),
        ("共抽调10余名精干力量。", "10余名", "精干力量", "抽调"),
        ("区委召开4次区委常委会。", "4次", "区委常委会", "召开"),
        ("移交问题线索22件。", "22件", "问题线索", "移交"),
        ("固定资产投资增长11.2%。", "11.2%", "固定资产投资", "增长"),
        ("其中已整改190个。", "190个", None, "整改"),
        ("项目得分为99.5分。", "99.5分", "项目得分", None),
        ("组织巡察干部开展业务学习和培训2次。", "2次", "业务学习和培训", "开展"),
        ("贫困人口减少到317万人。", "317万人", "贫困人口", "减少"),
        ("共完成工程量波型护栏1820米,标志标牌18块。", "18块", "标志标牌", "完成"),
        ("分别立项实施高标准农田项目620万亩、640万亩。", "640万亩", "高标准农田项目", "立项实施"),
        ("信访接待矛盾纠纷排查59万元。", "59万元", "信访接待矛盾纠纷排查", None),
        ("2023主体班教育培训项目等专项资金92.4万元。", "92.4万元", "专项资金", None),
        ("对5个县直单位开展了巡察。", "5个", "县直单位", "开展"),
        ("巡察期间个别谈话110人次、走访40人次。", "40人次", "走访", "走访"),
        ("实际支出37,124.2万元,比预算增加35%。", "35%", "实际支出", "增加"),
        ("湖南省人民检察院有人员编制614名。", "614名", "人员编制", None),
    ],
)
def test_claims_objects_and_predicates(nlp: Language, text: str, number: str, obj: str | None,
                                       pred: str | None) -> None:
    found = {c.text: c for c in claims_of(nlp, text)}
    assert number in found
    assert (found[number].object, found[number].predicate) == (obj, pred)


@pytest.mark.parametrize(
    ("text", "number", "qualifier"),
    [("共收集信息76份。", "76份", "total"), ("收集信息76份,其中审计报告15份。", "15份", "part"),
     ("比预算增加35%。", "35%", "increase"), ("贫困人口减少到317万人。", "317万人", None),
     ("发现问题23个。", "23个", None)],
)
def test_claims_qualifiers(nlp: Language, text: str, number: str, qualifier: str | None) -> None:
    found = {c.text: c for c in claims_of(nlp, text)}
    assert found[number].qualifier == qualifier


def test_claims_time_and_sentence(nlp: Language) -> None:
    text = "开头。2022年3月22日，区委巡察办召开会议2次。"
    claim = claims_of(nlp, text)[0]
    assert claim.time == "2022年3月22日"
    assert claim.sentence is not None
    assert text[claim.sentence[0] : claim.sentence[1]] == "2022年3月22日，区委巡察办召开会议2次。"
    assert claim.source == "narrative"


def assert_offsets_index_text(result: dict[str, Any]) -> None:
    text = result["text"]
    for c in result["claims"]:
        assert text[c["start"] : c["end"]] == c["text"]
        if c["object_span"]:
            assert text[c["object_span"][0] : c["object_span"][1]] == c["object"]
        if c["predicate_span"]:
            assert text[c["predicate_span"][0] : c["predicate_span"][1]] == c["predicate"]
        if c["sentence"]:
            assert c["sentence"][0] <= c["start"] and c["end"] <= c["sentence"][1]
    for e in result["entities"]:
        assert text[e["start"] : e["end"]] == e["text"]
    for a in result["activities"]:
        assert text[a["start"] : a["end"]] == a["text"]


@needs_seed
def test_claims_offsets_round_trip_on_the_seed() -> None:
    path = next(SEED.glob("*.txt"))
    result = extract(path, use_models=False).model_dump(mode="json")
    json.dumps(result, ensure_ascii=False)
    assert_offsets_index_text(result)


@pytest.mark.parametrize("text", ["发现问题２３个，涉及资金1,234.5万元。", "巡察\n发现问题 12 个", "无数字",
                                  "（一）项目概况\n1.共召开会议3次，其中专题会议1次。"])
def test_claims_offsets_round_trip_on_edge_texts(text: str) -> None:
    assert_offsets_index_text(extract(text, use_models=False).model_dump(mode="json"))


@needs_seed
def test_claims_seed_all_gold_claims_found_with_values_and_objects() -> None:
    path = next(SEED.glob("*.txt"))
    gold = json.loads((SEED / f"{path.stem}.gold.json").read_text(encoding="utf-8"))
    score = score_claims(gold, extract(path, use_models=False).model_dump(mode="json"))
    assert score.tp == len(gold["claims"]) == 39
    assert score.value == score.tp
    assert score.accuracy("object") >= 0.90


@needs_dev
@pytest.mark.slow
def test_claims_dev_floors() -> None:
    """Issue 2's floors on ../shared/corpora/dev, as the evaluation command prints them."""
    result = evaluate(DEV, predictions_by_extracting(DEV, use_models=False))
    claims = result.claims
    assert result.unreadable == 0
    assert claims.f1 >= 0.95
    assert claims.accuracy("value") >= 0.98
    assert claims.accuracy("object") >= 0.85
    assert claims.accuracy("predicate") >= 0.80
