"""Alembic environment: runs on the connection `nlp_service.index.db.migrate` passes in, or on
`sqlalchemy.url` from the Alembic config (`alembic -x` style use from a checkout)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from nlp_service.index.tables import metadata

config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


run_migrations_online()
