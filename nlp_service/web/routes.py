"""The supervisors' review pages under `/ui` (server-rendered Jinja2, a little JavaScript).

Pages: sign-in, documents (list, upload, job status), one document (text with claims marked, the
indicator table, findings, charts, review controls), search, and the audit log for admins.
Every POST carries the session's CSRF token; reviews need the reviewer role on the server whatever
the page shows. Exports: XLSX, CSV, Label Studio JSON and gold JSON; Label Studio annotations can be
imported back as reviews.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine, Mapping
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, FastAPI, File, Form, Query, Request, Response, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import ValidationError

from nlp_service.api.deps import (
    SettingsDep,
    StoreDep,
    WorkerDep,
    clear_session_cookie,
    create_session,
    set_session_cookie,
)
from nlp_service.api.routes.common import read_upload
from nlp_service.errors import InputError
from nlp_service.exports import (
    gold_from_reviews,
    label_studio_config,
    load_label_studio,
    reviews_from_label_studio,
    to_csv,
    to_label_studio,
    to_xlsx,
)
from nlp_service.index.processing import queue_upload
from nlp_service.index.records import JobPublic, ReviewAction
from nlp_service.index.search import SearchQuery, search
from nlp_service.index.store import Store
from nlp_service.schema import Extraction
from nlp_service.version import PIPELINE_VERSION
from nlp_service.web import views
from nlp_service.web.auth import (
    LOGIN_CSRF_COOKIE,
    AdminUserDep,
    ReviewerUserDep,
    UiProblem,
    UiRedirect,
    UiUser,
    UserDep,
    check_csrf,
    check_login_csrf,
    login_csrf_token,
    set_login_csrf_cookie,
)
from nlp_service.web.queries import claim_statuses, document_reviews, document_stats

WEB_DIR = Path(__file__).resolve().parent
STATIC_DIR = WEB_DIR / "static"
TEMPLATES = Jinja2Templates(
    env=Environment(
        loader=FileSystemLoader(WEB_DIR / "templates"), autoescape=select_autoescape(default=True)
    )
)
MESSAGES = {
    "signed-out": ("info", "已退出。"),
    "reviewed": ("info", "审核已保存。"),
    "imported": ("info", "Label Studio 标注已导入。"),
}
REASON_DEFAULTS = {"accept": "核对无误", "reject": "不是有效的数量陈述", "correct": "更正抽取结果"}


class UiRoute(APIRoute):
    """Routes whose `UiProblem` and `UiRedirect` become HTML pages and redirects (JSON for fetch)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except UiRedirect as redirect:
                if wants_json(request):
                    message = "the session has expired or is not valid; sign in again"
                    return JSONResponse(
                        {"error": {"code": "unauthorized", "message": message}}, status_code=401
                    )
                return RedirectResponse(redirect.location, status_code=303)
            except UiProblem as problem:
                return problem_response(request, problem)

        return handle


router = APIRouter(prefix="/ui", tags=["ui"], include_in_schema=False, route_class=UiRoute)


def install_web_ui(app: FastAPI) -> None:
    """Mount the review pages and their static files on the API's app."""
    app.include_router(router)
    app.mount("/ui/static", StaticFiles(directory=STATIC_DIR), name="ui_static")


# ---------------------------------------------------------------------- rendering
def wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def render(request: Request, name: str, context: Mapping[str, Any], *, status: int = 200,
           user: UiUser | None = None, csrf_token: str | None = None) -> HTMLResponse:  # fmt: skip
    """A page with the helpers and values every template uses."""

    def url(route: str, **params: Any) -> str:
        return str(request.app.url_path_for(route, **{k: str(v) for k, v in params.items()}))

    def static_url(file: str) -> str:
        return f"/ui/static/{file}?v={PIPELINE_VERSION}"

    code = request.query_params.get("msg", "")
    messages = [{"level": MESSAGES[code][0], "text": MESSAGES[code][1]}] if code in MESSAGES else []
    base = {
        "request": request, "url": url, "static_url": static_url, "user": user, "messages": messages,
        "csrf_token": csrf_token if csrf_token is not None else (user.csrf_token if user else ""),
        "severity_labels": views.SEVERITY_LABELS, "status_labels": views.STATUS_LABELS,
    }  # fmt: skip
    response = TEMPLATES.TemplateResponse(request, name, {**base, **context}, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
    return response


def problem_response(request: Request, problem: UiProblem) -> Response:
    if wants_json(request):
        return JSONResponse(
            {"error": {"code": "ui_error", "message": problem.message}}, status_code=problem.status
        )
    context = {"heading": problem.heading, "message": problem.message}
    return render(request, "error.html", context, status=problem.status)


def _redirect(location: str) -> RedirectResponse:
    return RedirectResponse(location, status_code=303)


def _path(request: Request, route: str, **params: Any) -> str:
    return str(request.app.url_path_for(route, **{k: str(v) for k, v in params.items()}))


# ---------------------------------------------------------------------- sign-in
def _safe_next(target: str | None) -> str:
    """Only paths inside the UI may be returned to after sign-in (no open redirects)."""
    if target and target.startswith("/ui/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/ui/documents"


@router.get("/", name="ui_home")
def home() -> RedirectResponse:
    return _redirect("/ui/documents")


@router.get("/login", name="ui_login_form")
def login_form(request: Request, next: str | None = None) -> HTMLResponse:  # noqa: A002
    token = login_csrf_token(request)
    response = render(request, "login.html", {"next_url": _safe_next(next)}, csrf_token=token)
    set_login_csrf_cookie(response, token)
    return response


@router.post("/login", name="ui_login")
def login(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    api_key: Annotated[str, Form(max_length=200)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=500)] = "",  # noqa: A002
) -> Response:
    check_login_csrf(request, csrf_token)
    session = create_session(store, settings, api_key.strip())
    if session is None:
        store.audit(None, "session.refused", None, {"via": "ui"})
        context = {"next_url": _safe_next(next)}
        page = render(request, "login.html", {**context, "messages": [{"level": "error", "text": "API 密钥无效。"}]},
                      status=401, csrf_token=csrf_token)  # fmt: skip
        return page
    response = _redirect(_safe_next(next))
    set_session_cookie(response, settings, session)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/ui")
    store.audit(session.principal.label, "session.create", None, {"via": "ui"})
    return response


@router.post("/logout", name="ui_logout")
def logout(user: UserDep, csrf_token: Annotated[str, Form(max_length=200)] = "") -> Response:
    check_csrf(user, csrf_token)
    response = _redirect("/ui/login?msg=signed-out")
    clear_session_cookie(response)
    return response


# ---------------------------------------------------------------------- documents
@router.get("/documents", name="ui_documents")
def documents(
    request: Request,
    store: StoreDep,
    user: UserDep,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    org: Annotated[str | None, Query(max_length=200)] = None,
    year: Annotated[str | None, Query(max_length=8)] = None,
    source: Annotated[str | None, Query(max_length=200)] = None,
    finding: Annotated[str | None, Query(max_length=64)] = None,
) -> HTMLResponse:
    year_number = int(year) if year and year.isdigit() else None
    filters: dict[str, Any] = {"org": org or None, "year": year_number, "source": source or None,
                               "finding": finding or None}  # fmt: skip
    listing = store.list_documents(page=page, per_page=50, org=filters["org"], year=year_number,
                                   source=filters["source"], finding=filters["finding"])  # fmt: skip
    stats = document_stats(store, [d.id for d in listing.items])
    rows = [
        {
            **d.model_dump(),
            "claims": stats[d.id].claims,
            "reviewed": stats[d.id].reviewed,
            "findings": stats[d.id].findings,
            "progress": stats[d.id].progress,
        }  # fmt: skip
        for d in listing.items
    ]

    def page_link(number: int) -> str:
        kept = {k: v for k, v in filters.items() if v is not None}
        return "/ui/documents?" + urlencode({**kept, "page": number})

    context = {"page": listing, "rows": rows, "filters": filters, "page_link": page_link}
    return render(request, "documents.html", context, user=user)


@router.get("/upload", name="ui_upload_form")
def upload_form(request: Request, user: ReviewerUserDep) -> HTMLResponse:
    return render(request, "upload.html", {}, user=user)


@router.post("/upload", name="ui_upload")
def upload(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    worker: WorkerDep,
    user: ReviewerUserDep,
    file: Annotated[UploadFile, File()],
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    check_csrf(user, csrf_token)
    try:
        data = read_upload(file, settings.max_upload_bytes)
    except InputError as error:
        raise UiProblem(error.http_status, "上传失败", error.message) from error
    job = queue_upload(store, worker, user.label, data, file.filename, via="ui")
    if job.status == "done":  # the same file was uploaded and extracted before
        return _redirect(_path(request, "ui_document", document_id=job.document_id))
    return _redirect(_path(request, "ui_job", job_id=job.id))


def _job_or_404(store: Store, job_id: str) -> JobPublic:
    job = store.get_job(job_id) if len(job_id) <= 64 else None
    if job is None:
        raise UiProblem(404, "找不到任务", "没有这个任务。")
    return job


@router.get("/jobs/{job_id}", name="ui_job")
def job_page(request: Request, job_id: str, store: StoreDep, user: UserDep) -> HTMLResponse:
    job = _job_or_404(store, job_id)
    context = {
        "job": job,
        "status_label": views.JOB_LABELS[job.status],
        "finished": job.status in ("done", "failed"),
    }
    return render(request, "job.html", context, user=user)


@router.get("/jobs/{job_id}/state", name="ui_job_state")
def job_state(job_id: str, store: StoreDep, _user: UserDep) -> dict[str, Any]:
    job = _job_or_404(store, job_id)
    finished = job.status in ("done", "failed")
    return {
        "status": job.status,
        "label": views.JOB_LABELS[job.status],
        "finished": finished,
        "error": job.error,
    }


# ---------------------------------------------------------------------- one document
def _extraction_or_problem(store: Store, document_id: str) -> Extraction:
    extraction = store.get_extraction(document_id) if len(document_id) <= 64 else None
    if extraction is not None:
        return extraction
    document = store.get_document(document_id) if len(document_id) <= 64 else None
    if document is None:
        raise UiProblem(404, "找不到文档", "没有这个文档。")
    if document.status == "failed":
        raise UiProblem(409, "抽取失败", f"这份文档未能抽取：{document.error or '原因不明'}")
    raise UiProblem(409, "仍在处理", "这份文档还在抽取中，请稍后刷新。")


@router.get("/documents/{document_id}", name="ui_document")
def document_page(request: Request, document_id: str, store: StoreDep, user: UserDep) -> HTMLResponse:
    extraction = _extraction_or_problem(store, document_id)
    view = views.document_view(
        extraction, document_reviews(store, document_id), claim_statuses(store, document_id)
    )
    context = {
        **vars(view), "meta": extraction.document, "doc_id": document_id, "can_review": user.can_review,
        "review_base": _path(request, "ui_document", document_id=document_id) + "/claims/",
    }  # fmt: skip
    return render(request, "document.html", context, user=user)


def _review_changes(
    store: Store, document_id: str, claim_id: str, action: str, form: Mapping[str, str | None]
) -> dict[str, Any] | None:
    """The correction of a review (None unless action=correct), checked against the claim as shown."""
    if action != "correct":
        return None
    extraction = _extraction_or_problem(store, document_id)
    shown = views.corrected_claims(extraction, document_reviews(store, document_id))
    claim = next((c for c in shown.claims if c.id == claim_id), None)
    if claim is None:
        raise UiProblem(404, "找不到数量陈述", "这份文档没有这条数量陈述。")
    try:
        changes = views.parse_correction(claim.model_dump(mode="json"), form)
    except ValueError as error:
        raise UiProblem(422, "无法更正", str(error)) from error
    if not changes:
        raise UiProblem(422, "无法更正", "更正没有改变任何字段。")
    return changes


@router.post("/documents/{document_id}/claims/{claim_id}/review", name="ui_review")
def review(
    request: Request,
    document_id: str,
    claim_id: str,
    store: StoreDep,
    user: ReviewerUserDep,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    action: Annotated[str, Form(max_length=16)] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
    value: Annotated[str | None, Form(max_length=64)] = None,
    unit: Annotated[str | None, Form(max_length=32)] = None,
    object: Annotated[str | None, Form(max_length=200)] = None,  # noqa: A002
    predicate: Annotated[str | None, Form(max_length=200)] = None,
) -> Response:
    check_csrf(user, csrf_token)
    if action not in REASON_DEFAULTS or len(claim_id) > 32:
        raise UiProblem(422, "无法审核", "审核操作只能是接受、驳回或更正。")
    form = {"value": value, "unit": unit, "object": object, "predicate": predicate}
    correction = _review_changes(store, document_id, claim_id, action, form)
    why = reason.strip() or REASON_DEFAULTS[action]
    stored = store.review_claim(f"{document_id}:{claim_id}", ReviewAction(action), why,
                                reviewer=user.label, correction=correction)  # fmt: skip
    if stored is None:
        raise UiProblem(404, "找不到数量陈述", "这份文档没有这条数量陈述。")
    store.audit(user.label, f"claim.{action}", f"{document_id}:{claim_id}",
                {"reason": why, "correction": correction, "review": stored.id, "via": "ui"})  # fmt: skip
    if not wants_json(request):
        return _redirect(
            _path(request, "ui_document", document_id=document_id) + f"?msg=reviewed#claim-{claim_id}"
        )
    statuses = claim_statuses(store, document_id)
    claim = {**stored.original, **(correction or {})}
    return JSONResponse({"status": statuses.get(claim_id), "reviewed": len(statuses), "review": stored.id,
                         "claim": {k: claim.get(k) for k in ("value", "unit", "object", "predicate")}})  # fmt: skip


# ---------------------------------------------------------------------- exports and imports
EXPORT_TYPES = {
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "csv": ("text/csv; charset=utf-8", "csv"),
    "label-studio": ("application/json", "label-studio.json"),
    "gold": ("application/json", "gold.json"),
}


def _export_body(extraction: Extraction, reviews: list[Any], fmt: str) -> bytes:
    if fmt == "xlsx":
        return to_xlsx(extraction, reviews)
    if fmt == "csv":
        return to_csv(extraction, reviews).encode("utf-8")
    payload = (
        [to_label_studio(extraction, reviews)]
        if fmt == "label-studio"
        else gold_from_reviews(extraction, reviews)
    )
    return json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8")


def _download_name(extraction: Extraction, suffix: str) -> str:
    stem = (extraction.document.source or extraction.document.id[:12]).rsplit(".", 1)[0]
    return f"{stem}.{suffix}"


@router.get("/documents/{document_id}/export/{fmt}", name="ui_export")
def export(document_id: str, fmt: str, store: StoreDep, user: UserDep) -> Response:
    if fmt not in EXPORT_TYPES:
        raise UiProblem(404, "不支持的导出格式", f"可选格式：{'、'.join(EXPORT_TYPES)}")
    extraction = _extraction_or_problem(store, document_id)
    body = _export_body(extraction, document_reviews(store, document_id), fmt)
    media_type, suffix = EXPORT_TYPES[fmt]
    store.audit(user.label, "document.export", document_id, {"format": fmt, "via": "ui"})
    name = _download_name(extraction, suffix)
    disposition = f"attachment; filename=\"export.{suffix}\"; filename*=UTF-8''{quote(name, safe='')}"
    return Response(body, media_type=media_type, headers={"Content-Disposition": disposition})


@router.get("/label-studio/config.xml", name="ui_label_studio_config")
def label_studio_labelling_config(_user: UserDep) -> Response:
    """The Label Studio labelling interface that matches the exported tasks."""
    headers = {"Content-Disposition": 'attachment; filename="nlp_service-label-studio.xml"'}
    return Response(label_studio_config(), media_type="application/xml", headers=headers)


@router.post("/documents/{document_id}/import/label-studio", name="ui_import_label_studio")
def import_label_studio(
    request: Request,
    document_id: str,
    store: StoreDep,
    settings: SettingsDep,
    user: ReviewerUserDep,
    file: Annotated[UploadFile, File()],
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    check_csrf(user, csrf_token)
    extraction = _extraction_or_problem(store, document_id)
    try:
        tasks = load_label_studio(read_upload(file, settings.max_upload_bytes))
        task = next((t for t in tasks if (t.get("data") or {}).get("text") == extraction.text), None)
        if task is None:
            raise InputError(
                "no task in the file holds this document's text", source=file.filename or "upload"
            )
        imported, added = reviews_from_label_studio(extraction, task, reviewer=user.label)
    except InputError as error:
        raise UiProblem(422, "导入失败", error.message) from error
    for record in imported:
        correction = dict(record.changes) if record.action == "correct" else None
        store.review_claim(f"{document_id}:{record.claim_id}", ReviewAction(record.action), record.reason or "",
                           reviewer=user.label, correction=correction)  # fmt: skip
    detail = {"reviews": len(imported), "added_claims": len(added), "via": "ui"}
    store.audit(user.label, "document.import_label_studio", document_id, detail)
    return _redirect(_path(request, "ui_document", document_id=document_id) + "?msg=imported")


# ---------------------------------------------------------------------- search and audit
SEARCH_FIELDS = (
    "q",
    "scope",
    "kind",
    "unit",
    "object",
    "predicate",
    "min",
    "max",
    "year",
    "org",
    "indicator",
    "finding",
)
FACET_LABELS = {"kind": "类别", "unit": "计量单位", "year": "年度", "org": "报告单位", "finding": "审查发现"}


def _search_query(params: Mapping[str, str], offset: int) -> SearchQuery | None:
    values = {name: params[name] for name in SEARCH_FIELDS if params.get(name)}
    if not values or set(values) == {"scope"}:
        return None
    return SearchQuery.model_validate({**values, "offset": offset, "limit": 50})


def _hit_view(hit: Any) -> dict[str, Any]:
    sentence = hit.sentence
    left, right = hit.start - sentence.start, hit.end - sentence.start
    anchor = f"#claim-{hit.claim_id}" if hit.claim_id else ""
    return {
        **hit.model_dump(), "document": hit.document,
        "before": sentence.text[:left], "span": sentence.text[left:right], "after": sentence.text[right:],
        "link": f"/ui/documents/{hit.document.id}{anchor}",
    }  # fmt: skip


@router.get("/search", name="ui_search")
def search_page(request: Request, store: StoreDep, user: UserDep,
                offset: Annotated[int, Query(ge=0, le=100_000)] = 0) -> HTMLResponse:  # fmt: skip
    params = dict(request.query_params)
    context: dict[str, Any] = {
        "query": SearchQuery(), "results": None, "hits": [], "error": None, "kind_labels": views.KIND_LABELS,
        "facet_labels": FACET_LABELS, "review_labels": views.REVIEW_LABELS, "prev_link": None, "next_link": None,
    }  # fmt: skip
    try:
        query = _search_query(params, offset)
    except ValidationError as error:
        context["error"] = "检索条件有误：" + "；".join(str(e.get("loc", [""])[0]) for e in error.errors())
        query = None
    if query is not None:
        results = search(store, query)
        kept = {k: v for k, v in params.items() if k in SEARCH_FIELDS and v}

        def facet_link(name: str, value: str) -> str:
            return "/ui/search?" + urlencode({**kept, name: value})

        context.update(
            query=query, results=results, hits=[_hit_view(h) for h in results.hits], facet_link=facet_link
        )
        if offset > 0:
            context["prev_link"] = "/ui/search?" + urlencode({**kept, "offset": max(0, offset - query.limit)})
        if offset + query.limit < results.total:
            context["next_link"] = "/ui/search?" + urlencode({**kept, "offset": offset + query.limit})
    return render(request, "search.html", context, user=user)


AUDIT_PAGE = 100


@router.get("/audit", name="ui_audit")
def audit_page(
    request: Request,
    store: StoreDep,
    user: AdminUserDep,
    action: Annotated[str | None, Query(max_length=64)] = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> HTMLResponse:
    entries = store.audit_entries(limit=AUDIT_PAGE + 1, offset=offset, action=action or None)
    rows = [
        {
            **e.model_dump(),
            "detail_text": json.dumps(e.detail, ensure_ascii=False, indent=1) if e.detail else "",
        }
        for e in entries[:AUDIT_PAGE]
    ]
    kept = {"action": action} if action else {}
    context = {
        "entries": rows, "action": action, "offset": offset, "more": len(entries) > AUDIT_PAGE,
        "prev_link": "/ui/audit?" + urlencode({**kept, "offset": max(0, offset - AUDIT_PAGE)}),
        "next_link": "/ui/audit?" + urlencode({**kept, "offset": offset + AUDIT_PAGE}),
    }  # fmt: skip
    return render(request, "audit.html", context, user=user)
