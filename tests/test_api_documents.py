"""Documents, jobs, search, extract, claims and audit over HTTP (TestClient, SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from nlp_service.extractor import extract
from nlp_service.index.records import Role

if TYPE_CHECKING:
    from conftest import ApiClient

TRICKY_TEXT = '2022年共发现问题23个，移交线索5条。\r\n第二行\t全角\u3000空格「引号」"双引号" \\ 🙂\n末行'


def _upload(api: ApiClient, name: str, data: bytes, role: Role = Role.reviewer) -> dict[str, Any]:
    response = api.client.post("/v1/documents", files={"file": (name, data)}, headers=api.auth(role))
    assert response.status_code == 202, response.text
    assert response.headers["Location"] == f"/v1/jobs/{response.json()['id']}"
    return response.json()  # type: ignore[no-any-return]


def _wait(api: ApiClient, job_id: str, timeout: float = 60.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = api.client.get(f"/v1/jobs/{job_id}", headers=api.auth(Role.viewer)).json()
        if job["status"] in ("done", "failed"):
            return job  # type: ignore[no-any-return]
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not finish")


def test_api_documents_upload_is_processed_and_text_is_exact(api: ApiClient) -> None:
    data = TRICKY_TEXT.encode("utf-8")
    job = _wait(api, _upload(api, "report.txt", data)["id"])
    assert job["status"] == "done", job
    response = api.client.get(f"/v1/documents/{job['document_id']}", headers=api.auth(Role.viewer))
    assert response.status_code == 200
    body = response.json()
    expected = extract(data, name="report.txt", use_models=False)
    assert body["text"] == expected.text == data.decode("utf-8")
    assert body["claims"] == expected.model_dump(mode="json")["claims"]
    assert body["document"]["id"] == job["document_id"]


def test_api_documents_same_file_twice_is_one_document(api: ApiClient) -> None:
    data = "本单位2022年共发现问题23个。".encode()
    first = _wait(api, _upload(api, "a.txt", data)["id"])
    second = _upload(api, "a-copy.txt", data)
    assert second["document_id"] == first["document_id"] and second["status"] == "done"
    listing = api.client.get("/v1/documents", headers=api.auth(Role.viewer)).json()
    assert listing["total"] == 1 and api.store.count("extractions") == 1


def test_api_documents_original_file_is_returned(api: ApiClient) -> None:
    data = "原始文件内容，预算55万元。".encode()
    job = _upload(api, "orig.txt", data)
    response = api.client.get(f"/v1/documents/{job['document_id']}/file", headers=api.auth(Role.viewer))
    assert response.status_code == 200 and response.content == data
    assert "orig.txt" in response.headers["content-disposition"]


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/v1/documents/" + "0" * 64, 404, "not_found"),
        ("/v1/documents/" + "0" * 64 + "/file", 404, "not_found"),
        ("/v1/jobs/nosuchjob", 404, "not_found"),
        ("/v1/claims/999999", 404, "not_found"),
        ("/v1/documents?page=0", 422, "validation_error"),
        ("/v1/search?limit=100000", 422, "validation_error"),
        ("/v1/search?min=abc", 422, "validation_error"),
        ("/v1/nothing-here", 404, "not_found"),
    ],
)
def test_api_documents_errors_have_one_shape(api: ApiClient, path: str, status: int, code: str) -> None:
    response = api.client.get(path, headers=api.auth(Role.viewer))
    assert response.status_code == status
    assert set(response.json()) == {"error"} and response.json()["error"]["code"] == code
    assert response.json()["error"]["message"]


@pytest.mark.parametrize(
    ("files", "data", "status", "code"),
    [
        ({"file": ("big.txt", b"x" * (300 * 1024))}, None, 413, "too_large"),
        ({"file": ("empty.txt", b"")}, None, 422, "empty_input"),
        (None, {"text": "x" * (20 * 1024)}, 413, "too_large"),
        (None, {"text": "   "}, 422, "empty_input"),
        (None, None, 422, "validation_error"),
    ],
)
def test_api_documents_bad_uploads_are_refused(
    api: ApiClient, files: Any, data: Any, status: int, code: str
) -> None:
    path = "/v1/documents" if files and "big" in files["file"][0] else "/v1/extract"
    response = api.client.post(path, files=files, data=data, headers=api.auth(Role.reviewer))
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code


@pytest.mark.parametrize("as_file", [True, False])
def test_api_documents_extract_is_the_library_result(api: ApiClient, as_file: bool) -> None:
    text = "本项目预算收入55万元，执行率100%，共发现问题23个。"
    kwargs: dict[str, Any] = (
        {"files": {"file": ("r.txt", text.encode())}} if as_file else {"data": {"text": text}}
    )
    response = api.client.post("/v1/extract", headers=api.auth(Role.viewer), **kwargs)
    assert response.status_code == 200
    expected = extract(
        text.encode() if as_file else text, name="r.txt" if as_file else "text.txt", use_models=False
    )
    assert response.json() == json.loads(expected.model_dump_json())
    assert api.store.count("documents") == 0  # stateless


def test_api_documents_search_review_and_audit(api: ApiClient, make_extraction: Any) -> None:
    doc_id = api.store.add_extraction(make_extraction())
    hits = api.client.get(
        "/v1/search", params={"q": "发现问题", "kind": "count", "min": 20}, headers=api.auth(Role.viewer)
    ).json()
    assert hits["total"] == 1 and hits["hits"][0]["document"]["id"] == doc_id
    assert hits["facets"]["kind"] == {"count": 1}
    row = hits["hits"][0]["claim_row"]
    correction = {"action": "correct", "reason": "应为24个", "correction": {"value": 24}}
    reviewed = api.client.patch(f"/v1/claims/{row}", json=correction, headers=api.auth(Role.reviewer))
    assert reviewed.status_code == 200 and reviewed.json()["original"]["value"] == 23
    claim = api.client.get(f"/v1/claims/{doc_id}:c1", headers=api.auth(Role.viewer)).json()
    assert claim["review_status"] == "corrected" and claim["claim"]["value"] == 23
    audit = api.client.get("/v1/audit", headers=api.auth(Role.admin)).json()
    assert audit[0]["action"] == "claim.correct" and audit[0]["target"] == f"{doc_id}:c1"


@pytest.mark.parametrize(
    "review",
    [
        {"action": "correct", "reason": "x"},
        {"action": "accept", "reason": ""},
        {"action": "accept", "reason": "x", "correction": {"value": 1}},
        {"action": "correct", "reason": "x", "correction": {"id": "c9"}},
        {"action": "approve", "reason": "x"},
    ],
)
def test_api_documents_invalid_reviews_are_refused(
    api: ApiClient, make_extraction: Any, review: dict[str, Any]
) -> None:
    doc_id = api.store.add_extraction(make_extraction())
    response = api.client.patch(f"/v1/claims/{doc_id}:c1", json=review, headers=api.auth(Role.reviewer))
    assert response.status_code == 422 and response.json()["error"]["code"] == "validation_error"


def test_api_documents_list_pages_and_filters(api: ApiClient, make_extraction: Any) -> None:
    for n in range(3):
        api.store.add_extraction(make_extraction(f"第{n}份报告，共发现问题23个。", year=2020 + n))
    page = api.client.get(
        "/v1/documents", params={"per_page": 2, "page": 2}, headers=api.auth(Role.viewer)
    ).json()
    assert page["total"] == 3 and len(page["items"]) == 1
    filtered = api.client.get("/v1/documents", params={"year": 2021}, headers=api.auth(Role.viewer)).json()
    assert [d["year"] for d in filtered["items"]] == [2021]


def test_api_documents_openapi_has_examples(api: ApiClient) -> None:
    spec = api.client.get("/openapi.json").json()
    assert {
        "/v1/documents",
        "/v1/search",
        "/v1/extract",
        "/v1/claims/{claim_ref}",
        "/v1/audit",
        "/healthz",
    } <= set(spec["paths"])
    search_200 = spec["paths"]["/v1/search"]["get"]["responses"]["200"]["content"]["application/json"]
    assert "example" in search_200


def test_api_documents_reprocess_job_survives_in_the_queue(api: ApiClient, tmp_path: Path) -> None:
    document, _ = api.store.save_file("待处理的报告，发现问题3个。".encode(), "queued.txt")
    job = api.store.create_job("ingest", document.id)
    api.client.app.state.worker.wake()  # type: ignore[attr-defined]
    assert _wait(api, job.id)["status"] == "done"
