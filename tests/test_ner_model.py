"""Contract test of the entity recogniser: train a few steps on a tiny corpus, save, load, predict."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from nlp_service.ner.augment import glue_name_runs, replace_mentions
from nlp_service.ner.data import (
    Example,
    chunk_text,
    read_bio,
    read_cluener,
    spans_to_tags,
    split_example,
    tags_to_spans,
)
from nlp_service.ner.gazetteer import KINDS, POSITIONS, match_features
from nlp_service.ner.model import NetworkSize
from nlp_service.ner.segmentation import ALONE, FIRST, INSIDE, LAST, word_positions
from nlp_service.ner.tagger import Tagger, clean_spans
from nlp_service.ner.train import TrainSettings, blend_weights, span_scores, train


def write_bio(path: Path) -> None:
    """A BIO file in the People's Daily layout (one `char TAG` per line, blank line between sentences)."""
    lines = []
    for text, spans in [("张三在北京工作。", [(0, 2, "PER"), (3, 5, "LOC")]), ("李四到上海参观。", [(0, 2, "PER"), (3, 5, "LOC")])]:
        tags = spans_to_tags(len(text), spans)
        lines.extend(f"{c} {t}" for c, t in zip(text, tags, strict=True))
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


def write_cluener(path: Path) -> None:
    record = {"text": "王五在财政部和杭州。", "label": {"name": {"王五": [[0, 1]]}, "government": {"财政部": [[3, 5]]}, "address": {"杭州": [[7, 8]]}, "game": {"和": [[6, 6]]}}}
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")


@pytest.fixture
def corpus(tmp_path: Path) -> list[Example]:
    write_bio(tmp_path / "tiny.bio")
    write_cluener(tmp_path / "tiny.json")
    return read_bio(tmp_path / "tiny.bio", "news") * 8 + read_cluener(tmp_path / "tiny.json") * 8


def test_ner_model_readers_map_labels(corpus: list[Example]) -> None:
    assert corpus[0].spans == [(0, 2, "PERSON"), (3, 5, "LOC")]
    assert corpus[-1].spans == [(0, 2, "PERSON"), (3, 6, "ORG"), (7, 9, "LOC")]
    assert corpus[-1].domain == "cluener"


@pytest.mark.parametrize(
    ("tags", "spans"),
    [
        (["B-ORG", "I-ORG", "O", "B-LOC"], [(0, 2, "ORG"), (3, 4, "LOC")]),
        (["I-PERSON", "I-PERSON", "B-PERSON"], [(0, 2, "PERSON"), (2, 3, "PERSON")]),
        (["O", "O"], []),
        ([], []),
    ],
)
def test_ner_model_tags_to_spans(tags: list[str], spans: list[tuple[int, int, str]]) -> None:
    assert tags_to_spans(tags) == spans


def test_ner_model_chunk_text_cuts_an_unpunctuated_run_after_a_whole_word() -> None:
    text = "李鹏乔石李瑞环彭真朱镕基"  # no punctuation: a window of 8 would end inside 李瑞环
    word_ends = [i in (1, 3, 6, 8, 11) for i in range(len(text))]
    assert list(chunk_text(text, 8)) == [(0, 8), (8, 12)]
    assert list(chunk_text(text, 8, word_ends)) == [(0, 7), (7, 12)]


def test_ner_model_split_example_keeps_spans_inside_windows() -> None:
    example = Example("甲" * 10 + "。" + "北京" + "乙" * 10, [(11, 13, "LOC")])
    pieces = split_example(example, 12)
    assert "".join(p.text for p in pieces) == example.text
    assert sum(len(p.spans) for p in pieces) == 1


def test_ner_model_trains_saves_loads_and_predicts(corpus: list[Example], tmp_path: Path) -> None:
    settings = TrainSettings(epochs=3, batch_size=4, size=NetworkSize(char_dim=16, bigram_dim=8, domain_dim=2, hidden=16), min_bigram=1)
    tagger, metrics = train(corpus, corpus[:4], settings, tmp_path / "ner.pt")
    assert len(metrics["history"]) == 3
    loaded = Tagger.load(tmp_path / "ner.pt")
    texts = ["张三在北京工作。", "", "李四到上海参观。" * 40]
    predictions = loaded.predict(texts)
    assert predictions == tagger.predict(texts)
    assert predictions[1] == []
    for text, spans in zip(texts, predictions, strict=True):
        assert all(0 <= s < e <= len(text) and label in ("PERSON", "ORG", "LOC") for s, e, label in spans)


@pytest.mark.parametrize(
    "features",
    [{"lexicon_dim": 4}, {"lexicon_dim": 4, "segment_dim": 3}],
    ids=["dictionary", "dictionary+word-positions"],
)
def test_ner_model_with_input_features_trains_saves_loads_and_predicts(
    corpus: list[Example], tmp_path: Path, features: dict[str, int]
) -> None:
    size = NetworkSize(char_dim=16, bigram_dim=8, domain_dim=2, hidden=16, **features)
    tagger, _ = train(corpus, corpus[:4], TrainSettings(epochs=2, batch_size=4, size=size, min_bigram=1), tmp_path / "ner.pt")
    loaded = Tagger.load(tmp_path / "ner.pt")
    assert {name: getattr(loaded.size, name) for name in features} == features
    texts = ["王五在北京市财政局工作。", "", "李四到上海参观。" * 40]
    assert loaded.predict(texts) == tagger.predict(texts)
    assert loaded.predict(texts)[1] == []


def test_ner_model_word_positions_follow_the_segmenter() -> None:
    assert word_positions("他在北京市工作") == [ALONE, ALONE, FIRST, INSIDE, LAST, FIRST, LAST]
    assert word_positions("") == []


def test_ner_model_dictionary_features_mark_first_inside_and_last_characters() -> None:
    text = "他在北京市工作"  # 北京市 is a place in the dictionary, 他 and 工作 are not names
    features = match_features(text)
    place = POSITIONS * KINDS.index("LOC")
    assert features[0] == 0 and features[-1] == 0
    assert features[2] >> place & 1 and features[4] >> (place + 2) & 1 and features[3] >> (place + 1) & 1
    assert match_features("") == []


def test_ner_model_load_rejects_a_foreign_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.pt"
    path.write_bytes(b"not a model")
    with pytest.raises(Exception):  # noqa: B017 - any load failure; the pipeline maps it to ModelMissing
        Tagger.load(path)


def test_ner_model_span_scores_count_exact_spans() -> None:
    scores = span_scores([[(0, 2, "ORG"), (3, 4, "LOC")]], [[(0, 2, "ORG"), (3, 5, "LOC")]])
    assert scores["all"]["f1"] == 0.5
    assert scores["ORG"]["f1"] == 1.0
    assert scores["LOC"]["f1"] == 0.0


@pytest.mark.parametrize(
    ("text", "spans", "kept"),
    [
        ("江主席说", [(0, 1, "PERSON")], [(0, 1, "PERSON")]),
        (" 北京 ", [(0, 4, "LOC")], [(1, 3, "LOC")]),
        ("a\n| b", [(0, 5, "PERSON")], []),
        ("x |", [(0, 1, "PERSON"), (1, 3, "ORG")], []),
        ("“湖南巡视”公众号", [(1, 7, "ORG"), (1, 3, "LOC")], [(1, 3, "LOC")]),
        ("《两岸关系》杂志", [(0, 8, "ORG")], [(0, 8, "ORG")]),
    ],
)
def test_ner_model_clean_spans_drops_layout_artefacts(
    text: str, spans: list[tuple[int, int, str]], kept: list[tuple[int, int, str]]
) -> None:
    assert clean_spans(text, spans) == kept


def test_ner_model_replace_mentions_swaps_names_of_the_same_label() -> None:
    examples = [Example("张三在北京工作。", [(0, 2, "PERSON"), (3, 5, "LOC")]), Example("欧阳修到上海市参观。", [(0, 3, "PERSON"), (4, 7, "LOC")]), Example("无名。")]
    copies = replace_mentions(examples, copies=3, seed=1, rate=1.0)
    assert len(copies) == 6  # the example without names is not copied
    names = {"张三", "欧阳修", "北京", "上海市"}
    for copy in copies:
        assert [label for _, _, label in copy.spans] == ["PERSON", "LOC"]
        assert all(copy.text[s:e] in names for s, e, _ in copy.spans)
        assert copy.text.endswith(("工作。", "参观。"))
    assert replace_mentions(examples, copies=1, seed=1, rate=0.0) == examples[:2]


def test_ner_model_glue_name_runs_writes_runs_of_names_each_its_own_span() -> None:
    examples = [
        Example("张三在北京工作。", [(0, 2, "PERSON"), (3, 5, "LOC")]),
        Example("欧阳修到上海市参观。", [(0, 3, "PERSON"), (4, 7, "LOC")]),
        Example("芭芭拉来了。", [(0, 3, "PERSON")]),  # glued, but never drawn into a run: 芭 is no surname
        Example("无名。"),
    ]
    copies = glue_name_runs(examples, copies=2, seed=3, rate=1.0, longest_run=3)
    assert len(copies) == 6  # the three examples with a Chinese-character name, twice
    for copy in copies:
        people = [copy.text[s:e] for s, e, label in copy.spans if label == "PERSON"]
        places = [copy.text[s:e] for s, e, label in copy.spans if label == "LOC"]
        assert 2 <= len(people) <= 3 and places in ([], ["北京"], ["上海市"])
        run_start, run_end = min(s for s, _, lab in copy.spans if lab == "PERSON"), max(e for _, e, lab in copy.spans if lab == "PERSON")
        assert copy.text[run_start:run_end] == "".join(people)  # written without separators
        assert set(people) - {"芭芭拉"} <= {"张三", "欧阳修"}


def test_ner_model_keep_best_epoch_false_keeps_the_last_epoch(corpus: list[Example]) -> None:
    size = NetworkSize(char_dim=16, bigram_dim=8, domain_dim=2, hidden=16)
    nameless = [Example("今天下雨。")]  # held-out F1 is 0 at every epoch: the best epoch is the first

    def trained(heldout: list[Example], keep_best_epoch: bool) -> dict[str, torch.Tensor]:
        settings = TrainSettings(epochs=3, batch_size=4, size=size, min_bigram=1, keep_best_epoch=keep_best_epoch)
        return train(corpus, heldout, settings)[0].network.state_dict()

    last_epoch = trained([], True)
    kept_last = trained(nameless, False)
    kept_best = trained(nameless, True)
    assert all(torch.equal(weights, last_epoch[name]) for name, weights in kept_last.items())
    assert not all(torch.equal(weights, last_epoch[name]) for name, weights in kept_best.items())


def test_ner_model_average_last_epochs_keeps_the_mean_of_the_last_epochs(corpus: list[Example]) -> None:
    size = NetworkSize(char_dim=16, bigram_dim=8, domain_dim=2, hidden=16)

    def trained(epochs: int, average: int) -> dict[str, torch.Tensor]:
        settings = TrainSettings(epochs=epochs, batch_size=4, size=size, min_bigram=1, average_last_epochs=average)
        return train(corpus, [], settings)[0].network.state_dict()

    second, third = trained(2, 0), trained(3, 0)
    assert all(torch.equal(weights, third[name]) for name, weights in trained(3, 1).items())
    averaged = trained(3, 2)
    assert all(torch.allclose(weights, (second[name] + third[name]) / 2, atol=1e-6) for name, weights in averaged.items())
    assert not all(torch.allclose(weights, third[name]) for name, weights in averaged.items())


def test_ner_model_blend_weights_moves_the_network_towards_other_weights(corpus: list[Example]) -> None:
    size = NetworkSize(char_dim=16, bigram_dim=8, domain_dim=2, hidden=16)
    tagger = train(corpus, [], TrainSettings(epochs=1, batch_size=4, size=size, min_bigram=1))[0]
    start = {name: value.clone() for name, value in tagger.network.state_dict().items()}
    other = {name: torch.zeros_like(value) for name, value in start.items()}
    blend_weights(tagger.network, other, 0.0)
    assert all(torch.equal(value, start[name]) for name, value in tagger.network.state_dict().items())
    blend_weights(tagger.network, other, 0.25)
    assert all(torch.allclose(value, 0.75 * start[name]) for name, value in tagger.network.state_dict().items())
    with pytest.raises(ValueError, match="between 0 and 1"):
        blend_weights(tagger.network, other, 1.5)
