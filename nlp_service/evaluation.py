"""Scoring extraction outputs against gold files, with the reference scorers' rules.

Claims follow `../shared/tools/score_claims.py` exactly (claims.md): each gold claim takes the unused
prediction that overlaps it most; unmatched predictions are false positives unless they overlap a
neutral `ignore` span (everything but plain list numbers, ordinals and document numbers), a gold
date (when read as a duration) or start inside the gold `table_region`. Value accuracy needs value
and unit (simplified script) right; object and predicate accept `object_alt` / `predicate_alt`.
Tables follow `score_tables.py`: indicators found by name, then level1, level2, target raw, weight
and score; funding amounts in 元, weight, rate and score. Entities follow `score_entities.py`: exact
span and label, labels mapped to PER / ORG / LOC.

The same figures as the reference scorers on the same outputs: tests/test_evaluation.py checks it.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PLAIN = re.compile(r"[\d０-９]+|[一二三四五六七八九十百零两]+|.*[是第〔〕\[\]].*", re.S)
TRAD = str.maketrans("個條萬冊項處場戶臺頭間張輛噸畝臺", "个条万册项处场户台头间张辆吨亩台")
ENTITY_LABELS = {"PERSON": "PER", "PER": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC"}

Span = tuple[int, int]


def overlap(a: Span, b: Span) -> int:
    """Characters shared by two [start, end) ranges."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def match_spans(gold: Sequence[Span], pred: Sequence[Span]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, prediction index): each gold span, in order, takes the unused
    prediction overlapping it most (the first one on ties)."""
    pairs, used = [], set()
    for gi, g in enumerate(gold):
        best, best_ov = None, 0
        for pi, p in enumerate(pred):
            if pi in used:
                continue
            ov = overlap(g, p)
            if ov > best_ov:
                best, best_ov = pi, ov
        if best is not None:
            used.add(best)
            pairs.append((gi, best))
    return pairs


def same_value(pred: Any, gold: Any) -> bool:
    try:
        p, g = float(pred), float(gold)
    except (TypeError, ValueError):
        return False
    return abs(p - g) <= 1e-6 * max(1.0, abs(g))


def _norm(s: str | None) -> str:
    return (s or "").strip()


def same_unit(pred: str | None, gold: str | None) -> bool:
    """Units compare in simplified script (個 = 个)."""
    return _norm(pred).translate(TRAD) == _norm(gold).translate(TRAD)


def accepts(pred: str | None, gold: str | None, alts: Iterable[str] | None) -> bool:
    """The prediction equals the gold reading or one of its accepted alternatives."""
    ok = {_norm(gold)} | {_norm(a) for a in alts or []}
    if not _norm(gold):
        ok.add("")
    return _norm(pred) in ok


@dataclass
class ClaimScore:
    """Counts for one document or a whole set (they add up)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    value: int = 0
    object: int = 0
    predicate: int = 0
    pred_nn: int = 0
    with_pred: int = 0
    misses: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    def add(self, other: ClaimScore) -> None:
        for name in ("tp", "fp", "fn", "value", "object", "predicate", "pred_nn", "with_pred"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def accuracy(self, name: str) -> float:
        """value / object / predicate accuracy over the matched claims."""
        return getattr(self, name) / self.tp if self.tp else 0.0

    @property
    def predicate_where_gold_has_one(self) -> float:
        return self.pred_nn / max(1, self.with_pred)


def _is_false_positive(span: Span, kind: Any, neutral: list[Span], dates: list[Span],
                       table: Sequence[int] | None) -> bool:
    if any(overlap(span, n) for n in neutral):
        return False
    if kind in ("duration", "time") and any(overlap(span, d) for d in dates):
        return False
    return not (table and table[0] <= span[0] < table[1])


def score_claims(gold: dict[str, Any], pred: dict[str, Any]) -> ClaimScore:
    """Score one document's predicted claims against its gold file."""
    gclaims = gold["claims"]
    pclaims = [c for c in pred.get("claims", []) if c.get("kind") != "date"]
    table = gold.get("table_region")
    neutral = [(s["start"], s["end"]) for s in gold.get("ignore", [])
               if (table and table[0] <= s["start"] < table[1]) or not PLAIN.fullmatch(s["text"])]
    dates = [(s["start"], s["end"]) for s in gold.get("dates", [])]
    pspans = [(p.get("start", -1), p.get("end", -1)) for p in pclaims]
    pairs = [(gclaims[gi], pclaims[pi]) for gi, pi in match_spans([(g["start"], g["end"]) for g in gclaims], pspans)]
    used = {id(p) for _, p in pairs}
    score = ClaimScore(tp=len(pairs), fn=len(gclaims) - len(pairs))
    score.fp = sum(_is_false_positive(span, p.get("kind"), neutral, dates, table)
                   for p, span in zip(pclaims, pspans, strict=True) if id(p) not in used)
    for g, p in pairs:
        score.value += same_value(p.get("value"), g["value"]) and same_unit(p.get("unit"), g["unit"])
        obj_ok = accepts(p.get("object"), g["object"], g.get("object_alt"))
        pred_ok = accepts(p.get("predicate"), g["predicate"], g.get("predicate_alt"))
        score.object += obj_ok
        score.predicate += pred_ok
        if _norm(g["predicate"]):
            score.with_pred += 1
            score.pred_nn += pred_ok
        if not obj_ok:
            score.wrong.append(f'{g["text"]}: obj {p.get("object")!r}≠{g["object"]!r}')
    matched = {id(g) for g, _ in pairs}
    score.misses = [g["text"] + "@" + g.get("context", "")[:16] for g in gclaims if id(g) not in matched]
    return score


def claims_summary(total: ClaimScore, unreadable: int = 0) -> str:
    """The reference scorer's last line."""
    return (f"claims P={total.precision:.3f} R={total.recall:.3f} F1={total.f1:.3f} "
            f"value={total.accuracy('value'):.3f} object={total.accuracy('object'):.3f} "
            f"predicate={total.accuracy('predicate'):.3f} "
            f"(where gold has one: {total.predicate_where_gold_has_one:.3f}) "
            f"(gold {total.tp + total.fn}, predicted {total.tp + total.fp}, unreadable outputs {unreadable})")


def claims_row(name: str, s: ClaimScore) -> str:
    """The reference scorer's per-document line."""
    return (f"{name}: tp={s.tp} fp={s.fp} fn={s.fn} value={s.value} object={s.object} "
            f"predicate={s.predicate} misses={s.misses[:4]} wrong={s.wrong[:3]}")


@dataclass
class EntityScore:
    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)


def _f1(tp: int, fp: int, fn: int) -> float:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def score_entities(gold: dict[str, Any], pred: dict[str, Any], into: EntityScore) -> None:
    """Exact span-and-label entity matching (score_entities.py), added to `into`."""
    def keyed(entities: Iterable[dict[str, Any]]) -> set[tuple[int, int, str]]:
        return {(e["start"], e["end"], ENTITY_LABELS[e["label"]]) for e in entities
                if e.get("label") in ENTITY_LABELS}

    g, p = keyed(gold.get("entities", [])), keyed(pred.get("entities") or [])
    for s in g & p:
        into.tp[s[2]] += 1
    for s in p - g:
        into.fp[s[2]] += 1
    for s in g - p:
        into.fn[s[2]] += 1


def entities_summary(s: EntityScore) -> str:
    per = {k: round(_f1(s.tp[k], s.fp[k], s.fn[k]), 3) for k in ("PER", "ORG", "LOC")}
    total = _f1(sum(s.tp.values()), sum(s.fp.values()), sum(s.fn.values()))
    return f"entities F1={total:.3f} by label {per} (gold {sum(s.tp.values()) + sum(s.fn.values())})"


# --- tables (score_tables.py) ---------------------------------------------------------------------


def _squash(text: Any) -> str:
    return re.sub(r"[\s\u3000]+", "", str(text or ""))


def _indicator_key(name: Any) -> str:
    """Indicator names compare without layout marks: ★, 指标N / N. numbering, spaces."""
    body = _squash(name).replace("★", "").replace("☆", "")
    return re.sub(r"^(指标\d+[.:：、]?|\d+[.、．]|[（(]\d+[)）])", "", body)


def _level(text: Any) -> str:
    return re.sub(r"[（(]\s*\d+(\.\d+)?\s*分\s*[)）]", "", _squash(text))


def _number(x: Any) -> float | None:
    try:
        return float(str(x).replace("%", "").replace("分", ""))
    except (TypeError, ValueError):
        return None


def _close(a: Any, b: Any) -> bool:
    x, y = _number(a), _number(b)
    return x is not None and y is not None and abs(x - y) <= 1e-6 * max(1.0, abs(y))


@dataclass
class TableScore:
    """Indicator and funding fields right, over fields the gold states (score_tables.py)."""

    ok: int = 0
    total: int = 0
    documents: int = 0
    misses: list[str] = field(default_factory=list)

    def check(self, name: str, good: bool) -> None:
        self.ok += good
        self.total += 1
        if not good:
            self.misses.append(name)

    @property
    def accuracy(self) -> float:
        return self.ok / self.total if self.total else 0.0


def _score_indicators(gold: dict[str, Any], pred: dict[str, Any], into: TableScore) -> None:
    by_name: dict[str, list[dict[str, Any]]] = {}
    for indicator in pred.get("indicators") or []:
        by_name.setdefault(_indicator_key(indicator.get("name")), []).append(indicator)
    for g in gold.get("indicators") or []:
        same = by_name.get(_indicator_key(g["name"])) or []
        p = same.pop(0) if same else None  # repeated names (two sheets) match in order
        into.check(f'{g["name"]}.name', p is not None)
        if p is None:
            for _ in range(3):
                into.check(f'{g["name"]}.rest', False)
            continue
        for level in ("level1", "level2"):
            if g.get(level):
                into.check(f'{g["name"]}.{level}', _level(p.get(level)) == _level(g[level]))
        if g.get("target") is not None:
            target = p.get("target")
            raw = target.get("raw") if isinstance(target, dict) else target
            into.check(f'{g["name"]}.target', _squash(raw) == _squash(g["target"]))
        for f in ("weight", "score"):
            if g.get(f) is not None:
                into.check(f'{g["name"]}.{f}', _close(p.get(f), g[f]))


def _score_funding(gold: dict[str, Any], pred: dict[str, Any], into: TableScore) -> None:
    gf, pf = gold.get("funding"), pred.get("funding") or {}
    if not gf:
        return
    scale = 10000 if gf.get("unit") == "万元" else 1
    for f in ("budget_initial", "budget_full_year", "executed"):
        if gf.get(f) is not None:
            into.check(f"funding.{f}", _close(pf.get(f), gf[f] * scale))
    for f in ("weight", "execution_rate", "score"):
        if gf.get(f) is not None:
            into.check(f"funding.{f}", _close(pf.get(f), gf[f]))


def score_tables(gold: dict[str, Any], pred: dict[str, Any], into: TableScore) -> None:
    """Add one document's indicator and funding fields to `into` (documents whose gold has a table)."""
    if not (gold.get("indicators") or gold.get("funding")):
        return
    into.documents += 1
    _score_indicators(gold, pred, into)
    _score_funding(gold, pred, into)


def tables_summary(s: TableScore) -> str:
    """The last line of score_tables.py."""
    return f"table fields {s.ok}/{s.total} = {s.accuracy:.3f}"


@dataclass
class Evaluation:
    """The result of scoring a gold directory."""

    claims: ClaimScore
    per_document: dict[str, ClaimScore]
    unreadable: int
    entities: EntityScore | None = None
    tables: TableScore | None = None

    def lines(self, per_document: bool = True) -> list[str]:
        out = [claims_row(n, s) for n, s in self.per_document.items()] if per_document else []
        out.append(claims_summary(self.claims, self.unreadable))
        if self.tables is not None and self.tables.documents:
            out.append(tables_summary(self.tables))
        if self.entities is not None:
            out.append(entities_summary(self.entities))
        return out


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def evaluate(gold_dir: Path, predict: Callable[[str], dict[str, Any] | None]) -> Evaluation:
    """Score every GOLD_DIR/NAME.gold.json; `predict(NAME)` returns the contract JSON (None: unreadable)."""
    total, per_doc, unreadable = ClaimScore(), {}, 0
    entities: EntityScore | None = None
    tables = TableScore()
    for gpath in sorted(gold_dir.glob("*.gold.json")):
        name = gpath.name[: -len(".gold.json")]
        gold = json.loads(gpath.read_text(encoding="utf-8"))
        pred = predict(name)
        if pred is None:
            unreadable += 1
            pred = {"claims": []}
        score = score_claims(gold, pred)
        score_tables(gold, pred, tables)
        total.add(score)
        per_doc[name] = score
        entity_gold = _read_json(gold_dir / f"{name}.entities.json")
        if entity_gold is not None:
            entities = entities or EntityScore()
            score_entities(entity_gold, pred, entities)
    return Evaluation(total, per_doc, unreadable, entities, tables)


def predictions_from_dir(pred_dir: Path) -> Callable[[str], dict[str, Any] | None]:
    """Read NAME.json outputs written by run_extract.py or `nlp-service extract`."""
    return lambda name: _read_json(pred_dir / f"{name}.json")


def predictions_by_extracting(gold_dir: Path, use_models: bool = True) -> Callable[[str], dict[str, Any] | None]:
    """Run `extract` over GOLD_DIR/NAME.txt."""
    from nlp_service.extractor import extract

    def predict(name: str) -> dict[str, Any] | None:
        path = gold_dir / f"{name}.txt"
        if not path.is_file():
            return None
        return extract(path, use_models=use_models).model_dump(mode="json")

    return predict
