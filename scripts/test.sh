#!/usr/bin/env bash
# Sets everything up and runs the checks: ruff, mypy, then the test suite (PostgreSQL included).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
export NLP_SERVICE_TEST_POSTGRES_URL=${NLP_SERVICE_TEST_POSTGRES_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test}
.venv/bin/ruff check nlp_service scripts tests
.venv/bin/mypy nlp_service
.venv/bin/python -m pytest -q "$@"
