"""scripts/perturb.py plants one inconsistency per variant and says which finding it must raise."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

from nlp_service.checks.evaluation import analyse, evaluate_variants

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "corpora" / "seed" / "zy-jiwei-2022-xuncha.txt"
REPORT = "本单位预算收入合计120万元，其中财政拨款收入100万元，其他收入20万元。全年共召开会议4次。"


def _load_perturb() -> ModuleType:
    spec = importlib.util.spec_from_file_location("perturb", ROOT / "scripts" / "perturb.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["perturb"] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


perturb = _load_perturb()


def _gold_claim(
    text: str, span: str, value: float, unit: str, kind: str, obj: str, qualifier: str | None
) -> dict:
    start = re.search(rf"(?<![0-9]){re.escape(span)}", text).start()  # type: ignore[union-attr]
    return {
        "start": start,
        "end": start + len(span),
        "text": span,
        "value": value,
        "unit": unit,
        "kind": kind,
        "object": obj,
        "predicate": None,
        "qualifier": qualifier,
        "source": "narrative",
    }


@pytest.fixture
def small_report(tmp_path: Path) -> Path:
    path = tmp_path / "r1.txt"
    path.write_text(REPORT, encoding="utf-8")
    claims = [
        _gold_claim(REPORT, "120万元", 1200000, "元", "money", "预算收入", "total"),
        _gold_claim(REPORT, "100万元", 1000000, "元", "money", "财政拨款收入", "part"),
        _gold_claim(REPORT, "20万元", 200000, "元", "money", "其他收入", "part"),
        _gold_claim(REPORT, "4次", 4, "次", "count", "会议", "total"),
    ]
    gold = {
        "doc": path.name,
        "claims": claims,
        "indicators": [],
        "funding": None,
        "links": [],
        "findings": [],
    }
    path.with_name("r1.gold.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    return path


def test_perturb_narrative_report_gets_total_part_and_repeated_claim_variants(small_report: Path) -> None:
    kinds = sorted(edit.kind for edit in perturb.edits_for(small_report))
    assert kinds == ["narrative_part", "narrative_total", "repeated_claim"]


def test_perturb_writes_one_edit_per_variant_and_a_manifest(small_report: Path, tmp_path: Path) -> None:
    out = tmp_path / "variants"
    manifest = perturb.write_variants(out, [small_report])
    stored = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert stored == manifest and len(stored["variants"]) == 3
    for item in stored["variants"]:
        text = (out / item["file"]).read_text(encoding="utf-8")
        assert text == REPORT[: item["start"]] + item["new"] + REPORT[item["end"] :]
        assert text != REPORT and item["expected"]


def test_perturb_variants_raise_the_planted_finding(small_report: Path, tmp_path: Path) -> None:
    out = tmp_path / "variants"
    perturb.write_variants(out, [small_report])
    report = evaluate_variants(out / "manifest.json")
    assert report.variants == 3 and report.recall == 1.0, report.missed
    assert report.precision == 1.0, report.wrong_errors


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        ("score", "score_exceeds_weight"),
        ("weight", "score_exceeds_weight"),
        ("rate", "execution_rate_mismatch"),
        ("executed", "execution_rate_mismatch"),
        ("total_row", "score_sum_mismatch"),
        ("overall_score", "overall_score_mismatch"),
    ],
)
def test_perturb_seed_table_edits_raise_their_finding(kind: str, code: str, tmp_path: Path) -> None:
    edits = [e for e in perturb.edits_for(SEED) if e.kind == kind]
    assert edits, kind
    text = SEED.read_text(encoding="utf-8")
    edit = edits[0]
    variant = tmp_path / "variant.txt"
    variant.write_text(text[: edit.start] + edit.new + text[edit.end :], encoding="utf-8")
    before = {(f.code, f.message) for f in analyse(SEED).findings}
    new = [f.code for f in analyse(variant).findings if (f.code, f.message) not in before]
    assert code in edit.expected
    assert any(c in edit.expected for c in new), (edit.description, new)


def test_perturb_refuses_reports_without_gold(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "lonely.txt"
    path.write_text(REPORT, encoding="utf-8")
    assert perturb.main([str(tmp_path / "out"), str(path)]) == 2
    assert "lonely.txt" in capsys.readouterr().err
