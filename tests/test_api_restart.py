"""Jobs survive a killed server: uploads accepted before SIGKILL are processed after a restart, once."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from nlp_service.index.records import Role
from nlp_service.index.store import Store

REPORTS = {
    "a.txt": "甲单位2022年共发现问题23个，移交问题线索5条。".encode(),
    "b.txt": "乙单位2022年预算执行率为95.5%，资金55万元。".encode(),
    "c.txt": "丙单位召开巡察工作会议3次。".encode(),
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _server(data_dir: Path, database_url: str, workers: int) -> Iterator[httpx.Client]:
    """uvicorn in a subprocess; yields a client once /healthz answers; SIGKILLs it at the end."""
    port = _free_port()
    env = {
        **os.environ,
        "NLP_SERVICE_DATA_DIR": str(data_dir),
        "NLP_SERVICE_DATABASE_URL": database_url,
        "NLP_SERVICE_USE_MODELS": "false",
        "NLP_SERVICE_WORKERS": str(workers),
        "NLP_SERVICE_ENVIRONMENT": "test",
    }
    command = [sys.executable, "-m", "uvicorn", "nlp_service.api.app:create_app", "--factory",
               "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]  # fmt: skip
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            _wait_healthy(client, process)
            yield client
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        if process.stderr:
            process.stderr.close()


def _wait_healthy(client: httpx.Client, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            stderr = process.stderr.read().decode() if process.stderr else ""
            raise AssertionError(f"the server exited with {process.returncode}: {stderr[-2000:]}")
        try:
            if client.get("/healthz").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError("the server did not start")


def _upload(client: httpx.Client, key: str, name: str) -> dict[str, str]:
    response = client.post(
        "/v1/documents", files={"file": (name, REPORTS[name])}, headers={"Authorization": f"Bearer {key}"}
    )
    assert response.status_code == 202, response.text
    return response.json()  # type: ignore[no-any-return]


@pytest.mark.slow
def test_api_restart_killed_server_loses_and_duplicates_nothing(database_url: str, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    store = Store(data_dir, database_url)
    store.migrate()
    key = store.create_api_key(Role.reviewer).key
    auth = {"Authorization": f"Bearer {key}"}
    jobs = []
    with _server(data_dir, database_url, workers=0) as client:  # accepts uploads, processes nothing
        jobs += [_upload(client, key, "a.txt"), _upload(client, key, "b.txt"), _upload(client, key, "a.txt")]
    with _server(data_dir, database_url, workers=1) as client:  # killed right after accepting c.txt
        jobs.append(_upload(client, key, "c.txt"))
    with _server(data_dir, database_url, workers=1) as client:
        deadline = time.monotonic() + 120
        states = {}
        while time.monotonic() < deadline:
            states = {j["id"]: client.get(f"/v1/jobs/{j['id']}", headers=auth).json()["status"] for j in jobs}
            if set(states.values()) == {"done"}:
                break
            time.sleep(0.2)
        assert set(states.values()) == {"done"}, states
        listing = client.get("/v1/documents", params={"per_page": 50}, headers=auth).json()
        documents = {d["source"]: d for d in listing["items"]}
        assert listing["total"] == 3 and set(documents) == set(REPORTS)
        for name, data in REPORTS.items():
            doc = client.get(f"/v1/documents/{documents[name]['id']}", headers=auth).json()
            assert doc["text"] == data.decode()
            assert client.get(f"/v1/documents/{documents[name]['id']}/file", headers=auth).content == data
    assert store.count("extractions") == 3 and store.count("documents") == 3
    store.close()
