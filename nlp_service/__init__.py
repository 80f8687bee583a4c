"""nlp_service: information extraction and cross-checking for Chinese budget-performance reports.

The one public entry is `nlp_service.extract(source)`; see `nlp_service.extract`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nlp_service.version import PIPELINE_VERSION

if TYPE_CHECKING:
    from nlp_service.schema import Extraction

__all__ = ["PIPELINE_VERSION", "extract"]


def extract(source: Any, **kwargs: Any) -> Extraction:
    """Read a report (`pathlib.Path`, `bytes` or its text as `str`) and return its `Extraction`."""
    from nlp_service.extract import extract as _extract

    # importing the submodule `nlp_service.extract` rebinds the package attribute `extract` to the
    # module; put this function back so that `nlp_service.extract(...)` keeps working
    globals()["extract"] = _public_extract
    return _extract(source, **kwargs)


_public_extract = extract
