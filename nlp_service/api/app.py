"""The FastAPI application: `create_app()` builds it; `nlp-service serve` runs it.

Start-up (lifespan) opens and migrates the store, builds the extraction pipeline and the index's
tokenizer once (by running them on a short text), re-queues interrupted jobs and starts the job
worker; shutdown stops both.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from nlp_service.api.errors import install_error_handlers
from nlp_service.api.limits import BodySizeLimit
from nlp_service.api.routes import audit, claims, documents, extract, health, jobs, keys, search, session
from nlp_service.config import Settings, get_settings
from nlp_service.extractor import extract as run_extract
from nlp_service.index.processing import JobWorker
from nlp_service.index.store import open_store
from nlp_service.index.text import segment_query
from nlp_service.version import PIPELINE_VERSION
from nlp_service.web.routes import install_web_ui

WARM_UP_TEXT = "2022年共发现问题23个，预算执行率为100%。"

DESCRIPTION = """Extraction and a searchable fact index for Chinese budget-performance self-evaluation reports.

Every endpoint except `/healthz` needs an API key: `Authorization: Bearer <key>`
(create one with `nlp-service keys create --role viewer|reviewer|admin`).
Errors always have the shape `{"error": {"code": "...", "message": "..."}}`.
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    """The API over the store the settings name (environment settings when None)."""
    settings = settings or get_settings()
    settings.check_production()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = open_store(settings)
        store.optimize()
        run_extract(WARM_UP_TEXT, name="warm-up.txt", use_models=settings.use_models)
        segment_query(WARM_UP_TEXT)  # the index's own tokenizer, built once here
        gc.freeze()  # the pipeline's long-lived objects: keep them out of every full collection
        worker = JobWorker(store, use_models=settings.use_models, threads=settings.workers)
        worker.start()
        app.state.settings, app.state.store, app.state.worker = settings, store, worker
        try:
            yield
        finally:
            worker.stop()
            store.close()

    app = FastAPI(title="nlp_service", version=PIPELINE_VERSION, description=DESCRIPTION, lifespan=lifespan)
    app.state.settings = settings
    install_error_handlers(app)
    app.add_middleware(
        BodySizeLimit,
        max_upload_bytes=settings.max_upload_bytes,
        max_request_bytes=settings.max_request_bytes,
    )
    for module in (health, documents, jobs, search, extract, claims, audit, keys, session):
        app.include_router(module.router)
    install_web_ui(app)  # the review UI under /ui (nlp_service/web)
    return app
