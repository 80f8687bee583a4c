"""`nlp-service index add|reprocess`, `nlp-service search`, `nlp-service keys create|list|revoke`.

They work on the store the settings name (NLP_SERVICE_DATA_DIR / NLP_SERVICE_DATABASE_URL).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import typer

from nlp_service.config import get_settings
from nlp_service.errors import FileMissing
from nlp_service.index.processing import add_file, process_document
from nlp_service.index.records import Role
from nlp_service.index.search import SearchQuery, search
from nlp_service.index.store import Store, open_store
from nlp_service.version import PIPELINE_VERSION

REPORT_SUFFIXES = {".txt", ".md", ".html", ".htm", ".docx", ".pdf", ".xlsx"}

index_app = typer.Typer(
    help="Build the fact index: add reports, re-run older extractions.", no_args_is_help=True
)
keys_app = typer.Typer(help="API keys: create, list, revoke.", no_args_is_help=True)


@dataclass
class Outcome:
    added: int = 0
    unchanged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)


def report_files(paths: list[Path]) -> list[Path]:
    """The report files named: files as given, folders searched recursively for report suffixes."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES)
            )
        elif path.is_file():
            found.append(path)
        else:
            raise FileMissing("no such file or folder", source=str(path))
    return found


def _open() -> tuple[Store, bool]:
    settings = get_settings()
    return open_store(settings), settings.use_models


def _print_failures(outcome: Outcome) -> None:
    for name, reason in outcome.failed:
        typer.echo(f"  failed: {name}: {reason}", err=True)


def add_command(
    paths: Annotated[list[Path], typer.Argument(help="report files and folders (searched recursively)")],
    force: Annotated[bool, typer.Option("--force", help="extract again even when already indexed")] = False,
    no_models: Annotated[bool, typer.Option("--no-models", help="run the rules alone")] = False,
) -> None:
    """Add reports to the index; prints a summary and exits 1 if any failed."""
    files = report_files(paths)
    store, use_models = _open()
    outcome = Outcome()
    with typer.progressbar(
        files, label="indexing", show_pos=True, item_show_func=lambda p: p.name if p else ""
    ) as bar:
        for path in bar:
            try:
                _document, extracted = add_file(
                    store, path, use_models=use_models and not no_models, force=force
                )
            except Exception as exc:  # report every failure and go on with the next file
                outcome.failed.append((str(path), str(exc) or type(exc).__name__))
            else:
                outcome.added += extracted
                outcome.unchanged += not extracted
    if outcome.added:
        store.optimize()
    store.close()
    typer.echo(f"{outcome.added} added, {outcome.unchanged} already indexed, {len(outcome.failed)} failed")
    _print_failures(outcome)
    if outcome.failed:
        raise typer.Exit(1)


def reprocess_command(
    no_models: Annotated[bool, typer.Option("--no-models", help="run the rules alone")] = False,
) -> None:
    """Re-run extraction on documents extracted by an older pipeline version (or that failed)."""
    store, use_models = _open()
    stale = store.stale_documents(PIPELINE_VERSION)
    outcome = Outcome()
    with typer.progressbar(stale, label=f"reprocessing to {PIPELINE_VERSION}", show_pos=True) as bar:
        for document_id in bar:
            try:
                process_document(store, document_id, use_models=use_models and not no_models)
            except Exception as exc:
                outcome.failed.append((document_id, str(exc) or type(exc).__name__))
            else:
                outcome.added += 1
    store.optimize()
    store.close()
    typer.echo(f"{outcome.added} reprocessed, {len(outcome.failed)} failed")
    _print_failures(outcome)
    if outcome.failed:
        raise typer.Exit(1)


def search_command(
    query: Annotated[str | None, typer.Argument(help="Chinese full text (optional)")] = None,
    kind: Annotated[str | None, typer.Option(help="count, money, percent, score, duration, measure")] = None,
    min: Annotated[float | None, typer.Option("--min", help="value at least")] = None,
    max: Annotated[float | None, typer.Option("--max", help="value at most")] = None,
    year: Annotated[int | None, typer.Option(help="report year")] = None,
    unit: Annotated[str | None, typer.Option(help="unit, e.g. 个, 元, %")] = None,
    object: Annotated[str | None, typer.Option("--object", help="object contains")] = None,
    predicate: Annotated[str | None, typer.Option(help="predicate contains")] = None,
    org: Annotated[str | None, typer.Option(help="organisation contains")] = None,
    finding: Annotated[str | None, typer.Option(help="document has this finding code")] = None,
    limit: Annotated[int, typer.Option(help="hits to show")] = 20,
) -> None:
    """Search the index: one line per hit (value, unit, kind, document, sentence with the span marked)."""
    store, _ = _open()
    result = search(
        store,
        SearchQuery(
            q=query,
            kind=kind,
            min=min,
            max=max,
            year=year,
            unit=unit,
            object=object,
            predicate=predicate,
            org=org,
            finding=finding,
            limit=limit,
        ),
    )
    store.close()
    typer.echo(f"{result.total} hits")
    for hit in result.hits:
        value = "" if hit.value is None else f"{hit.value:g}"
        source = hit.document.source or hit.document.id[:12]
        typer.echo(
            f"{value:>12} {hit.unit or '':<3} {hit.kind or '':<8} {source}:{hit.start}  {hit.sentence.marked}"
        )


def keys_create_command(
    role: Annotated[Role, typer.Option("--role", help="viewer, reviewer or admin")],
    name: Annotated[str | None, typer.Option(help="who the key is for")] = None,
) -> None:
    """Create an API key and print it (it is stored only as a hash and cannot be shown again)."""
    store, _ = _open()
    created = store.create_api_key(role, name)
    store.audit("cli", "key.create", f"key:{created.record.id}", {"role": role.value, "name": name})
    store.close()
    typer.echo(created.key)


def keys_list_command() -> None:
    """List API keys (id, prefix, role, name, revoked)."""
    store, _ = _open()
    for key in store.list_api_keys():
        revoked = f" revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else ""
        typer.echo(f"{key.id:>4} nlp_{key.prefix}_… {key.role.value:<8} {key.name or ''}{revoked}")
    store.close()


def keys_revoke_command(key_id: Annotated[int, typer.Argument(help="the key's id (see keys list)")]) -> None:
    """Revoke an API key."""
    store, _ = _open()
    revoked = store.revoke_api_key(key_id)
    if revoked:
        store.audit("cli", "key.revoke", f"key:{key_id}")
    store.close()
    if not revoked:
        raise FileMissing("no active key with this id", source=f"key {key_id}")
    typer.echo(f"revoked key {key_id}")


index_app.command("add")(add_command)
index_app.command("reprocess")(reprocess_command)
keys_app.command("create")(keys_create_command)
keys_app.command("list")(keys_list_command)
keys_app.command("revoke")(keys_revoke_command)


def register(app: typer.Typer) -> None:
    app.add_typer(index_app, name="index")
    app.add_typer(keys_app, name="keys")
    app.command("search")(search_command)
