"""Settings: environment variables, the database URL, and refusal of unsafe production defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlp_service.config import Settings, get_settings
from nlp_service.errors import SetupError


def test_config_reads_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NLP_SERVICE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("NLP_SERVICE_WORKERS", "0")
    monkeypatch.setenv("NLP_SERVICE_USE_MODELS", "false")
    settings = get_settings()
    assert (settings.data_dir, settings.workers, settings.use_models) == (tmp_path, 0, False)


@pytest.mark.parametrize(
    ("database_url", "expected_prefix"),
    [(None, "sqlite:///"), ("postgresql+psycopg://u@h/db", "postgresql+psycopg://")],
)
def test_config_database_url_defaults_to_sqlite_in_the_data_dir(
    tmp_path: Path, database_url: str | None, expected_prefix: str
) -> None:
    url = Settings(data_dir=tmp_path, database_url=database_url).sqlalchemy_url()
    assert url.startswith(expected_prefix)
    if database_url is None:
        assert url.endswith(str(tmp_path / "index.sqlite3"))


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({"cookie_secure": True}, "SECRET_KEY"),
        ({"secret_key": "short", "cookie_secure": True}, "SECRET_KEY"),
        ({"secret_key": "s" * 40}, "COOKIE_SECURE"),
    ],
)
def test_config_production_refuses_unsafe_defaults(overrides: dict[str, object], problem: str) -> None:
    with pytest.raises(SetupError, match=problem):
        Settings(environment="production", **overrides).check_production()  # type: ignore[arg-type]


def test_config_production_accepts_safe_settings() -> None:
    Settings(environment="production", secret_key="s" * 40, cookie_secure=True).check_production()


@pytest.mark.parametrize("value", ["-1", "9"])
def test_config_rejects_out_of_range_workers(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("NLP_SERVICE_WORKERS", value)
    with pytest.raises(ValueError, match="workers"):
        Settings()


def test_config_session_secret_is_stable_within_a_process() -> None:
    assert Settings().session_secret() == Settings().session_secret()
    assert Settings(secret_key="k" * 40).session_secret() == "k" * 40


def test_config_app_refuses_to_start_with_unsafe_production_settings(tmp_path: Path) -> None:
    from nlp_service.api.app import create_app

    with pytest.raises(SetupError, match="unsafe settings for production"):
        create_app(Settings(environment="production", data_dir=tmp_path))
