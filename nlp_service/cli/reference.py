"""The CLI reference of the README, generated from the commands themselves.

`python -m nlp_service.cli.reference` prints it; a test checks that the README holds exactly this
text, so the documentation and the code cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import typer.main

from nlp_service.cli import app

BEGIN = "<!-- cli-reference:begin -->"
END = "<!-- cli-reference:end -->"


def _commands(command: Any, path: list[str]) -> Iterator[tuple[list[str], Any]]:
    subcommands = getattr(command, "commands", None)
    if subcommands is None:
        yield path, command
        return
    for name in sorted(subcommands):
        yield from _commands(subcommands[name], [*path, name])


def _usage(path: list[str], command: Any) -> str:
    words = [" ".join(path)]
    for param in command.params:
        if param.param_type_name == "argument":
            words.append((param.name or "").upper() + ("…" if param.nargs == -1 else ""))
        elif not param.hidden:
            words.append(f"[{', '.join(param.opts)}]")
    return " ".join(words)


def cli_reference() -> str:
    """A Markdown table: each command's usage and the first line of its help."""
    root = typer.main.get_command(app)
    rows = ["| command | what it does |", "|---|---|"]
    for path, command in _commands(root, ["nlp-service"]):
        summary = (command.help or "").strip().splitlines()[0] if command.help else ""
        rows.append(f"| `{_usage(path, command)}` | {summary} |")
    return "\n".join([BEGIN, *rows, END])


if __name__ == "__main__":
    print(cli_reference())
