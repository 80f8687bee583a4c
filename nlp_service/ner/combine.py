"""How the lexicon rules and the model's spans combine into one entity list (chosen by measurement
on the development reports, see scripts/evaluate_entities.py)."""

from __future__ import annotations

from collections.abc import Sequence

from nlp_service.ner.chains import apply_conventions
from nlp_service.ner.data import Span
from nlp_service.ner.lexicon import inside_any, resolve_overlaps, rule_entities, title_ranges

STRATEGIES = ("rules", "model", "longest", "rules_first")
DEFAULT_STRATEGY = "longest"


def combine(text: str, model_spans: Sequence[Span], strategy: str = DEFAULT_STRATEGY) -> list[Span]:
    """Entities of `text` from the rules and the model's spans; nothing inside 《》 titles; chained
    places cut into their units and the other names of a list of people added (`nlp_service.ner.chains`).

    - rules: the lexicon alone; model: the model alone;
    - longest: rule bodies take in the model's places written before them, then the longer span wins;
    - rules_first: as longest, but a rule span beats any model span it overlaps.
    """
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown entity strategy {strategy!r}; expected one of {STRATEGIES}")
    return apply_conventions(text, _combined(text, model_spans, strategy))


def _combined(text: str, model_spans: Sequence[Span], strategy: str) -> list[Span]:
    titles = title_ranges(text)
    if strategy == "rules":
        return rule_entities(text)
    model = [s for s in model_spans if not inside_any((s[0], s[1]), titles)]
    if strategy == "model":
        return sorted(model)
    places = [s for s in model if s[2] == "LOC"]
    rules = rule_entities(text, extra_places=places)
    if strategy == "rules_first":
        taken = {i for s in rules for i in range(s[0], s[1])}
        return sorted([*rules, *(s for s in model if not taken.intersection(range(s[0], s[1])))])
    return resolve_overlaps([*rules, *model])
