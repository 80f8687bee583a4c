"""One router per resource (`APIRouter(prefix=..., tags=[...])`)."""
