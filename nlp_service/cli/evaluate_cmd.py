"""`nlp-service evaluate GOLD_DIR`: claim detection P/R/F1 and value, object, predicate accuracy.

Scores outputs already written (`--pred-dir`, one NAME.json per NAME.gold.json) or runs `extract`
over GOLD_DIR/NAME.txt itself. Prints one line per document and the overall line of the reference
scorer (../shared/tools/score_claims.py), the table-field line of score_tables.py where gold files hold
indicators or funding, and entity F1 where NAME.entities.json files exist.
Exits 1 when a floor given with --min-* is not met.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from nlp_service.errors import FileMissing


def evaluate_command(
    gold_dir: Annotated[Path, typer.Argument(help="directory of NAME.txt + NAME.gold.json")],
    pred_dir: Annotated[Path | None, typer.Option("--pred-dir", help="score these NAME.json outputs")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="overall line only")] = False,
    no_models: Annotated[bool, typer.Option("--no-models", help="extract with the rules alone")] = False,
    min_f1: Annotated[float | None, typer.Option("--min-f1")] = None,
    min_value: Annotated[float | None, typer.Option("--min-value")] = None,
    min_object: Annotated[float | None, typer.Option("--min-object")] = None,
    min_predicate: Annotated[float | None, typer.Option("--min-predicate")] = None,
) -> None:
    """Score claims, table fields and entities against a gold directory."""
    from nlp_service.evaluation import evaluate, predictions_by_extracting, predictions_from_dir

    if not gold_dir.is_dir() or not any(gold_dir.glob("*.gold.json")):
        raise FileMissing("no NAME.gold.json files here", source=str(gold_dir))
    if pred_dir is not None and not pred_dir.is_dir():
        raise FileMissing("prediction directory not found", source=str(pred_dir))
    predict = predictions_from_dir(pred_dir) if pred_dir else predictions_by_extracting(gold_dir, not no_models)
    result = evaluate(gold_dir, predict)
    for line in result.lines(per_document=not quiet):
        typer.echo(line)
    floors = {"f1": (result.claims.f1, min_f1), "value": (result.claims.accuracy("value"), min_value),
              "object": (result.claims.accuracy("object"), min_object),
              "predicate": (result.claims.accuracy("predicate"), min_predicate)}
    short = [name for name, (got, floor) in floors.items() if floor is not None and got < floor]
    if short:
        typer.echo(f"short: {','.join(short)}")
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("evaluate")(evaluate_command)
