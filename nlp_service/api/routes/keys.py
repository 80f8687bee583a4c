"""API keys (admin): create, list, revoke."""

from __future__ import annotations

from fastapi import APIRouter, status
from pydantic import BaseModel, ConfigDict, Field

from nlp_service.api.deps import AdminDep, StoreDep
from nlp_service.api.routes.common import error_responses, not_found
from nlp_service.index.records import ApiKeyCreated, ApiKeyPublic, Role

router = APIRouter(prefix="/v1/keys", tags=["keys"])


class ApiKeyCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"role": "reviewer", "name": "张三"}]}
    )

    role: Role
    name: str | None = Field(default=None, max_length=100)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Create an API key (the key is shown once)",
    responses=error_responses(401, 403, 422),
)
def create_key(body: ApiKeyCreate, store: StoreDep, principal: AdminDep) -> ApiKeyCreated:
    created = store.create_api_key(body.role, body.name)
    store.audit(
        principal.label,
        "key.create",
        f"key:{created.record.id}",
        {"role": body.role.value, "name": body.name},
    )
    return created


@router.get("", summary="API keys (without the secrets)", responses=error_responses(401, 403))
def list_keys(store: StoreDep, _: AdminDep) -> list[ApiKeyPublic]:
    return store.list_api_keys()


@router.delete(
    "/{key_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Revoke a key",
    responses=error_responses(401, 403, 404),
)
def revoke_key(key_id: int, store: StoreDep, principal: AdminDep) -> None:
    if not store.revoke_api_key(key_id):
        raise not_found("active key")
    store.audit(principal.label, "key.revoke", f"key:{key_id}")
