"""Build `corpora/trad_simp.txt`, the one-for-one traditional -> simplified table that the entity
lexicon and tagger fold text with (`nlp_service.ner.lexicon.fold`), from OpenCC's character tables.

OpenCC (Apache License 2.0, https://github.com/BYVoid/OpenCC) ships them as
`dictionary/TSCharacters.txt` (traditional -> simplified) and `dictionary/STCharacters.txt`
(simplified -> traditional) inside the `opencc-python-reimplemented` wheel:

    .venv/bin/pip download --no-deps -d /tmp/opencc opencc-python-reimplemented==0.1.7
    python -m zipfile -e /tmp/opencc/opencc_python_reimplemented-0.1.7-py2.py3-none-any.whl /tmp/opencc/x
    .venv/bin/python scripts/build_trad_simp.py /tmp/opencc/x/opencc/dictionary

Kept: pairs of single BMP characters whose traditional form is not itself a simplified character
(not a key of STCharacters) and is not one of KEEP_AS_WRITTEN, characters that simplified text still
writes in some words (乾坤, 覆盖, 瞭望, 狼藉): folding them would change simplified reports too.
"""

from __future__ import annotations

import argparse
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "corpora" / "trad_simp.txt"
KEEP_AS_WRITTEN = frozenset("乾覆瞭藉於餘徵夥穀鍾麼著")
HEADER = (
    "# Traditional -> simplified characters (one pair a line) folded before lexicon matching and tagging.\n"
    "# Built by scripts/build_trad_simp.py from OpenCC's TSCharacters.txt (Apache License 2.0).\n"
)


def read_table(path: Path) -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            key, values = line.split("\t", 1)
            table[key] = values.split()
    return table


def pairs(ts: dict[str, list[str]], st: dict[str, list[str]]) -> list[tuple[str, str]]:
    kept = []
    for trad, simplified in ts.items():
        simp = simplified[0] if simplified else ""
        if len(trad) != 1 or len(simp) != 1 or trad == simp or trad in st or trad in KEEP_AS_WRITTEN:
            continue
        if ord(trad) > 0xFFFF or ord(simp) > 0xFFFF:
            continue
        kept.append((trad, simp))
    return sorted(kept)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dictionary", type=Path, help="OpenCC's dictionary folder")
    args = parser.parse_args()
    table = pairs(read_table(args.dictionary / "TSCharacters.txt"), read_table(args.dictionary / "STCharacters.txt"))
    OUT.write_text(HEADER + "".join(f"{t}{s}\n" for t, s in table), encoding="utf-8")
    print(f"{len(table)} pairs written to {OUT}")


if __name__ == "__main__":
    main()
