"""Alembic migrations of the index schema (run by `nlp_service.index.db.migrate`)."""
