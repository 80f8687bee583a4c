"""scripts/train_ner.py end to end on a corpus the test writes: a base file with unlabelled texts,
skip-gram vectors and checkpoint averaging, then a fine-tuning file with k-fold and base blending."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest
import torch

from nlp_service.ner.tagger import Tagger

ROOT = Path(__file__).resolve().parents[1]
SIZE = {"char_dim": 8, "bigram_dim": 4, "domain_dim": 2, "hidden": 8, "dropout": 0.1, "lexicon_dim": 4, "segment_dim": 4}


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("train_ner_script", ROOT / "scripts/train_ner.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def write_corpus(folder: Path) -> None:
    lines = []
    for text, spans in [("张三在北京工作。", [(0, 2, "PER"), (3, 5, "LOC")]), ("李四到上海参观。", [(0, 2, "PER"), (3, 5, "LOC")])] * 6:
        tags = ["O"] * len(text)
        for start, end, label in spans:
            tags[start : end] = [f"B-{label}"] + [f"I-{label}"] * (end - start - 1)
        lines += [f"{c} {t}" for c, t in zip(text, tags, strict=True)] + [""]
    (folder / "news.bio").write_text("\n".join(lines), encoding="utf-8")
    (folder / "plain.jsonl").write_text(
        "\n".join(json.dumps({"content": t}, ensure_ascii=False) for t in ["王五在广州工作。", "赵六到深圳参观。"] * 3), encoding="utf-8"
    )
    gold = folder / "gold"
    gold.mkdir()
    for name, text in [("a", "区委巡察办到张家塞乡检查。"), ("b", "区委组织部到三星村调研。"), ("c", "区委巡察办到三星村检查。")]:
        (gold / f"{name}.txt").write_text(text, encoding="utf-8")
        place = text.index("到") + 1
        entities = [{"start": 0, "end": place - 1, "label": "ORG"}, {"start": place, "end": len(text) - 3, "label": "LOC"}]
        (gold / f"{name}.entities.json").write_text(json.dumps({"entities": entities}, ensure_ascii=False), encoding="utf-8")


def test_train_ner_script_trains_a_pretrained_averaged_base_and_a_blended_fine_tuned_model(tmp_path: Path) -> None:
    write_corpus(tmp_path)
    base_config = {
        "out_dir": str(tmp_path / "base"),
        "sources": [{"kind": "bio", "path": str(tmp_path / "news.bio"), "domain": "news", "glue_name_runs": 1}],
        "unlabelled": [{"path": str(tmp_path / "plain.jsonl"), "field": "content"}],
        "heldout_fraction": 0.2,
        "train": {"epochs": 3, "batch_size": 4, "min_bigram": 1, "keep_best_epoch": False, "average_last_epochs": 2, "pretrain_epochs": 1},
        "size": SIZE,
    }
    fine_config = {
        "out_dir": str(tmp_path / "fine"),
        "base_config": str(tmp_path / "base.json"),
        "gold_dir": str(tmp_path / "gold"),
        "kfold": 3,
        "kfold_predictions": str(tmp_path / "fine/kfold.json"),
        "gold_repeat": 2,
        "base_share": 0.25,
        "sources": [{"kind": "bio", "path": str(tmp_path / "news.bio"), "domain": "news", "limit": 4}],
        "train": {"epochs": 1, "batch_size": 4, "min_bigram": 1},
        "size": SIZE,
    }
    (tmp_path / "base.json").write_text(json.dumps(base_config), encoding="utf-8")
    (tmp_path / "fine.json").write_text(json.dumps(fine_config), encoding="utf-8")

    results = load_script().run(tmp_path / "fine.json")  # trains the missing base first

    base_metrics = json.loads((tmp_path / "base/metrics.json").read_text(encoding="utf-8"))
    assert base_metrics["averaged_epochs"] == 2 and base_metrics["pretrain_seconds"] >= 0
    assert base_metrics["counts"]["unlabelled texts"] == 6
    base = Tagger.load(tmp_path / "base/ner.pt")
    assert "广" in base.vocab.chars  # only the unlabelled texts hold it
    assert results["base_share"] == 0.25 and results["kfold_dev"]["k"] == 3
    assert set(json.loads((tmp_path / "fine/kfold.json").read_text(encoding="utf-8"))["spans"]) == {"a", "b", "c"}
    fine = Tagger.load(tmp_path / "fine/ner.pt")
    assert fine.vocab.chars == base.vocab.chars
    assert not all(torch.equal(w, base.network.state_dict()[n]) for n, w in fine.network.state_dict().items())
    assert fine.predict(["区委巡察办到广州检查。", ""], "reports")[1] == []
    card = tmp_path / "fine/MODEL_CARD.md"
    card.write_text("stale", encoding="utf-8")
    assert load_script().main([str(tmp_path / "fine.json"), "--card-only"]) == 0
    text = card.read_text(encoding="utf-8")
    assert "skip-gram vectors" in text and "25% of the way back" in text


def test_train_ner_script_card_only_without_metrics_names_the_training_command(tmp_path: Path) -> None:
    (tmp_path / "fine.json").write_text(json.dumps({"out_dir": str(tmp_path / "none"), "base_config": "x.json"}), encoding="utf-8")
    with pytest.raises(SystemExit, match=r"metrics.json is missing: train first \(scripts/train_ner.py"):
        load_script().main([str(tmp_path / "fine.json"), "--card-only"])
