"""Where the project's data lives on disk: `corpora/` (lexicons, tables) and `models/` (weights)."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(os.environ.get("NLP_SERVICE_HOME", Path(__file__).resolve().parents[1]))
CORPORA_DIR = PROJECT_ROOT / "corpora"
MODELS_DIR = PROJECT_ROOT / "models"


def corpus_path(name: str) -> Path:
    """A file under `corpora/`; a missing one is an installation problem, reported clearly."""
    path = CORPORA_DIR / name
    if not path.is_file():
        from nlp_service.errors import SetupError

        raise SetupError(f"data file {path} is missing; reinstall from a full checkout of the repository")
    return path


def read_lines(name: str) -> list[str]:
    """Non-empty, non-comment lines of a `corpora/` text file."""
    text = corpus_path(name).read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
