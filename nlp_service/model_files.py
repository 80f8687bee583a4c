"""Trained model files, loaded once per process. A missing or unreadable file raises ModelMissing
naming the file and the command that rebuilds it (the pipeline turns that into a start-up error)."""

from __future__ import annotations

import pickle
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from nlp_service.errors import ModelMissing

Model = TypeVar("Model")

UNREADABLE = (OSError, RuntimeError, KeyError, ValueError, TypeError, EOFError, pickle.UnpicklingError)

_loaded: dict[tuple[Path, Callable[[Path], Any]], Any] = {}
_load_lock = threading.Lock()


def load_once(path: Path, load: Callable[[Path], Model], rebuild_command: str) -> Model:
    """`load(path)`, run once per process and path; ModelMissing when the file cannot be read."""
    key = (path, load)
    with _load_lock:
        if key not in _loaded:
            try:
                _loaded[key] = load(path)
            except UNREADABLE as exc:
                raise ModelMissing(str(path), rebuild_command) from exc
        model: Model = _loaded[key]
        return model
