"""The README's CLI reference is the one the commands generate (docs and code cannot drift)."""

from pathlib import Path

from nlp_service.cli.reference import BEGIN, END, cli_reference

README = Path(__file__).resolve().parents[1] / "README.md"


def test_cli_reference_in_readme_matches_the_commands() -> None:
    text = README.read_text(encoding="utf-8")
    start, end = text.index(BEGIN), text.index(END) + len(END)
    assert text[start:end] == cli_reference(), "regenerate with: .venv/bin/python -m nlp_service.cli.reference"


def test_cli_reference_lists_every_command() -> None:
    reference = cli_reference()
    for command in ("extract", "check", "evaluate", "serve", "index add", "search", "keys create"):
        assert f"`nlp-service {command}" in reference
