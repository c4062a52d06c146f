"""Generated hostile inputs and the properties every one of them must keep.

Shared by ``tests/test_fuzz.py`` (CI-sized batches) and ``tools/fuzz_report.py``
(the numbers in the README; ``--scale`` for a longer run).  Each ``check_*``
function takes one generated case, runs it through the real code, and returns the
list of broken properties (empty when all hold):

- **no traceback**: readers raise only :class:`SourceError` for a whole document,
  ``read_one`` never raises, config loading raises only :class:`ConfigError`, and
  the CLI exits with one of its codes, never an exception;
- **bounded time and memory**: each case finishes within :data:`CASE_SECONDS`
  (the report tool also records the process's peak memory);
- **good items kept**: in a batch mixing good and hostile items, every good item is
  read;
- **nothing executable**: no script, event handler, ``javascript:`` link, frame or
  object from article text reaches the email, and no control or bidi character
  reaches the push, WhatsApp or plain-text versions.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
import string
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from digest.config import parse_config
from digest.errors import ConfigError, DigestError, SourceError
from digest.model import Article, Edition, Image, Pick
from digest.sources import bounded
from digest.sources.base import Boilerplate, ReadOptions
from digest.sources.bounds import oversize
from digest.sources.feeds import read_feed
from digest.sources.jsonfeed import read_json
from digest.sources.pages import read_page

ROOT = Path(__file__).resolve().parents[1]
#: Most CPU time one generated case may take (seconds of this thread's CPU, not of
#: the wall clock, so that a machine busy with other work does not fail the case).
CASE_SECONDS = 10.0
READ_AT = datetime(2020, 11, 23, 10, 0, tzinfo=UTC)
GOOD_PAGE = (ROOT / "tests/fixtures/pages/midday-world-2020-11-23-putin-biden.txt").read_bytes()
BOILERPLATE = Boilerplate.builtin()


@dataclass
class Tally:
    """Cases tried and failures found, by kind."""

    cases: Counter[str] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)
    slowest: dict[str, float] = field(default_factory=dict)

    def record(self, kind: str, problems: list[str], seconds: float) -> None:
        """Count one case of ``kind`` and its problems."""
        self.cases[kind] += 1
        self.slowest[kind] = max(self.slowest.get(kind, 0.0), seconds)
        if problems:
            self.failures[kind] += 1
            self.examples.setdefault(kind, [])
            if len(self.examples[kind]) < 5:
                self.examples[kind].append("; ".join(problems)[:500])


TALLY = Tally()


def timed(kind: str, check: Any, *args: Any) -> list[str]:
    """Run ``check(*args)``, record it in :data:`TALLY`, and return its problems
    (a case over :data:`CASE_SECONDS` of CPU is one)."""
    started = time.thread_time()
    try:
        problems = list(check(*args))
    except Exception as exc:  # a traceback: exactly what must never happen
        problems = [f"raised {type(exc).__name__}: {str(exc)[:200]}"]
    seconds = time.thread_time() - started
    if seconds > CASE_SECONDS:
        problems.append(f"took {seconds:.1f} s")
    TALLY.record(kind, problems, seconds)
    return problems


# -- building blocks ---------------------------------------------------------------

HOSTILE_TEXT = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<iframe src=javascript:alert(1)></iframe>",
    '<a href="javascript:alert(1)">click</a>',
    "<svg onload=alert(1)>",
    "<object data=evil.swf></object>",
    "<style>body{display:none}</style>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "]]><script>x</script><![CDATA[",
    "%%unsubscribe_url%% %%name|x%%",
    "{{ 7*7 }} {% for x in range(9) %}",
    "*bold* _it_ ~s~ ```code```",
    "\u202egnp.exe\u202c \u2066rtl\u2069",
    "line\r\nBcc: x@example.com",
    "\x00\x01\x1b[2J\x7f\x85",
    "\ufeff\u200b\u2028\u2029",
    "👨‍👩‍👧‍👦🇫🇷 अनुच्छेद क्षत्रिय",
    "A" * 5000,
    "word " * 3000,
]
DATES = [
    "Mon, 23 Nov 2020 08:00:00 GMT",
    "Mon, 23 Nov 2020 08:00:00 +0530",
    "2020-11-23T08:00:00Z",
    "23 November,2020 08:55 AM IST",
    "Fri, 31 Dec 9999 23:00:00 HST",
    "Sun, 30 Feb 2020 10:00:00 GMT",
    "0001-01-01T00:00:00-14:00",
    "9999-12-31T23:59:59-23:59",
    "yesterday",
    "",
    "1e400",
    "२२ नवंबर २०२०, १५:४० IST",
    "2020-11-23 08:55 Nowhere/Zone",
    "Mon, 23 Nov 20202020 08:00:00 GMT",
]
LINKS = [
    "https://example.com/world/story",
    "http://example.org/a?utm_source=x#f",
    "javascript:alert(1)",
    "/relative/path",
    "data:text/html,<script>alert(1)</script>",
    "https://exa mple.com/<script>",
    "https://" + "a" * 5000 + ".com/",
    "",
    "file:///etc/passwd",
    "https://[::1]:99999/",
]
PROLOGS = [
    "",
    '<?xml version="1.0" encoding="utf-8"?>',
    '<?xml version="1.0" encoding="utf-16"?>',
    '<?xml version="1.0" encoding="bogus-encoding"?>',
    '<!DOCTYPE rss PUBLIC "-//Netscape//DTD RSS 0.91//EN" "http://x/rss.dtd">',
    '<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>',
    '<!DOCTYPE rss SYSTEM "a>b" [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
    "<!DOCTYPE rss><!DOCTYPE x [<!ENTITY e 'boom'>]>",
    '<!DOCTYPE rss SYSTEM "never closed',
    "<!-- comment -->\n<?pi stuff?>",
]

texts = st.one_of(
    st.text(max_size=80),
    st.sampled_from(HOSTILE_TEXT),
    st.lists(st.sampled_from(HOSTILE_TEXT) | st.text(max_size=20), max_size=4).map(" ".join),
)
dates = st.one_of(st.sampled_from(DATES), st.text(max_size=30))
links = st.one_of(st.sampled_from(LINKS), st.text(max_size=40))


def _xml(value: str) -> str:
    """Text for XML, some of it escaped, some inside CDATA, some raw (broken XML)."""
    return value.replace("&", "&amp;").replace("<", "&lt;")


@st.composite
def feed_items(draw: st.DrawFn, raw: bool = True) -> str:
    """One RSS item with hostile fields (with ``raw``, some put in unescaped, which
    can break the document's XML)."""
    parts = []
    for tag, value in (
        ("title", draw(texts)),
        ("link", draw(links)),
        ("pubDate", draw(dates)),
        ("description", draw(texts)),
        ("category", draw(texts)),
        ("dc:creator", draw(texts)),
    ):
        how = draw(st.integers(0, 3 if raw else 2))
        if how == 0:
            continue
        body = _xml(value) if how == 1 else f"<![CDATA[{value.replace(']]>', ']] >')}]]>"
        body = value if how == 3 else body
        parts.append(f"<{tag}>{body}</{tag}>")
    if draw(st.booleans()):
        width = _xml(draw(texts)[:8]).replace('"', "&quot;")
        url = _xml(draw(links)).replace('"', "&quot;")
        parts.append(f'<media:content url="{url}" width="{width}"/>')
    return "<item>" + "".join(parts) + "</item>"


def good_item(index: int) -> str:
    """An item that must always be read: its title is ``Good story N``."""
    return (
        f"<item><title>Good story {index}</title>"
        f"<link>https://example.com/world/good-{index}</link>"
        f"<pubDate>Mon, 23 Nov 2020 0{index % 10}:00:00 GMT</pubDate>"
        f"<description>Plain summary {index}.</description></item>"
    )


@st.composite
def feeds(draw: st.DrawFn) -> bytes:
    """A whole feed: hostile prolog, channel and items, sometimes mangled bytes."""
    prolog = draw(st.sampled_from(PROLOGS))
    items = "".join(draw(st.lists(feed_items(), max_size=6)))
    kind = draw(st.sampled_from(["rss", "atom", "rdf", "junk"]))
    channel = f"<title>{_xml(draw(texts))}</title><link>{_xml(draw(links))}</link>"
    if kind == "rss":
        doc = f'{prolog}<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/" '
        doc += f'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>{channel}{items}'
        doc += "</channel></rss>"
    elif kind == "atom":
        entries = items.replace("<item>", "<entry>").replace("</item>", "</entry>")
        doc = f'{prolog}<feed xmlns="http://www.w3.org/2005/Atom">{channel}{entries}</feed>'
    elif kind == "rdf":
        doc = f"{prolog}<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#' "
        doc += f"xmlns='http://purl.org/rss/1.0/'><channel>{channel}</channel>{items}</rdf:RDF>"
    else:
        doc = prolog + draw(st.text(max_size=200))
    data = doc.encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 4)) == 0:  # mangle: cut, or insert random bytes
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(max_size=16)) + data[at + draw(st.integers(0, 8)) :]
    return data


@st.composite
def mixed_feeds(draw: st.DrawFn) -> tuple[bytes, list[str]]:
    """A well-formed feed of good items among hostile ones, and the good titles."""
    hostile = draw(st.lists(feed_items(raw=False), max_size=6))
    count = draw(st.integers(1, 5))
    good = [good_item(i) for i in range(count)]
    order = draw(st.permutations(hostile + good))
    items = "".join(order)
    doc = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:media="http://search.yahoo.com/mrss/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>World</title>'
        f"<link>https://example.com/</link>{items}</channel></rss>"
    )
    return doc.encode("utf-8", "surrogatepass"), [f"Good story {i}" for i in range(count)]


@st.composite
def pages(draw: st.DrawFn) -> bytes:
    """A page dump: the real sample page with lines replaced, inserted or cut."""
    lines = GOOD_PAGE.decode("utf-8").splitlines()
    for _ in range(draw(st.integers(0, 8))):
        at = draw(st.integers(0, len(lines)))
        what = draw(st.sampled_from(["insert", "replace", "cut"]))
        line = draw(st.one_of(texts, dates, st.sampled_from(["Home > News > World", ">>>>"])))
        if what == "insert":
            lines.insert(at, line)
        elif what == "replace" and at < len(lines):
            lines[at] = line
        else:
            lines = lines[:at]
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 5)) == 0:
        data = draw(st.binary(max_size=300))
    return data


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | texts | dates | links,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=20,
)
ITEM_KEYS = ["url", "title", "summary", "body", "section", "published_at", "updated_at",
             "tags", "image", "dateline", "agency", "byline", "language", "publisher",
             "id", "content_html", "content_text", "date_published", "date_modified",
             "_digest", "authors", "external_url", "source"]  # fmt: skip


@st.composite
def json_documents(draw: st.DrawFn) -> bytes:
    """A JSON Feed or plain list with hostile items, or any JSON value."""
    items = draw(
        st.lists(
            st.dictionaries(st.sampled_from(ITEM_KEYS), json_values, max_size=10) | json_values,
            max_size=5,
        )
    )
    shape = draw(st.integers(0, 2))
    document: Any = items
    if shape == 1:
        document = {"version": "https://jsonfeed.org/version/1.1", "title": draw(texts),
                    "home_page_url": draw(links), "items": items}  # fmt: skip
    elif shape == 2:
        document = draw(json_values)
    return json.dumps(document, allow_nan=True).encode()


# -- configs -----------------------------------------------------------------------

CONFIG_KEYS = [
    ("digest", "name"), ("digest", "timezone"), ("digest", "site_url"),
    ("digest", "edition_prefix"), ("digest", "direction"), ("digest", "language"),
    ("store", "path"), ("ingest", "max_bytes"), ("ingest", "timeout_seconds"),
    ("ingest", "max_redirects"), ("ingest", "allow_networks"), ("select", "count"),
    ("select", "min_picks"), ("select", "window_hours"), ("select", "half_life_hours"),
    ("select", "boost"), ("select", "source_weights"), ("select", "weights"),
    ("select", "pin"), ("select", "headlines"), ("select", "home_country"),
    ("select", "story_similarity"), ("select", "memory_days"), ("render", "subject"),
    ("render", "preheader"), ("render", "subject_max"), ("render", "date_format"),
    ("render", "unsubscribe_url"), ("render", "view_online_url"), ("render", "accent_color"),
    ("render", "utm"), ("render", "language"), ("render", "whatsapp_full"),
    ("schedule", "editions"), ("schedule", "grace_minutes"), ("schedule", "poll_seconds"),
    ("senders", "x"), ("outlets", "example.com"), ("boilerplate", "mine"),
]  # fmt: skip
CONFIG_VALUES = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.sampled_from([0, -1, 10**18, 1e308, -0.0, math.nan, math.inf]),
    st.text(max_size=30),
    st.sampled_from(
        [
            "{lead:>99999999999}",
            "{lead.__class__}",
            "{0}",
            "{",
            "}",
            "%s%n",
            "%Y-%m-%d",
            "os:system",
            "subprocess:Popen",
            "file",
            "smtp",
            "/proc/self/mem",
            "/",
            ".",
            "Asia/Kolkata",
            "../../etc/passwd",
            "http://169.254.169.254/",
            "127.0.0.1/8",
            "[[[[",
            "(a+)+$",
            "{edition_id}",
            "{site_url}/x",
            "#zzzzzz",
            "rtl",
        ]
    ),
    st.lists(st.text(max_size=10) | st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=8), st.text(max_size=8) | st.floats(), max_size=3),
    st.booleans(),
)


@st.composite
def configs(draw: st.DrawFn, most: int = 5) -> dict[str, Any]:
    """The sample config with up to ``most`` settings set to hostile values."""
    data = json.loads(json.dumps(_sample_config()))
    for _ in range(draw(st.integers(1, most))):
        table, key = draw(st.sampled_from(CONFIG_KEYS))
        section = data.setdefault(table, {})
        if isinstance(section, dict):
            section[key] = draw(CONFIG_VALUES)
    return data


def _sample_config() -> dict[str, Any]:
    import tomllib

    data = tomllib.loads((ROOT / "config.toml").read_text("utf-8"))
    for source in data["sources"]:
        source["path"] = str(ROOT / source["path"])
    return data


# -- editions to render ------------------------------------------------------------


@st.composite
def articles(draw: st.DrawFn) -> Article:
    """An article whose every text field is hostile (as a reader could give it)."""
    index = draw(st.integers(0, 10**6))
    image = None
    if draw(st.booleans()):
        image = Image(draw(links), draw(texts), draw(texts))
    return Article(
        id=f"fuzz{index}",
        url=draw(links) or f"https://example.com/{index}",
        title=draw(texts) or "t",
        published_at=READ_AT - timedelta(hours=draw(st.integers(0, 20))),
        summary=draw(texts),
        body=draw(texts),
        section="world",
        dateline=draw(texts),
        agency=draw(texts),
        byline=draw(texts),
        image=image,
        publisher=draw(texts),
    )


@st.composite
def editions(draw: st.DrawFn) -> Edition:
    """An edition of hostile articles."""
    chosen = draw(st.lists(articles(), min_size=1, max_size=5))
    picks = tuple(
        Pick(a, 1.0, (draw(texts),), tuple(draw(st.lists(texts, max_size=3))), draw(texts))
        for a in chosen
    )
    return Edition("world-2020-11-23", READ_AT, "Asia/Kolkata", picks, window_start=READ_AT)


# -- the properties ----------------------------------------------------------------


def _options(source: str) -> ReadOptions:
    return ReadOptions(source=source, reference_time=READ_AT, boilerplate=BOILERPLATE)


def _reader_properties(reader: Any, data: bytes, source: str) -> list[str]:
    """The reader raises nothing but :class:`SourceError`; what it keeps has UTC
    times and http(s) links (page dumps may have none), and what passes the field
    bounds of ``read_one`` is within them."""
    try:
        result = bounded(reader(data, _options(source)))
    except SourceError:
        return []
    problems = []
    for article in result.articles:
        if article.published_at.tzinfo is None:
            problems.append(f"naive time in {article.id}")
        if article.url and not article.url.startswith(("http://", "https://")):
            problems.append(f"non-http link {article.url[:60]!r}")
        if oversize(article):
            problems.append("an article over the field bounds was kept")
    return problems


def check_feed(data: bytes) -> list[str]:
    """A generated feed: read, or refused as a whole with a reason."""
    return _reader_properties(read_feed, data, "fuzz.rss")


def check_page(data: bytes) -> list[str]:
    """A generated page dump (see :func:`check_feed`)."""
    return _reader_properties(read_page, data, "fuzz.txt")


def check_json(data: bytes) -> list[str]:
    """A generated JSON document (see :func:`check_feed`)."""
    return _reader_properties(read_json, data, "fuzz.json")


def check_mixed_feed(case: tuple[bytes, list[str]]) -> list[str]:
    """Every good item of a mixed batch is read."""
    data, good = case
    result = read_feed(data, _options("mixed.rss"))
    titles = {a.title for a in result.articles}
    lost = [t for t in good if t not in titles]
    return [f"lost good items {lost}"] if lost else []


def check_config(data: dict[str, Any]) -> list[str]:
    """A generated config: valid, or a :class:`ConfigError` listing keys; a valid
    one builds its renderer or says what is wrong as a :class:`DigestError`."""
    from digest.render import Renderer

    try:
        config = parse_config(data, base_dir=ROOT)
    except ConfigError as exc:
        bad = [p for p in exc.problems if ": " not in p]
        return [f"problem without a key: {bad[0]!r}"] if bad else []
    with contextlib.suppress(DigestError):
        Renderer(config.digest, config.render, base_dir=ROOT)
    return []


def check_config_cli(data: dict[str, Any], folder: Path) -> list[str]:
    """A generated config through ``digest check`` and ``digest run``: an exit code,
    never an exception."""
    import tomli_w
    from click.testing import CliRunner

    from digest.cli import main

    data = json.loads(json.dumps(data, allow_nan=True))
    data["store"] = {"path": str(folder / "store.sqlite3")}
    data.setdefault("senders", {})
    if isinstance(data["senders"], dict):
        data["senders"]["out"] = {"type": "file", "path": str(folder / "out")}
    path = folder / "config.toml"
    try:
        path.write_bytes(tomli_w.dumps(data).encode())
    except (TypeError, ValueError, OverflowError):
        return []  # not expressible as TOML: no file to check
    problems = []
    for args in (["check"], ["run", "--as-of", "2020-11-23T10:00+05:30"]):
        result = CliRunner().invoke(main, ["--config", str(path), *args])
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            problems.append(f"{args[0]}: {type(result.exception).__name__}: {result.exception}")
        elif result.exit_code not in (0, 1, 2, 3):
            problems.append(f"{args[0]}: exit {result.exit_code}")
        if "Traceback" in result.output:
            problems.append(f"{args[0]}: traceback printed")
    return problems


_ACTIVE_TAGS = frozenset({"script", "iframe", "frame", "object", "embed", "applet", "form", "base"})
_ACTIVE_SCHEMES = re.compile(r"^\s*(javascript|vbscript|data)\s*:", re.I)


class _ActiveMarkup(HTMLParser):
    """Finds what a browser or mail client would run: script-like elements, event
    handler attributes, and script links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _ACTIVE_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag} {name}=")
            elif (
                name in ("href", "src", "action", "formaction", "background")
                and value
                and _ACTIVE_SCHEMES.match(value)
                and not value.startswith("data:image/")
            ):
                self.found.append(f"{tag} {name}={value[:30]!r}")


def active_markup(html: str) -> list[str]:
    """The active parts of ``html`` (see :class:`_ActiveMarkup`)."""
    parser = _ActiveMarkup()
    parser.feed(html)
    parser.close()
    return parser.found


_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def check_rendition(edition: Edition, renderer: Any) -> list[str]:
    """An edition of hostile articles rendered: nothing executable in the email,
    no control or bidi character in the texts, limits kept."""
    try:
        renditions = renderer.render_generic(edition)
    except DigestError:
        return []
    problems = []
    html = renditions.email.html
    # The default templates' own markup has none; anything found came from text.
    found = active_markup(html)
    if found:
        problems.append(f"executable markup in the email: {found[:3]}")
    for name, text in (
        ("text", renditions.email.text),
        ("subject", renditions.email.subject),
        ("push", renditions.push.title + renditions.push.body),
        ("whatsapp", renditions.whatsapp.text),
    ):
        if _UNSAFE.search(text):
            problems.append(f"control or bidi character in the {name}")
        if "%%" in text.replace("%\u2060%", ""):
            problems.append(f"an unfilled placeholder in the {name}")
    if len(renditions.push.title) > 50 or len(renditions.whatsapp.text) > 4096:
        problems.append("a push or WhatsApp limit broken")
    if any(c in renditions.email.subject for c in "\r\n"):
        problems.append("a line break in the subject")
    return problems


def identifier(text: str) -> str:
    """A short printable form of ``text`` for messages."""
    return "".join(c if c in string.printable else "?" for c in text)[:60]
