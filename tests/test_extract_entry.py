"""The public entry accepts a path, bytes or text and returns the contract's model."""

from pathlib import Path

import nlp_service
from nlp_service.schema import SCHEMA_ID, Extraction

SEED = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "seed" / "zy-jiwei-2022-xuncha.txt"


def test_extract_entry_accepts_text_bytes_and_path(tmp_path: Path) -> None:
    text = "本项目预算收入55万元。"
    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    results = [nlp_service.extract(text), nlp_service.extract(text.encode("utf-8")), nlp_service.extract(path)]
    for result in results:
        assert isinstance(result, Extraction)
        assert result.text == text
        assert result.model_dump(mode="json")["schema"] == SCHEMA_ID
