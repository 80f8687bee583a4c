"""Hand-built contract records for the linking and checks tests."""

from __future__ import annotations

from nlp_service.schema import ClaimPublic


def claim(
    text: str,
    doc: str,
    value: float,
    unit: str | None,
    kind: str = "count",
    *,
    nth: int = 0,
    obj: str | None = None,
    predicate: str | None = None,
    qualifier: str | None = None,
    source: str = "narrative",
) -> ClaimPublic:
    """A claim over the `nth` occurrence of `text` in `doc`, with its object located in `doc`."""
    start = -1
    for _ in range(nth + 1):
        start = doc.index(text, start + 1)
    object_span = None
    if obj:
        object_start = doc.rfind(obj, 0, start)
        object_span = (object_start, object_start + len(obj)) if object_start >= 0 else None
    return ClaimPublic(
        id=f"c{start}",
        start=start,
        end=start + len(text),
        text=text,
        value=value,
        unit=unit,
        kind=kind,
        object=obj,
        object_span=object_span,
        predicate=predicate,
        qualifier=qualifier,
        source=source,
    )  # type: ignore[arg-type]
