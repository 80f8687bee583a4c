"""Throughput of `extract` against `jieba.lcut` on the same text, in the same run; peak memory.

usage: .venv/bin/python scripts/bench.py [--kb 300] [--no-models] [--repeat 1]

Corpora: a sample of ../shared/datasets/gov_work_reports (jsonl, first records up to --kb thousand
characters) and the seed report. For each: characters per second of jieba.lcut (the reference,
its dictionary loaded before timing), of the spaCy pipeline alone, and of the whole `extract`
(ingest, pipeline, tables, linking, checks); the ratio extract / jieba; start-up time and the
process's peak resident memory. Prints a small table.

The three take turns on each text (a load change on the shared machine hits them alike); the pipeline
alone runs in a memory zone as `extract` does, so neither leaves the text's words in the vocabulary
for the other.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jieba
import torch

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DATASET = SHARED / "datasets" / "gov_work_reports"
SEED = SHARED / "corpora" / "seed"
CHUNK = 20_000  # characters per extracted document (long reports are split like pages of a report)


def sample_reports(kb: int) -> list[str]:
    """Texts from the gov_work_reports jsonl files, in chunks, up to `kb` thousand characters."""
    texts: list[str] = []
    budget = kb * 1000
    for path in sorted(DATASET.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            content = json.loads(line).get("content") or ""
            for i in range(0, len(content), CHUNK):
                piece = content[i : i + CHUNK][:budget]
                if piece.strip():
                    texts.append(piece)
                    budget -= len(piece)
                if budget <= 0:
                    return texts
    return texts


def timed(fns: list[Callable[[str], Any]], texts: list[str], repeat: int) -> list[float]:
    """Characters per second of each of `fns` over `texts` (best of `repeat`).

    The functions take turns on each text, so a change in the machine's load (it is shared) falls on
    all of them alike instead of on whichever ran during it.
    """
    chars = sum(len(t) for t in texts)
    best = [float("inf")] * len(fns)
    for _ in range(repeat):
        spent = [0.0] * len(fns)
        for text in texts:
            for k, fn in enumerate(fns):
                start = time.perf_counter()
                fn(text)
                spent[k] += time.perf_counter() - start
        best = [min(b, s) for b, s in zip(best, spent, strict=True)]
    return [chars / b for b in best]


def nlp_in_zone(nlp: Any) -> Callable[[str], Any]:
    """The spaCy pipeline alone, run as `extract` runs it (in a memory zone, so its strings are freed)."""

    def run(text: str) -> None:
        with nlp.memory_zone():
            nlp(text)

    return run


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kb", type=int, default=300, help="thousand characters of the dataset sample")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--no-models", action="store_true", help="extract with the rules alone")
    args = ap.parse_args()
    torch.set_num_threads(1)
    sys.path.insert(0, str(ROOT))
    from nlp_service.errors import SetupError
    from nlp_service.extractor import extract, shared_pipeline

    corpora = {"gov_work_reports": sample_reports(args.kb),
               "seed": [p.read_text(encoding="utf-8-sig") for p in sorted(SEED.glob("*.txt"))]}
    jieba.lcut("预热")
    use_models = not args.no_models
    start = time.perf_counter()
    try:
        extract("预热：发现问题1个。", use_models=use_models)
    except SetupError as exc:
        print(f"models unavailable ({exc}); extracting with the rules alone", file=sys.stderr)
        use_models = False
        extract("预热：发现问题1个。", use_models=use_models)
    startup = time.perf_counter() - start
    nlp = shared_pipeline(use_models)
    rows = []
    for name, texts in corpora.items():
        chars = sum(len(t) for t in texts)
        jieba_cps, pipeline_cps, extract_cps = timed(
            [jieba.lcut, nlp_in_zone(nlp), lambda t: extract(t, use_models=use_models)], texts, args.repeat
        )
        rows.append((name, len(texts), chars, jieba_cps, pipeline_cps, extract_cps))
    print(f"start-up (build pipeline + first extract): {startup:.1f} s; models: {use_models}")
    print(f"{'corpus':<18}{'docs':>6}{'chars':>10}{'jieba.lcut c/s':>16}{'pipeline c/s':>14}"
          f"{'extract c/s':>13}{'extract/jieba':>15}")
    for name, docs, chars, jc, pc, ec in rows:
        print(f"{name:<18}{docs:>6}{chars:>10}{jc:>16,.0f}{pc:>14,.0f}{ec:>13,.0f}{ec / jc:>15.2f}")
    print(f"peak resident memory: {peak_memory_mb():.0f} MB")


if __name__ == "__main__":
    main()
