#!/usr/bin/env python3
"""Entity evaluation: MSRA test and CLUENER dev (PERSON/ORG/LOC, exact span, per label), the
development reports (scored like ../shared/tools/score_entities.py) for each way of combining the
rules and the model, and the seed report's name list.

usage: .venv/bin/python scripts/evaluate_entities.py [--model models/ner/ner.pt] [--only msra,cluener,dev,seed,kfold]
       [--update-card] [--json OUT] [--kfold-predictions models/ner/kfold_predictions.json]

`kfold` re-scores the k-fold model spans that scripts/train_ner.py saved (each development report
tagged by a model that never saw it) with the current rules and combination, without training.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import torch

from nlp_service.ner.chains import apply_conventions
from nlp_service.ner.combine import STRATEGIES, combine
from nlp_service.ner.data import Span, read_bio, read_cluener, read_entity_gold
from nlp_service.ner.tagger import Tagger
from nlp_service.ner.train import evaluate, span_scores, strategy_scores

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
MSRA = SHARED / "datasets/ner_bio/msra/msra_test_bio.txt"
CLUENER_DEV = SHARED / "datasets/cluener2020/test.json"
DEV_DIR = SHARED / "corpora/dev"
SEED_LIST = ROOT / "scripts/configs/seed_entities.json"
SCORER_LABELS = {"PERSON": "PERSON", "PER": "PERSON", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC"}


def eval_msra(tagger: Tagger) -> dict[str, Any]:
    """The model's spans as they are, and after the pipeline's conventions for names
    (`chains.apply_conventions`: chains of places cut, listed people added; the report rules and the
    reports' skipping of 《》 titles are left out, the news gold marking names inside titles)."""
    examples = read_bio(MSRA, "news")
    spans = tagger.predict([e.text for e in examples], "news")
    gold = [e.spans for e in examples]
    return {
        "model": span_scores(gold, spans),
        "with_conventions": span_scores(gold, [apply_conventions(e.text, s) for e, s in zip(examples, spans, strict=True)]),
    }


def eval_cluener(tagger: Tagger) -> dict[str, Any]:
    return {domain: evaluate(tagger, read_cluener(CLUENER_DEV), domain=domain) for domain in ("cluener", "news")}


def dev_documents() -> list[tuple[str, list[Span]]]:
    docs = []
    for gold_file in sorted(DEV_DIR.glob("*.entities.json")):
        text = (DEV_DIR / (gold_file.name[: -len(".entities.json")] + ".txt")).read_text(encoding="utf-8")
        gold = json.loads(gold_file.read_text(encoding="utf-8"))["entities"]
        docs.append((text, [(e["start"], e["end"], SCORER_LABELS[e["label"]]) for e in gold]))
    return docs


def eval_dev(tagger: Tagger | None) -> dict[str, Any]:
    docs = dev_documents()
    started = time.monotonic()
    model_spans = tagger.predict([t for t, _ in docs], "reports") if tagger else [[] for _ in docs]
    seconds = time.monotonic() - started
    results: dict[str, Any] = {"model_seconds": round(seconds, 2), "chars": sum(len(t) for t, _ in docs)}
    strategies = STRATEGIES if tagger else ("rules",)
    return {**results, **strategy_scores([t for t, _ in docs], [g for _, g in docs], model_spans, strategies)}


def eval_kfold(predictions_file: Path) -> dict[str, Any]:
    saved = json.loads(predictions_file.read_text(encoding="utf-8"))
    docs = read_entity_gold(DEV_DIR)
    spans = [[(s, e, label) for s, e, label in saved["spans"][d.name]] for d in docs]
    return {"k": saved["k"], **strategy_scores([d.text for d in docs], [d.spans for d in docs], spans)}


def eval_seed(tagger: Tagger | None, strategy: str) -> dict[str, Any]:
    listing = json.loads(SEED_LIST.read_text(encoding="utf-8"))
    text = (ROOT / listing["doc"]).read_text(encoding="utf-8")
    spans = combine(text, tagger.predict([text], "reports")[0] if tagger else [], strategy if tagger else "rules")
    found = {(text[s:e], label) for s, e, label in spans}
    body_starts = [text[s:e] for s, e, label in spans if label == "ORG"]
    out: dict[str, Any] = {}
    for label in ("PERSON", "LOC", "ORG"):
        names = listing[label]
        strict = [n for n in names if (n, label) in found]
        lenient = [n for n in names if (n, label) in found or (label == "LOC" and any(b.startswith(n) for b in body_starts))]
        out[label] = {"found": f"{len(strict)}/{len(names)}", "lenient": f"{len(lenient)}/{len(names)}",
                      "missed": [n for n in names if n not in strict]}
    return out


def _f1_row(name: str, scores: dict[str, Any]) -> str:
    cells = [f"{scores[k]['f1']:.3f}" if k in scores else "-" for k in ("all", "PERSON", "ORG", "LOC")]
    return f"| {name} | " + " | ".join(cells) + f" | {scores['all']['p']:.3f} / {scores['all']['r']:.3f} |"


def card_section(results: dict[str, Any]) -> str:
    """A Markdown summary of the results (exact-span F1 per label)."""
    lines = ["## Evaluation (`.venv/bin/python scripts/evaluate_entities.py --update-card`)", "",
             "| data | F1 | PERSON | ORG | LOC | P / R |", "|---|---|---|---|---|---|"]
    if "msra" in results:
        lines.append(_f1_row("MSRA test (domain news), model spans", results["msra"]["model"]))
        lines.append(_f1_row("MSRA test (domain news), with the pipeline's conventions", results["msra"]["with_conventions"]))
    for domain, scores in results.get("cluener_dev", {}).items():
        lines.append(_f1_row(f"CLUENER dev (domain {domain})", scores))
    kfold = results.get("kfold_dev", {})
    for strategy in STRATEGIES:
        if strategy in kfold:
            lines.append(_f1_row(f"dev reports, {strategy}, {kfold['k']}-fold (saved spans, today's rules)", kfold[strategy]))
    dev = results.get("dev_reports", {})
    for strategy in STRATEGIES:
        if strategy in dev:
            lines.append(_f1_row(f"dev reports, {strategy} (model trained on them: not a held-out figure)", dev[strategy]))
    lines.append("")
    if "seed" in results:
        seed = results["seed"]
        lines.append("Seed report names found: " + ", ".join(f"{k} {v['found']} (lenient {v['lenient']})" for k, v in seed.items()))
    lines.append("")
    return "\n".join(lines)


def update_card(card: Path, results: dict[str, Any]) -> None:
    text = card.read_text(encoding="utf-8")
    head = text.split("<!-- evaluation -->")[0]
    card.write_text(head + "<!-- evaluation -->\n" + card_section(results), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", type=Path, default=ROOT / "models/ner/ner.pt")
    parser.add_argument("--only", default="msra,cluener,dev,seed,kfold", help="comma-separated: msra, cluener, dev, seed, kfold")
    parser.add_argument("--strategy", default="longest", choices=STRATEGIES)
    parser.add_argument("--rules-only", action="store_true")
    parser.add_argument("--update-card", action="store_true")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--kfold-predictions", type=Path, default=ROOT / "models/ner/kfold_predictions.json")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    tagger = None if args.rules_only else Tagger.load(args.model)
    wanted = set(args.only.split(","))
    results: dict[str, Any] = {}
    if tagger and "msra" in wanted:
        results["msra"] = eval_msra(tagger)
    if tagger and "cluener" in wanted:
        results["cluener_dev"] = eval_cluener(tagger)
    if "dev" in wanted:
        results["dev_reports"] = eval_dev(tagger)
    if "seed" in wanted:
        results["seed"] = eval_seed(tagger, args.strategy)
    if "kfold" in wanted:
        results["kfold_dev"] = eval_kfold(args.kfold_predictions)
    print(json.dumps(results, ensure_ascii=False, indent=1))
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    if args.update_card:
        update_card(args.model.parent / "MODEL_CARD.md", results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
