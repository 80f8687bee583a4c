"""The spaCy `zh` language with the jieba segmenter, on a `jieba.Tokenizer` of its own.

jieba's module-level tokenizer is shared state (other libraries add words to it); the pipeline uses
its own instance, loaded with the domain lexicon from `corpora/lexicon.txt`.

Number protection: numbers with their units (`23个`, `1781.86 万元`) and dates (`2022年3月22日`)
are kept as single tokens, and document titles (`《…》`) are segmented on their own, so every span the
components put on the `Doc` is token-aligned without retokenising.
"""

from __future__ import annotations

import bisect
import logging
from functools import lru_cache
from itertools import accumulate
from math import log

import jieba
import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from nlp_service.resources import read_lines

jieba.setLogLevel(logging.WARNING)

LEXICON_FILE = "lexicon.txt"


class Segmenter(jieba.Tokenizer):
    """`jieba.Tokenizer` with its two hot loops (`get_DAG`, `calc`) written for speed: one dictionary
    lookup per fragment and no generator for the (common) positions with a single word ending.
    Same graph, same scores summed in the same order, same ties: the same segmentation."""

    def get_DAG(self, sentence: str) -> dict[int, list[int]]:  # noqa: N802 - jieba's name
        """For each position, the end positions of the dictionary words starting there (itself if none)."""
        self.check_initialized()
        lookup = self.FREQ.get
        n = len(sentence)
        dag: dict[int, list[int]] = {}
        for k in range(n):
            ends = []
            i = k
            freq = lookup(sentence[k])
            while freq is not None:  # a word or a word's prefix
                if freq:
                    ends.append(i)
                i += 1
                if i >= n:
                    break
                freq = lookup(sentence[k : i + 1])
            dag[k] = ends or [k]
        return dag

    def calc(self, sentence: str, DAG: dict[int, list[int]], route: dict[int, tuple[float, int]]) -> None:  # noqa: N803
        """The best-scoring path from each position to the end (jieba's dynamic programme)."""
        n = len(sentence)
        route[n] = (0, 0)
        logtotal = log(self.total)
        lookup = self.FREQ.get
        for idx in range(n - 1, -1, -1):
            ends = DAG[idx]
            if len(ends) == 1:
                x = ends[0]
                route[idx] = (log(lookup(sentence[idx : x + 1]) or 1) - logtotal + route[x + 1][0], x)
            else:
                route[idx] = max((log(lookup(sentence[idx : x + 1]) or 1) - logtotal + route[x + 1][0], x) for x in ends)


@lru_cache(maxsize=1)
def domain_tokenizer() -> jieba.Tokenizer:
    """The process's `jieba.Tokenizer` with the domain words (one per line: word [freq [tag]]).

    Built once and shared by the pipeline, linking and the index (each used to load its own copy of
    the dictionary: 1-2 s and ~100 MB apiece); nothing changes it after it is built, and segmenting
    only reads it.
    """
    tok = Segmenter()
    tok.initialize()
    for line in read_lines(LEXICON_FILE):
        parts = line.split()
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        tag = parts[2] if len(parts) > 2 else None
        tok.add_word(parts[0], freq=freq, tag=tag)
    return tok


PROTECTED_KEY = "nlp_service.protected"
TEXT_KEY = "nlp_service.text"


def doc_text(doc: Doc) -> str:
    """The text of a `Doc`, cached by the tokenizer (`Doc.text` joins every token each time)."""
    text = doc.user_data.get(TEXT_KEY)
    return text if isinstance(text, str) else doc.text


class ProtectingTokenizer:
    """jieba segmentation that keeps protected ranges whole and cuts at title boundaries.

    The ranges come from `nlp_service.pipeline.quantities.protected_ranges`; what it computed is left
    in `doc.user_data[PROTECTED_KEY]` so the quantities component does not find it again.
    """

    def __init__(self, vocab: Vocab, segmenter: jieba.Tokenizer) -> None:
        self.vocab = vocab
        self.jieba_seg = segmenter

    def __call__(self, text: str) -> Doc:
        from nlp_service.pipeline.quantities import protected_ranges

        whole, cuts, found = protected_ranges(text)
        words = [w for w in self.jieba_seg.cut(text, cut_all=False) if w]
        words = realign(words, whole, cuts)
        words, spaces = words_and_spaces(words)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        doc.user_data[PROTECTED_KEY] = found
        doc.user_data[TEXT_KEY] = text
        return doc


def words_and_spaces(words: list[str]) -> tuple[list[str], list[bool]]:
    """spaCy's words/spaces form: a single space after a word becomes that word's trailing space
    (what `spacy.util.get_words_and_spaces` does, without its alignment search)."""
    out: list[str] = []
    spaces: list[bool] = []
    for word in words:
        if word == " " and out and not spaces[-1] and not out[-1].isspace():
            spaces[-1] = True
        elif word.isspace() and out and out[-1].isspace() and not spaces[-1]:
            out[-1] += word
        else:
            out.append(word)
            spaces.append(False)
    return out, spaces


def realign(words: list[str], whole: list[tuple[int, int]], cuts: set[int]) -> list[str]:
    """Re-cut a segmentation so that each `whole` range is one word and every cut point is a border.

    `words` concatenate to the text; `whole` ranges are sorted and disjoint.
    """
    if not whole and not cuts:
        return words
    text = "".join(words)
    borders = sorted({0, *accumulate(map(len, words)), *cuts, *(x for r in whole for x in r)})
    keep: list[int] = []
    i = 0
    for start, end in whole:  # drop the borders strictly inside a whole range
        j = bisect.bisect_right(borders, start, lo=i)
        keep.extend(borders[i:j])
        i = bisect.bisect_left(borders, end, lo=j)
    keep.extend(borders[i:])
    return [text[a:b] for a, b in zip(keep, keep[1:], strict=False)]


def blank_zh() -> Language:
    """`spacy.blank("zh")` segmenting with jieba (the pipeline's own instance), numbers kept whole."""
    # built with the character segmenter, then given jieba: asking spaCy for jieba directly would
    # also load jieba's global dictionary, a second full load at start-up
    nlp = spacy.blank("zh")
    segmenter = domain_tokenizer()
    nlp.tokenizer = ProtectingTokenizer(nlp.vocab, segmenter)
    prewarm_vocab(nlp.vocab, common_words(segmenter))
    return nlp


PREWARM_MIN_FREQ = 100  # jieba dictionary words at least this frequent: ~36K words, ~70% of a report's word types
SYMBOLS = "".join(map(chr, [*range(0x20, 0x7F), *range(0x3000, 0x3040), *range(0xFF01, 0xFF5F)])) + "“”‘’…—·\n\t"


def common_words(segmenter: jieba.Tokenizer) -> list[str]:
    """The words the pipeline's vocabulary holds from the start: frequent dictionary words, the domain
    lexicon, punctuation and symbols, runs of line breaks."""
    frequent = [w for w, freq in segmenter.FREQ.items() if freq >= PREWARM_MIN_FREQ]
    lexicon = [line.split()[0] for line in read_lines(LEXICON_FILE)]
    return [*frequent, *lexicon, *SYMBOLS, *("\n" * n for n in range(2, 21))]


def prewarm_vocab(vocab: Vocab, words: list[str]) -> None:
    """Create the lexemes of `words` up front, outside any memory zone.

    The extractor runs each document inside `nlp.memory_zone()`, so the lexemes a document creates are
    freed after it, and a word met in every document is built again every time (spaCy computes ~20
    attributes per lexeme: a third of the tokenizer's time). Lexemes made here are permanent; the set
    is fixed, so memory stays bounded (~36K words, ~10 MB) while most words of a report hit it.
    """
    for word in words:
        vocab[word]
