"""Who is using the review pages, and the CSRF checks of their forms.

The session is the API's signed cookie (`nlp_service.api.deps.create_session`); its CSRF token is
put into every form as `csrf_token` and checked on every POST. Before sign-in, the sign-in form is
protected by a double-submit token (a random value in a short-lived HttpOnly cookie and in the form).
Problems are raised as `UiProblem` / `UiRedirect`, which `UiRoute` turns into HTML pages.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request, Response

from nlp_service.api.deps import (
    SESSION_COOKIE,
    Principal,
    SettingsDep,
    StoreDep,
    csrf_token_for,
    read_session,
)
from nlp_service.index.records import Role

LOGIN_CSRF_COOKIE = "nlp_login_csrf"
ROLE_LABELS = {Role.viewer: "只读", Role.reviewer: "审核员", Role.admin: "管理员"}


class UiProblem(Exception):
    """A request the UI refuses: shown as an HTML page with `status` (or JSON to fetch callers)."""

    def __init__(self, status: int, heading: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.heading = heading
        self.message = message


class UiRedirect(Exception):
    """Send the browser elsewhere (for example to the sign-in page)."""

    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


@dataclass(frozen=True)
class UiUser:
    principal: Principal
    csrf_token: str

    @property
    def name(self) -> str:
        return self.principal.name or f"密钥 {self.principal.key_id}"

    @property
    def label(self) -> str:
        return self.principal.label

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.principal.role]

    @property
    def can_review(self) -> bool:
        return self.principal.role.allows(Role.reviewer)

    @property
    def is_admin(self) -> bool:
        return self.principal.role.allows(Role.admin)


def session_user(request: Request, store: StoreDep, settings: SettingsDep) -> UiUser | None:
    """The signed-in user of a valid, unexpired session whose key is not revoked; else None."""
    cookie = request.cookies.get(SESSION_COOKIE)
    payload = read_session(settings, cookie) if cookie else None
    record = store.get_api_key(int(payload["k"])) if payload else None
    if cookie is None or record is None or record.revoked_at is not None:
        return None
    principal = Principal(key_id=record.id, role=record.role, name=record.name, via="cookie")
    return UiUser(principal, csrf_token_for(settings, cookie))


MaybeUserDep = Annotated[UiUser | None, Depends(session_user)]


def _login_location(request: Request) -> str:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return str(request.app.url_path_for("ui_login_form")) + "?next=" + quote(target, safe="/")


def signed_in(request: Request, user: MaybeUserDep) -> UiUser:
    """The user, or a redirect to the sign-in page (which comes back here afterwards)."""
    if user is None:
        raise UiRedirect(_login_location(request))
    return user


def needs_role(role: Role) -> object:
    def dependency(user: Annotated[UiUser, Depends(signed_in)]) -> UiUser:
        if not user.principal.role.allows(role):
            raise UiProblem(
                403, "没有权限", f"此操作需要{ROLE_LABELS[role]}权限，当前账户为{user.role_label}。"
            )
        return user

    return Depends(dependency)


UserDep = Annotated[UiUser, Depends(signed_in)]
ReviewerUserDep = Annotated[UiUser, needs_role(Role.reviewer)]
AdminUserDep = Annotated[UiUser, needs_role(Role.admin)]


def check_csrf(user: UiUser, sent: str | None) -> None:
    """Refuse (403) a form post whose CSRF token is missing or not this session's."""
    if not sent or not hmac.compare_digest(sent, user.csrf_token):
        raise UiProblem(403, "请求被拒绝", "表单缺少有效的 CSRF 令牌。请刷新页面后重试。")


def login_csrf_token(request: Request) -> str:
    """The sign-in form's token: the one in the browser's cookie, or a new one."""
    return request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(24)


def set_login_csrf_cookie(response: Response, token: str) -> None:
    response.set_cookie(LOGIN_CSRF_COOKIE, token, max_age=3600, httponly=True, samesite="strict", path="/ui")


def check_login_csrf(request: Request, sent: str | None) -> None:
    expected = request.cookies.get(LOGIN_CSRF_COOKIE)
    if not sent or not expected or not hmac.compare_digest(sent, expected):
        raise UiProblem(403, "请求被拒绝", "登录表单缺少有效的 CSRF 令牌。请重新打开登录页。")
