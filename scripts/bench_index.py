"""Benchmark of the fact index and the HTTP API (bounded; prints a table and optionally writes JSON).

1. Extract the corpus reports once (templates), then generate N documents from them by permuting
   digits (1-9; years kept) and renaming organisations (same length, so every offset stays valid),
   and insert the generated extractions directly through the store: the ingest rate.
2. Search latency p50/p95 over a fixed mix of full-text and structured queries, in process.
3. uvicorn in a subprocess on the same index: requests per second of POST /v1/extract and
   GET /v1/search from concurrent clients on loopback, and in-process `extract` on the same documents.

    .venv/bin/python scripts/bench_index.py --docs 10000 --json /tmp/bench.json
    .venv/bin/python scripts/bench_index.py --data-dir /tmp/bench-final --search-only   # reuse an index

An index that already holds --docs documents is reused (no template extraction, no rebuild). Search
figures are wall-clock and CPU time of the searching thread, with the load average around them: on a
shared machine the wall-clock figures include waiting for a core.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from nlp_service.extractor import extract
from nlp_service.index.records import Role
from nlp_service.index.search import SearchQuery, search
from nlp_service.index.store import Store, sha256_hex
from nlp_service.schema import Extraction

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
YEAR = re.compile(r"(?:19|20)\d\d")
DIGIT = re.compile(r"\d")
PLACES = [
    "昆明",
    "大理",
    "曲靖",
    "玉溪",
    "保山",
    "昭通",
    "丽江",
    "普洱",
    "临沧",
    "楚雄",
    "文山",
    "红河",
    "西双",
    "德宏",
]

SEARCHES: list[dict[str, Any]] = [
    {"q": "发现问题"},
    {"q": "发现问题", "kind": "count", "min": 20},
    {"q": "预算执行率"},
    {"q": "资金", "kind": "money", "min": 1_000_000},
    {"kind": "percent", "max": 90},
    {"kind": "count", "unit": "个", "year": 2022},
    {"object": "问题", "predicate": "发现"},
    {"q": "巡察工作", "org": "昆明"},
    {"finding": "funding_mismatch", "kind": "money"},
    {"q": "满意度", "kind": "percent", "min": 95},
    {"q": "培训", "scope": "sentences"},
    {"indicator": "数量", "kind": "count"},
]


# ---------------------------------------------------------------------- generated documents
def templates(paths: list[Path], use_models: bool) -> list[tuple[str, Extraction]]:
    out = []
    for path in paths:
        try:
            out.append((path.stem, extract(path, use_models=use_models)))
        except Exception as exc:  # a report the pipeline cannot read is left out of the templates
            print(f"  template {path.name} skipped: {exc}", file=sys.stderr)
    return out


def _permute(text: str, table: dict[str, str]) -> str:
    """Digits mapped through `table`, except inside years (19xx/20xx)."""
    years = [(m.start(), m.end()) for m in YEAR.finditer(text)]
    chars = list(text)
    for m in DIGIT.finditer(text):
        if not any(s <= m.start() < e for s, e in years):
            chars[m.start()] = table[m.group()]
    return "".join(chars)


def _permuted_value(value: float | None, table: dict[str, str]) -> float | None:
    if value is None:
        return None
    mapped = "".join(table.get(ch, ch) for ch in f"{value:.6f}")
    return float(mapped)


def variant(name: str, base: Extraction, k: int) -> Extraction:
    """The k-th generated document of a template: digits permuted, organisation renamed."""
    rng = random.Random(k)
    digits = list("123456789")
    rng.shuffle(digits)
    table = {"0": "0", **dict(zip("123456789", digits, strict=True))}
    text = _permute(base.text, table)
    org = base.document.org
    if org and len(org) >= 2:
        new_org = rng.choice(PLACES) + org[2:]
        text = text.replace(org, new_org)
        org = new_org
    text = f"{text}\n（生成文档{k:05d}）"  # unique bytes, offsets before it unchanged
    data = base.model_dump()
    data["text"] = text
    data["document"].update(
        id=sha256_hex(text.encode()), source=f"gen-{k:05d}-{name}.txt", org=org, chars=len(text)
    )
    for claim in data["claims"]:
        claim["text"] = text[claim["start"] : claim["end"]]
        claim["value"] = _permuted_value(claim["value"], table)
        claim["value_max"] = _permuted_value(claim["value_max"], table)
    return Extraction.model_validate(data)


def build_index(store: Store, bases: list[tuple[str, Extraction]], docs: int) -> dict[str, float]:
    started = time.perf_counter()
    claims = 0
    for k in range(docs):
        name, base = bases[k % len(bases)]
        generated = variant(name, base, k)
        claims += len(generated.claims)
        store.add_extraction(generated)
        if (k + 1) % 1000 == 0:
            print(f"  {k + 1} documents, {time.perf_counter() - started:.0f} s", file=sys.stderr)
    seconds = time.perf_counter() - started
    return {"documents": docs, "claims": claims, "seconds": seconds, "docs_per_s": docs / seconds}


# ---------------------------------------------------------------------- measurements
def percentiles(samples_ms: list[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)
    return {
        "p50_ms": statistics.median(ordered),
        "p95_ms": ordered[max(0, int(round(0.95 * len(ordered))) - 1)],
        "max_ms": ordered[-1],
        "n": len(ordered),
    }


def search_latency(store: Store, rounds: int, facets: bool) -> dict[str, Any]:
    """Wall-clock and CPU (this thread) percentiles over `rounds` runs of every query in SEARCHES."""
    samples: list[float] = []
    cpu_samples: list[float] = []
    per_query: dict[str, dict[str, float]] = {}
    load_before = os.getloadavg()
    for spec in SEARCHES:
        search(store, SearchQuery(**spec, facets=facets))  # warm the caches
        times, cpu_times = [], []
        for _ in range(rounds):
            started, cpu_started = time.perf_counter(), time.thread_time()
            result = search(store, SearchQuery(**spec, facets=facets))
            times.append((time.perf_counter() - started) * 1000)
            cpu_times.append((time.thread_time() - cpu_started) * 1000)
        samples += times
        cpu_samples += cpu_times
        per_query[json.dumps(spec, ensure_ascii=False)] = {
            "matches": result.total,
            "p50_ms": round(statistics.median(times), 2),
            "cpu_p50_ms": round(statistics.median(cpu_times), 2),
        }
    cpu = percentiles(cpu_samples)
    return {
        **percentiles(samples),
        "cpu_p50_ms": cpu["p50_ms"],
        "cpu_p95_ms": cpu["p95_ms"],
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
        "per_query": per_query,
    }


def readme_lines(results: dict[str, Any]) -> list[str]:
    """The search figures as Markdown rows for the README."""
    index = results.get("index", {})
    lines = [
        f"Search at {index.get('documents', results['docs']):,} documents ({index.get('claims', 0):,} claims, "
        f"{index.get('sentences', 0):,} sentences), SQLite, in process, {len(SEARCHES)} queries x rounds:",
        "",
        "| search | p50 ms | p95 ms | CPU p50 ms | CPU p95 ms | load average (1 min) before / after |",
        "|---|---|---|---|---|---|",
    ]
    for name, label in (("search", "with facets (default)"), ("search_no_facets", "facets=false")):
        if name in results:
            r = results[name]
            lines.append(
                f"| {label} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['cpu_p50_ms']:.1f} | "
                f"{r['cpu_p95_ms']:.1f} | {r['load_average_before'][0]:.2f} / {r['load_average_after'][0]:.2f} |"
            )
    return lines


def in_process_extract(paths: list[Path], use_models: bool) -> dict[str, float]:
    extract(paths[0], use_models=use_models)
    started = time.perf_counter()
    for path in paths:
        extract(path.read_bytes(), name=path.name, use_models=use_models)
    seconds = time.perf_counter() - started
    return {"documents": len(paths), "seconds": seconds, "docs_per_s": len(paths) / seconds}


def concurrent(clients: int, jobs: list[Callable[[httpx.Client], None]], base_url: str) -> dict[str, float]:
    """Run `jobs` (each one request) from `clients` threads; requests per second and latency."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    queue = list(jobs)

    def client_loop() -> None:
        nonlocal errors
        with httpx.Client(base_url=base_url, timeout=120) as client:
            while True:
                with lock:
                    if not queue:
                        return
                    job = queue.pop()
                started = time.perf_counter()
                try:
                    job(client)
                except Exception:
                    with lock:
                        errors += 1
                with lock:
                    latencies.append((time.perf_counter() - started) * 1000)

    threads = [threading.Thread(target=client_loop) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    return {
        "requests": len(jobs),
        "errors": errors,
        "seconds": seconds,
        "rps": len(jobs) / seconds,
        **percentiles(latencies),
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def server(data_dir: Path, use_models: bool) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "NLP_SERVICE_DATA_DIR": str(data_dir), "NLP_SERVICE_WORKERS": "0",
           "NLP_SERVICE_USE_MODELS": str(use_models).lower(), "NLP_SERVICE_MAX_UPLOAD_BYTES": str(50 * 2**20), "OMP_NUM_THREADS": "1"}  # fmt: skip
    env.pop("NLP_SERVICE_DATABASE_URL", None)
    command = [sys.executable, "-m", "uvicorn", "nlp_service.api.app:create_app", "--factory",
               "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-access-log"]  # fmt: skip
    process = subprocess.Popen(command, env=env)
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"uvicorn exited with {process.returncode}")
            try:
                if httpx.get(f"{base_url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.3)
        yield base_url
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def http_benchmarks(
    store: Store, data_dir: Path, paths: list[Path], args: argparse.Namespace
) -> dict[str, Any]:
    key = store.create_api_key(Role.viewer, "bench").key
    auth = {"Authorization": f"Bearer {key}"}
    files = [(p.name, p.read_bytes()) for p in paths]

    def extract_job(name: str, data: bytes) -> Callable[[httpx.Client], None]:
        def run(client: httpx.Client) -> None:
            client.post("/v1/extract", files={"file": (name, data)}, headers=auth).raise_for_status()

        return run

    def search_job(spec: dict[str, Any]) -> Callable[[httpx.Client], None]:
        def run(client: httpx.Client) -> None:
            client.get("/v1/search", params=spec, headers=auth).raise_for_status()

        return run

    with server(data_dir, not args.no_models) as base_url:
        with httpx.Client(base_url=base_url, timeout=120) as warm:  # as in process: every step warmed
            for name, data in files:
                warm.post("/v1/extract", files={"file": (name, data)}, headers=auth).raise_for_status()
            for spec in SEARCHES:
                warm.get("/v1/search", params=spec, headers=auth).raise_for_status()
        extract_rps = concurrent(args.clients, [extract_job(n, d) for n, d in files], base_url)
        searches = [search_job(SEARCHES[i % len(SEARCHES)]) for i in range(args.search_requests)]
        search_rps = concurrent(args.clients, searches, base_url)
    return {"extract_http": extract_rps, "search_http": search_rps}


def _single_thread_torch() -> None:
    """One torch thread, as everywhere on the shared machine (the server gets OMP_NUM_THREADS=1)."""
    try:
        import torch
    except ImportError:
        return
    torch.set_num_threads(1)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=10_000, help="documents in the generated index")
    parser.add_argument("--data-dir", type=Path, help="index directory (default: a temporary one)")
    parser.add_argument("--rounds", type=int, default=20, help="timed runs of each search query")
    parser.add_argument("--clients", type=int, default=4, help="concurrent HTTP clients")
    parser.add_argument("--extract-docs", type=int, default=32, help="reports sent to POST /v1/extract")
    parser.add_argument("--search-requests", type=int, default=400, help="GET /v1/search requests")
    parser.add_argument("--no-models", action="store_true", help="run the rules alone")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--build-only", action="store_true", help="build the index (and its ingest figures) only"
    )
    parser.add_argument(
        "--search-only", action="store_true", help="measure search only (no extraction, no HTTP server)"
    )
    args = parser.parse_args()
    _single_thread_torch()

    corpus = sorted((CORPORA / "dev").glob("*.txt")) + sorted((CORPORA / "seed").glob("*.txt"))
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="nlp-bench-"))
    store = Store(data_dir, f"sqlite:///{(data_dir / 'index.sqlite3').resolve()}")
    store.migrate()
    use_models = not args.no_models
    results: dict[str, Any] = {"docs": args.docs, "use_models": use_models, "data_dir": str(data_dir)}

    ingest_file = data_dir / "bench-ingest.json"
    if store.count("documents") < args.docs:
        print(f"extracting {len(corpus)} template reports", file=sys.stderr)
        bases = templates(corpus, use_models)
        print(f"building an index of {args.docs} documents in {data_dir}", file=sys.stderr)
        results["ingest"] = build_index(store, bases, args.docs)
        ingest_file.write_text(json.dumps(results["ingest"]), encoding="utf-8")
    elif ingest_file.is_file():
        results["ingest"] = {**json.loads(ingest_file.read_text(encoding="utf-8")), "reused": True}
    if args.build_only:
        print(json.dumps(results, ensure_ascii=False, indent=1))
        return
    store.optimize()  # planner statistics, as the server and `index add` keep them
    results["index"] = {name: store.count(name) for name in ("documents", "claims", "sentences", "findings")}
    print("search latency", file=sys.stderr)
    results["search"] = search_latency(store, args.rounds, facets=True)
    results["search_no_facets"] = search_latency(store, args.rounds, facets=False)
    if args.search_only:
        store.close()
        _report(results, args.json)
        return
    sample = corpus[: args.extract_docs]
    print(f"in-process extract of {len(sample)} reports", file=sys.stderr)
    results["extract_in_process"] = in_process_extract(sample, use_models)
    print("HTTP benchmarks", file=sys.stderr)
    results.update(http_benchmarks(store, data_dir, sample, args))
    store.close()
    ratio = results["extract_http"]["rps"] / results["extract_in_process"]["docs_per_s"]
    results["extract_http_vs_in_process"] = ratio
    _report(results, args.json)


def _report(results: dict[str, Any], json_path: Path | None) -> None:
    print(json.dumps(results, ensure_ascii=False, indent=1))
    if json_path:
        json_path.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print("\n".join(readme_lines(results)), file=sys.stderr)


if __name__ == "__main__":
    main()
