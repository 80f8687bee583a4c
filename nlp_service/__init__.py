"""nlp_service: information extraction and cross-checking for Chinese budget-performance reports.

The one public entry is `nlp_service.extract(source)`, implemented in `nlp_service.extractor`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nlp_service.version import PIPELINE_VERSION

if TYPE_CHECKING:
    from nlp_service.schema import Extraction

__all__ = ["PIPELINE_VERSION", "extract"]


def extract(source: Any, **kwargs: Any) -> Extraction:
    """Read a report (`pathlib.Path`, `bytes` or its text as `str`) and return its `Extraction`.

    The pipeline (spaCy, jieba, the models) is imported on first use, so importing the package stays
    cheap for the CLI's `--help`.
    """
    from nlp_service.extractor import extract as _extract

    return _extract(source, **kwargs)
