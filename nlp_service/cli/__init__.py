"""`nlp-service`: the command line. Each group of commands lives in its own module."""

from __future__ import annotations

import sys

import typer

from nlp_service.errors import NlpServiceError

app = typer.Typer(
    name="nlp-service",
    help="Extract, check, index and serve the claims of Chinese budget-performance reports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register() -> None:
    from nlp_service.cli import check_cmd, evaluate_cmd, extract_cmd, index_cmd, serve_cmd

    for module in (extract_cmd, check_cmd, evaluate_cmd, serve_cmd, index_cmd):
        module.register(app)


_register()


def main() -> None:
    """Console entry: a bad input prints one line naming it and the reason, and exits 2."""
    try:
        app()
    except NlpServiceError as exc:
        typer.echo(f"nlp-service: error: {exc}", err=True)
        sys.exit(2)
