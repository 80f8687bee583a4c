"""`nlp-service index add|reprocess`, `search` and `keys` on a temporary data directory."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nlp_service.cli import app
from nlp_service.config import Settings
from nlp_service.index import tables as t
from nlp_service.index.store import open_store
from nlp_service.schema import Extraction
from nlp_service.version import PIPELINE_VERSION

REPORT = "2022年，区纪委监委共发现问题23个，移交问题线索5条。"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("NLP_SERVICE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NLP_SERVICE_USE_MODELS", "false")
    monkeypatch.delenv("NLP_SERVICE_DATABASE_URL", raising=False)
    return tmp_path / "data"


def _reports(folder: Path) -> Path:
    folder.mkdir()
    (folder / "a.txt").write_text(REPORT, encoding="utf-8")
    (folder / "nested").mkdir()
    (folder / "nested" / "b.txt").write_text("召开巡察工作会议3次。", encoding="utf-8")
    (folder / "nested" / "ignored.json").write_text("{}", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    return folder


def test_index_cli_add_summarises_and_fails_on_bad_files(data_dir: Path, tmp_path: Path) -> None:
    folder = _reports(tmp_path / "reports")
    result = CliRunner().invoke(app, ["index", "add", str(folder)])
    assert result.exit_code == 1
    assert "2 added, 0 already indexed, 1 failed" in result.output
    assert "empty.txt" in result.output
    again = CliRunner().invoke(app, ["index", "add", str(folder / "a.txt")])
    assert again.exit_code == 0 and "0 added, 1 already indexed, 0 failed" in again.output
    store = open_store(Settings(data_dir=data_dir))
    assert store.count("documents") == 3 and store.count("extractions") == 2
    store.close()


def test_index_cli_search_prints_marked_sentences(
    data_dir: Path, make_extraction: Callable[..., Extraction]
) -> None:
    store = open_store(Settings(data_dir=data_dir))
    store.add_extraction(make_extraction())
    store.close()
    result = CliRunner().invoke(app, ["search", "发现问题", "--min", "20", "--kind", "count"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "1 hits"
    assert "sample.txt" in result.output and "共发现问题【23个】" in result.output
    assert CliRunner().invoke(app, ["search", "不存在的词语"]).output.startswith("0 hits")


def test_index_cli_reprocess_reruns_older_versions(data_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(REPORT, encoding="utf-8")
    assert CliRunner().invoke(app, ["index", "add", str(tmp_path / "a.txt")]).exit_code == 0
    store = open_store(Settings(data_dir=data_dir))
    with store.db.write() as conn:
        conn.execute(t.documents.update().values(pipeline_version="0.0.0"))
    assert len(store.stale_documents(PIPELINE_VERSION)) == 1
    result = CliRunner().invoke(app, ["index", "reprocess"])
    assert result.exit_code == 0 and "1 reprocessed, 0 failed" in result.output
    assert store.stale_documents(PIPELINE_VERSION) == []
    store.close()


@pytest.mark.parametrize("role", ["viewer", "reviewer", "admin"])
def test_index_cli_keys_create_prints_a_working_key(data_dir: Path, role: str) -> None:
    result = CliRunner().invoke(app, ["keys", "create", "--role", role, "--name", "测试"])
    assert result.exit_code == 0
    key = result.output.strip()
    store = open_store(Settings(data_dir=data_dir))
    record = store.verify_api_key(key)
    assert record is not None and record.role.value == role
    store.close()


def test_index_cli_keys_create_refuses_an_unknown_role(data_dir: Path) -> None:
    result = CliRunner().invoke(app, ["keys", "create", "--role", "owner"])
    assert result.exit_code == 2
