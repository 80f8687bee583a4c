#!/usr/bin/env python3
"""Entity model throughput on CPU: characters per second tagging the development reports in batch.

usage: .venv/bin/python scripts/bench_ner.py [--model models/ner/ner.pt] [--threads 1] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import torch

from nlp_service.ner.tagger import Tagger

ROOT = Path(__file__).resolve().parents[1]
DEV_DIR = ROOT.parent / "shared" / "corpora" / "dev"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", type=Path, default=ROOT / "models/ner/ner.pt")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=128)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    tagger = Tagger.load(args.model)
    texts = [p.read_text(encoding="utf-8") for p in sorted(DEV_DIR.glob("*.txt"))]
    chars = sum(len(t) for t in texts)
    tagger.predict(texts[:2])  # warm-up
    timings = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        tagger.predict(texts, "reports", args.batch_size)
        timings.append(time.perf_counter() - started)
    best = min(timings)
    result = {"documents": len(texts), "chars": chars, "threads": args.threads, "batch_size": args.batch_size,
              "seconds_best": round(best, 3), "seconds_all": [round(t, 3) for t in timings],
              "chars_per_second": round(chars / best), "model_bytes": args.model.stat().st_size}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
