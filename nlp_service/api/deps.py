"""Dependencies of the API: the store, the settings, the job worker and the caller (`Principal`).

A principal comes from `Authorization: Bearer <API key>` or from a signed session cookie that the
review UI sets after the user signs in with a key (`create_session` + `set_session_cookie`).
Cookie-authenticated requests that change state (POST, PUT, PATCH, DELETE) must also send the
session's CSRF token in the `X-CSRF-Token` header (`Session.csrf_token`, or `csrf_token_for`).

Role checks: `ViewerDep`, `ReviewerDep`, `AdminDep` (viewer < reviewer < admin).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import Depends, HTTPException, Request, Response, status

from nlp_service.config import Settings
from nlp_service.index.processing import JobWorker
from nlp_service.index.records import Role
from nlp_service.index.store import Store

SESSION_COOKIE = "nlp_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Principal:
    """Who is calling: the API key's id, its role and name, and how it authenticated."""

    key_id: int
    role: Role
    name: str | None
    via: Literal["bearer", "cookie"]

    @property
    def label(self) -> str:
        """How the audit log names the caller."""
        return f"key:{self.key_id}" + (f" ({self.name})" if self.name else "")


@dataclass(frozen=True)
class Session:
    """A signed-in UI session: the cookie value to set and the CSRF token the UI must send back."""

    cookie: str
    csrf_token: str
    principal: Principal
    max_age: int


# ---------------------------------------------------------------------- app state
def get_store(request: Request) -> Store:
    return request.app.state.store


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_worker(request: Request) -> JobWorker:
    return request.app.state.worker


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
WorkerDep = Annotated[JobWorker, Depends(get_worker)]


# ---------------------------------------------------------------------- sessions
def _sign(secret: str, payload: bytes) -> str:
    return (
        base64.urlsafe_b64encode(hmac.new(secret.encode(), payload, hashlib.sha256).digest())
        .decode()
        .rstrip("=")
    )


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def create_session(store: Store, settings: Settings, api_key: str) -> Session | None:
    """Verify `api_key` and make a session for it (None when the key is not valid).

    The cookie holds the key's id, an expiry and a random nonce, signed with the settings' secret;
    the CSRF token is derived from the cookie, so it needs no server-side storage.
    """
    record = store.verify_api_key(api_key)
    if record is None:
        return None
    payload = json.dumps(
        {"k": record.id, "exp": int(time.time()) + settings.session_max_age_s, "n": secrets.token_hex(8)},
        separators=(",", ":"),
    ).encode()
    body = _b64(payload)
    cookie = f"{body}.{_sign(settings.session_secret(), body.encode())}"
    principal = Principal(key_id=record.id, role=record.role, name=record.name, via="cookie")
    return Session(cookie, csrf_token_for(settings, cookie), principal, settings.session_max_age_s)


def csrf_token_for(settings: Settings, cookie: str) -> str:
    """The CSRF token that belongs to a session cookie."""
    return _sign(settings.session_secret(), b"csrf:" + cookie.encode())


def read_session(settings: Settings, cookie: str) -> dict[str, Any] | None:
    """The payload of a validly signed, unexpired session cookie; otherwise None."""
    body, _, signature = cookie.partition(".")
    if not body or not hmac.compare_digest(signature, _sign(settings.session_secret(), body.encode())):
        return None
    try:
        payload = json.loads(_unb64(body))
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(payload, dict) or int(payload.get("exp", 0)) < time.time():
        return None
    return payload


def set_session_cookie(response: Response, settings: Settings, session: Session) -> None:
    """Set the session cookie (HttpOnly, SameSite=Strict; Secure when configured)."""
    response.set_cookie(
        SESSION_COOKIE,
        session.cookie,
        max_age=session.max_age,
        httponly=True,
        samesite="strict",
        secure=settings.cookie_secure,
        path="/",
    )


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")


# ---------------------------------------------------------------------- authentication
def _unauthorized(message: str) -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, message, headers={"WWW-Authenticate": "Bearer"})


def _from_bearer(store: Store, header: str) -> Principal:
    scheme, _, key = header.partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise _unauthorized("the Authorization header must be 'Bearer <API key>'")
    record = store.verify_api_key(key.strip())
    if record is None:
        raise _unauthorized("the API key is not valid")
    return Principal(key_id=record.id, role=record.role, name=record.name, via="bearer")


def _from_cookie(request: Request, store: Store, settings: Settings, cookie: str) -> Principal:
    payload = read_session(settings, cookie)
    record = store.get_api_key(int(payload["k"])) if payload else None
    if record is None or record.revoked_at is not None:
        raise _unauthorized("the session has expired or is not valid; sign in again")
    if request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not hmac.compare_digest(sent, csrf_token_for(settings, cookie)):
            raise HTTPException(status.HTTP_403_FORBIDDEN, f"missing or wrong {CSRF_HEADER} header")
    return Principal(key_id=record.id, role=record.role, name=record.name, via="cookie")


def get_principal(request: Request, store: StoreDep, settings: SettingsDep) -> Principal:
    """The authenticated caller (Bearer key first, else the session cookie); 401 when neither."""
    header = request.headers.get("Authorization")
    if header:
        return _from_bearer(store, header)
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        return _from_cookie(request, store, settings, cookie)
    raise _unauthorized("an API key is required (Authorization: Bearer <key>)")


def require_role(needed: Role) -> Any:
    """A dependency that admits callers whose role includes `needed` (403 otherwise)."""

    def dependency(principal: Annotated[Principal, Depends(get_principal)]) -> Principal:
        if not principal.role.allows(needed):
            raise HTTPException(status.HTTP_403_FORBIDDEN, f"this needs the {needed.value} role")
        return principal

    return dependency


PrincipalDep = Annotated[Principal, Depends(get_principal)]
ViewerDep = Annotated[Principal, Depends(require_role(Role.viewer))]
ReviewerDep = Annotated[Principal, Depends(require_role(Role.reviewer))]
AdminDep = Annotated[Principal, Depends(require_role(Role.admin))]
