"""The web archive: every edition that reached someone, an index and two feeds.

Each page is the email's HTML as it was sent, with the per-recipient parts
removed: the unsubscribe link leads to the unsubscribe page without a token and
the greeting's name falls back to its default.  :func:`build_site` gives the
whole site as ``{path: bytes}``; ``digest serve`` answers with these bytes and
``digest archive --out DIR`` writes them, identical on every run (nothing depends
on the clock, the order is fixed, JSON keys are sorted).

Layout, under ``{site_url}/newsletter/`` (where ``render.view_online_url`` points
by default)::

    index.html            the editions by date, newest first
    feed.atom, feed.json  Atom 1.0 and JSON Feed 1.1
    <edition id>/index.html
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import jinja2

from ..config import Config
from ..model import EmailRendition
from ..render.personal import NAME, UNSUBSCRIBE_URL, personalise
from ..store.types import ArchivedRecord

#: Where the archive and the reader's pages live under ``site_url``.
BASE_PATH = "/newsletter"
_EDITION_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,80}")
ATOM = "http://www.w3.org/2005/Atom"


def templates() -> jinja2.Environment:
    """The web pages' templates (autoescaped, undefined names are errors)."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("digest.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@dataclass(frozen=True, slots=True)
class Headline:
    """One story of an archived edition."""

    title: str
    url: str


@dataclass(frozen=True, slots=True)
class ArchivedEdition:
    """One page of the archive."""

    edition_id: str
    as_of: datetime
    date_label: str
    subject: str
    preheader: str
    url: str
    html: str
    headlines: tuple[Headline, ...]


def base_url(config: Config) -> str:
    """The archive's address: ``{site_url}/newsletter``."""
    return config.digest.site_url.rstrip("/") + BASE_PATH


def is_edition_id(value: str) -> bool:
    """Whether ``value`` can be an edition id (letters, digits, ``.``, ``_``, ``-``)."""
    return bool(_EDITION_ID.fullmatch(value))


def archived(config: Config, records: list[ArchivedRecord]) -> list[ArchivedEdition]:
    """The archive pages of recorded editions (newest first, as given)."""
    site = config.digest.site_url.rstrip("/")
    generic = {UNSUBSCRIBE_URL: site + BASE_PATH + "/unsubscribe", NAME: ""}
    zone = ZoneInfo(config.digest.timezone)
    pages = []
    for record in records:
        email = record.renditions["email"]
        public = personalise(
            EmailRendition(
                subject=email["subject"],
                preheader=email["preheader"],
                html=email["html"],
                text=email["text"],
            ),
            generic,
        )
        headlines = tuple(
            Headline(
                title=pick.get("headline") or pick["article"]["title"],
                url=pick["article"]["url"],
            )
            for pick in record.edition.get("picks", ())
        )
        local = record.as_of.astimezone(zone)
        pages.append(
            ArchivedEdition(
                edition_id=record.edition_id,
                as_of=record.as_of.astimezone(UTC),
                date_label=f"{local:%A} {local.day} {local:%B %Y}",
                subject=public.subject,
                preheader=public.preheader,
                url=f"{site}{BASE_PATH}/{record.edition_id}",
                html=public.html,
                headlines=headlines,
            )
        )
    return pages


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def index_html(config: Config, pages: list[ArchivedEdition]) -> bytes:
    """The index page: every edition by date, newest first."""
    return (
        templates()
        .get_template("index.html.j2")
        .render(
            name=config.digest.name,
            language=config.digest.language,
            direction=config.digest.direction,
            base=base_url(config),
            pages=pages,
        )
        .encode()
    )


def atom_feed(config: Config, pages: list[ArchivedEdition]) -> bytes:
    """An Atom 1.0 feed of the editions (the newest 50)."""
    base = base_url(config)
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}title").text = config.digest.name
    ET.SubElement(feed, f"{{{ATOM}}}id").text = base + "/"
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=base + "/feed.atom")
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", href=base + "/")
    updated = pages[0].as_of if pages else datetime(2000, 1, 1, tzinfo=UTC)
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = _iso(updated)
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = config.digest.publisher or config.digest.name
    for page in pages[:50]:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}title").text = page.subject
        ET.SubElement(entry, f"{{{ATOM}}}id").text = page.url
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=page.url)
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _iso(page.as_of)
        ET.SubElement(entry, f"{{{ATOM}}}published").text = _iso(page.as_of)
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = page.preheader
        ET.SubElement(entry, f"{{{ATOM}}}content", type="html").text = _headlines_html(page)
    xml: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return xml + b"\n"


def _headlines_html(page: ArchivedEdition) -> str:
    env = templates()
    return env.from_string(
        '<ol>{% for h in headlines %}<li><a href="{{ h.url }}">{{ h.title }}</a></li>'
        "{% endfor %}</ol>"
    ).render(headlines=page.headlines)


def json_feed(config: Config, pages: list[ArchivedEdition]) -> bytes:
    """A JSON Feed 1.1 of the editions (the newest 50)."""
    base = base_url(config)
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": config.digest.name,
        "home_page_url": base + "/",
        "feed_url": base + "/feed.json",
        "language": config.digest.language,
        "items": [
            {
                "id": page.url,
                "url": page.url,
                "title": page.subject,
                "summary": page.preheader,
                "date_published": _iso(page.as_of),
                "content_html": _headlines_html(page),
            }
            for page in pages[:50]
        ],
    }
    return (json.dumps(feed, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def build_site(config: Config, records: list[ArchivedRecord]) -> dict[str, bytes]:
    """The whole archive as ``{relative path: bytes}``."""
    pages = archived(config, records)
    files = {
        "index.html": index_html(config, pages),
        "feed.atom": atom_feed(config, pages),
        "feed.json": json_feed(config, pages),
    }
    for page in pages:
        if is_edition_id(page.edition_id):
            files[f"{page.edition_id}/index.html"] = page.html.encode()
    return files


def write_site(files: dict[str, bytes], out: Path) -> list[Path]:
    """Write the archive into ``out`` (each file whole, renamed into place);
    returns the files written, in order."""
    written = []
    for relative in sorted(files):
        target = out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".part")
        partial.write_bytes(files[relative])
        partial.replace(target)
        written.append(target)
    return written
