"""Access control: API keys and roles, session cookies with CSRF, one error shape."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from nlp_service.index.records import Role

if TYPE_CHECKING:
    from conftest import ApiClient

REVIEW = {"action": "accept", "reason": "与原文一致"}


def _claim_ref(api: ApiClient, make_extraction: Any) -> str:
    doc_id = api.store.add_extraction(make_extraction())
    return f"{doc_id}:c1"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/v1/documents", None),
        ("GET", "/v1/search?q=问题", None),
        ("GET", "/v1/jobs/abc", None),
        ("GET", "/v1/audit", None),
        ("POST", "/v1/keys", {"role": "viewer"}),
        ("PATCH", "/v1/claims/1", REVIEW),
    ],
)
@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer nlp_wrong_key"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "Bearer "},
    ],
)
def test_api_auth_missing_or_wrong_key_gets_401(
    api: ApiClient, method: str, path: str, body: dict[str, Any] | None, headers: dict[str, str]
) -> None:
    response = api.client.request(method, path, json=body, headers=headers)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_api_auth_healthz_needs_no_key(api: ApiClient) -> None:
    response = api.client.get("/healthz")
    assert response.status_code == 200 and response.json()["status"] == "ok"


@pytest.mark.parametrize(
    ("role", "method", "path", "body", "status"),
    [
        (Role.viewer, "GET", "/v1/documents", None, 200),
        (Role.viewer, "PATCH", "CLAIM", REVIEW, 403),
        (Role.viewer, "POST", "/v1/keys", {"role": "viewer"}, 403),
        (Role.viewer, "GET", "/v1/audit", None, 403),
        (Role.reviewer, "PATCH", "CLAIM", REVIEW, 200),
        (Role.reviewer, "POST", "/v1/keys", {"role": "viewer"}, 403),
        (Role.reviewer, "GET", "/v1/audit", None, 403),
        (Role.reviewer, "GET", "/v1/keys", None, 403),
        (Role.admin, "POST", "/v1/keys", {"role": "viewer"}, 201),
        (Role.admin, "GET", "/v1/audit", None, 200),
        (Role.admin, "PATCH", "CLAIM", REVIEW, 200),
    ],
)
def test_api_auth_roles_allow_only_their_actions(
    api: ApiClient, make_extraction: Any, role: Role, method: str, path: str, body: Any, status: int
) -> None:
    if path == "CLAIM":
        path = f"/v1/claims/{_claim_ref(api, make_extraction)}"
    response = api.client.request(method, path, json=body, headers=api.auth(role))
    assert response.status_code == status, response.text
    if status == 403:
        assert response.json()["error"]["code"] == "forbidden"


def test_api_auth_created_key_works_and_revoked_key_does_not(api: ApiClient) -> None:
    created = api.client.post(
        "/v1/keys", json={"role": "reviewer", "name": "李四"}, headers=api.auth(Role.admin)
    )
    key, key_id = created.json()["key"], created.json()["record"]["id"]
    assert api.client.get("/v1/documents", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    assert api.client.delete(f"/v1/keys/{key_id}", headers=api.auth(Role.admin)).status_code == 204
    assert api.client.get("/v1/documents", headers={"Authorization": f"Bearer {key}"}).status_code == 401
    actions = [e["action"] for e in api.client.get("/v1/audit", headers=api.auth(Role.admin)).json()]
    assert actions[:2] == ["key.revoke", "key.create"]


def test_api_auth_session_cookie_needs_csrf_for_changes(api: ApiClient, make_extraction: Any) -> None:
    path = f"/v1/claims/{_claim_ref(api, make_extraction)}"
    signed_in = api.client.post("/v1/session", json={"api_key": api.keys[Role.reviewer]})
    assert signed_in.status_code == 200 and "nlp_session" in signed_in.cookies
    token = signed_in.json()["csrf_token"]
    assert api.client.get("/v1/documents").status_code == 200  # the cookie alone reads
    refused = api.client.patch(path, json=REVIEW)
    assert refused.status_code == 403 and "CSRF" in refused.json()["error"]["message"]
    assert api.client.patch(path, json=REVIEW, headers={"X-CSRF-Token": token + "x"}).status_code == 403
    assert api.client.patch(path, json=REVIEW, headers={"X-CSRF-Token": token}).status_code == 200


@pytest.mark.parametrize("cookie", ["garbage", "eyJrIjoxfQ.forged", ""])
def test_api_auth_forged_session_cookie_gets_401(api: ApiClient, cookie: str) -> None:
    api.client.cookies.set("nlp_session", cookie)
    assert api.client.get("/v1/documents").status_code == 401


def test_api_auth_sign_in_with_a_wrong_key_gets_401(api: ApiClient) -> None:
    response = api.client.post("/v1/session", json={"api_key": "nlp_nope"})
    assert response.status_code == 401 and response.json()["error"]["code"] == "unauthorized"
