"""Exports (XLSX, CSV, Label Studio) and imports (Label Studio → reviews, gold) over the contract."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from nlp_service.errors import InputError
from nlp_service.exports import (
    ReviewRecord,
    annotated_claims,
    extraction_from_gold,
    gold_from_label_studio,
    label_studio_config,
    load_label_studio,
    reviewed_claims,
    reviews_from_label_studio,
    to_csv,
    to_label_studio,
    to_xlsx,
)
from nlp_service.schema import ClaimPublic, DocumentMeta, EvidencePublic, Extraction, FindingPublic

SEED_DIR = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "seed"
SEED_NAME = "zy-jiwei-2022-xuncha"

TEXT = '巡察发现问题23个，移交问题线索22件。=SUM(A1) "引号" <script>alert(1)</script>'


def _claim(cid: str, start: int, end: int, **fields: Any) -> ClaimPublic:
    return ClaimPublic(id=cid, start=start, end=end, text=TEXT[start:end], **fields)


@pytest.fixture
def extraction() -> Extraction:
    claims = [
        _claim(
            "c1",
            6,
            9,
            value=23,
            unit="个",
            object="问题",
            object_span=(4, 6),
            predicate="发现",
            predicate_span=(2, 4),
        ),  # fmt: skip
        _claim(
            "c2",
            16,
            19,
            value=22,
            unit="件",
            object="问题线索",
            object_span=(12, 16),
            predicate="移交",
            predicate_span=(10, 12),
        ),  # fmt: skip
    ]
    finding = FindingPublic(
        id="f1",
        code="claim_conflict",
        severity="warning",
        message="=矛盾",
        evidence=[EvidencePublic(start=10, end=19)],
    )
    meta = DocumentMeta(id="d" * 64, source="r.txt", chars=len(TEXT))
    return Extraction(document=meta, text=TEXT, claims=claims, findings=[finding])


@pytest.fixture
def reviews() -> list[ReviewRecord]:
    return [
        ReviewRecord(
            "c1",
            "correct",
            "审核员甲",
            "2026-11-27T12:00:00+00:00",
            "单位应为项",
            {"unit": "项", "value": 24.0},
            {"unit": "个", "value": 23.0},
        ),  # fmt: skip
        ReviewRecord("c2", "reject", "审核员乙", "2026-11-27T12:01:00+00:00", "不是数量"),
    ]


def _sheet_rows(data: bytes, sheet: str) -> list[dict[str, Any]]:
    workbook = load_workbook(io.BytesIO(data))
    rows = list(workbook[sheet].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_exports_xlsx_has_the_four_sheets_with_claims_and_reviews(
    extraction: Extraction, reviews: list
) -> None:
    data = to_xlsx(extraction, reviews)
    assert {"claims", "indicators", "findings", "reviews"} <= set(load_workbook(io.BytesIO(data)).sheetnames)
    claims = _sheet_rows(data, "claims")
    assert [(c["id"], c["text"], c["value"], c["unit"]) for c in claims] == [
        ("c1", "23个", 23, "个"),
        ("c2", "22件", 22, "件"),
    ]
    assert (claims[0]["review"], claims[0]["reviewed_unit"], claims[0]["reviewed_value"]) == (
        "correct",
        "项",
        24,
    )
    assert claims[1]["review"] == "reject" and claims[1]["findings"] == "claim_conflict"
    changes = _sheet_rows(data, "reviews")
    assert [(r["claim"], r["field"], r["original"], r["new"], r["reviewer"]) for r in changes] == [
        ("c1", "unit", "个", "项", "审核员甲"), ("c1", "value", 23, 24, "审核员甲"), ("c2", None, None, None, "审核员乙")
    ]  # fmt: skip


def test_exports_xlsx_keeps_formula_like_text_as_text(extraction: Extraction) -> None:
    workbook = load_workbook(io.BytesIO(to_xlsx(extraction)))
    cell = workbook["findings"]["D2"]
    assert (cell.value, cell.data_type) == ("=矛盾", "s")


def test_exports_csv_is_utf8_with_bom_and_defuses_formulas(extraction: Extraction, reviews: list) -> None:
    text = to_csv(extraction, reviews, sheet="findings")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0]["message"] == "'=矛盾"
    claims = list(csv.DictReader(io.StringIO(to_csv(extraction, reviews).lstrip("\ufeff"))))
    assert [row["id"] for row in claims] == ["c1", "c2"] and claims[0]["reason"] == "单位应为项"


def test_exports_csv_refuses_an_unknown_sheet(extraction: Extraction) -> None:
    with pytest.raises(InputError, match="unknown sheet"):
        to_csv(extraction, sheet="nope")


def test_exports_reviewed_claims_apply_corrections_and_drop_rejections(
    extraction: Extraction, reviews: list
) -> None:
    claims = reviewed_claims(extraction, reviews)
    assert [(c.id, c.value, c.unit) for c in claims] == [("c1", 24.0, "项")]


def _result_types(task: dict[str, Any]) -> list[tuple[str, str]]:
    return [(r["type"], r.get("id") or r["labels"][0]) for r in task["predictions"][0]["result"]]


def test_exports_label_studio_task_marks_spans_and_relations(extraction: Extraction) -> None:
    task = to_label_studio(extraction)
    result = task["predictions"][0]["result"]
    spans = [r["value"] for r in result if r["type"] == "labels"]
    assert all(TEXT[s["start"] : s["end"]] == s["text"] for s in spans)
    relations = {(r["from_id"], r["to_id"], r["labels"][0]) for r in result if r["type"] == "relation"}
    assert relations == {("c1", "c1-object", "object"), ("c1", "c1-predicate", "predicate"),
                         ("c2", "c2-object", "object"), ("c2", "c2-predicate", "predicate")}  # fmt: skip
    assert task["annotations"] == [] and task["data"]["text"] == TEXT
    assert '<Labels name="claim"' in label_studio_config()


def test_exports_label_studio_round_trip_gives_the_same_reviews(
    extraction: Extraction, reviews: list
) -> None:
    task = json.loads(json.dumps(to_label_studio(extraction, reviews)))
    imported, added = reviews_from_label_studio(extraction, task, reviewer="ls")
    assert [(r.claim_id, r.action, dict(r.changes)) for r in imported] == [
        ("c1", "correct", {"value": 24.0, "unit": "项"}), ("c2", "reject", {})
    ]  # fmt: skip
    assert imported[0].original["unit"] == "个" and added == []


def _annotate(task: dict[str, Any], result: list[dict[str, Any]]) -> dict[str, Any]:
    return {**task, "annotations": [{"result": result, "updated_at": "2026-11-27T12:00:00"}]}


def test_exports_label_studio_import_finds_added_claims_and_builds_gold(extraction: Extraction) -> None:
    task = to_label_studio(extraction)
    result = list(task["predictions"][0]["result"])
    result.append({"id": "new1", "from_name": "claim", "to_name": "text", "type": "labels",
                   "value": {"start": 16, "end": 19, "text": "22件", "labels": ["count"]}})  # fmt: skip
    annotated = _annotate(task, result)
    _, added = reviews_from_label_studio(extraction, annotated)
    assert [(c.region_id, c.start, c.end) for c in added] == [("new1", 16, 19)]
    gold = gold_from_label_studio(annotated, extraction)
    assert gold["chars"] == len(TEXT) and len(gold["claims"]) == 3
    first = gold["claims"][0]
    assert (first["text"], first["value"], first["unit"], first["object"], first["predicate"]) == (
        "23个",
        23,
        "个",
        "问题",
        "发现",
    )


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("{not json", "not JSON"),
        ('"text"', "expected a Label Studio task"),
    ],
)
def test_exports_load_label_studio_refuses_bad_files(payload: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        load_label_studio(payload)


@pytest.mark.parametrize(
    ("annotations", "message"),
    [
        ([], "no annotation"),
        ([{"result": [{"id": "x", "type": "labels", "from_name": "claim", "value": {"start": 5, "end": 999, "labels": ["count"]}}]}], "bad offsets"),
        ([{"result": [{"id": "x", "type": "labels", "from_name": "claim", "value": {"start": 6, "end": 9, "labels": ["count"]}},
                      {"id": "x", "type": "textarea", "from_name": "value", "value": {"text": ["abc"]}}]}], "not a number"),
    ],
)  # fmt: skip
def test_exports_label_studio_import_refuses_bad_annotations(
    extraction: Extraction, annotations: list, message: str
) -> None:
    task = {"data": {"text": TEXT}, "annotations": annotations}
    with pytest.raises(InputError, match=message):
        annotated_claims(task)


def test_exports_label_studio_import_refuses_another_documents_text(extraction: Extraction) -> None:
    task = {"data": {"text": "别的文本"}, "annotations": [{"result": []}]}
    with pytest.raises(InputError, match="not this document's text"):
        reviews_from_label_studio(extraction, task)


def test_exports_extraction_from_gold_keeps_offsets_and_money_in_yuan() -> None:
    text = (SEED_DIR / f"{SEED_NAME}.txt").read_text(encoding="utf-8")
    gold = json.loads((SEED_DIR / f"{SEED_NAME}.gold.json").read_text(encoding="utf-8"))
    extraction = extraction_from_gold(text, gold, name=f"{SEED_NAME}.txt")
    assert len(extraction.claims) == len(gold["claims"]) and len(extraction.findings) == 4
    assert all(text[c.start : c.end] == c.text for c in extraction.claims)
    assert extraction.funding is not None and extraction.funding.executed == 550000
    first = extraction.indicators[0]
    assert (first.target.op, first.target.value) == (">=", 200)
    assert {link.indicator for link in extraction.links} <= {i.id for i in extraction.indicators}


def _load_script(name: str) -> Any:
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "scripts" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_exports_label_studio_gold_script_round_trips_the_seed_gold(tmp_path: Path) -> None:
    text = (SEED_DIR / f"{SEED_NAME}.txt").read_text(encoding="utf-8")
    gold = json.loads((SEED_DIR / f"{SEED_NAME}.gold.json").read_text(encoding="utf-8"))
    extraction = extraction_from_gold(text, gold, name=f"{SEED_NAME}.txt")
    accepted = [ReviewRecord(c.id, "accept", "甲", "2026-11-27T12:00:00") for c in extraction.claims]
    unannotated = {"data": {"text": "无标注", "source": "empty.txt"}, "annotations": []}
    export = tmp_path / "export.json"
    export.write_text(
        json.dumps([to_label_studio(extraction, accepted), unannotated], ensure_ascii=False), encoding="utf-8"
    )
    script = _load_script("label_studio_gold")
    assert script.main([str(export), str(tmp_path / "gold")]) == 0
    written = json.loads((tmp_path / "gold" / f"{SEED_NAME}.gold.json").read_text(encoding="utf-8"))
    assert (tmp_path / "gold" / f"{SEED_NAME}.txt").read_text(encoding="utf-8") == text
    fields = ("start", "end", "text", "value", "unit", "kind", "object", "predicate")
    assert [tuple(c[f] for f in fields) for c in written["claims"]] == [
        tuple(c[f] for f in fields) for c in gold["claims"]
    ]
    assert not (tmp_path / "gold" / "empty.gold.json").exists()
