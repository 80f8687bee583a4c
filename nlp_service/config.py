"""Settings of the service, read from `NLP_SERVICE_*` environment variables (pydantic-settings).

Development defaults work out of the box (SQLite under `./data`, an ephemeral session secret);
`NLP_SERVICE_ENVIRONMENT=production` refuses to start on the unsafe ones (see `check_production`).
"""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from nlp_service.errors import SetupError

MIB = 1024 * 1024


class Settings(BaseSettings):
    """Every setting of the store, the API and the job worker."""

    model_config = SettingsConfigDict(env_prefix="NLP_SERVICE_", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    data_dir: Path = Field(default=Path("data"), description="SQLite database and uploaded files")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; PostgreSQL when set (postgresql+psycopg://…)"
    )
    secret_key: str | None = Field(default=None, description="signs session cookies; required in production")
    use_models: bool = Field(default=True, description="run the trained models (False: rules alone)")
    workers: int = Field(default=1, ge=0, le=8, description="background job threads (0: queue only)")
    max_upload_bytes: int = Field(default=20 * MIB, gt=0, description="largest uploaded file")
    max_request_bytes: int = Field(default=1 * MIB, gt=0, description="largest non-upload request body")
    session_max_age_s: int = Field(default=8 * 3600, gt=0, description="lifetime of a UI session")
    cookie_secure: bool = Field(default=False, description="send the session cookie over HTTPS only")
    search_default_limit: int = Field(default=20, gt=0, le=500)

    def sqlalchemy_url(self) -> str:
        """The database to use: `database_url`, or SQLite at `<data_dir>/index.sqlite3`."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'index.sqlite3').resolve()}"

    def session_secret(self) -> str:
        """The key that signs session cookies (a random one per process when none is configured)."""
        return self.secret_key or _ephemeral_secret()

    def check_production(self) -> None:
        """Refuse unsafe defaults when `environment` is production; raise `SetupError` naming each."""
        if self.environment != "production":
            return
        problems = []
        if not self.secret_key or len(self.secret_key) < 32:
            problems.append("NLP_SERVICE_SECRET_KEY must be set to at least 32 random characters")
        if not self.cookie_secure:
            problems.append("NLP_SERVICE_COOKIE_SECURE must be true (session cookies over HTTPS only)")
        if problems:
            raise SetupError("unsafe settings for production: " + "; ".join(problems))


@lru_cache(maxsize=1)
def _ephemeral_secret() -> str:
    return secrets.token_urlsafe(32)


def get_settings() -> Settings:
    """Settings from the environment, checked for production use."""
    settings = Settings()
    settings.check_production()
    return settings
