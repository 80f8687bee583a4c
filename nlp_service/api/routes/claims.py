"""Claims: read one with its reviews; review one (accept, reject or correct, with a reason)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, ConfigDict, Field, model_validator

from nlp_service.api.deps import ReviewerDep, StoreDep, ViewerDep
from nlp_service.api.routes.common import error_responses, not_found
from nlp_service.index.records import ReviewAction, ReviewPublic, StoredClaim

router = APIRouter(prefix="/v1/claims", tags=["claims"])

CORRECTABLE = {
    "value",
    "value_max",
    "unit",
    "kind",
    "bound",
    "qualifier",
    "object",
    "predicate",
    "agent",
    "time",
}


class ClaimReviewCreate(BaseModel):
    """A reviewer's decision on a claim; `correction` (for action=correct) names the corrected fields."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"action": "accept", "reason": "与自评表一致"},
                {
                    "action": "correct",
                    "reason": "单位应为万元",
                    "correction": {"value": 550000, "unit": "元"},
                },
            ]
        },
    )

    action: ReviewAction
    reason: str = Field(min_length=1, max_length=2000)
    correction: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _correction_matches_action(self) -> ClaimReviewCreate:
        if self.action is ReviewAction.correct:
            if not self.correction:
                raise ValueError("action=correct needs `correction` with the corrected fields")
            unknown = set(self.correction) - CORRECTABLE
            if unknown:
                raise ValueError(f"fields that cannot be corrected: {', '.join(sorted(unknown))}")
        elif self.correction is not None:
            raise ValueError("`correction` is only for action=correct")
        return self


@router.get(
    "/{claim_ref}",
    summary="A claim with its reviews (id: row id, or '<document id>:<claim id>')",
    responses=error_responses(401, 404),
)
def get_claim(claim_ref: str, store: StoreDep, _: ViewerDep) -> StoredClaim:
    claim = store.get_claim(claim_ref)
    if claim is None:
        raise not_found("claim")
    return claim


@router.patch(
    "/{claim_ref}",
    summary="Review a claim: accept, reject or correct it, with a reason (the original is kept)",
    responses=error_responses(401, 403, 404, 422),
)
def review_claim(
    claim_ref: str, review: ClaimReviewCreate, store: StoreDep, principal: ReviewerDep
) -> ReviewPublic:
    if len(claim_ref) > 200:
        raise HTTPException(422, "claim id too long")
    stored = store.review_claim(
        claim_ref, review.action, review.reason, reviewer=principal.label, correction=review.correction
    )
    if stored is None:
        raise not_found("claim")
    store.audit(
        principal.label,
        f"claim.{review.action.value}",
        f"{stored.document_id}:{stored.claim_id}",
        {"reason": review.reason, "correction": review.correction, "review": stored.id},
    )
    return stored
