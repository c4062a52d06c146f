"""The renderer: one edition in, four renditions out.

Templates live in ``templates/`` (the defaults) and, file by file, in the folder
named by ``render.templates``.  Jinja2 runs with undefined variables as errors.
The email template (MJML) is HTML-autoescaped; the text templates are not, but the
WhatsApp environment escapes every value it prints except links, so article text
can never inject formatting.  MJML compilation and CSS inlining happen once per
edition; nothing here depends on a recipient.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from time import perf_counter
from typing import Any
from zoneinfo import ZoneInfo

import jinja2

from ..config import DigestSettings, RenderSettings
from ..errors import RenderError
from ..model import (
    Edition,
    EmailRendition,
    Pick,
    PushRendition,
    Renditions,
    WhatsAppRendition,
)
from .email import build_email_html
from .links import safe_url, tag_url
from .text import cut, whatsapp_escape

#: Limits from DESIGN.md (Gmail, APNs/FCM, OneSignal, WhatsApp).
PUSH_TITLE_MAX = 50
PUSH_BODY_MAX = 150
PUSH_PAYLOAD_MAX = 4096
WHATSAPP_MAX = 4096
WHATSAPP_TARGET = 1600
EMAIL_CLIP_BYTES = 102 * 1024

TEMPLATE_NAMES = ("email.mjml.j2", "email.txt.j2", "push.txt.j2", "whatsapp.txt.j2")


def default_templates() -> Path:
    """The folder of default templates: ``templates/`` beside the package, or the
    copy installed under ``<prefix>/share/digest/templates``."""
    beside = Path(__file__).resolve().parents[2] / "templates"
    if beside.is_dir():
        return beside
    return Path(sys.prefix) / "share" / "digest" / "templates"


class Link(str):
    """A URL already made safe; printed as it is by every template environment."""


@dataclass(frozen=True, slots=True)
class Timings:
    """Where render time went, in seconds."""

    jinja: float
    mjml: float
    premailer: float


def _finalize_whatsapp(value: Any) -> Any:
    if isinstance(value, Link | int | float) or value is None:
        return value
    return whatsapp_escape(str(value))


def _environment(user_folder: Path | None, *, whatsapp: bool = False) -> jinja2.Environment:
    folders = [str(user_folder)] if user_folder else []
    folders.append(str(default_templates()))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folders),
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("mjml.j2", "html.j2", "mjml", "html"),
            disabled_extensions=("txt.j2", "txt"),
            default=True,
        ),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_finalize_whatsapp if whatsapp else None,
    )
    env.filters["cut"] = cut
    return env


class Renderer:
    """Renders editions with one set of templates and settings.

    Build it once (templates are loaded and checked lazily, then cached) and call
    :meth:`render` per edition.
    """

    def __init__(self, digest: DigestSettings, settings: RenderSettings, *, base_dir: Path) -> None:
        self.digest = digest
        self.settings = settings
        folder = settings.templates
        if folder is not None and not folder.is_absolute():
            folder = (base_dir / folder).resolve()
        if folder is not None and not folder.is_dir():
            raise RenderError(f"render.templates: no such folder {folder}")
        self._env = _environment(folder)
        self._wa_env = _environment(folder, whatsapp=True)
        self.last_timings: Timings | None = None

    def render(self, edition: Edition) -> Renditions:
        """All four renditions of ``edition``.

        Raises :class:`RenderError` naming the template file and line for a broken
        template, or saying which limit a rendition could not meet.
        """
        if not edition.picks:
            raise RenderError(f"{edition.id}: edition has no picks to render")
        started = perf_counter()
        base = self._context(edition)
        subject = self._subject(edition, base)
        preheader = self._preheader(edition)
        email_ctx = {**base, "channel": "email", "subject": subject, "preheader": preheader,
                     "stories": self._stories(edition, "email")}  # fmt: skip
        mjml_source = self._template("email.mjml.j2", email_ctx)
        text = self._template("email.txt.j2", email_ctx)
        jinja_time = perf_counter() - started
        timings: dict[str, float] = {}
        html = build_email_html(mjml_source, timings)

        started = perf_counter()
        push = self._push(edition, base)
        whatsapp = self._whatsapp(edition, base)
        jinja_time += perf_counter() - started
        self.last_timings = Timings(jinja_time, timings["mjml"], timings["premailer"])
        return Renditions(
            edition_id=edition.id,
            email=EmailRendition(subject=subject, preheader=preheader, html=html, text=text),
            push=push,
            whatsapp=whatsapp,
        )

    # -- context -------------------------------------------------------------------

    def _context(self, edition: Edition) -> dict[str, Any]:
        local = edition.as_of.astimezone(ZoneInfo(edition.timezone))
        names = {"site_url": self.digest.site_url.rstrip("/"), "edition_id": edition.id}
        return {
            "digest": self.digest,
            "edition": edition,
            "edition_id": edition.id,
            "date_label": local.strftime(self.settings.date_format),
            "story_count": len(edition.picks),
            "unsubscribe_url": Link(safe_url(self.settings.unsubscribe_url.format(**names))),
            "view_online_url": Link(safe_url(self.settings.view_online_url.format(**names))),
            "site_url": Link(safe_url(self.digest.site_url)),
        }

    def _utm(self, edition: Edition, channel: str) -> dict[str, str]:
        utm = self.settings.utm
        if not utm.enabled:
            return {}
        return {
            "utm_source": utm.source,
            "utm_medium": channel,
            "utm_campaign": utm.campaign.format(edition_id=edition.id),
        }

    def _stories(self, edition: Edition, channel: str) -> list[dict[str, Any]]:
        params = self._utm(edition, channel)
        return [_story(rank, pick, edition, params) for rank, pick in enumerate(edition.picks, 1)]

    def _template(self, name: str, context: dict[str, Any], *, whatsapp: bool = False) -> str:
        env = self._wa_env if whatsapp else self._env
        try:
            return env.get_template(name).render(context)
        except jinja2.TemplateSyntaxError as exc:
            where = exc.filename or exc.name or name
            raise RenderError(f"{where}, line {exc.lineno}: {exc.message}") from None
        except jinja2.TemplateNotFound as exc:
            raise RenderError(f"template {exc.name} not found") from None
        except jinja2.UndefinedError as exc:
            raise RenderError(f"{name}: {exc.message}") from None

    # -- short texts -----------------------------------------------------------------

    def _subject(self, edition: Edition, base: dict[str, Any]) -> str:
        lead = edition.picks[0].title
        fields = {"date": base["date_label"], "count": len(edition.picks),
                  "name": self.digest.name, "edition_id": edition.id}  # fmt: skip
        without_lead = self.settings.subject.format(lead="", **fields)
        room = max(10, self.settings.subject_max - len(without_lead))
        return cut(self.settings.subject.format(lead=cut(lead, room), **fields),
                   self.settings.subject_max)  # fmt: skip

    def _preheader(self, edition: Edition) -> str:
        others = [p.title for p in edition.picks[1:4]]
        text = " · ".join(others) if others else edition.picks[0].article.summary
        return cut(text, self.settings.preheader_max)

    def _push(self, edition: Edition, base: dict[str, Any]) -> PushRendition:
        stories = self._stories(edition, "push")
        lines = self._template("push.txt.j2", {**base, "stories": stories}).strip().split("\n", 1)
        title = cut(lines[0], PUSH_TITLE_MAX)
        body = cut(lines[1] if len(lines) > 1 else "", PUSH_BODY_MAX)
        lead = stories[0]
        push = PushRendition(title=title, body=body, url=lead["url"],
                             image=lead["image"]["url"] if lead["image"] else "")  # fmt: skip
        payload = json.dumps({"title": push.title, "body": push.body, "url": push.url,
                              "image": push.image}, ensure_ascii=False)  # fmt: skip
        if len(payload.encode()) > PUSH_PAYLOAD_MAX:
            push = PushRendition(title=title, body=body, url=lead["url"])
        return push

    def _whatsapp(self, edition: Edition, base: dict[str, Any]) -> WhatsAppRendition:
        stories = self._stories(edition, "whatsapp")
        # Drop stories from the end until the post fits the comfortable length.
        for keep in range(len(stories), 0, -1):
            text = self._template(
                "whatsapp.txt.j2", {**base, "stories": stories[:keep]}, whatsapp=True
            ).strip()
            if len(text) <= WHATSAPP_TARGET:
                break
        if len(text) > WHATSAPP_MAX:
            text = cut(text, WHATSAPP_MAX)
        return WhatsAppRendition(text=text)


def _story(rank: int, pick: Pick, edition: Edition, params: dict[str, str]) -> dict[str, Any]:
    article = pick.article
    local = article.published_at.astimezone(ZoneInfo(edition.timezone))
    image = None
    if article.image and safe_url(article.image.url):
        image = {
            "url": Link(safe_url(article.image.url)),
            "alt": article.image.alt or pick.title,
            "caption": article.image.caption,
        }
    return {
        "rank": rank,
        "title": pick.title,
        "summary": article.summary,
        "url": Link(tag_url(article.url, params)),
        "dateline": article.dateline,
        "agency": article.agency or article.publisher,
        "byline": article.byline,
        "published": _time_label(local),
        "image": image,
        "also_reported_by": list(pick.also_reported_by),
    }


def _time_label(moment: datetime) -> str:
    return moment.strftime("%d %b, %H:%M")


__all__ = [
    "EMAIL_CLIP_BYTES",
    "PUSH_BODY_MAX",
    "PUSH_PAYLOAD_MAX",
    "PUSH_TITLE_MAX",
    "TEMPLATE_NAMES",
    "WHATSAPP_MAX",
    "WHATSAPP_TARGET",
    "Link",
    "Renderer",
    "Timings",
    "default_templates",
]
