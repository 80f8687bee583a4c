"""The review pages through FastAPI's TestClient: sign-in, CSRF, roles, escaping, reviews, exports."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from nlp_service.api.app import create_app
from nlp_service.config import Settings
from nlp_service.exports import extraction_from_gold, to_label_studio
from nlp_service.index.records import Role
from nlp_service.index.store import Store

SEED_DIR = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "seed"
SEED = "zy-jiwei-2022-xuncha"
HOSTILE = (
    '标题<script>alert("x")</script>\n正文<img src=x onerror=alert(1)>发现问题23个，\'引号\'与"双引号"&amp;。'
)


@dataclass
class Site:
    client: TestClient
    store: Store
    keys: dict[str, str]
    seed_id: str


@pytest.fixture
def site(tmp_path: Path, database_url: str) -> Iterator[Site]:
    """The app on a fresh database (SQLite, and PostgreSQL when configured) with one key per role."""
    settings = Settings(
        environment="test",
        data_dir=tmp_path,
        database_url=database_url,
        workers=0,
        use_models=False,
        secret_key="k" * 40,
    )
    with TestClient(create_app(settings), base_url="http://127.0.0.1") as client:
        store: Store = client.app.state.store  # type: ignore[attr-defined]
        keys = {role.value: store.create_api_key(role, name=f"{role.value}-1").key for role in Role}
        text = (SEED_DIR / f"{SEED}.txt").read_text(encoding="utf-8")
        gold = json.loads((SEED_DIR / f"{SEED}.gold.json").read_text(encoding="utf-8"))
        seed_id = store.add_extraction(extraction_from_gold(text, gold, name=f"{SEED}.txt"))
        yield Site(client, store, keys, seed_id)


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def sign_in(site: Site, role: str) -> str:
    """Sign in as `role`; returns the session's CSRF token (taken from a page, as a browser would)."""
    form = site.client.get("/ui/login")
    response = site.client.post("/ui/login", data={"api_key": site.keys[role], "csrf_token": _csrf(form.text)},
                                follow_redirects=False)  # fmt: skip
    assert response.status_code == 303, response.text
    return _csrf(site.client.get("/ui/documents").text)


def test_web_routes_redirect_to_sign_in_and_back(site: Site) -> None:
    response = site.client.get("/ui/documents?page=1", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith(
        "/ui/login?next=/ui/documents"
    )


@pytest.mark.parametrize(
    ("key", "with_token", "status"),
    [("reviewer", False, 403), ("wrong", True, 401), ("reviewer", True, 303)],
)
def test_web_routes_sign_in_needs_its_token_and_a_valid_key(
    site: Site, key: str, with_token: bool, status: int
) -> None:
    token = _csrf(site.client.get("/ui/login").text)
    data = {
        "api_key": site.keys.get(key, "nlp_bad_key"),
        "csrf_token": token if with_token else "",
        "next": "//evil",
    }
    response = site.client.post("/ui/login", data=data, follow_redirects=False)
    assert response.status_code == status
    if status == 303:
        cookie = response.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie
        assert response.headers["location"] == "/ui/documents"


def test_web_routes_document_list_shows_counts(site: Site) -> None:
    sign_in(site, "viewer")
    page = site.client.get("/ui/documents").text
    row = re.search(rf'<tr data-document="{site.seed_id}">(.*?)</tr>', page, re.S)
    assert row is not None
    claims = len(site.store.get_extraction(site.seed_id).claims)  # type: ignore[union-attr]
    assert f">{claims}</td>" in row.group(1) and "错误 2" in row.group(1) and "警告 2" in row.group(1)


def test_web_routes_document_text_is_escaped(site: Site) -> None:
    extraction = extraction_from_gold(HOSTILE, {"claims": [{"start": HOSTILE.index("23个"), "end": HOSTILE.index("23个") + 3,
                                                           "value": 23, "unit": "个", "object": "问题"}]})  # fmt: skip
    doc_id = site.store.add_extraction(
        extraction.model_copy(
            update={"document": extraction.document.model_copy(update={"source": '<b>"x".txt'})}
        )
    )
    sign_in(site, "viewer")
    page = site.client.get(f"/ui/documents/{doc_id}").text
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>" not in page
    assert (
        "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
        and "&lt;img src=x onerror=alert(1)&gt;" in page
    )
    assert re.search(
        r'<mark class="claim[^"]*"[^>]*data-start="(\d+)" data-end="(\d+)"[^>]*>23个</mark>', page
    )


def test_web_routes_viewer_sees_no_review_controls_and_is_refused(site: Site) -> None:
    token = sign_in(site, "viewer")
    page = site.client.get(f"/ui/documents/{site.seed_id}").text
    assert 'id="review-form"' not in page and "只读账户" in page
    response = site.client.post(f"/ui/documents/{site.seed_id}/claims/c1/review",
                                data={"csrf_token": token, "action": "accept"})  # fmt: skip
    assert response.status_code == 403
    assert site.store.count("reviews") == 0


def test_web_routes_review_without_csrf_token_is_refused(site: Site) -> None:
    sign_in(site, "reviewer")
    for data in ({"action": "accept"}, {"action": "accept", "csrf_token": "forged"}):
        response = site.client.post(f"/ui/documents/{site.seed_id}/claims/c1/review", data=data)
        assert response.status_code == 403
    assert site.store.count("reviews") == 0


def test_web_routes_correction_is_stored_with_who_why_and_the_original(site: Site) -> None:
    token = sign_in(site, "reviewer")
    data = {"csrf_token": token, "action": "correct", "value": "100", "unit": "分", "object": "总得分",
            "predicate": "", "reason": "表内总分为100分"}  # fmt: skip
    response = site.client.post(f"/ui/documents/{site.seed_id}/claims/c1/review", data=data,
                                headers={"Accept": "application/json"})  # fmt: skip
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "corrected"
    stored = site.store.get_claim(f"{site.seed_id}:c1")
    assert stored is not None and stored.claim["value"] == 99.5
    review = stored.reviews[-1]
    assert (review.correction, review.reason) == ({"value": 100.0, "object": "总得分"}, "表内总分为100分")
    assert review.reviewer is not None and review.reviewer.endswith("(reviewer-1)")
    assert review.original["value"] == 99.5
    entries = site.store.audit_entries(action="claim.correct")
    assert entries and entries[0].target == f"{site.seed_id}:c1"


@pytest.mark.parametrize(
    ("data", "message"),
    [({"action": "correct", "value": "abc"}, "不是数字"), ({"action": "correct", "value": "99.5"}, "没有改变"),
     ({"action": "delete"}, "接受、驳回或更正")],
)  # fmt: skip
def test_web_routes_bad_reviews_are_refused(site: Site, data: dict[str, str], message: str) -> None:
    token = sign_in(site, "reviewer")
    response = site.client.post(
        f"/ui/documents/{site.seed_id}/claims/c1/review", data={**data, "csrf_token": token}
    )
    assert response.status_code == 422 and message in response.text


def test_web_routes_audit_log_is_for_admins(site: Site) -> None:
    sign_in(site, "reviewer")
    assert site.client.get("/ui/audit").status_code == 403
    sign_in(site, "admin")
    page = site.client.get("/ui/audit")
    assert page.status_code == 200 and "session.create" in page.text


def test_web_routes_exports_carry_reviews(site: Site) -> None:
    token = sign_in(site, "reviewer")
    site.client.post(f"/ui/documents/{site.seed_id}/claims/c2/review",
                     data={"csrf_token": token, "action": "reject", "reason": "重复"})  # fmt: skip
    xlsx = site.client.get(f"/ui/documents/{site.seed_id}/export/xlsx")
    assert xlsx.status_code == 200 and "attachment" in xlsx.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(xlsx.content))["reviews"]
    assert [cell.value for cell in sheet[2]][:2] == ["c2", "reject"]
    csv_text = site.client.get(f"/ui/documents/{site.seed_id}/export/csv").text
    assert csv_text.startswith("\ufeffid,start,end")
    gold = site.client.get(f"/ui/documents/{site.seed_id}/export/gold").json()
    assert "c2" not in [c["text"] for c in gold["claims"]] and len(gold["claims"]) == len(
        site.store.get_extraction(site.seed_id).claims) - 1  # type: ignore[union-attr]  # fmt: skip
    assert site.client.get(f"/ui/documents/{site.seed_id}/export/pdf").status_code == 404
    assert '<Labels name="claim"' in site.client.get("/ui/label-studio/config.xml").text


def test_web_routes_label_studio_import_stores_reviews(site: Site) -> None:
    token = sign_in(site, "reviewer")
    extraction = site.store.get_extraction(site.seed_id)
    assert extraction is not None
    task = to_label_studio(extraction)
    result = [r for r in task["predictions"][0]["result"] if r.get("id") != "c3"]
    task["annotations"] = [{"result": result, "updated_at": "2026-11-27T12:00:00"}]
    files = {"file": ("tasks.json", json.dumps([task], ensure_ascii=False).encode(), "application/json")}
    response = site.client.post(f"/ui/documents/{site.seed_id}/import/label-studio", data={"csrf_token": token},
                                files=files, follow_redirects=False)  # fmt: skip
    assert response.status_code == 303, response.text
    assert site.store.count("reviews") == len(extraction.claims)
    assert site.store.get_claim(f"{site.seed_id}:c3").review_status == "rejected"  # type: ignore[union-attr]


def test_web_routes_search_shows_hits_and_facets(site: Site) -> None:
    sign_in(site, "viewer")
    page = site.client.get("/ui/search", params={"q": "问题", "kind": "count"})
    assert page.status_code == 200
    assert 'id="facets"' in page.text and f"/ui/documents/{site.seed_id}#claim-c" in page.text
    bad = site.client.get("/ui/search", params={"min": "abc"})
    assert bad.status_code == 200 and "检索条件有误" in bad.text


def test_web_routes_upload_queues_a_job(site: Site) -> None:
    token = sign_in(site, "reviewer")
    files = {"file": ("r.txt", "本项目预算收入55万元。".encode(), "text/plain")}
    response = site.client.post("/ui/upload", data={"csrf_token": token}, files=files, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/ui/jobs/")
    job_id = response.headers["location"].rsplit("/", 1)[1]
    state = site.client.get(f"/ui/jobs/{job_id}/state").json()
    assert state["status"] == "queued" and state["finished"] is False
    refused = site.client.post("/ui/upload", data={}, files=files)
    assert refused.status_code == 403
