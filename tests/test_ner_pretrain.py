"""Skip-gram vectors that start the entity tagger's embeddings (nlp_service.ner.pretrain)."""

from __future__ import annotations

import torch

from nlp_service.ner.data import Example
from nlp_service.ner.model import NetworkSize
from nlp_service.ner.pretrain import SkipGramSettings, skipgram_vectors, standardised
from nlp_service.ner.train import TrainSettings, train


def test_ner_pretrain_units_sharing_contexts_get_close_vectors() -> None:
    # ids: 2..4 share the contexts 10/11, 5..7 share 12/13; 8 never occurs
    sequences = [[10, unit, 11] for unit in (2, 3, 4)] * 60 + [[12, unit, 13] for unit in (5, 6, 7)] * 60
    settings = SkipGramSettings(window=1, negatives=3, epochs=30, batch_size=64, learning_rate=0.02, subsample=1.0, seed=1)
    vectors = torch.nn.functional.normalize(skipgram_vectors(sequences, 14, 8, settings), dim=1)
    assert vectors.shape == (14, 8)
    assert torch.equal(vectors[8], torch.zeros(8)) and torch.equal(vectors[0], torch.zeros(8))
    same, other = float(vectors[2] @ vectors[3]), float(vectors[2] @ vectors[6])
    assert same > 0.5 > other


def test_ner_pretrain_standardised_keeps_untrained_rows_zero() -> None:
    vectors = torch.tensor([[0.0, 0.0], [0.1, -0.1], [0.3, 0.1]])
    scaled = standardised(vectors)
    assert torch.equal(scaled[0], torch.zeros(2))
    assert abs(float(scaled[1:].std()) - 1.0) < 1e-5


def test_ner_pretrain_unlabelled_texts_enter_the_vocabulary_and_the_embeddings() -> None:
    corpus = [Example("张三在北京工作。", [(0, 2, "PERSON"), (3, 5, "LOC")]), Example("李四到上海出差。", [(0, 2, "PERSON"), (3, 5, "LOC")])] * 4
    unlabelled = ["王五在广州工作。王五到深圳出差。"] * 5
    size = NetworkSize(char_dim=8, bigram_dim=4, domain_dim=2, hidden=8)
    plain = train(corpus, [], TrainSettings(epochs=1, batch_size=4, size=size, min_bigram=1))[0]
    tagger, metrics = train(corpus, [], TrainSettings(epochs=1, batch_size=4, size=size, min_bigram=1, pretrain_epochs=2), unlabelled=unlabelled)
    assert "广" not in plain.vocab.chars and "广" in tagger.vocab.chars
    assert metrics["pretrain_seconds"] >= 0
    assert tagger.predict(["王五在广州工作。", ""], "news")[1] == []
