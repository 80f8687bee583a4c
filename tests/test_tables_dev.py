"""The dev corpus tables, scored with the reference scorer's rules (../shared/tools/score_tables.py)."""

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from nlp_service.ingest.document import Document
from nlp_service.tables import read_tables

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEV = SHARED / "corpora" / "dev"
SCORER = SHARED / "tools" / "score_tables.py"
MIN_ACCURACY = 0.80

pytestmark = pytest.mark.skipif(
    not (DEV.is_dir() and SCORER.exists()), reason="shared dev corpus not present"
)


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score_tables", SCORER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _table_golds() -> list[Path]:
    out = []
    for path in sorted(DEV.glob("*.gold.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        if gold.get("indicators") or gold.get("funding"):
            out.append(path)
    return out


def _prediction(text: str) -> dict:
    reading = read_tables(Document(text=text), [])
    return {
        "indicators": [i.model_dump() for i in reading.indicators],
        "funding": reading.funding.model_dump() if reading.funding else None,
    }


def test_tables_dev_field_accuracy_reaches_target() -> None:
    scorer = _scorer()
    ok = total = 0
    for gold_path in _table_golds():
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        text = gold_path.with_name(gold_path.name.replace(".gold.json", ".txt")).read_text(encoding="utf-8")
        got, out_of, _ = scorer.score(gold, _prediction(text))
        ok, total = ok + got, total + out_of
    assert total > 0
    assert ok / total >= MIN_ACCURACY, f"table fields {ok}/{total} = {ok / total:.3f}"


@pytest.mark.parametrize("name", ["q020", "q099", "q100", "q021", "p033"])
def test_tables_dev_clean_layouts_read_fully(name: str) -> None:
    """One document per layout (pipe rows, pipe with broken rows, spaces, one cell per line)."""
    gold = json.loads((DEV / f"{name}.gold.json").read_text(encoding="utf-8"))
    got, out_of, misses = _scorer().score(
        gold, _prediction((DEV / f"{name}.txt").read_text(encoding="utf-8"))
    )
    assert got == out_of, misses


def test_tables_dev_every_document_reads_without_error() -> None:
    for path in sorted(DEV.glob("*.txt")):
        reading = read_tables(Document(text=path.read_text(encoding="utf-8")), [])
        for indicator in reading.indicators:
            assert indicator.name
            assert indicator.start is not None and indicator.end is not None
