"""Contract test of the claim-argument ranker: train a few steps on a tiny corpus the test writes,
save, load, predict on normal and empty input; the choice it makes; its errors and `--no-models`."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import torch
from spacy.language import Language

from nlp_service.args import REBUILD_COMMAND
from nlp_service.args.chooser import RankerChooser, load_ranker, use_from_name
from nlp_service.args.features import hash_features
from nlp_service.args.model import Ranker, RankerSize
from nlp_service.errors import ModelMissing
from nlp_service.ingest.document import Document
from nlp_service.pipeline import claims as claims_module
from nlp_service.pipeline.tokenizer import blank_zh

ROOT = Path(__file__).resolve().parents[1]
TEXTS = {
    "r1": "2023年，县委巡察办选派5名巡察干部，发现问题23个，整改问题20个。",
    "r2": "全年完成护栏1820米，开展培训3次，培训学员120人。",
}


def train_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("train_args", ROOT / "scripts" / "train_args.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["train_args"] = module
    spec.loader.exec_module(module)
    return module


def gold_claim(text: str, number: str, obj: str | None, pred: str | None) -> dict[str, Any]:
    start = text.index(number)
    return {"start": start, "end": start + len(number), "text": number, "value": 0, "unit": "",
            "object": obj, "object_alt": [], "predicate": pred, "predicate_alt": [], "context": number}


def write_corpus(folder: Path) -> Path:
    """Two gold reports (NAME.txt + NAME.gold.json), an unlabelled JSON-lines file and a config."""
    gold_dir = folder / "gold"
    gold_dir.mkdir()
    claims = {"r1": [("5名", "巡察干部", "选派"), ("23个", "问题", "发现"), ("20个", "问题", "整改")],
              "r2": [("1820米", "护栏", "完成"), ("3次", "培训", "开展"), ("120人", "学员", "培训")]}
    for name, text in TEXTS.items():
        (gold_dir / f"{name}.txt").write_text(text, encoding="utf-8")
        gold = {"claims": [gold_claim(text, *c) for c in claims[name]], "ignore": [], "dates": []}
        (gold_dir / f"{name}.gold.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    unlabelled = folder / "reports.jsonl"
    unlabelled.write_text("\n".join(json.dumps({"content": t}, ensure_ascii=False) for t in TEXTS.values()),
                          encoding="utf-8")
    config = {
        "out_dir": str(folder / "out"), "weights": "args.pt", "gold_dir": str(gold_dir),
        "unlabelled": [str(unlabelled)], "unlabelled_chars": 1000, "rule_min_score": 0.5, "rule_weight": 0.5,
        "kfold": 2, "inner_kfold": 2, "min_gain": 1,
        "variants": [{"name": "tiny", "margins": [0.0, 1.0]}],
        "size": {"buckets": 1024, "hidden": 4, "rule_features": True},
        "train": {"seed": 3, "epochs": 2, "batch_size": 2, "learning_rate": 0.01},
    }
    path = folder / "args.json"
    path.write_text(json.dumps(config), encoding="utf-8")
    return path


def claims_nlp(args_model: str = "") -> Language:
    nlp = blank_zh()
    for name, config in claims_module.COMPONENTS[:-1]:
        nlp.add_pipe(name, config=config)
    nlp.add_pipe("nlp_service_claims", config={"args_model": args_model})
    return nlp


def arguments_of(nlp: Language, text: str) -> list[tuple[str, str | None, str | None]]:
    doc = nlp(text)
    return [(c.text, c.object, c.predicate) for c in claims_module.claims_from_doc(doc, Document(text=text))]


def test_args_model_trains_saves_loads_and_predicts(tmp_path: Path) -> None:
    torch.set_num_threads(1)
    results = train_script().run(write_corpus(tmp_path))
    out = tmp_path / "out"
    for name in ("args.pt", "MODEL_CARD.md", "metrics.json", "train_args.json"):
        assert (out / name).is_file()
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["kfold_dev"]["overall"]["rules"]["matched"] == 6
    assert {"tiny@0.0/model", "tiny@1.0/model_object"} <= set(metrics["kfold_dev"]["overall"])
    assert set(results["use"].values()) <= {"rules", "model"}
    assert "k-fold accuracy" in (out / "MODEL_CARD.md").read_text(encoding="utf-8")

    nlp = claims_nlp(str(out / "args.pt"))
    found = arguments_of(nlp, TEXTS["r1"])
    assert [number for number, _, _ in found] == ["5名", "23个", "20个"]
    assert arguments_of(nlp, "") == []
    assert arguments_of(nlp, "本年度无数字。") == []
    assert load_ranker(out / "args.pt").scores([]) == []


def forced_ranker(feature: str, weight: float) -> Ranker:
    """A ranker that scores every candidate 0 except those with `feature` (scored `weight`)."""
    size = RankerSize(buckets=4096, hidden=2, rule_features=True)
    ranker = Ranker(size)
    with torch.no_grad():
        for param in ranker.scorer.parameters():
            param.zero_()
        ranker.scorer.linear.weight[hash_features([[feature]], size.buckets)[0][0], 0] = weight
    return ranker


@pytest.mark.parametrize(
    ("use", "margin", "expected"),
    [
        ({"object": "model", "predicate": "rules"}, 0.0, (None, "选派")),  # the model prefers no object
        ({"object": "model", "predicate": "rules"}, 5.0, ("巡察干部", "选派")),  # not by more than the margin
        ({"object": "rules", "predicate": "rules"}, 0.0, ("巡察干部", "选派")),  # the rules decide
        ({"object": "rules", "predicate": "model"}, 0.0, ("巡察干部", "选派")),  # a feature of objects only
    ],
)
def test_args_model_choice_follows_scores_use_and_margin(use: dict[str, str], margin: float,
                                                         expected: tuple[str | None, str | None]) -> None:
    nlp = claims_nlp()
    nlp.get_pipe("nlp_service_claims").chooser = RankerChooser(forced_ranker("o:none", 3.0), use, margin)
    (number, obj, pred), *_ = arguments_of(nlp, "县委巡察办选派5名巡察干部。")
    assert number == "5名"
    assert (obj, pred) == expected


@pytest.mark.parametrize("content", [None, b"garbage, not a torch file"])
def test_args_model_missing_names_file_and_command(tmp_path: Path, content: bytes | None) -> None:
    path = tmp_path / "args.pt"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ModelMissing) as caught:
        claims_nlp(str(path))
    assert str(path) in str(caught.value)
    assert REBUILD_COMMAND in str(caught.value)


def test_args_model_use_names() -> None:
    assert use_from_name("object") == {"object": "model", "predicate": "rules"}
    assert use_from_name("none") == {"object": "rules", "predicate": "rules"}
    with pytest.raises(ValueError, match="unknown argument-model use"):
        use_from_name("all")


def test_args_model_not_loaded_without_models() -> None:
    assert all(not config.get("args_model") for _, config in claims_module.components(use_models=False))
    assert any(config.get("args_model") for _, config in claims_module.components(use_models=True))
