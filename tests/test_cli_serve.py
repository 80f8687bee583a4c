"""`nlp-service serve` creates one admin key on a store that has none, and only then."""

from pathlib import Path

from nlp_service.cli.serve_cmd import first_admin_key
from nlp_service.config import Settings
from nlp_service.index.records import Role
from nlp_service.index.store import open_store


def test_cli_serve_first_start_creates_one_admin_key(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    key = first_admin_key(settings)
    assert key
    assert first_admin_key(settings) is None
    store = open_store(settings)
    try:
        principal = store.verify_api_key(key)
        assert principal is not None and principal.role is Role.admin
        assert len(store.list_api_keys()) == 1
    finally:
        store.close()
