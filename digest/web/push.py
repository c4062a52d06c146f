"""Web Push on ``digest serve``: the subscription page, its script, the service
worker and the subscribe/unsubscribe endpoints, under ``/newsletter/push/``.

==========================================  =====================================
``GET /newsletter/push/``                   the page: one button, on or off
``GET /newsletter/push/subscribe.js``       the page's script
``GET /newsletter/push/sw.js``              the service worker (scope ``/newsletter/push/``)
``POST /newsletter/push/api/subscribe``     ``PushSubscription.toJSON()``: stored
``POST /newsletter/push/api/unsubscribe``   ``{"endpoint": …}``: forgotten
==========================================  =====================================

Everything answers 404 unless a ``webpush`` sender is configured (its public key
is what browsers subscribe with).  The endpoints take JSON only, from our own
origin, within ``[web] max_body_bytes`` and ``signups_per_ip_per_hour``; a
subscription must point at a known push service (see
:func:`digest.senders.webpush.check_subscription`).  Scripts run under a CSP that
allows our own scripts only.
"""

from __future__ import annotations

import json
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from ..senders.webpush import check_subscription
from .archive import BASE_PATH
from .ratelimit import RateLimit

if TYPE_CHECKING:
    from collections.abc import Callable

    from starlette.responses import HTMLResponse

    from .app import Service

PUSH_PATH = BASE_PATH + "/push"
#: The page: our own script and requests to ourselves, nothing else.
PUSH_PAGE_CSP = (
    "default-src 'none'; script-src 'self'; connect-src 'self'; worker-src 'self'; "
    "manifest-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
_SCRIPT_CSP = "default-src 'none'"


def _asset(name: str) -> bytes:
    return files("digest.web").joinpath("templates", name).read_bytes()


def push_routes(
    service: Service,
    own_origin: str,
    page: Callable[..., HTMLResponse],
    message: Callable[..., HTMLResponse],
) -> list[Route]:
    """The Web Push routes over ``service`` (``page`` and ``message`` render the
    site's templates)."""
    sender = service.push_sender
    local_base = PUSH_PATH + "/"
    limit = RateLimit(service.web.signups_per_ip_per_hour, 3600.0, clock=service.clock)
    script, worker = _asset("push-subscribe.js"), _asset("push-sw.js")
    extra_hosts = list(sender.push_services) if sender is not None else []

    def unavailable() -> Response:
        return message("Not available", "Notifications are not available.", status=404)

    async def home(request: Request) -> Response:
        return RedirectResponse(local_base, status_code=308)

    async def push_page(request: Request) -> Response:
        if sender is None:
            return unavailable()
        response = page(
            "push.html.j2",
            title="Notifications",
            public_key=sender.public_key,
            base=local_base,
            archive=service.base + "/",
        )
        response.headers["Content-Security-Policy"] = PUSH_PAGE_CSP
        return response

    def javascript(body: bytes, **headers: str) -> Response:
        return Response(
            body,
            media_type="text/javascript; charset=utf-8",
            headers={"Content-Security-Policy": _SCRIPT_CSP, "Cache-Control": "no-cache",
                     **headers},
        )  # fmt: skip

    async def subscribe_js(request: Request) -> Response:
        return javascript(script) if sender is not None else unavailable()

    async def service_worker(request: Request) -> Response:
        return javascript(worker) if sender is not None else unavailable()

    async def read_json(request: Request) -> Any:
        """The JSON body of a same-origin request, or a :class:`JSONResponse` error."""
        from .app import client_address, read_body

        if sender is None:
            return JSONResponse({"error": "not available"}, status_code=404)
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind != "application/json":
            return JSONResponse({"error": "send application/json"}, status_code=415)
        origin = request.headers.get("origin")
        request_origin = f"{request.url.scheme}://{request.url.netloc}"
        cross_site = request.headers.get("sec-fetch-site", "") == "cross-site"
        if cross_site or (origin is not None and origin not in (own_origin, request_origin)):
            return JSONResponse({"error": "not from this site"}, status_code=403)
        if not limit.allow(client_address(request)):
            return JSONResponse(
                {"error": "too many requests"}, status_code=429, headers={"Retry-After": "3600"}
            )
        body = await read_body(request, service.web.max_body_bytes)
        try:
            return json.loads(body)
        except (ValueError, UnicodeDecodeError):
            return JSONResponse({"error": "send a JSON object"}, status_code=400)

    async def api_subscribe(request: Request) -> Response:
        data = await read_json(request)
        if isinstance(data, Response):
            return data
        try:
            subscription = check_subscription(data, extra_hosts)
        except ValueError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        new = await run_in_threadpool(lambda: service.digest().subscribe_browser(subscription))
        return JSONResponse({"subscribed": True}, status_code=201 if new else 200)

    async def api_unsubscribe(request: Request) -> Response:
        data = await read_json(request)
        if isinstance(data, Response):
            return data
        endpoint = data.get("endpoint") if isinstance(data, dict) else None
        if not isinstance(endpoint, str) or not endpoint:
            return JSONResponse({"error": "endpoint is required"}, status_code=400)
        await run_in_threadpool(lambda: service.digest().unsubscribe_browser(endpoint))
        return JSONResponse({"subscribed": False})

    return [
        Route(PUSH_PATH, home, methods=["GET"]),
        Route(local_base, push_page, methods=["GET"]),
        Route(local_base + "subscribe.js", subscribe_js, methods=["GET"]),
        Route(local_base + "sw.js", service_worker, methods=["GET"]),
        Route(local_base + "api/subscribe", api_subscribe, methods=["POST"]),
        Route(local_base + "api/unsubscribe", api_unsubscribe, methods=["POST"]),
    ]
