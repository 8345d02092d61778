"""The console's pages: sign-in, the queue, case pages, the weekly report, the admin pages and
(staff_console.editors) the Local Offer editors' insights.

Every page needs a signed-in, fully authenticated account (``staff`` dependency) except sign-in
and the static assets. Roles: casework pages (queue, cases, weekly report) need a caseworker or
an admin (``caseworker``); admin pages an admin (``admin``); the editors' pages an editor or an
admin (``editor``). Editors never see families' cases. Every POST carries the session's CSRF
token (``caseworker_post`` / ``admin_post`` / ``editor_post``); sign-in, which has no session
yet, uses a double-submit cookie. Handlers that touch the database are plain ``def`` so FastAPI
runs them in its thread pool and the gateway's event loop never waits on SQL.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, get_args
from zoneinfo import ZoneInfo

from fastapi import Depends, FastAPI, Form, Request, Response
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from starlette.concurrency import run_in_threadpool

from app_store import AppStore, CaseChangeRefused, EscalationNotFound
from app_store.models import OUTCOMES, REASONS, Status
from app_store.staff_models import (
    ATTEMPT_METHODS,
    ATTEMPT_OUTCOMES,
    AUDIT_ACTIONS,
    AuditFilters,
    QueueFilters,
    StaffSession,
    StaffUser,
)
from app_store.tables import utc_now
from settings import REPO_ROOT, Settings
from staff_console import labels
from staff_console.lifecycle import TrackerStoreUnavailable, erase_by_reference, export_csv, parse_reference
from staff_console.security import (
    SecretBox,
    needs_rehash,
    new_token,
    new_totp_secret,
    same,
    token_hash,
    totp_step,
    totp_uri,
    verify_password,
)
from staff_console.sla import format_hours, wait_of, weekly_shares
from vocabulary.audiences import AUDIENCES

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
GOVUK_DIST = REPO_ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk"
SESSION_COOKIE = "staff_session"
LOGIN_CSRF_COOKIE = "staff_login_csrf"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
SIGN_IN_FAILED = (
    "The username, password or security code is not right, or the account is locked for a while "
    "after too many tries. Check them and try again."
)
OPEN_STATUSES: tuple[Status, ...] = ("new", "assigned", "contacted", "waiting")


class NotSignedIn(Exception):
    def __init__(self, note: str = "") -> None:
        self.note = note


class NeedsTotpSetup(Exception):
    pass


class Forbidden(Exception):
    """This account's role may not open the page."""

    def __init__(
        self,
        title: str = "Only admins can do this",
        message: str = "This page is for admins. Ask an admin if you need something done here.",
    ) -> None:
        self.title = title
        self.message = message


NOT_FOR_EDITORS = Forbidden(
    "This page is for SENDIASS caseworkers",
    "Families' cases are for SENDIASS caseworkers only. Your pages are under Content gaps.",
)
NOT_FOR_CASEWORKERS = Forbidden(
    "This page is for Local Offer editors",
    "The insights pages are for Local Offer editors. Ask an admin if you need an editor account.",
)


class CsrfFailed(Exception):
    pass


@dataclass(frozen=True)
class Staff:
    user: StaffUser
    session: StaffSession
    ip: str

    @property
    def actor(self) -> str:
        return self.user.username


def start_page(user: StaffUser) -> str:
    """Where an account lands after signing in: editors never see the queue."""
    return "/queue" if user.can_do_casework else "/editors/gaps"


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def create_console(settings: Settings, store: AppStore) -> FastAPI:
    """The console as an app of its own; the gateway mounts it at /staff."""
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.globals["labels"] = labels
    zone = ZoneInfo(settings.working_timezone)
    box = SecretBox.from_settings(settings)
    login_limiter = MovingWindowRateLimiter(storage_from_string(settings.rate_limit_storage_uri))
    login_limit = parse(settings.staff_login_rate_limit)

    def local(value: datetime | None) -> str:
        return "" if value is None else value.astimezone(zone).strftime("%-d %b %Y %H:%M")

    templates.env.filters["local"] = local
    templates.env.filters["hours"] = format_hours

    console = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

    @console.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if request.url.path.startswith(f"{request.scope.get('root_path', '')}/assets/"):
            response.headers.setdefault("Cache-Control", "public, max-age=3600")
        else:
            # Case pages, the queue, exports: special category data about children.
            response.headers["Cache-Control"] = "no-store"
            response.headers["Pragma"] = "no-cache"
        return response

    def base(request: Request) -> str:
        return str(request.scope.get("root_path", "")).rstrip("/")

    def page(request: Request, name: str, staff: Staff | None, status_code: int = 200, **context: Any) -> HTMLResponse:
        context.update(
            base=base(request),
            staff=staff,
            csrf=staff.session.csrf_token if staff else "",
            current_path=request.url.path,
        )
        return templates.TemplateResponse(request, name, context, status_code=status_code)

    def error_page(request: Request, status_code: int, title: str, message: str) -> HTMLResponse:
        return page(request, "error.html", None, status_code, title=title, message=message)

    def redirect(request: Request, path: str) -> RedirectResponse:
        return RedirectResponse(f"{base(request)}{path}", status_code=303)

    def cookie_secure(request: Request) -> bool:
        return settings.staff_cookie_secure or request.url.scheme == "https"

    # --- who is asking -------------------------------------------------------------------------

    def _lookup(token: str | None, ip: str, allow_pending: bool) -> Staff:
        if not token:
            raise NotSignedIn()
        session_id = token_hash(token)
        session = store.get_staff_session(session_id)
        if session is None:
            raise NotSignedIn()
        now = utc_now()
        if now - session.last_seen_at > timedelta(minutes=settings.staff_idle_minutes):
            store.end_staff_session(session_id)
            raise NotSignedIn("You were signed out because the console was not used for a while.")
        if now - session.created_at > timedelta(hours=settings.staff_session_max_hours):
            store.end_staff_session(session_id)
            raise NotSignedIn("You were signed out at the end of the longest session allowed. Sign in again.")
        user = store.get_staff_user(session.user_id)
        if user is None or user.disabled:
            store.end_staff_session(session_id)
            raise NotSignedIn()
        if not session.fully_signed_in and not allow_pending:
            raise NeedsTotpSetup()
        store.touch_staff_session(session_id)
        return Staff(user=user, session=session, ip=ip)

    async def staff(request: Request) -> Staff:
        return await run_in_threadpool(_lookup, request.cookies.get(SESSION_COOKIE), client_ip(request), False)

    async def pending_staff(request: Request) -> Staff:
        return await run_in_threadpool(_lookup, request.cookies.get(SESSION_COOKIE), client_ip(request), True)

    async def admin(who: Staff = Depends(staff)) -> Staff:  # noqa: B008
        if not who.user.is_admin:
            raise Forbidden()
        return who

    async def caseworker(who: Staff = Depends(staff)) -> Staff:  # noqa: B008
        # Families' cases are special category data: editors never see them.
        if not who.user.can_do_casework:
            raise NOT_FOR_EDITORS
        return who

    async def editor(who: Staff = Depends(staff)) -> Staff:  # noqa: B008
        if not who.user.can_edit_content:
            raise NOT_FOR_CASEWORKERS
        return who

    async def _check_csrf(request: Request, who: Staff) -> Staff:
        form = await request.form()
        token = form.get("csrf_token")
        if not same(token if isinstance(token, str) else None, who.session.csrf_token):
            raise CsrfFailed()
        return who

    async def admin_post(request: Request, who: Staff = Depends(admin)) -> Staff:  # noqa: B008
        return await _check_csrf(request, who)

    async def caseworker_post(request: Request, who: Staff = Depends(caseworker)) -> Staff:  # noqa: B008
        return await _check_csrf(request, who)

    async def editor_post(request: Request, who: Staff = Depends(editor)) -> Staff:  # noqa: B008
        return await _check_csrf(request, who)

    async def pending_post(request: Request, who: Staff = Depends(pending_staff)) -> Staff:  # noqa: B008
        return await _check_csrf(request, who)

    @console.exception_handler(NotSignedIn)
    async def _not_signed_in(request: Request, exc: NotSignedIn) -> Response:
        response = redirect(request, "/login" + ("?timeout=1" if exc.note else ""))
        response.delete_cookie(SESSION_COOKIE, path=base(request) or "/")
        return response

    @console.exception_handler(NeedsTotpSetup)
    async def _needs_totp(request: Request, exc: NeedsTotpSetup) -> Response:
        return redirect(request, "/totp-setup")

    @console.exception_handler(Forbidden)
    async def _forbidden(request: Request, exc: Forbidden) -> Response:
        return error_page(request, 403, exc.title, exc.message)

    @console.exception_handler(EscalationNotFound)
    async def _no_such_case(request: Request, exc: EscalationNotFound) -> Response:
        # Every case route raises it from the store; one answer for all of them.
        return error_page(
            request,
            404,
            "There is no case with that number",
            "It may have been deleted under the retention rules. Go back to the queue.",
        )

    @console.exception_handler(CsrfFailed)
    async def _csrf_failed(request: Request, exc: CsrfFailed) -> Response:
        return error_page(
            request, 403, "The form had expired", "Nothing was changed. Go back, reload the page and try again."
        )

    # --- sign in and out -----------------------------------------------------------------------

    def login_page(request: Request, error: str = "", status_code: int = 200, username: str = "") -> HTMLResponse:
        token = new_token()
        response = page(
            request,
            "login.html",
            None,
            status_code,
            login_csrf=token,
            error=error,
            username=username,
            timed_out=request.query_params.get("timeout") == "1",
        )
        response.set_cookie(
            LOGIN_CSRF_COOKIE,
            token,
            httponly=True,
            samesite="strict",
            secure=cookie_secure(request),
            path=base(request) or "/",
        )
        return response

    @console.get("/login", response_class=HTMLResponse)
    def login_form(request: Request) -> HTMLResponse:
        return login_page(request)

    @console.post("/login", response_class=HTMLResponse)
    def login(
        request: Request,
        username: str = Form(""),
        password: str = Form(""),
        code: str = Form(""),
        csrf_token: str = Form(""),
    ) -> Response:
        ip = client_ip(request)
        username = username.strip().lower()[:64]
        if not same(csrf_token, request.cookies.get(LOGIN_CSRF_COOKIE)):
            return login_page(request, "The form had expired. Please try again.", 403, username)
        if not login_limiter.hit(login_limit, "staff-login", ip):
            store.audit(username or "anonymous", "sign_in_failed", detail="too many attempts from this address", ip=ip)
            return login_page(request, "Too many tries from this computer. Wait a minute, then try again.", 429)
        user = store.find_staff_user(username) if username else None
        password_ok = verify_password(user.password_hash if user else None, password)
        now = utc_now()

        def fail(why: str) -> HTMLResponse:
            store.audit(username or "anonymous", "sign_in_failed", detail=why, ip=ip)
            return login_page(request, SIGN_IN_FAILED, 401, username)

        if user is None:
            return fail("unknown username")
        if user.disabled:
            return fail("account disabled")
        if user.locked_until is not None and user.locked_until > now:
            return fail("account locked")
        lock_for = timedelta(minutes=settings.staff_lockout_minutes)
        if not password_ok:
            locked = store.record_failed_sign_in(user.id, settings.staff_lockout_after, lock_for)
            return fail("wrong password" + ("; account locked" if locked else ""))
        if user.totp_secret_encrypted is not None:
            secret = box.decrypt(user.totp_secret_encrypted)
            step = None if secret is None else totp_step(secret, code)
            why = ""
            if step is None:
                why = "wrong security code"
            elif not store.accept_totp_step(user.id, step):
                # A right code works once: its time step, or a later one, was used already (a replay).
                why = "security code used before"
            if why:
                locked = store.record_failed_sign_in(user.id, settings.staff_lockout_after, lock_for)
                return fail(why + ("; account locked" if locked else ""))
        store.record_sign_in(user.id)
        if needs_rehash(user.password_hash):
            from staff_console.security import hash_password

            store.set_staff_password_hash(user.id, hash_password(password))
        token = new_token()
        pending = user.is_admin and user.totp_secret_encrypted is None
        store.create_staff_session(
            token_hash(token),
            user.id,
            new_token(),
            ip,
            fully_signed_in=not pending,
            pending_totp_encrypted=box.encrypt(new_totp_secret()) if pending else None,
        )
        store.audit(user.username, "sign_in", detail="authenticator to set up" if pending else "", ip=ip)
        response = redirect(request, "/totp-setup" if pending else start_page(user))
        response.set_cookie(
            SESSION_COOKIE,
            token,
            httponly=True,
            samesite="strict",
            secure=cookie_secure(request),
            path=base(request) or "/",
        )
        response.delete_cookie(LOGIN_CSRF_COOKIE, path=base(request) or "/")
        return response

    @console.get("/totp-setup", response_class=HTMLResponse)
    def totp_setup(request: Request, who: Staff = Depends(pending_staff)) -> Response:  # noqa: B008
        if who.session.fully_signed_in or who.session.pending_totp_encrypted is None:
            return redirect(request, "/queue")
        secret = box.decrypt(who.session.pending_totp_encrypted) or ""
        return page(
            request,
            "totp_setup.html",
            who,
            secret=secret,
            uri=totp_uri(secret, who.user.username),
            error=request.query_params.get("error") == "1",
        )

    @console.post("/totp-setup")
    def totp_confirm(request: Request, code: str = Form(""), who: Staff = Depends(pending_post)) -> Response:  # noqa: B008
        encrypted = who.session.pending_totp_encrypted
        secret = box.decrypt(encrypted) if encrypted else None
        if who.session.fully_signed_in or secret is None:
            return redirect(request, "/queue")
        step = totp_step(secret, code)
        if step is None:
            return redirect(request, "/totp-setup?error=1")
        # The confirming code is used up: it cannot also sign in (here or anywhere else).
        store.set_staff_totp(who.user.id, box.encrypt(secret), accepted_step=step)
        store.complete_staff_session(who.session.id)
        store.audit(who.actor, "totp_enrolled", ip=who.ip)
        return redirect(request, "/queue")

    @console.post("/logout")
    def logout(request: Request, who: Staff = Depends(pending_post)) -> Response:  # noqa: B008
        store.end_staff_session(who.session.id)
        store.audit(who.actor, "sign_out", ip=who.ip)
        response = redirect(request, "/login")
        response.delete_cookie(SESSION_COOKIE, path=base(request) or "/")
        return response

    # --- the queue -----------------------------------------------------------------------------

    @console.get("/")
    def home(request: Request, who: Staff = Depends(staff)) -> Response:  # noqa: B008
        return redirect(request, start_page(who.user))

    def _day(value: str | None) -> datetime | None:
        if not value:
            return None
        try:
            return datetime.combine(date.fromisoformat(value), time(0), tzinfo=zone)
        except ValueError:
            return None

    @console.get("/queue", response_class=HTMLResponse)
    def queue(request: Request, who: Staff = Depends(caseworker)) -> Response:  # noqa: B008
        q = request.query_params
        ref = q.get("ref", "").strip()
        message = ""
        if ref:
            wanted = parse_reference(ref)
            if wanted is not None and store.get_escalation(wanted) is not None:
                return redirect(request, f"/cases/{wanted}")
            message = f"No case has the reference {ref[:40]}."
        status = q.get("status", "open")
        to_day = _day(q.get("to"))
        assignee = q.get("assignee", "")
        filters = QueueFilters.model_validate(
            {
                "status": status if status in ("open", *get_args(Status)) else "open",
                "reason": q.get("reason") if q.get("reason") in REASONS else None,
                "urgent": {"urgent": True, "standard": False}.get(q.get("urgency", "")),
                "audience": q.get("audience") if q.get("audience") in AUDIENCES else None,
                "created_from": _day(q.get("from")),
                "created_to": to_day + timedelta(days=1) if to_day else None,
                "unassigned": assignee == "unassigned",
                "assignee_id": who.user.id if assignee == "me" else (int(assignee) if assignee.isdigit() else None),
            }
        )
        if status == "all":
            filters = filters.model_copy(update={"status": None})
        now = utc_now()
        rows = [(e, wait_of(settings, e, now)) for e in store.list_queue(filters)]
        users = {u.id: u.display_name for u in store.list_staff_users()}
        return page(
            request,
            "queue.html",
            who,
            rows=rows,
            users=users,
            assignee_options=[(str(user_id), name) for user_id, name in users.items()],
            q=q,
            message=message or labels.NOTES.get(q.get("note", ""), ""),
            failed_alerts=store.failed_alert_count(),
            paused=store.service_state().paused,
        )

    @console.post("/queue/take-next")
    def take_next(request: Request, who: Staff = Depends(caseworker_post)) -> Response:  # noqa: B008
        taken = store.take_next(who.user.id)
        if taken is None:
            return redirect(request, "/queue?note=nothing-to-take")
        store.audit(who.actor, "case_change", target=taken.reference, detail="took the next case", ip=who.ip)
        return redirect(request, f"/cases/{taken.id}")

    @console.get("/report", response_class=HTMLResponse)
    def report(request: Request, who: Staff = Depends(caseworker)) -> Response:  # noqa: B008
        now = utc_now()
        weeks = weekly_shares(settings, store.escalations_created_since(now - timedelta(weeks=9)), now)
        return page(request, "report.html", who, weeks=weeks)

    # --- case pages ----------------------------------------------------------------------------

    def case_page(request: Request, who: Staff, case_id: int, errors: dict[str, str] | None = None) -> Response:
        detail = store.get_case(case_id)
        if detail is None:
            raise EscalationNotFound(f"no escalation with id {case_id}")
        return page(
            request,
            "case.html",
            who,
            400 if errors else 200,
            case=detail,
            e=detail.escalation,
            wait=wait_of(settings, detail.escalation, utc_now()),
            users=[u for u in store.list_staff_users() if not u.disabled],
            errors=errors or {},
            open_statuses=OPEN_STATUSES,
            outcomes=OUTCOMES,
            methods=ATTEMPT_METHODS,
            attempt_outcomes=ATTEMPT_OUTCOMES,
            now_local=utc_now().astimezone(zone).strftime("%Y-%m-%dT%H:%M"),
        )

    @console.get("/cases/{case_id}", response_class=HTMLResponse)
    def case_view(request: Request, case_id: int, who: Staff = Depends(caseworker)) -> Response:  # noqa: B008
        if store.get_escalation(case_id) is None:
            raise EscalationNotFound(f"no escalation with id {case_id}")
        store.audit(who.actor, "case_view", target=f"SEND-{case_id}", ip=who.ip)
        return case_page(request, who, case_id)

    def changed(request: Request, who: Staff, case_id: int, what: str) -> Response:
        store.audit(who.actor, "case_change", target=f"SEND-{case_id}", detail=what, ip=who.ip)
        return redirect(request, f"/cases/{case_id}")

    def refused(request: Request, who: Staff, case_id: int, field: str, message: str) -> Response:
        return case_page(request, who, case_id, {field: message})

    @console.post("/cases/{case_id}/assign")
    def assign(
        request: Request,
        case_id: int,
        assignee: str = Form(""),
        who: Staff = Depends(caseworker_post),  # noqa: B008
    ) -> Response:
        target = who.user.id if assignee == "me" else (int(assignee) if assignee.isdigit() else None)
        try:
            store.assign(case_id, target, who.user.id)
        except CaseChangeRefused as exc:
            return refused(request, who, case_id, "assignee", str(exc))
        return changed(request, who, case_id, f"assigned to account {target}" if target else "unassigned")

    @console.post("/cases/{case_id}/status")
    def status(
        request: Request,
        case_id: int,
        status: str = Form(""),
        who: Staff = Depends(caseworker_post),  # noqa: B008
    ) -> Response:
        if status not in OPEN_STATUSES:
            return refused(request, who, case_id, "status", "Choose a status.")
        store.set_case_status(case_id, status, who.user.id)
        return changed(request, who, case_id, f"status {status}")

    @console.post("/cases/{case_id}/close")
    def close(
        request: Request,
        case_id: int,
        outcome: str = Form(""),
        who: Staff = Depends(caseworker_post),  # noqa: B008
    ) -> Response:
        if outcome not in OUTCOMES:
            return refused(request, who, case_id, "outcome", "Choose how the case ended before you close it.")
        store.set_case_status(case_id, "closed", who.user.id, outcome)  # type: ignore[arg-type]
        return changed(request, who, case_id, f"closed: {outcome}")

    @console.post("/cases/{case_id}/notes")
    def add_note(
        request: Request,
        case_id: int,
        text: str = Form(""),
        who: Staff = Depends(caseworker_post),  # noqa: B008
    ) -> Response:
        try:
            store.add_note(case_id, who.user.id, text)
        except CaseChangeRefused:
            return refused(request, who, case_id, "note", "Write the note before you save it.")
        return changed(request, who, case_id, "added a note")

    @console.post("/cases/{case_id}/attempts")
    def add_attempt(
        request: Request,
        case_id: int,
        attempted_at: str = Form(""),
        method: str = Form(""),
        outcome: str = Form(""),
        who: Staff = Depends(caseworker_post),  # noqa: B008
    ) -> Response:
        try:
            when = datetime.fromisoformat(attempted_at).replace(tzinfo=zone)
        except ValueError:
            return refused(request, who, case_id, "attempt", "Give the date and time of the attempt.")
        if when > utc_now() + timedelta(minutes=5):
            return refused(request, who, case_id, "attempt", "The attempt cannot be in the future.")
        try:
            store.add_contact_attempt(case_id, who.user.id, when, method, outcome)
        except CaseChangeRefused:
            return refused(request, who, case_id, "attempt", "Choose how you tried and what happened.")
        return changed(request, who, case_id, f"contact attempt {method}: {outcome}")

    @console.post("/cases/{case_id}/retry-alert")
    def retry_alert(request: Request, case_id: int, who: Staff = Depends(caseworker_post)) -> Response:  # noqa: B008
        try:
            store.retry_alert_now(case_id, who.user.id)
        except CaseChangeRefused as exc:
            return refused(request, who, case_id, "alert", str(exc))
        return changed(request, who, case_id, "asked to send the duty alert again")

    # --- admin ---------------------------------------------------------------------------------

    @console.get("/audit", response_class=HTMLResponse)
    def audit_log(request: Request, who: Staff = Depends(admin)) -> Response:  # noqa: B008
        q = request.query_params
        until = _day(q.get("to"))
        filters = AuditFilters(
            actor=q.get("actor") or None,
            action=q.get("action") if q.get("action") in AUDIT_ACTIONS else None,
            target=q.get("target") or None,
            since=_day(q.get("from")),
            until=until + timedelta(days=1) if until else None,
        )
        return page(request, "audit.html", who, entries=store.list_audit(filters), q=q, actions=AUDIT_ACTIONS)

    @console.get("/export", response_class=HTMLResponse)
    def export_form(request: Request, who: Staff = Depends(admin)) -> Response:  # noqa: B008
        return page(request, "export.html", who)

    @console.post("/export")
    def export(
        request: Request,
        status: str = Form("all"),
        transcripts: str = Form(""),
        who: Staff = Depends(admin_post),  # noqa: B008
    ) -> Response:
        with_transcripts = transcripts == "yes"
        filters = QueueFilters(status=None if status == "all" else "open", limit=2000)
        text, count = export_csv(store, filters, with_transcripts)
        store.audit(
            who.actor,
            "export",
            detail=f"{count} escalations ({status}), transcripts {'included' if with_transcripts else 'left out'}",
            ip=who.ip,
        )
        stamp = utc_now().strftime("%Y%m%d-%H%M")
        return PlainTextResponse(
            text,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="escalations-{stamp}.csv"'},
        )

    @console.get("/erase", response_class=HTMLResponse)
    def erase_form(request: Request, who: Staff = Depends(admin)) -> Response:  # noqa: B008
        return page(request, "erase.html", who, errors={}, result=None)

    @console.post("/erase", response_class=HTMLResponse)
    def erase(
        request: Request,
        reference: str = Form(""),
        confirm: str = Form(""),
        who: Staff = Depends(admin_post),  # noqa: B008
    ) -> Response:
        errors = {}
        if parse_reference(reference) is None:
            errors["reference"] = "Enter the reference, for example SEND-12."
        if confirm != "yes":
            errors["confirm"] = "Confirm that you want to erase everything about this reference."
        if errors:
            return page(request, "erase.html", who, 400, errors=errors, result=None, reference=reference)
        try:
            result = erase_by_reference(settings, store, reference, who.actor, who.ip)
        except TrackerStoreUnavailable:
            log.exception("erasure of %s stopped: the tracker store could not be used", reference.strip()[:40])
            errors["reference"] = (
                "The store of conversations could not be reached, so nothing was erased. "
                "Try again in a few minutes; if it keeps happening, tell IT."
            )
            return page(request, "erase.html", who, 503, errors=errors, result=None, reference=reference)
        return page(request, "erase.html", who, 200 if result.found else 404, errors={}, result=result)

    @console.get("/service", response_class=HTMLResponse)
    def service(request: Request, who: Staff = Depends(admin)) -> Response:  # noqa: B008
        return page(request, "service.html", who, state=store.service_state(), errors={})

    @console.post("/service/pause", response_class=HTMLResponse)
    def pause(request: Request, reason: str = Form(""), who: Staff = Depends(admin_post)) -> Response:  # noqa: B008
        if not reason.strip():
            return page(
                request,
                "service.html",
                who,
                400,
                state=store.service_state(),
                errors={"reason": "Say why you are pausing the assistant."},
            )
        store.set_service_state(True, reason, who.actor)
        store.audit(who.actor, "pause", detail=reason.strip()[:400], ip=who.ip)
        return redirect(request, "/service")

    @console.post("/service/resume")
    def resume(request: Request, who: Staff = Depends(admin_post)) -> Response:  # noqa: B008
        store.set_service_state(False, None, who.actor)
        store.audit(who.actor, "resume", ip=who.ip)
        return redirect(request, "/service")

    # --- Local Offer editors' insights (docs/decisions/0011-question-log-and-topics.md) -----------

    from staff_console.editors import add_editor_routes

    add_editor_routes(console, settings, store, page, redirect, editor, editor_post)

    # --- assets: GOV.UK Frontend from node_modules, never a CDN ---------------------------------

    govuk_css = _govuk_css()

    @console.get("/assets/govuk-frontend.css", include_in_schema=False)
    def govuk_stylesheet() -> Response:
        return Response(govuk_css, media_type="text/css")

    console.mount("/assets/console", StaticFiles(directory=HERE / "static"), name="console-assets")
    if GOVUK_DIST.is_dir():
        console.mount("/assets/govuk", StaticFiles(directory=GOVUK_DIST), name="govuk-assets")
    return console


def _govuk_css() -> str:
    """GOV.UK Frontend's stylesheet, adapted for a service that is not on GOV.UK.

    The GDS Transport font is only for GOV.UK services, so its @font-face rules go and the
    fallback (Arial) is used; image paths point at our own copy.
    """
    path = GOVUK_DIST / "govuk-frontend.min.css"
    if not path.exists():
        log.warning("%s is missing: run `npm ci`; the console works without its styles", path)
        return ""
    import re

    css = path.read_text()
    css = re.sub(r"@font-face\{[^}]*\}", "", css)
    css = css.replace("font-family:GDS Transport,arial,sans-serif", "font-family:arial,sans-serif")
    return css.replace("url(/assets/images/", "url(/staff/assets/govuk/assets/images/")
