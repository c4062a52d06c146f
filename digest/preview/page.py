"""The preview page: one edition's four versions side by side, as HTML.

The page is rendered with Jinja2 and autoescape on; the email itself is not
inlined into it but loaded into sandboxed frames from its own address.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import jinja2

from ..edition import Built
from ..render import (
    EMAIL_CLIP_BYTES,
    PUSH_BODY_MAX,
    PUSH_PAYLOAD_MAX,
    PUSH_TITLE_MAX,
    WHATSAPP_MAX,
    WHATSAPP_TARGET,
    push_payload,
)
from ..render.links import safe_url
from .whatsapp import whatsapp_html

#: Widths the email is shown at: a common phone and a desktop mail reader.
PHONE_WIDTH = 375
DESKTOP_WIDTH = 680


@dataclass(frozen=True, slots=True)
class Meter:
    """A measured size against its limit."""

    used: int
    limit: int

    @property
    def percent(self) -> int:
        """Share of the limit used, in whole percent."""
        return round(100 * self.used / self.limit)

    @property
    def level(self) -> str:
        """``ok``, ``near`` (over 75 %) or ``over`` (past the limit)."""
        if self.used > self.limit:
            return "over"
        return "near" if self.used > 0.75 * self.limit else "ok"


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("digest.preview", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["thousands"] = "{:,}".format
    env.globals.update(phone_width=PHONE_WIDTH, desktop_width=DESKTOP_WIDTH)
    return env


def _local(moment: datetime, zone: str) -> str:
    return moment.astimezone(ZoneInfo(zone)).strftime("%a %d %b %Y, %H:%M %Z")


def page_html(name: str, built: Built | None, *, version: str, problem: str = "") -> str:
    """The preview page for a built edition (or for a ``problem`` that stopped the
    build, such as a broken template), carrying ``version`` for the reload check."""
    template = _environment().get_template("page.html.j2")
    context: dict[str, Any] = {"name": name, "version": version, "problem": problem,
                               "built": built, "r": None}  # fmt: skip
    if built is not None:
        edition = built.edition
        context["as_of"] = _local(edition.as_of, edition.timezone)
        context["picks"] = [
            {
                "rank": rank,
                "title": pick.title,
                # Article links are untrusted: no javascript: or data: on the page.
                "url": safe_url(pick.article.url),
                "score": f"{pick.score:.3f}",
                "reasons": pick.reasons,
                "source": pick.article.agency or pick.article.publisher,
                "also": pick.also_reported_by,
            }
            for rank, pick in enumerate(edition.picks, 1)
        ]
        context["rejections"] = [
            {"title": r.article.title, "reason": r.reason,
             "score": "" if r.score is None else f"{r.score:.3f}"}
            for r in edition.rejections
        ]  # fmt: skip
    if built is not None and built.public is not None:
        r = built.public
        context.update(
            r=r,
            html_size=Meter(len(r.email.html.encode()), EMAIL_CLIP_BYTES),
            push_title=Meter(len(r.push.title), PUSH_TITLE_MAX),
            push_body=Meter(len(r.push.body), PUSH_BODY_MAX),
            push_payload=Meter(len(push_payload(r.push)), PUSH_PAYLOAD_MAX),
            whatsapp=whatsapp_html(r.whatsapp.text),
            whatsapp_size=Meter(len(r.whatsapp.text), WHATSAPP_MAX),
            whatsapp_target=WHATSAPP_TARGET,
            clock=built.edition.as_of.astimezone(ZoneInfo(built.edition.timezone)),
        )
    return template.render(context)
