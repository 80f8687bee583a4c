"""`nlp-service serve`: the HTTP API (and review UI) on the embedded defaults."""

from __future__ import annotations

from typing import Annotated

import typer


def serve_command(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on")] = 8000,
) -> None:
    """Serve the API and the review UI; prints the URL it answers at."""
    import uvicorn

    from nlp_service.api.app import create_app

    typer.echo(f"nlp-service: serving at http://{host}:{port}/ (API docs at /docs)")
    uvicorn.run(create_app(), host=host, port=port, log_level="info")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)
