"""Helpers of the browser tests: signing in, uploading through the API, a long generated report."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

CORPORA = Path(__file__).resolve().parents[3] / "shared" / "corpora"
SEED = CORPORA / "seed" / "zy-jiwei-2022-xuncha.txt"
CHARS_PER_PAGE = 1000  # a printed A4 page of Chinese report text holds about 800-1,000 characters
JOB_TIMEOUT_S = 180


def sign_in(page: Any, live_server: Any, role: str) -> None:
    """Sign in through the sign-in form with the role's API key."""
    page.goto(live_server.url("/ui/login"))
    page.fill("input[name=api_key]", live_server.keys[role])
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/ui/documents"))


def document_id_from_url(url: str) -> str:
    match = re.search(r"/ui/documents/([0-9a-f]{64})", url)
    assert match, url
    return match.group(1)


def upload_via_api(page: Any, live_server: Any, name: str, data: bytes) -> str:
    """Upload a file with POST /v1/documents (reviewer key) and wait until its job is done."""
    response = page.request.post(
        live_server.url("/v1/documents"),
        headers=live_server.bearer("reviewer"),
        multipart={"file": {"name": name, "mimeType": "text/plain", "buffer": data}},
    )
    assert response.status == 202, response.text()
    job = response.json()
    deadline = time.monotonic() + JOB_TIMEOUT_S
    while job["status"] not in ("done", "failed"):
        assert time.monotonic() < deadline, f"job {job['id']} did not finish"
        time.sleep(0.3)
        job = page.request.get(
            live_server.url(f"/v1/jobs/{job['id']}"), headers=live_server.bearer("viewer")
        ).json()
    assert job["status"] == "done", job
    return str(job["document_id"])


def report_of_pages(pages: int) -> str:
    """A long report made of development reports (in name order) until it fills `pages` pages."""
    parts: list[str] = []
    total = 0
    for path in sorted((CORPORA / "dev").glob("*.txt")):
        parts.append(path.read_text(encoding="utf-8").strip())
        total += len(parts[-1])
        if total >= pages * CHARS_PER_PAGE:
            break
    return "\n\n".join(parts) + "\n"
