"""A real server (the app under uvicorn on a free loopback port, SQLite in a temporary data
directory, one job worker) and Debian's chromium driven by Playwright, for the browser tests.

Never run `playwright install`: the tests use /usr/bin/chromium (scripts/setup.sh --test installs it).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from nlp_service.api.app import create_app
from nlp_service.config import Settings
from nlp_service.index.records import Role
from nlp_service.index.store import Store

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
START_TIMEOUT_S = 180


@dataclass
class LiveServer:
    base_url: str
    store: Store
    keys: dict[str, str]

    def url(self, path: str) -> str:
        return self.base_url + path

    def bearer(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[role]}"}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The app on 127.0.0.1 with a viewer, a reviewer and an admin key."""
    data_dir = tmp_path_factory.mktemp("ui-data")
    settings = Settings(
        environment="test", data_dir=data_dir, workers=1, use_models=False, secret_key="s" * 40
    )
    app = create_app(settings)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, name="ui-test-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_S
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    store: Store = app.state.store
    keys = {role.value: store.create_api_key(role, name=f"{role.value}-ui-test").key for role in Role}
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", store, keys)
    finally:
        server.should_exit = True
        thread.join(60)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless chromium (Debian's), shared by the module's tests; each test opens its own context."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `bash scripts/setup.sh --test` (installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    """A fresh browser context (its own cookies) with a desktop-sized window."""
    opened = browser.new_context(
        viewport={"width": 1440, "height": 900}, locale="zh-CN", accept_downloads=True
    )
    opened.set_default_timeout(30_000)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
