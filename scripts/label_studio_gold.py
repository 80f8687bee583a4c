"""Turn a Label Studio export (JSON, tasks made by the review UI's "Label Studio JSON" export or by
`nlp_service.exports.to_label_studio`) into gold files in the layout of docs/claims.md.

    .venv/bin/python scripts/label_studio_gold.py EXPORT.json OUT_DIR

For each task with an annotation it writes OUT_DIR/NAME.txt (the task's text) and
OUT_DIR/NAME.gold.json (the annotated claims), NAME being the task's source file name without its
suffix. Tasks without an annotation are reported and skipped.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from nlp_service.exports import LABEL_STUDIO_TEXT, LabelStudioError, gold_from_label_studio, load_label_studio


def _stem(task: dict[str, Any], number: int) -> str:
    data = task.get("data") or {}
    source = str(data.get("source") or f"task-{task.get('id', number)}")
    return Path(source).stem or f"task-{number}"


def write_gold_files(tasks: list[dict[str, Any]], out_dir: Path) -> tuple[int, list[str]]:
    """Write the gold files; returns how many were written and why the others were skipped."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written, skipped = 0, []
    for number, task in enumerate(tasks, start=1):
        stem = _stem(task, number)
        try:
            gold = gold_from_label_studio(task)
        except LabelStudioError as error:
            skipped.append(f"{stem}: {error}")
            continue
        gold["doc"] = f"{stem}.txt"
        (out_dir / f"{stem}.txt").write_text(str(task["data"][LABEL_STUDIO_TEXT]), encoding="utf-8")
        (out_dir / f"{stem}.gold.json").write_text(
            json.dumps(gold, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        written += 1
    return written, skipped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("export", type=Path, help="Label Studio JSON export (a task or a list of tasks)")
    parser.add_argument("out_dir", type=Path, help="folder for NAME.txt and NAME.gold.json")
    args = parser.parse_args(argv)
    try:
        tasks = load_label_studio(args.export.read_bytes())
    except (OSError, LabelStudioError) as error:
        print(f"label_studio_gold: {error}", file=sys.stderr)
        return 2
    written, skipped = write_gold_files(tasks, args.out_dir)
    for reason in skipped:
        print(f"skipped {reason}", file=sys.stderr)
    print(f"wrote {written} gold file(s) to {args.out_dir}")
    return 0 if written else 1


if __name__ == "__main__":
    raise SystemExit(main())
