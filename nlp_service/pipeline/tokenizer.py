"""The spaCy `zh` language with the jieba segmenter, on a `jieba.Tokenizer` of its own.

jieba's module-level tokenizer is shared state (other libraries add words to it); the pipeline uses
its own instance, loaded with the domain lexicon from `corpora/lexicon.txt`.
"""

from __future__ import annotations

import logging
from typing import Any

import jieba
import spacy
from spacy.language import Language

from nlp_service.resources import read_lines

jieba.setLogLevel(logging.WARNING)

LEXICON_FILE = "lexicon.txt"


def domain_tokenizer() -> jieba.Tokenizer:
    """A fresh `jieba.Tokenizer` with the domain words (one per line: word [freq [tag]])."""
    tok = jieba.Tokenizer()
    tok.initialize()
    for line in read_lines(LEXICON_FILE):
        parts = line.split()
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        tag = parts[2] if len(parts) > 2 else None
        tok.add_word(parts[0], freq=freq, tag=tag)
    return tok


def blank_zh() -> Language:
    """`spacy.blank("zh")` segmenting with jieba, using the pipeline's own tokenizer instance."""
    # built with the character segmenter, then switched to jieba: asking spaCy for jieba directly
    # would also load jieba's global dictionary, a second full load at start-up
    nlp = spacy.blank("zh")
    tokenizer: Any = nlp.tokenizer
    tokenizer.jieba_seg = domain_tokenizer()
    tokenizer.segmenter = "jieba"
    return nlp
