"""Measure the cross-checks and the links (nlp_service/checks/evaluation.py).

    .venv/bin/python scripts/eval_checks.py --gold ../shared/corpora/dev/*.txt
    .venv/bin/python scripts/eval_checks.py --variants /tmp/variants/manifest.json
    .venv/bin/python scripts/eval_checks.py --links ../shared/corpora/seed/*.txt ../shared/corpora/dev/*.txt

--gold: recall of the findings the gold files list (code match), and the documents whose gold lists
no finding that still raise an error-severity one. --variants: recall of the planted finding and
precision of error-severity findings over the variants of scripts/perturb.py. --links: gold links
among the returned links, top link right, recall and precision by threshold.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from nlp_service.checks.evaluation import evaluate_gold, evaluate_links, evaluate_variants


def report_gold(paths: list[Path]) -> None:
    report = evaluate_gold(paths)
    print(f"gold findings raised (code match): {report.raised}/{report.listed} = {report.recall:.3f}")
    for item in report.missed:
        print(f"  missed {item}")
    print(
        f"documents without gold findings: {report.clean_documents}, "
        f"with an error-severity finding: {len(report.clean_with_errors)}"
    )
    for item in report.clean_with_errors:
        print(f"  error on clean document {item}")


def report_variants(manifest: Path, verbose: bool) -> None:
    report = evaluate_variants(manifest)
    print(f"variants: {report.variants}")
    print(f"recall of the planted finding: {report.raised}/{report.variants} = {report.recall:.3f}")
    print(
        f"precision of error-severity findings: {report.right_errors}/{report.errors} = {report.precision:.3f}"
    )
    for kind, (total, hit) in sorted(report.by_kind.items()):
        print(f"  {kind:<16} {hit}/{total}")
    if verbose:
        for item in report.missed:
            print(f"  missed {item}")
        for item in report.wrong_errors:
            print(f"  wrong error {item}")


def report_links(paths: list[Path]) -> None:
    report = evaluate_links(paths)
    print(
        f"gold links: {report.gold_links}, mapped onto extracted claims/indicators: {report.mapped}, "
        f"returned: {report.returned}"
    )
    print(f"gold-linked indicators whose top link is a gold link: {report.top_right}/{report.indicators}")
    for threshold, recall, precision in report.curve:
        print(f"  threshold {threshold:.2f}: recall {recall:.3f}  precision {precision:.3f}")
    for item in report.problems:
        print(f"  {item}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, nargs="*", default=[], help="reports with gold files")
    parser.add_argument("--variants", type=Path, help="manifest.json written by scripts/perturb.py")
    parser.add_argument("--links", type=Path, nargs="*", default=[], help="reports with gold links")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    if not (args.gold or args.variants or args.links):
        parser.error("give --gold, --variants or --links")
    if args.gold:
        report_gold(args.gold)
    if args.variants:
        report_variants(args.variants, args.verbose)
    if args.links:
        report_links(args.links)
    return 0


if __name__ == "__main__":
    sys.exit(main())
