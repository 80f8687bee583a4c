"""The checks end to end (real pipeline and table reader) on the seed, the dev set and planted variants.

These need the claim extractor and the table reader as well as the checks: a failure here can come
from any of the three (see scripts/eval_checks.py -v for which finding was missed and why).
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path

import pytest

from nlp_service.checks.evaluation import evaluate_gold, evaluate_variants

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
SEED = CORPORA / "seed" / "zy-jiwei-2022-xuncha.txt"
DEV = sorted((CORPORA / "dev").glob("*.txt"))


def test_checks_corpus_seed_raises_exactly_its_gold_findings() -> None:
    from nlp_service.extractor import extract

    gold = json.loads(SEED.with_name(SEED.stem + ".gold.json").read_text(encoding="utf-8"))
    findings = extract(SEED).findings
    assert Counter((f.code, f.severity) for f in findings) == Counter(
        (f["code"], f["severity"]) for f in gold["findings"]
    )
    text = SEED.read_text(encoding="utf-8")
    for finding in findings:
        ranges = [(e.start, e.end) for e in finding.evidence if e.start is not None and e.end is not None]
        assert ranges and finding.message, finding.code  # a reviewer can jump to the evidence
        assert all(text[start:end].strip() for start, end in ranges)


@pytest.mark.slow
def test_checks_corpus_dev_clean_documents_raise_no_error() -> None:
    report = evaluate_gold(DEV)
    assert report.clean_documents >= 40
    assert report.clean_with_errors == []


@pytest.mark.slow
def test_checks_corpus_dev_gold_findings_recall() -> None:
    report = evaluate_gold(DEV)
    assert report.recall >= 0.9, report.missed


def _perturb_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("perturb", ROOT / "scripts" / "perturb.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["perturb"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_checks_corpus_planted_inconsistencies_are_found(tmp_path: Path) -> None:
    manifest = _perturb_module().write_variants(tmp_path, [SEED, *DEV])
    assert len(manifest["variants"]) >= 200
    report = evaluate_variants(tmp_path / "manifest.json")
    assert report.recall >= 0.95, report.missed
    assert report.precision >= 0.95, report.wrong_errors
