"""Word-boundary features for the entity recogniser: where each character stands in the word the
pipeline's jieba segmenter (with the domain words) puts it in: first, inside, last, or alone.

Names end where words end far more often than not (喀喇昆仑, not 喀喇昆; 由喜贵, not 喜贵), and the
segmenter's HMM pass joins unknown names (王恢先) that the dictionary lacks.
"""

from __future__ import annotations

PAD, FIRST, INSIDE, LAST, ALONE = 0, 1, 2, 3, 4
N_POSITIONS = 5


def word_positions(chars: str) -> list[int]:
    """For each character of `chars` (already folded), its position in its word (FIRST..ALONE)."""
    # imported here: the pipeline package's __init__ imports the entity component, which imports this module
    from nlp_service.pipeline.tokenizer import domain_tokenizer

    positions: list[int] = []
    for word in domain_tokenizer().cut(chars, HMM=True):
        if len(word) == 1:
            positions.append(ALONE)
        else:
            positions.extend([FIRST, *[INSIDE] * (len(word) - 2), LAST])
    return positions
