"""The ``digest serve`` application (Starlette, served by uvicorn).

Everything lives under ``/newsletter`` at ``[digest] site_url``, where the
defaults of ``render.view_online_url`` and the smtp sender's ``unsubscribe_url``
point:

=========================================  =====================================
``GET /newsletter/``                       archive index (+ ``feed.atom``, ``feed.json``)
``GET /newsletter/<edition id>``           an edition as sent, per-recipient parts removed
``GET /newsletter/unsubscribe?token=``     a page with one button (never unsubscribes)
``POST /newsletter/unsubscribe?token=``    RFC 8058 one-click: unsubscribes at once
``GET|POST /newsletter/subscribe``         sign-up form (CSRF cookie + honeypot)
``POST /newsletter/api/subscribe``         sign-up as JSON
``GET|POST /newsletter/confirm``           double opt-in: a page with a button, then active
``GET|POST /newsletter/preferences``       lists, or unsubscribe from all
``POST /newsletter/hooks/<provider>``      bounce webhooks: ses, sendgrid, postmark, mailgun
``/newsletter/push/…``                     Web Push sign-up (see :mod:`digest.web.push`)
=========================================  =====================================

A bad, forged or truncated token gets a plain 400 page and changes nothing.
Sign-up answers the same whether or not the address is known; confirmation mail
is sent from one background worker, within per-IP, per-address and overall rate
limits counted on the injected clock.  Secrets come from environment variables
and are never logged, nor are tokens.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import queue
import secrets
import threading
import time
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from email import message_from_bytes
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import httpx
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..bounces import BounceEvent
from ..bounces.providers import (
    SnsVerifier,
    WebhookError,
    check_basic_auth,
    mailgun_events,
    postmark_events,
    sendgrid_events,
    sendgrid_key,
    ses_events,
)
from ..config import Config
from ..edition import Digest, make_digest
from ..errors import ConfigError, SendError
from ..message import check_address
from ..render.text import clean_text
from ..senders.smtp import SmtpSender
from ..senders.webpush import WebPushSender
from .archive import BASE_PATH, base_url, build_site, is_edition_id, templates
from .push import push_routes
from .ratelimit import RateLimit
from .tokens import MAX_TOKEN_CHARS, Signer, new_cookie

log = logging.getLogger("digest.web")

CSRF_COOKIE = "digest_csrf"
#: Pages of our own: no scripts at all, forms post only to us, no framing.
PAGE_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
#: Archived emails: their own inline styles and remote images, still no scripts.
ARCHIVE_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src https: http: data:; "
    "font-src https:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)
_NAME_CHARS = 100
#: Largest SNS certificate accepted.
_MAX_CERT_BYTES = 64 * 1024


class TooLarge(Exception):
    """A request body over ``[web] max_body_bytes``."""


def fetch_small(url: str) -> bytes:
    """GET ``url`` (no redirects, 5 s, at most 64 KB): SNS certificates and
    subscription confirmations."""
    with (
        httpx.Client(timeout=5.0, follow_redirects=False) as client,
        client.stream("GET", url) as response,
    ):
        response.raise_for_status()
        body = b""
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > _MAX_CERT_BYTES:
                raise ValueError("too large")
        return body


@dataclass(frozen=True, slots=True)
class Answer:
    """The outcome of a sign-up request, whatever the address."""

    status: int
    message: str


_PENDING = Answer(202, "Thanks. Please check your inbox for a link to confirm your address.")


class Service:
    """What the handlers share: config, keys, limits, the mail worker.

    ``clock`` (seconds since the epoch) drives token expiry, rate limits and
    webhook freshness; ``fetch`` gets SNS certificates.  Each thread has its own
    application (:meth:`digest`), with its own store connection.
    """

    def __init__(
        self,
        config: Config,
        *,
        clock: Callable[[], float] = time.time,
        fetch: Callable[[str], bytes] = fetch_small,
        senders: Mapping[str, object] | None = None,
    ) -> None:
        self.config = config
        self.web = config.web
        self.clock = clock
        self.base = base_url(config)
        self._local = threading.local()
        self._apps: list[Digest] = []
        self._apps_lock = threading.Lock()
        if senders is None:
            senders = self.digest().senders()  # built by the application, site defaults in
        smtp = {n: s for n, s in senders.items() if isinstance(s, SmtpSender)}
        # Every sender that signs unsubscribe tokens (smtp and the email providers).
        self.verifiers: list[Any] = [
            s for s in senders.values() if callable(getattr(s, "address_for_token", None))
        ]
        #: The webpush sender whose key browsers subscribe with (``None``: push off).
        self.push_sender = next((s for s in senders.values() if isinstance(s, WebPushSender)), None)
        self.mailer: SmtpSender | None = None
        if self.web.sender:
            if self.web.sender not in smtp:
                raise ConfigError(f"web.sender: no enabled smtp sender named {self.web.sender!r}")
            self.mailer = smtp[self.web.sender]
        elif smtp:
            self.mailer = next(iter(smtp.values()))
        key_text = os.environ.get(self.web.secret_env, "")
        if key_text:
            key = key_text.encode()
        elif self.mailer is not None:
            key = self.mailer.derived_key("web")
        else:
            # No smtp sender: sign-up is off and nothing signed outlives the process.
            key = secrets.token_bytes(32)
        self.signer = Signer(key, clock=clock)
        hour = 3600.0
        self.ip_limit = RateLimit(self.web.signups_per_ip_per_hour, hour, clock=clock)
        self.address_limit = RateLimit(self.web.signups_per_address_per_day, 24 * hour, clock=clock)
        self.mail_limit = RateLimit(self.web.confirmations_per_hour, hour, clock=clock)
        bounces = config.bounces
        self.sns = SnsVerifier(
            url_pattern=bounces.sns_url_pattern,
            topics=bounces.sns_topics,
            fetch=fetch,
            clock=clock,
            max_age=bounces.max_age_seconds,
        )
        self.fetch = fetch
        self._outbox: queue.Queue[tuple[str, str, str] | None] = queue.Queue(maxsize=200)
        self._worker: threading.Thread | None = None
        self._archive: tuple[tuple[str, ...], dict[str, bytes]] | None = None
        self._archive_lock = threading.Lock()

    # -- resources -------------------------------------------------------------------

    def digest(self) -> Digest:
        """This thread's application (with its own store connection)."""
        app: Digest | None = getattr(self._local, "digest", None)
        if app is None:
            app = make_digest(config=self.config)
            self._local.digest = app
            with self._apps_lock:
                self._apps.append(app)
        return app

    def start(self) -> None:
        """Start the confirmation-mail worker."""
        if self._worker is None:
            self._worker = threading.Thread(target=self._mail_loop, name="digest-mail", daemon=True)
            self._worker.start()

    def stop(self) -> None:
        """Let the worker finish what is queued, then close every store connection."""
        if self._worker is not None:
            self._outbox.put(None)
            self._worker.join(timeout=30)
            self._worker = None
        with self._apps_lock:
            apps, self._apps = self._apps, []
        for app in apps:
            with contextlib.suppress(Exception):
                app.close()

    def _mail_loop(self) -> None:
        while (job := self._outbox.get()) is not None:
            to, subject, text = job
            assert self.mailer is not None
            try:
                self.mailer.send_notice(to, subject, text)
            except SendError as exc:
                log.warning("confirmation email not sent: %s", str(exc)[:200])
            except Exception:  # the worker must survive anything one message does
                log.exception("confirmation email failed")

    # -- unsubscribe -------------------------------------------------------------------

    def address_for(self, token: str) -> str | None:
        """The address an unsubscribe token names, if an email sender signed it."""
        if not token or len(token) > MAX_TOKEN_CHARS or not token.isascii():
            return None
        for sender in self.verifiers:
            address = sender.address_for_token(token)
            if address is not None:
                try:
                    return check_address(address)
                except ValueError:
                    return None
        return None

    def unsubscribe(self, address: str, source: str) -> None:
        """Unsubscribe ``address`` for good (nothing if it is unknown)."""
        self.digest().unsubscribe(address, source=source)

    def preferences(
        self, address: str, action: str, lists: list[str]
    ) -> tuple[str, bool, list[str]]:
        """Apply the preferences form's ``action`` (``view``, ``unsubscribe``, or
        ``save`` the ``lists`` chosen) in this thread and say what now stands: a
        notice, whether the address is active, and its lists."""
        notice = ""
        chosen = [x for x in lists if x in self.web.lists]
        if action == "unsubscribe":
            self.unsubscribe(address, "preferences")
            notice = "You are unsubscribed from every list."
        elif action == "save" and chosen:
            self.digest().set_lists(address, chosen, source="preferences")
            notice = "Saved."
        elif action == "save":
            self.unsubscribe(address, "preferences")
            notice = "No list chosen: you are unsubscribed from every list."
        active, now = self.digest().preferences(address)
        return notice, active, now

    # -- sign-up ---------------------------------------------------------------------

    def signup(self, client: str, email: str, name: str, lists: list[str], trap: str) -> Answer:
        """Handle one sign-up request: the answer never says whether the address is
        known; mail goes out only within the limits, never to a suppressed address
        or for a filled honeypot."""
        if self.mailer is None:
            return Answer(404, "Sign-up is not available.")
        if not self.ip_limit.allow(client):
            return Answer(429, "Too many requests from your network. Please try again later.")
        if trap.strip():
            return _PENDING  # a bot filled the hidden field: say the same, send nothing
        try:
            address = check_address(email)
        except ValueError:
            return Answer(400, "That does not look like an email address.")
        chosen = tuple(dict.fromkeys(x for x in lists if x in self.web.lists)) or (
            self.web.lists[0],
        )
        name = clean_text(name)[:_NAME_CHARS]
        if not self.address_limit.allow(address.lower()):
            return _PENDING
        if not self.digest().request_signup(address, chosen, source="web"):
            return _PENDING  # suppressed: no mail, and the answer says the same
        if not self.mail_limit.allow("all"):
            return _PENDING
        token = self.signer.confirm_token(address, name, chosen)
        link = f"{self.base}/confirm?token={quote(token)}"
        text = (
            f"Someone, we hope you, asked to get {self.config.digest.name} at this address.\n\n"
            f"To confirm, open this link within {self.web.confirm_hours:g} hours:\n\n{link}\n\n"
            "If it was not you, ignore this email: nothing will be sent.\n"
        )
        try:
            self._outbox.put_nowait(
                (address, f"Confirm your subscription to {self.config.digest.name}", text)
            )
        except queue.Full:
            log.warning("confirmation queue full: a confirmation was dropped")
        return _PENDING

    def confirm(self, token: str) -> str:
        """Apply a confirmation token: ``confirmed``, ``used`` (already applied:
        nothing changes) or ``invalid``."""
        request = self.signer.read_confirm(token, self.web.confirm_hours * 3600)
        if request is None:
            return "invalid"
        lists = [x for x in request.lists if x in self.web.lists] or [self.web.lists[0]]
        confirmed = self.digest().confirm_signup(
            request.nonce, request.address, name=request.name, lists=lists, source="web"
        )
        return "confirmed" if confirmed else "used"

    # -- archive ---------------------------------------------------------------------

    def archive(self) -> dict[str, bytes]:
        """The archive site, rebuilt when an edition has been sent since."""
        app = self.digest()
        ids = tuple(app.archive_ids())
        with self._archive_lock:
            if self._archive is not None and self._archive[0] == ids:
                return self._archive[1]
        files = build_site(self.config, app.archive_records())
        with self._archive_lock:
            self._archive = (ids, files)
        return files

    # -- bounces -----------------------------------------------------------------------

    def apply(self, events: list[BounceEvent]) -> list[str]:
        """Record provider events (replays change nothing)."""
        return self.digest().apply_bounce_events(events)


# -- request helpers ---------------------------------------------------------------------


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused (:class:`TooLarge`) past ``limit`` bytes whether
    or not a Content-Length says so."""
    declared = request.headers.get("content-length", "")
    if declared and (not declared.isdigit() or int(declared) > limit):
        raise TooLarge
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise TooLarge
    return bytes(body)


def form_fields(request: Request, body: bytes) -> dict[str, list[str]]:
    """A form body (urlencoded or multipart/form-data) as lists of values."""
    kind = request.headers.get("content-type", "")
    if kind.startswith("multipart/form-data"):
        parsed = message_from_bytes(
            b"Content-Type: " + kind.encode("latin-1", "replace") + b"\r\n\r\n" + body, policy=HTTP
        )
        fields: dict[str, list[str]] = {}
        if parsed.is_multipart():
            for part in parsed.iter_parts():
                name = part.get_param("name", header="content-disposition")
                payload = part.get_payload(decode=True)
                if isinstance(name, str) and isinstance(payload, bytes):
                    fields.setdefault(name, []).append(payload.decode("utf-8", "replace"))
        return fields
    try:
        return parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True, max_num_fields=50)
    except ValueError:
        return {}


def first(fields: Mapping[str, list[str]], key: str) -> str:
    """The first value of a form field, or ``""``."""
    values = fields.get(key) or [""]
    return values[0]


def client_address(request: Request) -> str:
    """The client's IP (uvicorn puts the trusted proxy's X-Forwarded-For here)."""
    return request.client.host if request.client else "unknown"


# -- the application -----------------------------------------------------------------------


def create_app(service: Service) -> ASGIApp:
    """The ASGI application over ``service``."""
    env = templates()
    digest = service.config.digest
    base = service.base
    own_origin = "{0.scheme}://{0.netloc}".format(urlsplit(digest.site_url))

    def page(
        template: str, status: int = 200, *, headers: dict[str, str] | None = None, **context: Any
    ) -> HTMLResponse:
        html = env.get_template(template).render(
            name=digest.name, language=digest.language, direction=digest.direction, **context
        )
        return HTMLResponse(html, status_code=status, headers=headers)

    def message(
        title: str,
        *paragraphs: str,
        status: int = 200,
        form: dict[str, Any] | None = None,
        link: dict[str, str] | None = None,
    ) -> HTMLResponse:
        return page(
            "message.html.j2", status, title=title, paragraphs=paragraphs, form=form, link=link
        )

    def bad_link() -> HTMLResponse:
        return message(
            "This link is not valid",
            "It may be incomplete, expired or already used. Nothing was changed.",
            status=400,
        )

    # -- archive ----------------------------------------------------------------------

    async def archive_file(request: Request) -> Response:
        name = request.path_params.get("name", "")
        files = await run_in_threadpool(service.archive)
        if name in ("", "index.html"):
            path, kind = "index.html", "text/html; charset=utf-8"
        elif name in ("feed.atom", "feed.json"):
            path = name
            kind = "application/atom+xml" if name.endswith("atom") else "application/feed+json"
        elif is_edition_id(name):
            path, kind = f"{name}/index.html", "text/html; charset=utf-8"
        else:
            path, kind = "", ""
        if path not in files:
            return message("Not found", "There is no such edition.", status=404)
        csp = ARCHIVE_CSP if path != "index.html" else PAGE_CSP
        return Response(
            files[path],
            media_type=kind,
            headers={"Content-Security-Policy": csp, "Cache-Control": "public, max-age=300"},
        )

    async def home(request: Request) -> Response:
        return RedirectResponse(base + "/", status_code=308)

    # -- unsubscribe --------------------------------------------------------------------

    async def unsubscribe(request: Request) -> Response:
        token = request.query_params.get("token", "")
        if request.method == "GET":
            if not token:
                return message(
                    "Unsubscribe",
                    "To unsubscribe, use the link at the bottom of any email we sent you.",
                )
            if await run_in_threadpool(service.address_for, token) is None:
                return bad_link()
            action = f"{base}/unsubscribe?token={quote(token)}"
            return message(
                "Unsubscribe",
                f"Stop sending {digest.name} to this address?",
                form={
                    "action": action,
                    "fields": [("List-Unsubscribe", "One-Click")],
                    "button": "Unsubscribe",
                    "button_id": "unsubscribe",
                },
                link={
                    "url": f"{base}/preferences?token={quote(token)}",
                    "text": "Or choose which lists you get",
                },
            )
        body = await read_body(request, service.web.max_body_bytes)
        fields = form_fields(request, body)
        token = token or first(fields, "token")
        if first(fields, "List-Unsubscribe") != "One-Click":
            return message("Not unsubscribed", "The request was incomplete.", status=400)
        address = await run_in_threadpool(service.address_for, token)
        if address is None:
            return bad_link()
        await run_in_threadpool(service.unsubscribe, address, "one-click")
        return message(
            "You are unsubscribed",
            f"You will get no more email from {digest.name}.",
            link={"url": f"{base}/subscribe", "text": "Subscribe again"},
        )

    # -- sign-up ------------------------------------------------------------------------

    def secure(request: Request) -> bool:
        return request.url.scheme == "https"

    async def subscribe(request: Request) -> Response:
        if service.mailer is None:
            return message("Not available", "Sign-up is not available.", status=404)
        cookie = request.cookies.get(CSRF_COOKIE, "")
        if request.method == "GET":
            if not cookie or len(cookie) > 100 or not cookie.isascii():
                cookie = new_cookie()
            response = page(
                "subscribe.html.j2",
                title="Subscribe",
                action=f"{base}/subscribe",
                csrf=service.signer.form_token(cookie),
                lists=service.web.lists,
                archive=f"{base}/",
            )
            response.set_cookie(
                CSRF_COOKIE,
                cookie,
                max_age=86400,
                path=BASE_PATH,
                httponly=True,
                samesite="strict",
                secure=secure(request),
            )
            return response
        body = await read_body(request, service.web.max_body_bytes)
        fields = form_fields(request, body)
        origin = request.headers.get("origin")
        request_origin = f"{request.url.scheme}://{request.url.netloc}"
        cross_site = request.headers.get("sec-fetch-site", "") == "cross-site"
        if (
            cross_site
            or (origin is not None and origin not in (own_origin, request_origin))
            or not service.signer.check_form(cookie, first(fields, "csrf"))
        ):
            return message(
                "Please try again",
                "This form expired or was sent from another site. Nothing was done.",
                status=403,
                link={"url": f"{base}/subscribe", "text": "Back to the form"},
            )
        answer = await run_in_threadpool(
            service.signup,
            client_address(request),
            first(fields, "email"),
            first(fields, "name"),
            fields.get("lists", []),
            first(fields, "website"),
        )
        title = {202: "Check your inbox", 400: "Please check the address", 429: "Slow down"}
        headers = {"Retry-After": "3600"} if answer.status == 429 else None
        return page(
            "message.html.j2",
            200 if answer.status == 202 else answer.status,
            headers=headers,
            title=title.get(answer.status, "Sign-up"),
            paragraphs=(answer.message,),
            form=None,
            link={"url": f"{base}/", "text": "Read past editions"},
        )

    async def subscribe_json(request: Request) -> Response:
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind != "application/json":
            return JSONResponse({"error": "send application/json"}, status_code=415)
        body = await read_body(request, service.web.max_body_bytes)
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            data = None
        if not isinstance(data, dict):
            return JSONResponse({"error": "send a JSON object"}, status_code=400)
        lists = data.get("lists", [])
        answer = await run_in_threadpool(
            service.signup,
            client_address(request),
            str(data.get("email", "")),
            str(data.get("name", "")),
            [str(x) for x in lists] if isinstance(lists, list) else [],
            str(data.get("website", "")),
        )
        key = "message" if answer.status == 202 else "error"
        headers = {"Retry-After": "3600"} if answer.status == 429 else None
        return JSONResponse({key: answer.message}, status_code=answer.status, headers=headers)

    async def confirm(request: Request) -> Response:
        if request.method == "GET":
            token = request.query_params.get("token", "")
            signup = service.signer.read_confirm(token, service.web.confirm_hours * 3600)
            if signup is None:
                return bad_link()
            return message(
                "Confirm your subscription",
                f"Send {digest.name} to {signup.address}?",
                form={
                    "action": f"{base}/confirm",
                    "fields": [("token", token)],
                    "button": "Yes, subscribe me",
                    "button_id": "confirm",
                },
            )
        body = await read_body(request, service.web.max_body_bytes)
        token = first(form_fields(request, body), "token")
        outcome = await run_in_threadpool(service.confirm, token)
        if outcome == "invalid":
            return bad_link()
        if outcome == "used":
            return message("Already confirmed", "This link has been used. Nothing was changed.")
        return message(
            "You are subscribed",
            f"Thank you. {digest.name} will come to your inbox from the next edition.",
            link={"url": f"{base}/", "text": "Read past editions"},
        )

    # -- preferences --------------------------------------------------------------------

    async def preferences(request: Request) -> Response:
        if request.method == "GET":
            token, fields = request.query_params.get("token", ""), {}
        else:
            body = await read_body(request, service.web.max_body_bytes)
            fields = form_fields(request, body)
            token = first(fields, "token")
        address = await run_in_threadpool(service.address_for, token)
        if address is None:
            return bad_link()
        action = "view"
        if request.method == "POST":
            action = "unsubscribe" if first(fields, "action") == "unsubscribe" else "save"
        notice, active, chosen_now = await run_in_threadpool(
            service.preferences, address, action, fields.get("lists", [])
        )
        return page(
            "preferences.html.j2",
            title="Email preferences",
            notice=notice,
            address=address,
            active=active,
            token=token,
            lists=service.web.lists,
            chosen=chosen_now,
            action=f"{base}/preferences",
            subscribe=f"{base}/subscribe",
        )

    # -- bounce webhooks ----------------------------------------------------------------

    def _secret(name: str) -> str:
        return os.environ.get(name, "") if name else ""

    async def hook(request: Request) -> Response:
        provider = request.path_params["provider"]
        bounces = service.config.bounces
        body = await read_body(request, service.web.max_body_bytes)
        headers = {k.lower(): v for k, v in request.headers.items()}
        now = service.clock()
        try:
            if provider == "ses" and bounces.sns_topics:
                envelope = await run_in_threadpool(service.sns.verify, body)
                if envelope["Type"] == "SubscriptionConfirmation":
                    url = str(envelope.get("SubscribeURL", ""))
                    if not service.sns.url_allowed(url):
                        raise WebhookError("subscribe URL not allowed")
                    await run_in_threadpool(service.fetch, url)
                    return JSONResponse({"subscribed": True})
                events = ses_events(envelope) if envelope["Type"] == "Notification" else []
            elif provider == "sendgrid" and _secret(bounces.sendgrid_key_env):
                try:
                    key = sendgrid_key(_secret(bounces.sendgrid_key_env))
                except ValueError:
                    log.error("bounces.sendgrid_key_env: not a SendGrid verification key")
                    return JSONResponse({"error": "not configured"}, status_code=500)
                events = sendgrid_events(
                    body, headers, key, now=now, max_age=bounces.max_age_seconds
                )
            elif provider == "postmark" and _secret(bounces.postmark_auth_env):
                check_basic_auth(
                    headers.get("authorization", ""), _secret(bounces.postmark_auth_env)
                )
                events = postmark_events(body)
            elif provider == "mailgun" and _secret(bounces.mailgun_key_env):
                events = mailgun_events(
                    body, _secret(bounces.mailgun_key_env), now=now, max_age=bounces.max_age_seconds
                )
            else:
                return JSONResponse({"error": "not found"}, status_code=404)
        except WebhookError as exc:
            log.warning("%s webhook refused: %s", provider, exc)
            return JSONResponse({"error": "refused"}, status_code=400)
        outcomes = await run_in_threadpool(service.apply, events)
        return JSONResponse({"events": len(outcomes), "outcomes": outcomes})

    async def health(request: Request) -> Response:
        return PlainTextResponse("ok\n")

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        service.start()
        try:
            yield
        finally:
            await run_in_threadpool(service.stop)

    routes = [
        Route("/", home, methods=["GET"]),
        Route(BASE_PATH, home, methods=["GET"]),
        Route(BASE_PATH + "/health", health, methods=["GET"]),
        Route(BASE_PATH + "/unsubscribe", unsubscribe, methods=["GET", "POST"]),
        Route(BASE_PATH + "/subscribe", subscribe, methods=["GET", "POST"]),
        Route(BASE_PATH + "/api/subscribe", subscribe_json, methods=["POST"]),
        Route(BASE_PATH + "/confirm", confirm, methods=["GET", "POST"]),
        Route(BASE_PATH + "/preferences", preferences, methods=["GET", "POST"]),
        Route(BASE_PATH + "/hooks/{provider}", hook, methods=["POST"]),
        *push_routes(service, own_origin, page, message),
        Route(BASE_PATH + "/", archive_file, methods=["GET"]),
        Route(BASE_PATH + "/{name}", archive_file, methods=["GET"]),
        Route(BASE_PATH + "/{name}/", archive_file, methods=["GET"]),
        Route(BASE_PATH + "/{name}/index.html", archive_file, methods=["GET"]),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)

    async def too_large(request: Request, exc: Exception) -> Response:
        return PlainTextResponse("Request body too large.\n", status_code=413)

    async def crashed(request: Request, exc: Exception) -> Response:
        log.error("unexpected error: %s", type(exc).__name__)
        return PlainTextResponse("Something went wrong.\n", status_code=500)

    app.add_exception_handler(TooLarge, too_large)
    app.add_exception_handler(Exception, crashed)
    return SecurityHeaders(app)


class SecurityHeaders:
    """Adds the headers every answer needs: no sniffing, a referrer only to
    ourselves (our URLs carry tokens; same-origin keeps a form's Origin header,
    which the sign-up form checks), no framing, and a strict CSP unless the route set its own."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    def __getattr__(self, name: str) -> Any:
        return getattr(self.app, name)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add headers to the response start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                extra = {
                    b"x-content-type-options": b"nosniff",
                    b"referrer-policy": b"same-origin",
                    b"x-frame-options": b"DENY",
                    b"content-security-policy": PAGE_CSP.encode(),
                }
                headers += [(k, v) for k, v in extra.items() if k not in names]
                if b"cache-control" not in names:
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


# -- running it --------------------------------------------------------------------------


def uvicorn_config(app: Any, *, host: str, port: int, trusted: list[str]) -> Any:
    """The uvicorn settings ``digest serve`` uses: proxy headers believed only
    from ``trusted`` addresses, no server header, our own logging."""
    import uvicorn

    return uvicorn.Config(
        app,
        host=host,
        port=port,
        proxy_headers=True,
        forwarded_allow_ips=trusted,
        server_header=False,
        log_config=None,
        access_log=False,
        lifespan="on",
        timeout_keep_alive=5,
        limit_concurrency=200,
    )


def serve(service: Service, *, host: str, port: int) -> None:
    """Serve until interrupted (SIGINT/SIGTERM stop uvicorn gracefully)."""
    import uvicorn

    config = uvicorn_config(
        create_app(service), host=host, port=port, trusted=service.web.trusted_proxies
    )
    uvicorn.Server(config).run()
