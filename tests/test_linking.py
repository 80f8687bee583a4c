"""Claims are linked to the indicators they evidence, best first, each link with a score and a reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from builders import claim

from nlp_service import linking
from nlp_service.ingest.document import Document
from nlp_service.schema import ActualPublic, ClaimPublic, IndicatorPublic, TargetPublic

SEED = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "seed" / "zy-jiwei-2022-xuncha.txt"


def _claim(
    doc: str,
    text: str,
    value: float,
    unit: str | None,
    obj: str | None,
    predicate: str | None,
    kind: str = "count",
) -> ClaimPublic:
    return claim(text, doc, value, unit, kind, obj=obj, predicate=predicate)


def _indicator(
    name: str, target: TargetPublic | None = None, actual: ActualPublic | None = None
) -> IndicatorPublic:
    return IndicatorPublic(
        id="i1", name=name, target=target or TargetPublic(), actual=actual or ActualPublic()
    )


@pytest.mark.parametrize(
    ("doc", "claim_args", "indicator", "linked", "reason"),
    [
        (
            "至目前，发现问题23个，全部督促整改到位。",
            ("23个", 23, "个", "问题", "发现"),
            _indicator("巡察发现问题数量", TargetPublic(raw="≥200", op=">=", value=200)),
            True,
            "~ 巡察发现问题数量",
        ),
        (
            "全年支出专项经费30万元。",
            ("30万元", 300000, "元", "专项经费", "支出", "money"),
            _indicator("专项资金支出", TargetPublic(raw="30万元", value=300000, unit="元")),
            True,
            "经费",
        ),
        (
            "新建收容所1间200平方米。",
            ("200平方米", 200, "平方米", None, None, "measure"),
            _indicator("收容所", TargetPublic(raw="≥200平方米", op=">=", value=200, unit="平方米")),
            True,
            "单位平方米",
        ),
        (
            "召开4次区委常委会。",
            ("4次", 4, "次", "区委常委会", "召开"),
            _indicator("公用经费控制率", TargetPublic(raw="100%", value=100, unit="%")),
            False,
            "",
        ),
    ],
    ids=["words_and_head", "synonym", "unit_and_clause", "unrelated"],
)
def test_linking_scores_words_synonyms_and_units(
    doc: str, claim_args: tuple, indicator: IndicatorPublic, linked: bool, reason: str
) -> None:
    claim = _claim(doc, *claim_args)
    links = linking.link([claim], [indicator], Document(text=doc))
    assert bool(links) == linked
    if linked:
        assert links[0].claim == claim.id and links[0].indicator == "i1"
        assert linking.THRESHOLD <= links[0].score <= 1
        assert reason in links[0].evidence


def test_linking_claim_in_the_actual_cell_is_linked_without_shared_words() -> None:
    doc = "廉洁文化覆盖率 ≥80% 组织开展廉政家访活动，家访谈话154人次。"
    claim = _claim(doc, "154人次", 154, "人次", "家访谈话", None)
    start = doc.index("组织")
    indicator = _indicator(
        "廉洁文化覆盖率",
        TargetPublic(raw="≥80%", op=">=", value=80, unit="%"),
        ActualPublic(raw=doc[start:], start=start, end=len(doc), claims=[claim.id]),
    )
    links = linking.link([claim], [indicator], Document(text=doc))
    assert [link.claim for link in links] == [claim.id]
    assert "实际完成值单元格" in links[0].evidence


def test_linking_ranks_unit_agreement_above_disagreement() -> None:
    doc = "接受临时救助87人次，发放临时救助资金30万元。"
    people = _claim(doc, "87人次", 87, "人次", "临时救助", "接受")
    money = _claim(doc, "30万元", 300000, "元", "临时救助资金", "发放", "money")
    indicator = _indicator(
        "接受临时救助的人次数", TargetPublic(raw=">=59人次", op=">=", value=59, unit="人次")
    )
    ranked = linking.rank([money, people], indicator, Document(text=doc))
    assert ranked[0][1].id == people.id


def test_linking_builds_the_segmenter_once() -> None:
    assert linking._tokenizer() is linking._tokenizer()
    assert (
        "经费" in linking.synonym_groups()
        and linking.synonym_groups()["经费"] & linking.synonym_groups()["资金"]
    )


def test_linking_seed_links_agree_with_gold() -> None:
    """Each gold link of the seed is returned, and each gold-linked indicator's top link is a gold one."""
    from nlp_service.extractor import extract

    gold = json.loads(SEED.with_name(SEED.stem + ".gold.json").read_text(encoding="utf-8"))
    result = extract(SEED)
    returned: dict[str, list[str]] = {}
    for item in result.links:  # links come best first within each indicator
        returned.setdefault(item.indicator, []).append(item.claim)
    by_name = {i.name: i.id for i in result.indicators}
    claims = {c.id: c for c in result.claims}
    wanted: dict[str, list[str]] = {}
    for item in gold["links"]:
        span = gold["claims"][item["claim"]]
        claim = next(c for c in result.claims if c.start < span["end"] and span["start"] < c.end)
        wanted.setdefault(by_name[item["indicator"]], []).append(claim.id)
    for indicator, claim_ids in wanted.items():
        assert set(claim_ids) <= set(returned.get(indicator, [])), indicator
        top = claims[returned[indicator][0]]
        same = [claims[c] for c in claim_ids if claims[c].value == top.value and claims[c].unit == top.unit]
        assert top.id in claim_ids or same, indicator
