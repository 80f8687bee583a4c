"""`nlp-service extract FILE`: the contract's JSON, or a readable terminal view."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from nlp_service.schema import Extraction


class OutputFormat(StrEnum):
    json = "json"
    table = "table"


def render_table(result: Extraction) -> str:
    """A compact terminal view: one line per claim, then indicators and findings."""
    lines = [f"{result.document.source or '-'}  {result.document.chars} chars  {len(result.claims)} claims"]
    for c in result.claims:
        value = "" if c.value is None else f"{c.value:g}"
        lines.append(
            f"{c.id:>5} {c.text:<14} {value:>14} {c.unit or '':<4} {c.kind:<8} "
            f"{c.predicate or '':<6} {c.object or ''}"
        )
    for i in result.indicators:
        lines.append(f"{i.id:>5} {i.level1 or ''}/{i.level2 or ''}/{i.name} target={i.target.raw} "
                     f"weight={i.weight} score={i.score} met={i.met}")
    for f in result.findings:
        lines.append(f"{f.id:>5} [{f.severity}] {f.code}: {f.message}")
    return "\n".join(lines)


def extract_command(
    file: Annotated[str, typer.Argument(help="report file (txt, md, docx, pdf, html, xlsx) or - for stdin")],
    format: Annotated[OutputFormat, typer.Option("--format", "-f", help="json or table")] = OutputFormat.json,
    no_models: Annotated[bool, typer.Option("--no-models", help="run the rules alone")] = False,
) -> None:
    """Extract claims, entities, indicators, links and findings from one report."""
    from nlp_service.extractor import extract

    if file == "-":
        result = extract(sys.stdin.buffer.read(), name="stdin", use_models=not no_models)
    else:
        result = extract(Path(file), use_models=not no_models)
    if format is OutputFormat.json:
        typer.echo(json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=1))
    else:
        typer.echo(render_table(result))


def register(app: typer.Typer) -> None:
    app.command("extract")(extract_command)
