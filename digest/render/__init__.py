"""The renderer: one edition in, one rendition per channel format out.

Templates live in ``templates/`` (the defaults) and, file by file, in the folder
named by ``render.templates``; so do the locales (``locales/<language>.toml``).
Jinja2 runs sandboxed, with size, output and time limits (:mod:`.sandbox`), and
with undefined variables as errors.  The email template (MJML) and the Telegram
post (HTML parse mode) are HTML-autoescaped; the text templates are not, but the
WhatsApp environment escapes every value it prints except links, so article text
can never inject formatting.
All article text is cleaned of control and bidi-override characters first.

MJML compilation and CSS inlining happen once per edition; nothing here depends on
a recipient.  Recipient-specific parts are placeholders (``%%unsubscribe_url%%``,
``%%name|reader%%``) that :func:`personalise` fills into the finished message.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from time import perf_counter
from types import TracebackType
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from markupsafe import Markup

from ..config import DigestSettings, RenderSettings
from ..errors import ConfigError, RenderError
from ..model import (
    Edition,
    EmailRendition,
    Pick,
    PushRendition,
    RenderedImage,
    Renditions,
    TelegramRendition,
    WhatsAppRendition,
)
from .email import build_email_html
from .headlines import Fitted, Headline, fit_headline, fit_text, headlines
from .images import SLOTS, Fetch, Pictures, http_fetch
from .links import safe_url, tag_url
from .locale import Locale, greeting, load_locale
from .patterns import fill_link, format_pattern
from .personal import UNSUBSCRIBE_URL, generic_values, personalise, placeholder
from .sandbox import LimitedEnvironment, render_limited
from .telegram import TELEGRAM_CAPTION_MAX, TELEGRAM_TEXT_MAX, shown_length
from .text import clean_text, cut, whatsapp_escape

#: Limits from DESIGN.md (Gmail, APNs/FCM, OneSignal, WhatsApp).
PUSH_TITLE_MAX = 50
PUSH_BODY_MAX = 150
PUSH_PAYLOAD_MAX = 4096
WHATSAPP_MAX = 4096
WHATSAPP_TARGET = 1600
EMAIL_CLIP_BYTES = 102 * 1024

#: The prefix under which the shipped templates stay reachable from a user's own.
DEFAULT_PREFIX = "default"
TEMPLATE_NAMES = (
    "email.mjml.j2", "email.txt.j2", "push.txt.j2", "whatsapp.txt.j2", "telegram.html.j2",
)  # fmt: skip
SUBJECT_FIELDS = ("lead", "date", "count", "name", "edition_id")
PREHEADER_FIELDS = (*SUBJECT_FIELDS, "others", "lead_summary")
# Invisible filler after the preheader so Gmail and Apple Mail do not pull body
# text ("View in browser", the masthead) into the inbox preview line.
_PREHEADER_FILLER = Markup("&#847;&zwnj;&nbsp;")


def default_templates() -> Path:
    """The folder of default templates: ``templates/`` beside the package, or the
    copy installed under ``<prefix>/share/digest/templates``."""
    beside = Path(__file__).resolve().parents[2] / "templates"
    if beside.is_dir():
        return beside
    return Path(sys.prefix) / "share" / "digest" / "templates"


def template_folders(templates: Path | None, base_dir: Path) -> list[Path]:
    """The folders templates (and locales) are looked up in, first match wins: the
    ``render.templates`` folder if set (``~`` expanded, relative to ``base_dir``),
    then the shipped defaults.  The one place that setting is resolved; whether the
    folder exists is for the caller to say (:func:`check_template_folder`)."""
    if templates is None:
        return [default_templates()]
    folder = templates.expanduser()
    return [folder if folder.is_absolute() else (base_dir / folder).resolve(), default_templates()]


def check_template_folder(folders: list[Path]) -> None:
    """Raise :class:`ConfigError` if the user's folder (the first of several) is
    not a folder."""
    if len(folders) > 1 and not folders[0].is_dir():
        raise ConfigError(f"render.templates: no such folder {folders[0]}")


class Link(str):
    """A URL already made safe; printed as it is by every template environment."""


@dataclass(frozen=True, slots=True)
class Timings:
    """Where render time went, in seconds."""

    jinja: float
    mjml: float
    premailer: float


_DATE_FIELD = re.compile(
    r"\s*[(\[]\{date\}[)\]]|^\{date\}\s*[,·|:;–—-]?\s*|\s*[,·|:;–—-]?\s*\{date\}"
)


def without_date(pattern: str) -> str:
    """``pattern`` without its ``{date}`` and the separator that joins it."""
    return _DATE_FIELD.sub("", pattern, count=1).strip()


def subject_patterns(subject: str, fallbacks: tuple[str, ...]) -> tuple[str, ...]:
    """The subject patterns to try in order: ``subject``, then ``fallbacks`` or,
    without any, ``subject`` with its ``{date}`` (and the separator before it) left
    out and then the headline alone: the date goes before any headline is shortened."""
    if not fallbacks:
        fallbacks = (without_date(subject), "{lead}")
    return tuple(dict.fromkeys((subject, *fallbacks)))


def palette(accent: str, accent_dark: str) -> dict[str, dict[str, str]]:
    """The email's colours in light and dark mode.  Every text colour meets 4.5:1
    against the backgrounds it is shown on (measured by ``tools/check_email.py``)."""
    return {
        "light": {"ink": "#1a1a1a", "muted": "#595959", "paper": "#ffffff", "page": "#f2efe9",
                  "rule": "#e4dfd6", "accent": accent},
        "dark": {"ink": "#ededed", "muted": "#b3b3b3", "paper": "#1c1c1c", "page": "#111111",
                 "rule": "#444444", "accent": accent_dark},
    }  # fmt: skip


def _finalize_whatsapp(value: Any) -> Any:
    if isinstance(value, Link | int | float) or value is None:
        return value
    return whatsapp_escape(str(value))


def _loader(folders: list[Path]) -> jinja2.BaseLoader:
    """Templates by name from the user's folder first, then the defaults; the
    defaults are also reachable as ``default/<name>``, so a user template can
    ``{% extends "default/email.mjml.j2" %}`` and override one block."""
    return jinja2.ChoiceLoader(
        [
            jinja2.PrefixLoader({DEFAULT_PREFIX: jinja2.FileSystemLoader(str(folders[-1]))}),
            jinja2.FileSystemLoader([str(f) for f in folders]),
        ]
    )


def _environment(folders: list[Path], *, whatsapp: bool = False) -> jinja2.Environment:
    # Sandboxed with size, output and time limits: a template is code, and the
    # render.templates folder is written by people who are not developers.
    env = LimitedEnvironment(
        loader=_loader(folders),
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
    env.filters["fit"] = fit_text
    return env


def _template_line(tb: TracebackType | None, folders: list[Path]) -> tuple[str, int] | None:
    """The innermost template file and line in a traceback (Jinja2 rewrites its
    frames to point at the template source)."""
    found = None
    roots = [str(f) for f in folders]
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if any(filename.startswith(r) for r in roots):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def template_context(
    digest: DigestSettings, settings: RenderSettings, locale: Locale, edition: Edition, channel: str
) -> dict[str, Any]:
    """What every template sees; our own links carry the channel's UTM tags
    (the unsubscribe link is a placeholder, filled per recipient)."""
    params = utm_params(settings, edition, channel)
    view_online = fill_link(
        "view_online_url", settings.view_online_url, digest.site_url, edition.id
    )
    local = edition.as_of.astimezone(ZoneInfo(edition.timezone))
    date_label = locale.format(local, settings.date_format or locale.date_format)
    return {
        "digest": digest,
        "name": clean_text(digest.name),
        "publisher": clean_text(digest.publisher),
        "edition": edition,
        "edition_id": edition.id,
        "language": locale.language,
        "direction": digest.direction,
        "align": "right" if digest.direction == "rtl" else "left",
        "date_label": date_label,
        "story_count": len(edition.picks),
        "story_count_label": locale.count(len(edition.picks)),
        "labels": dict(locale.labels) | {"greeting": greeting(locale.labels, local.hour)},
        "fonts": dict(locale.fonts),
        "accent": settings.accent_color,
        "colours": palette(settings.accent_color, settings.accent_color_dark),
        "unsubscribe_url": Link(placeholder(UNSUBSCRIBE_URL)),
        "view_online_url": Link(tag_url(view_online, params)),
        "site_url": Link(tag_url(digest.site_url, params)),
        "site_host": digest.site_url.split("//", 1)[-1].strip("/"),
        "postal_address": clean_text(digest.postal_address),
    }


def utm_params(settings: RenderSettings, edition: Edition, channel: str) -> dict[str, str]:
    """The UTM query parameters of our own links in ``channel`` (none if off)."""
    utm = settings.utm
    if not utm.enabled:
        return {}
    return {
        "utm_source": utm.source,
        "utm_medium": channel,
        "utm_campaign": utm.campaign.format(edition_id=edition.id),
    }


def check_patterns(digest: DigestSettings, settings: RenderSettings) -> None:
    """Raise :class:`ConfigError` naming the setting if a subject, preheader, link
    or campaign pattern cannot be filled (caught when the renderer is built, not at
    send time as "no value for %%unsubscribe_url%%")."""
    probe = dict.fromkeys(PREHEADER_FIELDS, "")
    format_pattern("subject", settings.subject, {k: probe[k] for k in SUBJECT_FIELDS})
    format_pattern("preheader", settings.preheader, probe)
    for setting in ("view_online_url", "unsubscribe_url"):
        pattern = getattr(settings, setting)
        if not safe_url(fill_link(setting, pattern, digest.site_url, "any-edition")):
            raise ConfigError(f"render.{setting}: {pattern!r} does not give an http(s) URL")
    format_pattern("utm.campaign", settings.utm.campaign, {"edition_id": ""})


def _pictures(settings: RenderSettings, base_dir: Path, fetch: Fetch | None) -> Pictures | None:
    """The picture resizer ``[render.images]`` asks for, or ``None`` (no ``base_url``)."""
    images = settings.images
    if not images.base_url:
        return None
    folder = images.folder.expanduser()
    return Pictures(
        images.base_url,
        folder if folder.is_absolute() else (base_dir / folder).resolve(),
        fetch or http_fetch(images.timeout_seconds, images.max_bytes, "digest"),
        density=images.density,
        quality=images.quality,
    )


class Templates:
    """The templates of one set of folders, compiled once (every name in
    :data:`TEMPLATE_NAMES` is loaded when built, so a broken one is reported before
    any edition is rendered); errors name the file and line."""

    def __init__(self, folders: list[Path]) -> None:
        self._folders = folders
        self._env = _environment(folders)
        self._wa_env = _environment(folders, whatsapp=True)
        for name in TEMPLATE_NAMES:
            self.load(name, whatsapp=name.startswith("whatsapp"))

    def load(self, name: str, *, whatsapp: bool = False) -> jinja2.Template:
        """The compiled template ``name`` (``whatsapp``: in WhatsApp's environment)."""
        env = self._wa_env if whatsapp else self._env
        try:
            return env.get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            where = exc.filename or exc.name or name
            raise RenderError(f"{where}, line {exc.lineno}: {exc.message}") from None
        except jinja2.TemplateNotFound as exc:
            raise RenderError(f"template {exc.name} not found") from None
        except UnicodeDecodeError:
            where = next((str(f / name) for f in self._folders if (f / name).is_file()), name)
            raise RenderError(f"{where}: is not UTF-8 text") from None

    def render(self, name: str, context: dict[str, Any], *, whatsapp: bool = False) -> str:
        """``name`` rendered with ``context`` within the sandbox's limits."""
        template = self.load(name, whatsapp=whatsapp)
        try:
            return render_limited(template, context)
        except RenderError:
            raise
        except Exception as exc:  # any runtime error in a (user) template
            where = _template_line(exc.__traceback__, self._folders)
            place = f"{where[0]}, line {where[1]}" if where else template.filename or name
            detail = exc.message if isinstance(exc, jinja2.TemplateError) else repr(exc)
            raise RenderError(f"{place}: {detail}") from None


class Renderer:
    """Renders editions with one set of templates, locale and settings.

    Building it loads the locale and compiles every template, so a broken user
    template or locale file is reported (file and line) before any edition is
    built; a ``render.templates`` folder that does not exist is a
    :class:`ConfigError`.  Call :meth:`render` per edition; times inside are UTC and become local
    (``edition.timezone``) only in printed labels.
    """

    def __init__(
        self,
        digest: DigestSettings,
        settings: RenderSettings,
        *,
        base_dir: Path,
        fetch: Fetch | None = None,
    ) -> None:
        self.digest = digest
        self.settings = settings
        self._folders = template_folders(settings.templates, base_dir)
        check_template_folder(self._folders)
        self.locale: Locale = load_locale(
            settings.language or digest.language,
            self._folders,
            setting="render.language" if settings.language else "digest.language",
        )
        self.templates = Templates(self._folders)
        check_patterns(digest, settings)
        self.last_timings: Timings | None = None
        self._pictures = _pictures(settings, base_dir, fetch)

    def render(self, edition: Edition) -> Renditions:
        """All four renditions of ``edition``.

        The email keeps its placeholders (see :mod:`digest.render.personal`).
        Raises :class:`RenderError` naming the template file and line for a broken
        template, or saying which limit a rendition could not meet.
        """
        if not edition.picks:
            raise RenderError(f"{edition.id}: edition has no picks to render")
        started = perf_counter()
        base = template_context(self.digest, self.settings, self.locale, edition, "email")
        images: dict[str, RenderedImage] = {}
        stories = self._stories(edition, "email", images)
        subject = self._subject(edition, base)
        preheader = self._preheader(edition, base)
        filler = _PREHEADER_FILLER * max(0, 150 - len(preheader.text))
        email_ctx = {**base, "channel": "email", "subject": subject.text,
                     "preheader": preheader.text, "preheader_filler": filler,
                     "stories": stories}  # fmt: skip
        mjml_source = self.templates.render("email.mjml.j2", email_ctx)
        text = self.templates.render("email.txt.j2", email_ctx)
        jinja_time = perf_counter() - started
        timings: dict[str, float] = {}
        try:
            html = build_email_html(mjml_source, timings, inliner=self.settings.inliner)
        except RenderError as exc:  # MJML gives no line: name the template at least
            source = self.templates.load("email.mjml.j2").filename or "email.mjml.j2"
            raise RenderError(f"{source}: {exc}") from None

        started = perf_counter()
        push, push_note = self._push(edition)
        whatsapp = self.render_whatsapp(edition)
        telegram = self.render_telegram(edition)
        jinja_time += perf_counter() - started
        self.last_timings = Timings(jinja_time, timings["mjml"], timings["premailer"])
        email = EmailRendition(subject=subject.text, preheader=preheader.text, html=html, text=text)
        notes = (f"subject: {subject.note}", f"preheader: {preheader.note}", push_note)
        return Renditions(
            edition_id=edition.id,
            email=email,
            push=push,
            whatsapp=whatsapp,
            telegram=telegram,
            images=tuple(images[name] for name in sorted(images)),
            notes=notes,
        )

    def generic_values(self, edition: Edition) -> dict[str, str]:
        """Placeholder values for a copy not addressed to anyone (export, file
        sender, web archive): the configured unsubscribe page, no name."""
        return generic_values(self.digest, self.settings, edition.id)

    def render_generic(self, edition: Edition) -> Renditions:
        """:meth:`render` with the placeholders filled by :meth:`generic_values`."""
        renditions = self.render(edition)
        email = personalise(renditions.email, self.generic_values(edition))
        return replace(renditions, email=email)

    # -- context -------------------------------------------------------------------

    def _stories(
        self, edition: Edition, channel: str, images: dict[str, RenderedImage] | None = None
    ) -> list[dict[str, Any]]:
        """The template's view of each pick.  With ``images`` (the email) and
        ``[render.images] base_url`` set, pictures are resized copies, collected in
        ``images`` by file name; otherwise the original addresses stay."""
        params = utm_params(self.settings, edition, channel)
        zone = ZoneInfo(edition.timezone)
        stories = []
        for rank, pick in enumerate(edition.picks, 1):
            story = _story(rank, pick, self.locale, zone, params)
            if story["image"] is not None:
                slot = "lead" if rank == 1 else "story"
                story["image"] = self._picture(story["image"], slot, images)
            stories.append(story)
        return stories

    def _picture(
        self, image: dict[str, Any], slot: str, images: dict[str, RenderedImage] | None
    ) -> dict[str, Any]:
        if images is None or self._pictures is None:
            return {**image, "width": SLOTS[slot][0], "height": None}
        shown, file = self._pictures.show(str(image["url"]), slot)
        if file is not None:
            images[file.name] = file
        return {**image, "url": Link(shown.url), "width": shown.width, "height": shown.height}

    # -- short texts -----------------------------------------------------------------

    def _fields(self, edition: Edition, base: dict[str, Any]) -> dict[str, Any]:
        return {"date": base["date_label"], "count": len(edition.picks),
                "name": base["name"], "edition_id": edition.id}  # fmt: skip

    def _subject(self, edition: Edition, base: dict[str, Any]) -> Fitted:
        """The subject: ``render.subject``, then each of ``render.subject_fallbacks``
        (the date goes first), with the lead told by each of its headlines in turn
        (see :mod:`digest.render.headlines`); cut only when nothing fits."""
        fields = self._fields(edition, base)
        limit = self.settings.subject_max
        patterns = subject_patterns(self.settings.subject, self.settings.subject_fallbacks)
        for option in self._headlines(edition, edition.picks[0]):
            for number, pattern in enumerate(patterns):
                text = format_pattern("subject", pattern, {**fields, "lead": option.text})
                if len(text) <= limit:
                    how = "the full pattern" if number == 0 else f"the shorter pattern {pattern!r}"
                    return Fitted(text, f"{option.source}, {how} ({len(text)}/{limit})")
        pattern = without_date(self.settings.subject)
        lead = clean_text(edition.picks[0].title)
        without_lead = format_pattern("subject", pattern, {**fields, "lead": ""})
        room = max(10, limit - len(without_lead))
        text = cut(format_pattern("subject", pattern, {**fields, "lead": cut(lead, room)}), limit)
        return Fitted(text, f"nothing fits whole: the headline cut ({len(text)}/{limit})")

    def _headlines(self, edition: Edition, pick: Pick) -> list[Headline]:
        return headlines(edition, pick, others=self.settings.other_headlines)

    def _preheader(self, edition: Edition, base: dict[str, Any]) -> Fitted:
        """The preheader: ``render.preheader`` with ``{others}`` made of the next
        headlines that fit whole (each may be told shorter, as the subject's lead),
        topped up with whole sentences of the lead's summary below ``preheader_min``."""
        lead = edition.picks[0]
        limit = self.settings.preheader_max
        fields = {
            **self._fields(edition, base),
            "lead": clean_text(lead.title),
            "lead_summary": clean_text(lead.article.summary),
            "others": "",
        }
        summary = fields["lead_summary"]
        empty = {**fields, "lead_summary": ""}
        room = limit - len(format_pattern("preheader", self.settings.preheader, empty))
        if "{lead_summary}" in self.settings.preheader:
            fields["lead_summary"] = fit_text(summary, room)
            room -= len(fields["lead_summary"])
        told: list[str] = []
        how: list[str] = []
        for pick in edition.picks[1:4]:
            used = len(" · ".join(told)) + (3 if told else 0)
            fitted = fit_headline(self._headlines(edition, pick), room - used)
            if fitted is None:
                break
            told.append(fitted.text)
            how.append(fitted.note)
        fields["others"] = " · ".join(told)
        text = format_pattern("preheader", self.settings.preheader, fields).strip(" ·")
        if "{others}" in self.settings.preheader:
            note = f"{len(told)} more headline(s)"
            if any(h != "the headline" for h in how):
                note += " (" + "; ".join(how) + ")"
        else:
            note = "the pattern"
        if len(text) < self.settings.preheader_min and summary:
            gap = limit - len(text) - (3 if text else 0)
            summary = fit_text(summary, gap)
            text = f"{text} · {summary}" if text else summary
            note += ", topped up with the top story's summary"
        text = cut(text, limit)
        return Fitted(text, f"{note} ({len(text)}/{limit})")

    def render_push(self, edition: Edition) -> PushRendition:
        """The push notification alone: title ≤ 50 and body ≤ 150 characters, told
        whole where a headline or clause fits (see :mod:`digest.render.headlines`),
        else cut at word boundaries; the JSON payload stays under 4 KB (the image is
        dropped first if it does not, then a link too long is replaced by the site's)."""
        return self._push(edition)[0]

    def _push(self, edition: Edition) -> tuple[PushRendition, str]:
        if not edition.picks:
            raise RenderError(f"{edition.id}: edition has no picks to render")
        base = template_context(self.digest, self.settings, self.locale, edition, "push")
        stories = self._stories(edition, "push", {})
        fitted = fit_headline(self._headlines(edition, edition.picks[0]), PUSH_TITLE_MAX)
        if fitted is None:
            fitted = Fitted(cut(stories[0]["title"], PUSH_TITLE_MAX), "the headline cut")
        context = {**base, "stories": stories, "push_title": fitted.text}
        rendered = self.templates.render("push.txt.j2", context)
        lines = rendered.strip().split("\n", 1)
        title = cut(lines[0], PUSH_TITLE_MAX)
        note = f"push title: {fitted.note if title == fitted.text else 'the template'}"
        body = cut(lines[1] if len(lines) > 1 else "", PUSH_BODY_MAX)
        lead = stories[0]
        url = lead["url"] or str(base["site_url"])
        push = PushRendition(title=title, body=body, url=url,
                             image=lead["image"]["url"] if lead["image"] else "")  # fmt: skip
        if len(push_payload(push)) >= PUSH_PAYLOAD_MAX:
            push = PushRendition(title=title, body=body, url=url)
        if len(push_payload(push)) >= PUSH_PAYLOAD_MAX:
            # A link of thousands of characters: the tap opens the site instead.
            push = PushRendition(title=title, body=body, url=str(base["site_url"]))
        if len(push_payload(push)) >= PUSH_PAYLOAD_MAX:
            raise RenderError(f"{edition.id}: push payload over {PUSH_PAYLOAD_MAX} bytes")
        return push, f"{note} ({len(title)}/{PUSH_TITLE_MAX})"

    def render_whatsapp(self, edition: Edition) -> WhatsAppRendition:
        """The WhatsApp post alone, at most 1,600 characters where whole stories
        allow (stories are dropped from the end) and never over 4,096."""
        if not edition.picks:
            raise RenderError(f"{edition.id}: edition has no picks to render")
        base = template_context(self.digest, self.settings, self.locale, edition, "whatsapp")
        stories = self._stories(edition, "whatsapp")
        full = self.settings.whatsapp_full
        # Drop stories from the end until the post fits the comfortable length.
        for keep in range(len(stories), 0, -1):
            context = {**base, "stories": stories[:keep], "full_count": full,
                       "left_out": len(stories) - keep}  # fmt: skip
            text = self.templates.render("whatsapp.txt.j2", context, whatsapp=True).strip()
            if len(text) <= WHATSAPP_TARGET:
                break
        if len(text) > WHATSAPP_MAX:
            text = cut(text, WHATSAPP_MAX)
        return WhatsAppRendition(text=text)

    def render_telegram(self, edition: Edition) -> TelegramRendition:
        """The Telegram post alone, from ``telegram.html.j2`` (HTML parse mode, every
        value escaped): the whole post within 4,096 characters as Telegram counts
        them, and, when the lead has a picture, a caption of headlines within 1,024
        (stories are dropped from the end until each fits)."""
        if not edition.picks:
            raise RenderError(f"{edition.id}: edition has no picks to render")
        base = template_context(self.digest, self.settings, self.locale, edition, "telegram")
        stories = self._stories(edition, "telegram")
        full = self.settings.whatsapp_full
        text = self._telegram(base, stories, full, TELEGRAM_TEXT_MAX, caption=False)
        if text is None:
            raise RenderError(f"{edition.id}: no Telegram post fits {TELEGRAM_TEXT_MAX} characters")
        lead = stories[0]
        photo = str(lead["image"]["url"]) if lead["image"] else ""
        caption = ""
        if photo:
            caption = self._telegram(base, stories, 1, TELEGRAM_CAPTION_MAX, caption=True) or ""
            photo = photo if caption else ""
        return TelegramRendition(
            text=text, caption=caption, photo=photo, preview_url=str(lead["url"] or "")
        )

    def _telegram(
        self,
        base: dict[str, Any],
        stories: list[dict[str, Any]],
        full: int,
        limit: int,
        *,
        caption: bool,
    ) -> str | None:
        """The post with as many stories as fit ``limit``, or ``None``."""
        for keep in range(len(stories), 0, -1):
            context = {**base, "stories": stories[:keep], "full_count": full,
                       "left_out": len(stories) - keep, "caption": caption}  # fmt: skip
            text = self.templates.render("telegram.html.j2", context).strip()
            if shown_length(text) <= limit:
                return text
        return None


def push_payload(push: PushRendition) -> bytes:
    """The push notification as the JSON bytes a provider receives (for limits)."""
    data = {"title": push.title, "body": push.body, "url": push.url, "image": push.image}
    return json.dumps(data, ensure_ascii=False).encode()


#: Upper bounds on untrusted fields, so a runaway feed item cannot push the email
#: past Gmail's clipping point or a post past its limit (templates cut further).
FIELD_LIMITS = {"title": 300, "summary": 600, "alt": 200, "caption": 300, "short": 80}
MAX_ALSO_REPORTED = 5


def _story(
    rank: int, pick: Pick, locale: Locale, zone: ZoneInfo, params: dict[str, str]
) -> dict[str, Any]:
    article = pick.article
    title = cut(clean_text(pick.title), FIELD_LIMITS["title"])
    image = None
    if article.image and safe_url(article.image.url):
        image = {
            "url": Link(safe_url(article.image.url)),
            "alt": cut(clean_text(article.image.alt) or title, FIELD_LIMITS["alt"]),
            "caption": cut(clean_text(article.image.caption), FIELD_LIMITS["caption"]),
        }
    sources = [cut(clean_text(s), FIELD_LIMITS["short"]) for s in pick.also_reported_by]
    sources = [s for s in sources if s][:MAX_ALSO_REPORTED]
    dateline = cut(clean_text(article.dateline), FIELD_LIMITS["short"])
    agency = cut(clean_text(article.agency or article.publisher), FIELD_LIMITS["short"])
    published = locale.time(article.published_at.astimezone(zone))
    return {
        "rank": rank,
        "title": title,
        "summary": cut(clean_text(article.summary), FIELD_LIMITS["summary"]),
        "url": Link(tag_url(article.url, params)),
        "dateline": dateline,
        "agency": agency,
        "byline": cut(clean_text(article.byline), FIELD_LIMITS["short"]),
        "published": published,
        #: "Riyadh · Reuters" and "Riyadh · Reuters · 23 Nov, 09:05".
        "source_line": " · ".join(p for p in (dateline, agency) if p),
        "meta": " · ".join(p for p in (dateline, agency, published) if p),
        "image": image,
        "also_reported_by": sources,
        "also_reported_label": (
            locale.label("also_reported_by", sources=", ".join(sources)) if sources else ""
        ),
    }


__all__ = [
    "EMAIL_CLIP_BYTES",
    "PUSH_BODY_MAX",
    "PUSH_PAYLOAD_MAX",
    "PUSH_TITLE_MAX",
    "TELEGRAM_CAPTION_MAX",
    "TELEGRAM_TEXT_MAX",
    "TEMPLATE_NAMES",
    "WHATSAPP_MAX",
    "WHATSAPP_TARGET",
    "Link",
    "Locale",
    "Renderer",
    "Timings",
    "check_template_folder",
    "default_templates",
    "fill_link",
    "generic_values",
    "load_locale",
    "personalise",
    "push_payload",
]
