"""Turning stored files into stored extractions: one document at a time, and the job worker.

Every extraction goes through `nlp_service.extractor.extract` (no step is re-implemented here).
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from nlp_service.errors import FileMissing, NlpServiceError
from nlp_service.extractor import extract
from nlp_service.index.records import DocumentSummary, JobPublic
from nlp_service.index.store import Store

log = logging.getLogger(__name__)
IDLE_POLL_S = 1.0
OPTIMIZE_EVERY_JOBS = 200


def process_document(store: Store, document_id: str, *, use_models: bool) -> None:
    """Extract a stored document from its kept file and store the result.

    On an error the document is marked failed with the reason and the error is raised again.
    """
    document = store.get_document(document_id)
    path = store.file_path(document_id)
    if document is None or path is None or not path.is_file():
        raise FileMissing("the original file is not in the data directory", source=document_id)
    try:
        extraction = extract(path.read_bytes(), name=document.source or path.name, use_models=use_models)
        store.add_extraction(extraction, source=document.source)
    except Exception as exc:
        store.mark_failed(document_id, _reason(exc))
        raise


def add_file(
    store: Store, path: Path, *, use_models: bool, force: bool = False
) -> tuple[DocumentSummary, bool]:
    """Keep a file in the store and extract it unless it is already extracted (or `force`).

    Returns the document and whether it was extracted now."""
    document, _new = store.save_file(path.read_bytes(), path.name)
    if document.status == "done" and not force:
        return document, False
    process_document(store, document.id, use_models=use_models)
    refreshed = store.get_document(document.id)
    assert refreshed is not None
    return refreshed, True


def queue_upload(
    store: Store, worker: JobWorker, actor: str, data: bytes, name: str | None, **audit_detail: Any
) -> JobPublic:
    """Keep an uploaded file and queue its extraction (one document per content hash); audited."""
    document, new = store.save_file(data, name)
    job = store.active_job_for(document.id)
    if job is None:
        job = store.create_job(
            "ingest", document.id, status="done" if document.status == "done" else "queued"
        )
    worker.wake()
    store.audit(
        actor, "document.upload", document.id, {"source": name, "new": new, "job": job.id, **audit_detail}
    )
    return job


def _reason(exc: Exception) -> str:
    if isinstance(exc, NlpServiceError):
        return f"{exc.code}: {exc.message}"
    return f"{type(exc).__name__}: {exc}"


class JobWorker:
    """Background threads that run queued jobs from the store, oldest first.

    Jobs are rows in the database, so a job queued (or running) when the process stopped is run
    after the next start: `start()` first puts interrupted jobs back in the queue.
    """

    def __init__(self, store: Store, *, use_models: bool, threads: int = 1) -> None:
        self.store = store
        self.use_models = use_models
        self.threads = threads
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._workers: list[threading.Thread] = []
        self._done = 0

    def start(self) -> None:
        """Re-queue interrupted jobs and start the threads (none when `threads` is 0)."""
        requeued = self.store.requeue_interrupted()
        if requeued:
            log.info("re-queued %d interrupted job(s)", requeued)
        for n in range(self.threads):
            thread = threading.Thread(target=self._loop, name=f"nlp-job-worker-{n}", daemon=True)
            thread.start()
            self._workers.append(thread)

    def wake(self) -> None:
        """Tell the threads that a job was queued."""
        self._wake.set()

    def stop(self, timeout: float = 30.0) -> None:
        """Stop after the jobs now running finish."""
        self._stop.set()
        self._wake.set()
        for thread in self._workers:
            thread.join(timeout)
        self._workers.clear()

    def run_pending(self) -> int:
        """Run queued jobs in the calling thread until the queue is empty; returns how many ran."""
        ran = 0
        while not self._stop.is_set() and self.run_one():
            ran += 1
        return ran

    def run_one(self) -> bool:
        """Run the oldest queued job; False when there was none."""
        job = self.store.claim_next_job()
        if job is None:
            return False
        self._run(job)
        return True

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_pending()
            except Exception:  # the database went away for a moment: retry after a pause
                log.exception("job worker error")
            self._wake.wait(IDLE_POLL_S)
            self._wake.clear()

    def _run(self, job: JobPublic) -> None:
        try:
            process_document(self.store, job.document_id, use_models=self.use_models)
        except Exception as exc:
            log.warning("job %s failed: %s", job.id, exc)
            self.store.finish_job(job.id, _reason(exc))
        else:
            self.store.finish_job(job.id)
        self._done += 1
        if self._done % OPTIMIZE_EVERY_JOBS == 0:
            self.store.optimize()  # keep the planner's statistics in step with the growing index
