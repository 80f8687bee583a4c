"""Sessions for the review UI: sign in with an API key (sets a signed cookie), sign out."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Response, status
from pydantic import BaseModel, ConfigDict, Field

from nlp_service.api.deps import (
    PrincipalDep,
    SettingsDep,
    StoreDep,
    clear_session_cookie,
    create_session,
    set_session_cookie,
)
from nlp_service.api.routes.common import error_responses

router = APIRouter(prefix="/v1/session", tags=["session"])


class SessionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"api_key": "nlp_1a2b3c4d_…"}]})

    api_key: str = Field(min_length=1, max_length=200)


class SessionPublic(BaseModel):
    role: str
    key_id: int
    csrf_token: str = Field(description="send as X-CSRF-Token on POST/PATCH/DELETE made with the cookie")


@router.post(
    "", summary="Sign in with an API key; sets the session cookie", responses=error_responses(401, 422)
)
def sign_in(body: SessionCreate, response: Response, store: StoreDep, settings: SettingsDep) -> SessionPublic:
    session = create_session(store, settings, body.api_key)
    if session is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "the API key is not valid")
    set_session_cookie(response, settings, session)
    store.audit(session.principal.label, "session.create")
    return SessionPublic(
        role=session.principal.role.value, key_id=session.principal.key_id, csrf_token=session.csrf_token
    )


@router.delete("", status_code=status.HTTP_204_NO_CONTENT, summary="Sign out", responses=error_responses(401))
def sign_out(response: Response, _: PrincipalDep) -> None:
    clear_session_cookie(response)
