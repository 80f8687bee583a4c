"""`nlp-service check FILE`: the findings of one report as a table, with an exit status for scripts.

Exit status: 0 when no finding reaches the `--fail-on` severity (default `error`), 1 when one does,
2 on bad input (a one-line message, see `nlp_service.cli.main`).
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from nlp_service.errors import FileMissing
from nlp_service.schema import Extraction, FindingPublic

SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


class FailOn(StrEnum):
    warning = "warning"
    error = "error"
    never = "never"


def fails(findings: list[FindingPublic], fail_on: FailOn) -> bool:
    """Whether any finding is at least as severe as `fail_on`."""
    if fail_on is FailOn.never:
        return False
    threshold = SEVERITY_RANK[fail_on.value]
    return any(SEVERITY_RANK[f.severity] >= threshold for f in findings)


def _where(result: Extraction, finding: FindingPublic) -> str:
    """The first place a finding's evidence points at: a text range with its text, or a table row."""
    for item in finding.evidence:
        if item.start is not None and item.end is not None:
            snippet = " ".join(result.text[item.start : item.end].split())
            return f"{item.start}-{item.end} {snippet[:20]}"
    for item in finding.evidence:
        if item.table_row:
            return f"表:{item.table_row}"
    return "-"


def render_findings(result: Extraction) -> str:
    """One line per finding (id, severity, code, where, message), then the notes on checks not run."""
    source = result.document.source or "-"
    if not result.findings:
        lines = [f"{source}: 未发现不一致"]
    else:
        lines = [f"{source}: {len(result.findings)} 项发现"]
        lines.append(f"{'id':<4} {'severity':<8} {'code':<26} {'where':<30} message")
        for f in result.findings:
            lines.append(f"{f.id:<4} {f.severity:<8} {f.code:<26} {_where(result, f):<30} {f.message}")
    lines += [f"note: {note}" for note in result.notes]
    return "\n".join(lines)


def check_command(
    file: Annotated[str, typer.Argument(help="report file (txt, md, docx, pdf, html, xlsx) or - for stdin")],
    fail_on: Annotated[
        FailOn, typer.Option("--fail-on", help="exit 1 when a finding of this severity or worse is present")
    ] = FailOn.error,
    no_models: Annotated[bool, typer.Option("--no-models", help="run the rules alone")] = False,
) -> None:
    """Cross-check one report (narrative against table, table against itself) and print the findings."""
    from nlp_service.extractor import extract

    if file == "-":
        result = extract(sys.stdin.buffer.read(), name="stdin", use_models=not no_models)
    else:
        path = Path(file)
        if not path.is_file():
            raise FileMissing("no such file", source=file)
        result = extract(path, use_models=not no_models)
    typer.echo(render_findings(result))
    if fails(result.findings, fail_on):
        raise typer.Exit(code=1)


def register(app: typer.Typer) -> None:
    app.command("check")(check_command)
