"""`nlp-service serve`: the HTTP API and review UI on the embedded defaults (SQLite under ./data)."""

from __future__ import annotations

from typing import Annotated

import typer

from nlp_service.config import Settings, get_settings
from nlp_service.index.records import Role
from nlp_service.index.store import open_store


def first_admin_key(settings: Settings) -> str | None:
    """On a store with no API key yet, create an admin key and return it (shown once); else None."""
    store = open_store(settings)
    try:
        if store.list_api_keys():
            return None
        created = store.create_api_key(Role.admin, "first start")
        store.audit("cli", "key.create", f"key:{created.record.id}", {"role": "admin", "name": "first start"})
        return created.key
    finally:
        store.close()


def serve_command(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on")] = 8000,
) -> None:
    """Serve the API and the review UI; prints the URL it answers at."""
    import uvicorn

    from nlp_service.api.app import create_app

    settings = get_settings()
    key = first_admin_key(settings)
    if key:
        typer.echo(f"nlp-service: first start — admin API key (shown once, stored hashed): {key}")
    typer.echo(f"nlp-service: serving at http://{host}:{port}/ui/ (API at /v1, docs at /docs)")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)
