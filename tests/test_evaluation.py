"""The evaluation command scores like the reference scorers (../shared/tools)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from nlp_service.cli import app
from nlp_service.evaluation import (
    accepts,
    claims_summary,
    evaluate,
    match_spans,
    predictions_from_dir,
    same_unit,
    score_claims,
    tables_summary,
)
from nlp_service.extractor import extract

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEV = SHARED / "corpora" / "dev"
REFERENCE = SHARED / "tools" / "score_claims.py"
needs_shared = pytest.mark.skipif(not (DEV.is_dir() and REFERENCE.is_file()), reason="shared corpora not available")
SAMPLE = ["p001", "p013", "p029", "q007", "q042"]


@pytest.mark.parametrize(
    ("gold", "pred", "pairs"),
    [
        ([(0, 3), (5, 8)], [(5, 7), (0, 2)], [(0, 1), (1, 0)]),
        ([(0, 4)], [(0, 1), (1, 4)], [(0, 1)]),
        ([(0, 2)], [(3, 5)], []),
        ([(0, 4), (2, 6)], [(2, 4)], [(0, 0)]),
    ],
)
def test_evaluation_matching_is_one_to_one_by_largest_overlap(gold: list[tuple[int, int]],
                                                                pred: list[tuple[int, int]],
                                                                pairs: list[tuple[int, int]]) -> None:
    assert match_spans(gold, pred) == pairs


@pytest.mark.parametrize(
    ("pred", "gold", "alts", "ok"),
    [("问题", "问题", [], True), ("问题线索", "线索", ["问题线索"], True), (None, None, [], True),
     ("", None, None, True), ("问题", None, [], False), (" 问题 ", "问题", [], True)],
)
def test_evaluation_accepts_gold_or_alternatives(pred: str | None, gold: str | None, alts: list[str] | None,
                                                 ok: bool) -> None:
    assert accepts(pred, gold, alts) is ok


@pytest.mark.parametrize(("pred", "gold", "ok"), [("個", "个", True), ("條", "条", True), ("个", "件", False)])
def test_evaluation_units_compare_in_simplified_script(pred: str, gold: str, ok: bool) -> None:
    assert same_unit(pred, gold) is ok


def _claim(start: int, end: int, **extra: Any) -> dict[str, Any]:
    return {"start": start, "end": end, "text": "x", "value": 1, "unit": "个", "object": "问题",
            "predicate": "发现", "context": "", **extra}


def test_evaluation_false_positive_rules() -> None:
    gold = {"claims": [_claim(0, 3)], "table_region": [100, 200],
            "ignore": [{"start": 10, "end": 12, "text": "三个"}, {"start": 20, "end": 21, "text": "1"}],
            "dates": [{"start": 30, "end": 35, "text": "2022年"}]}
    pred = {"claims": [_claim(0, 3), _claim(10, 12), _claim(20, 21), _claim(30, 34, kind="duration"),
                       _claim(150, 152), _claim(40, 42), _claim(50, 52, kind="date")]}
    score = score_claims(gold, pred)
    assert (score.tp, score.fp, score.fn) == (1, 2, 0)


@pytest.fixture(scope="module")
def predictions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    gold_dir = tmp_path_factory.mktemp("gold")
    pred_dir = tmp_path_factory.mktemp("pred")
    for name in SAMPLE:
        for suffix in (".txt", ".gold.json"):
            shutil.copy(DEV / f"{name}{suffix}", gold_dir / f"{name}{suffix}")
        result = extract(DEV / f"{name}.txt", use_models=False).model_dump(mode="json")
        (pred_dir / f"{name}.json").write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    return gold_dir, pred_dir


@needs_shared
def test_evaluation_agrees_with_the_reference_scorer(predictions: tuple[Path, Path]) -> None:
    gold_dir, pred_dir = predictions
    reference = subprocess.run([sys.executable, str(REFERENCE), str(gold_dir), str(pred_dir)],
                               capture_output=True, text=True, check=True).stdout.splitlines()
    ours = evaluate(gold_dir, predictions_from_dir(pred_dir)).lines(per_document=True)
    assert [line for line in ours if not line.startswith("table fields")] == reference


@needs_shared
def test_evaluation_table_fields_agree_with_the_reference_scorer(predictions: tuple[Path, Path]) -> None:
    gold_dir, pred_dir = predictions
    reference = subprocess.run([sys.executable, str(SHARED / "tools" / "score_tables.py"), str(gold_dir),
                                str(pred_dir)], capture_output=True, text=True, check=True).stdout.splitlines()
    result = evaluate(gold_dir, predictions_from_dir(pred_dir))
    assert result.tables is not None and result.tables.documents > 0
    assert tables_summary(result.tables) == reference[-1]


@needs_shared
def test_evaluation_command_prints_the_reference_line(predictions: tuple[Path, Path]) -> None:
    gold_dir, pred_dir = predictions
    result = CliRunner().invoke(app, ["evaluate", str(gold_dir), "--pred-dir", str(pred_dir), "--quiet"])
    assert result.exit_code == 0
    expected = evaluate(gold_dir, predictions_from_dir(pred_dir))
    assert result.output.splitlines() == [claims_summary(expected.claims), tables_summary(expected.tables)]


@needs_shared
def test_evaluation_command_exits_1_below_a_floor(predictions: tuple[Path, Path]) -> None:
    gold_dir, pred_dir = predictions
    result = CliRunner().invoke(app, ["evaluate", str(gold_dir), "--pred-dir", str(pred_dir), "-q",
                                      "--min-f1", "1.01"])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == "short: f1"


def test_evaluation_command_rejects_a_directory_without_gold(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["evaluate", str(tmp_path)])
    assert result.exit_code != 0
