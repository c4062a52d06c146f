"""Scraped article pages saved as text dumps (the crawler format in ``examples/pages``).

A dump looks like::

    <navigation junk>
    Home > News > World News > Article > <slug>
    <title>
    Updated on: 23 November,2020 08:55 AM IST  |  Moscow
    IANS |
    <standfirst>
    <title again>
    <image caption>
    <body paragraphs>
    Keep scrolling to read more news
    <promos, disclaimers, cookie banner>

Other sites print the same parts in other shapes (see ``pagemeta`` for the header
lines and ``tests/fixtures/pages/other`` for a dozen publishers).  Breadcrumb,
credit line, dateline, standfirst, repeated title and caption may each be missing.
The first time line under a headline is the anchor: credit lines just above it
belong to it, the line above those is the headline (or, when it reads as one, the
standfirst under a shorter headline), lines above the headline are navigation,
and header lines just below it are read with it.  A time line under a menu entry
(a date above the headline) makes the line below it the headline.  Wire copy may
open its first paragraph with a dateline (``Geneva, Nov 22 (AFP):``, ``MOSCOW:``).
Boilerplate rules (data, see ``boilerplate.toml``) drop lines everywhere and cut
the page at its first stop marker once the story has started.
"""

from __future__ import annotations

import codecs
import dataclasses
import itertools
import re
from dataclasses import dataclass
from datetime import UTC, timedelta

from ..addresses import host_of
from ..errors import SourceError
from ..model import Article, Image, Skipped, SourceResult
from . import pagegeneric as generic
from .base import FETCHED_NOTE_LABEL, ReadOptions
from .errorpage import refuse_error_page
from .normalise import (
    SECTION_ALIASES,
    article_id,
    canonical_section,
    clean_text,
    section_from_url,
    slug,
)
from .pagemeta import (
    Dateline,
    LineFacts,
    Meta,
    body_dateline,
    caption_text,
    page_date_order,
    read_time,
)

#: A numeric date that reads both ways: day and month both 12 or under.
_AMBIGUOUS_DATE = re.compile(r"(?<![\d/.:])(?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|1[0-2])[-/.]\d\d")
#: Lines longer than this are taken as the page's prose when guessing its language.
_PROSE_LENGTH = 80
_CRUMB_SEPARATORS = (">", "»", "›", "/", "|")
# "Home" as sites in other languages print it at the head of a crumb trail.
_CRUMB_ROOTS = frozenset(
    {"home", "news", "होम", "मुख्य पृष्ठ", "главная", "início", "inicio", "accueil"}
    | {"startseite", "beranda", "홈", "ホーム", "首页"}
)
_URL_LINE = re.compile(r"^(?:(?:canonical|url|source url|link)\s*:\s*)?(https?://\S+)$", re.I)
_DEVANAGARI = re.compile(r"[\u0900-\u097F]")
_SENTENCE_END = (".", "।", '"', "”", "’", "'", "?", "!")
_CJK_SENTENCE_END = ("。", "！", "？", "」")
# Where one sentence ends and another starts inside a line ("... in May. The
# council ..."), not after an initial or a title ("U.S. Senate", "Dr. Smith").
_SENTENCE_BREAK = re.compile(
    r"(?<![A-Z])(?<!\b(?:Mr|Ms|Dr|St|Jr|Sr|Lt|vs))(?<!\b(?:Mrs|Gov|Sen|Rep|Gen|Col|Sgt))"
    r"[.!?]['\"’”]?\s+['\"‘“]?[A-Z]|[。！？]\S"
)
_MIN_BODY_CHARS = 80
# A page printing no paragraph of prose still tells a story in short sentences of
# this many words or more, this many words in all (a one-sentence brief).
_BRIEF_LINE_WORDS = 4
_BRIEF_WORDS = 8
# How far above the story the nearest line of a few words is taken as its headline
# when no line reads as one.
_FALLBACK_REACH = 12
# A stop marker with less story than this above it, and this much prose within
# reach under it, opens a box of links inside the story.
_BOX_STORY_WORDS = 80
_BOX_REACH = 5
# What a blog prints under a post's time line: its category or tags.
_POST_LABEL = re.compile(r"^(?:in|filed under|posted in|tags?:?|categories?:?) \S[^.]{0,80}$", re.I)
# How far over a header's headline the real one may stand when that is a deck,
# with only labels of fewer words between them.
_DECK_REACH = 2
_MIN_DECK_WORDS = 4
# How many headers inside a main run are tried as the story's own.
_INNER_HEADERS = 8
# A field label printed over its value: "Author:", "Publish date:", "By:".
_FIELD_LABEL = re.compile(r"^\w+(?: \w+)?:$")
#: The most words of a writer's job printed between their name and bio.
_JOB_WORDS = 4
#: How many words the part of a headline after a bar shares with the story's
#: lead (its first paragraphs, under the standfirst) when it tells the story, not
#: the site's name (see :func:`_without_site`).
_SITE_AGREEMENT = 2
_LEAD_PARAGRAPHS = 2
#: The fewest letters of a word counted there: shorter ones are function words.
_SITE_WORD_CHARS = 5
# How many credit lines (and field labels) may stand over a time line.
_CREDIT_SPAN = 4
# A picture's credit on a line of its own, in brackets: "(Jacquelyn Martin / AP)".
_PICTURE_CREDIT = re.compile(r"^[(\[][^()\[\]]{3,80}[/|][^()\[\]]{2,80}[)\]]$")
# "fetched_at: 2020-11-23T06:00:00Z": when the crawler saved the page.
_FETCHED_LINE = re.compile(rf"^{FETCHED_NOTE_LABEL}\s*:\s*(?P<when>.+)$", re.I)
_URL_SLUG = re.compile(r"[-_+.]|\.html?$")
# How many lines (standfirst, repeated headline, caption, share labels) may stand
# between a known header and the story's first paragraph.
_HEADER_GAP = 10
# ... or how far a standfirst and credit lines above the time line may reach into it.
_HEADER_OVERLAP = 4
# How much better another line must read as the headline to overrule a known header's.
_HEADLINE_MARGIN = 1.0
# A header's headline scoring this well and sharing a word with the lead heads it.
_HEADER_HEADLINE_SCORE = 3.0
_LEAD_WORDS = 2
#: The most words of a topic label between a time line and the headline under it.
_TOPIC_LABEL_WORDS = 3
# A time line is looked for among the first lines only; a headline has some words.
# Real menus run to hundreds of lines (every city, every section).
_HEADER_SPAN = 600
#: A headline printed above the crumb trail that repeats it stands this close, and
#: a crumb that long is a headline, not a section's name.
_CRUMB_HEADLINE_REACH = 4
_CRUMB_HEADLINE_WORDS = 3
_CRUMB_DEPTH = 6
_MIN_TITLE_WORDS = 3
# How many lines under a headline (header lines aside) may hold its standfirst.
_STANDFIRST_REACH = 3
# How many short label lines above a headline may name its section ("World News").
_LABEL_SPAN = 3
# How far under the story a time line ("First published on …") is looked for.
_FOOTER_REACH = 4
# A crumb trail one crumb a line: how far above the story, how many crumbs deep,
# and how many words a crumb has at most.
_CRUMB_COLUMN_SPAN = 80
_CRUMB_COLUMN_DEPTH = 5
_CRUMB_WORDS = 3
_CRUMB_AGREEMENT = 0.4
# Prints of the headline this close, with the same letters, are one headline.
_REPRINT_REACH = 2
# How much later than a page's update its publication may read (a date printed
# without its time reads as midnight).
_SAME_DAY = timedelta(days=1)
_LETTERS = re.compile(r"[\W_]+")
# A headline shares a word with the first this many words of its story; a line
# standing in for one that does not must read at least this well as a headline.
_AGREEMENT_WORDS = 150
# A label run into the headline ("Blog <headline>") has at most this many words,
# and the headline printed alone stands this near.
_RUN_IN_LABEL_WORDS = 4
_LABEL_REACH = 5
# ... or anywhere on the page, when it has this many words.
_FAR_TITLE_WORDS = 5
_AGREEING_SCORE = 1.5
_AGREEING_WORDS = 2
_UNDER_TITLE = 5


def read_page(data: bytes, options: ReadOptions) -> SourceResult:
    """Parse one page dump into (at most) one article.

    A page in a known shape (a time line under its headline, atop the story) is
    read by its header; any other by the generic reader (:mod:`.pagegeneric`).  A
    page printing no readable time is dated by its crawl (a ``fetched_at:`` line,
    else ``options.reference_time``: the file's modification time, else the time
    it is read) and flagged.

    Raises :class:`SourceError` naming the file if the bytes are binary data or
    the text holds no title or no story, or when it is a server's error page
    saved instead of a story (``404 Not Found`` over a few lines, see
    :mod:`.errorpage`); a page with both is never refused (any text encoding, no
    time printed, no crawl time, a one-sentence story)."""
    text = _decode(data, options.source)
    lines = [clean_text(line) for line in text.splitlines()]
    url = next((m.group(1) for line in lines[:12] if (m := _URL_LINE.match(line))), "")
    for at, line in enumerate(lines[:12]):
        if m := _FETCHED_LINE.match(line):
            # An unreadable crawl time leaves the file's in place: the page is
            # not refused for its crawler's header line.
            if (fetched := read_time(m["when"], options)) is not None:
                options = dataclasses.replace(options, reference_time=fetched)
            del lines[at]
            break
    if options.month_first is None and _AMBIGUOUS_DATE.search(text):
        # Numeric dates that read both ways (9/11/13) follow the page's own habit
        # (looked for only on pages printing one: it costs a pass over the lines).
        prose = [line for line in lines if len(line) > _PROSE_LENGTH]
        order = page_date_order(lines, host_of(url), english=generic.english(prose))
        options = dataclasses.replace(options, month_first=order)
    facts = LineFacts(options)
    # Crawlers often save the document's <title> ("Headline | Site") first.
    # It is not the page's text: the line it repeats is the headline.
    opening = next((at for at, line in enumerate(lines) if line and not _URL_LINE.match(line)), 0)
    named = generic.document_title(lines[opening]) if lines else ""
    if named:
        del lines[opening]

    # The breadcrumb opens the article; what stands above it is site navigation.
    crumbs: list[str] = []
    paragraphs: list[str] = []
    run: generic.Run | None = None
    for at, line in enumerate(lines[:_HEADER_SPAN]):
        if trail := _breadcrumb(line, facts):
            opens = _headline_over_trail(lines, at, trail, facts) + 1
            paragraphs = _without_boilerplate_lines(lines[opens:], options)
            run = _main_run(paragraphs, options)
            # A trail with no story under it is a footer's menu (`Home | Autoren |
            # Archiv`) printed below the story: the page is read whole.  So is a
            # trail printed right over the story's prose, below its header, with
            # no line under it to name the page (the headline is above it).
            if run is not None and (run.start > 0 or named):
                crumbs, lines = trail, lines[opens:]
            break
    if not crumbs:
        paragraphs = _without_boilerplate_lines(lines, options)
        run = _main_run(paragraphs, options)
    if not paragraphs:
        raise SourceError(options.source, "no article text found in page dump")
    if crumbs and not named:
        # The line under a crumb trail names the page, as a document title would
        # (past the trail's last crumb printed again as a section's label).
        label = paragraphs[0].lower() == crumbs[-1].lower()
        label = label and generic.weight(crumbs[-1]) <= _CRUMB_WORDS
        at = 1 if label else 0
        if at < len(paragraphs) and generic.headline_shaped(paragraphs[at], facts):
            named = paragraphs[at]
            if generic.kicker_over(paragraphs, at, facts):
                named = paragraphs[at + 1]

    page = paragraphs
    if not named and run is not None:
        named = _crumb_column_title(paragraphs, run, facts)
    try:
        header: _Header | None = _header(paragraphs, facts)
    except SourceError:
        header = None
    slug_words = generic.content_words(_URL_SLUG.sub(" ", url.rstrip("/").rsplit("/", 1)[-1]))
    fits = (
        _header_fits(header, run, paragraphs, facts, slug_words, named)
        if header is not None and run is not None
        else header is not None
    )
    if header is not None and run is not None and not fits:
        # Teasers printed as prose above the story make one run with it: the story
        # starts under its own header, inside that run.
        found = _header_inside(header, run, paragraphs, facts, slug_words, named)
        if found is not None:
            header, run, fits = found
    opened = None
    if header is not None and run is not None and not fits:
        # The story may open with a paragraph over a table or a list, its main run
        # of prose further down: the header over that paragraph names the page.
        opened = _opening_under(header, run, paragraphs)
        if opened is not None and (
            _header_fits(header, opened, paragraphs, facts, slug_words, named) is not True
        ):
            opened = None
    generic_read = None
    if run is not None and not (header is not None and fits):
        try:
            generic_read = _generic_parts(paragraphs, run, facts, slug_words, named)
        except SourceError:
            if header is None:
                raise
            # No line over the main run reads as its headline (the story runs on
            # far below charts or tables): the headline over the page's time line
            # names it; a page with a story is not refused for its headline.
            fits, opened = True, None
    if header is not None and opened is not None and generic_read is not None:
        # Headline and time from the header, the story from the main run.
        _, meta, standfirst, paragraphs = generic_read
        title, meta = header.title, header.meta.merged(meta)
        standfirst, label_section = standfirst or header.standfirst, header.label_section
    elif header is not None and fits:
        title, meta, standfirst, label_section, paragraphs = _header_parts(
            header, fits, run, paragraphs, facts, options
        )
    elif generic_read is not None:
        title, meta, standfirst, paragraphs = generic_read
        label_section = ""
        if not meta.has_time and header is not None and header.title == title:
            meta = meta.merged(header.meta)  # the header's time, under this headline
    else:
        raise SourceError(options.source, "page dump has a title but no article body")

    title = _agreeing_title(page, title, [standfirst, *paragraphs], facts)
    if run is not None and title in page:
        told = " ".join([standfirst, *paragraphs])
        title = generic.lone_dated_headline(page, run, title, told, facts) or title
    title = _fullest_print(page, title)
    title = _without_label(page, title)
    title = _without_site(page, title, " ".join([standfirst, *paragraphs[:_LEAD_PARAGRAPHS]]))
    caption, paragraphs = _take_captions(paragraphs)
    meta, paragraphs = _take_footer_times(meta, paragraphs, facts)
    dateline, agency = meta.dateline, meta.agency
    if lead := _take_dateline(paragraphs, title):
        dateline, agency = dateline or lead.place, agency or lead.agency
        paragraphs = [p for p in paragraphs if p]
    summary = standfirst
    if not summary and paragraphs and paragraphs[0] != title:
        summary = paragraphs.pop(0)
    # The page repeats the headline above the picture; the caption follows it.
    if title in paragraphs:
        at = paragraphs.index(title)
        following = paragraphs[at + 1] if at + 1 < len(paragraphs) else ""
        if (
            following
            and len(following) <= 160
            and (not following.endswith(_SENTENCE_END) or len(following) < 60)
        ):
            caption = caption or following
            del paragraphs[at + 1]
        del paragraphs[at]
    paragraphs = [p for p in paragraphs if p != title and p != summary]
    body = "\n\n".join(paragraphs)
    if len(body) < _MIN_BODY_CHARS and not summary:
        raise SourceError(options.source, "page dump has a title but no article body")
    refuse_error_page(options.source, title, f"{summary} {body}")

    section_label = _section_label(crumbs)
    section = canonical_section(section_label) if section_label else ""
    section = section or meta.section or section_from_url(url) or label_section
    if not url and options.url_template:
        url = options.url_template.format(slug=slug(title), section=section or "news")
    image = Image(url="", alt=caption or title, caption=caption) if caption else None
    if not meta.has_time and run is not None:
        title_at = page.index(title) if title in page else None
        meta = meta.merged(generic.fallback_time(page, title_at, run, facts) or Meta())
    published = meta.published or meta.updated
    crawled = published is None
    if published is None:
        # No crawl time given (no file time, no fetched_at line): the page is being
        # read now, so it was saved by now; it is not refused for want of a time.
        # The clock is the options' (injected), in UTC as every time of an article.
        published = (options.reference_time or options.clock()).astimezone(UTC)
    article = Article(
        id=article_id(url=url) if url else article_id(source=options.publisher, guid=title),
        url=url,
        title=title,
        summary=summary,
        body=body,
        section=section,
        tags=_crumb_tags(crumbs),
        # A page that shows only "Updated on" gives that time as both.
        published_at=published,
        updated_at=meta.updated,
        dateline=dateline,
        agency=agency,
        byline=meta.byline,
        image=image,
        language=_language(title + summary),
        publisher=options.publisher,
        source=options.source,
        time_from_crawl=crawled,
    )
    skipped: tuple[Skipped, ...] = ()
    return SourceResult(options.source, (article,), skipped)


def _crumb_column_title(paragraphs: list[str], run: generic.Run, facts: LineFacts) -> str:
    """The headline ending a crumb trail printed one crumb a line ("Startseite",
    "Wirtschaft", "Unternehmen", "<headline>") above the story, or ``""``.  Such
    a trail names the page, as a document title would; the line counts only when
    it agrees with the story's lead (a menu starting with "Home" does not)."""
    lead = generic.content_words(
        " ".join([p for p in paragraphs[run.start : run.end] if generic.is_prose(p)][:3])
    )
    for root in range(run.start - 1, max(-1, run.start - _CRUMB_COLUMN_SPAN - 1), -1):
        words = paragraphs[root].lower().split()
        if not words or words[0] not in _CRUMB_ROOTS or len(words) > _CRUMB_WORDS:
            continue
        for line in paragraphs[root + 1 : min(run.start, root + _CRUMB_COLUMN_DEPTH + 1)]:
            if generic.headline_shaped(line, facts) and generic.weight(line) > _CRUMB_WORDS:
                own = generic.content_words(line)
                shared = len(own & lead)
                agrees = shared >= _LEAD_WORDS and shared >= _CRUMB_AGREEMENT * len(own)
                return line if agrees else ""
            if generic.weight(line) > _CRUMB_WORDS:
                break  # no crumb: the trail ended in something else
    return ""


def _agreeing_title(page: list[str], title: str, story: list[str], facts: LineFacts) -> str:
    """The headline, checked against the story: a line sharing no word with the
    story's lead (a menu entry, a search box's label, a site's motto) names
    another page.  Then the line above the story that reads best as its headline
    among those sharing two words with the lead is taken, if one reads well enough."""
    own = generic.content_words(title)
    # The lead's words, paragraph by paragraph: nearly every headline shares one
    # with the first paragraph, so the rest is rarely read.
    lead: set[str] = set()
    budget = _AGREEMENT_WORDS
    first = ""
    for line in story:
        if not line:
            continue
        first = first or line
        words = line.split()
        lead |= generic.content_words(" ".join(words[:budget]))
        if own & lead:
            return title
        budget -= len(words)
        if budget <= 0:
            break
    if not lead or first not in page:
        return title
    if title in page:
        at = page.index(title)
        under = " ".join(p for p in page[at + 1 : at + 1 + _UNDER_TITLE] if generic.is_prose(p))
        if len(own & generic.content_words(under)) >= _AGREEING_WORDS:
            return title  # it heads a story printed under it, one the story read missed
    start = page.index(first)
    told = sum(1 for line in story if line)
    run = generic.Run(start, min(len(page), start + told))
    _, scores = generic.headline_scores(page, run, facts, slug_words=set())
    agreeing = [
        (score, at)
        for at, score in scores.items()
        if score >= _AGREEING_SCORE
        and len(generic.content_words(page[at]) & lead) >= _AGREEING_WORDS
    ]
    return page[max(agreeing)[1]] if agreeing else title


def _without_label(page: list[str], title: str) -> str:
    """The headline without a label run into it: when a line near the headline (or
    anywhere on the page, if long) is its end printed alone ("Blog <headline>", "Sie
    sind hier: > <headline>", "27.01.2022<headline>", "›<headline>"), and what comes
    before is a label of a few words, the line printed alone is the headline."""
    if title not in page:
        return title
    at = page.index(title)
    close = range(max(0, at - _LABEL_REACH), min(len(page), at + _LABEL_REACH + 1))
    # Printed alone further off (in a related list, a share text), the end is the
    # headline only when it is long enough not to be a topic's name.
    for where in itertools.chain(close, range(close.start), range(close.stop, len(page))):
        near = page[where]
        if (
            len(near) < len(title)
            and title.endswith(near)
            and len(near.split()) >= (_MIN_TITLE_WORDS if where in close else _FAR_TITLE_WORDS)
            and generic.weight(title[: -len(near)]) <= _RUN_IN_LABEL_WORDS
            # "Italien: Reise- und Sicherheitshinweise": a kicker, part of the headline.
            and not title[: -len(near)].rstrip().endswith((":", "-", "–", "—"))
            # "12 of the <words>": the headline's own opening, not a label.
            and not generic.ends_in_stopword(title[: -len(near)])
        ):
            return near
    return title


def _without_site(page: list[str], title: str, lead: str) -> str:
    """The headline without the site's name after it: a line read as the headline
    that has a document title's shape ("Alles Neue mach der Mai… | Bibliothek 2.0
    und mehr", "… | wdr aktuell": a share text, the picture's title) names the page
    by its headline part when the page prints that part as a line of its own.
    Only after a bar: a dash also joins a headline's own parts ("Wedding Planning
    Tools – Caterer Comparison Spreadsheet", its first part a category's name).
    ``lead``: the story's opening, which a site's name does not retell."""
    head = generic.document_title(title)
    if not head or head not in page or " | " not in title[len(head) :]:
        return title
    # A topic over a bar, its headline after it ("Bridge closures explained |
    # Council shuts old bridge", the topic a tag the page lists): the part after
    # the bar agrees with the lead, a site's name does not. Short words are left
    # out: function words of other languages ("und mehr") agree with any lead.
    tail = {
        word for word in generic.content_words(title[len(head) :]) if len(word) >= _SITE_WORD_CHARS
    }
    return title if len(tail & generic.content_words(lead)) >= _SITE_AGREEMENT else head


def _fullest_print(page: list[str], title: str) -> str:
    """The headline as printed best: pages often print it twice in a row (the
    document's title, then the heading with its kicker run into it: "Bei
    Protesten 2022: Bericht: …" over "Bei Protesten 2022 Bericht: …"); of prints
    with the same letters, the one with the kicker set off by punctuation."""
    if title not in page:
        return title
    at = page.index(title)
    letters = _LETTERS.sub("", title).lower()
    for near in page[max(0, at - _REPRINT_REACH) : at + _REPRINT_REACH + 1]:
        if len(near) > len(title) and _LETTERS.sub("", near).lower() == letters:
            title = near
    return title


def _header_inside(
    header: _Header,
    run: generic.Run,
    paragraphs: list[str],
    facts: LineFacts,
    slug_words: set[str],
    named: str,
) -> tuple[_Header, generic.Run, bool | str] | None:
    """The first header at or after ``header`` that stands inside ``run`` with
    the story under it, the run from there, and how it fits (see
    :func:`_header_fits`); ``None`` if there is none."""
    for _ in range(_INNER_HEADERS):
        if header.consumed >= run.end:
            return None
        inner = _run_under(header, run, paragraphs)
        if inner is not None and generic.headline_shaped(header.title, facts):
            fits = _header_fits(header, inner, paragraphs, facts, slug_words, named)
            if fits is True:  # its own headline, not a deck's
                return header, inner, fits
        try:
            header = _header(paragraphs, facts, start=header.consumed)
        except SourceError:
            return None
    return None


def _opening_under(header: _Header, run: generic.Run, paragraphs: list[str]) -> generic.Run | None:
    """The main run moved up to the first paragraph of prose under ``header``, when
    that paragraph is close under it and the run starts further down; else ``None``."""
    if run.start - header.consumed <= _HEADER_GAP:
        return None
    start = _prose_under(header, paragraphs, run.start)
    return None if start is None else generic.Run(start, run.end)


def _run_under(header: _Header, run: generic.Run, paragraphs: list[str]) -> generic.Run | None:
    """The part of ``run`` from the first paragraph under ``header``, when the
    header stands inside the run with prose just under it; else ``None``."""
    if not run.start < header.consumed < run.end - 1:
        return None
    start = _prose_under(header, paragraphs, run.end)
    return None if start is None else generic.Run(start, run.end)


def _prose_under(header: _Header, paragraphs: list[str], end: int) -> int | None:
    """Where the first paragraph of prose close under ``header`` (before ``end``) is."""
    last = min(end, header.consumed + _HEADER_GAP + 1)
    return next(
        (at for at in range(header.consumed, last) if generic.is_prose(paragraphs[at])), None
    )


def _header_fits(
    header: _Header,
    run: generic.Run,
    paragraphs: list[str],
    facts: LineFacts,
    slug_words: set[str],
    named: str,
) -> bool | str:
    """Whether a header found by its time line sits atop the page's main run of
    prose (a time line in a menu or a list of other stories does not), under a line
    that reads as its headline at least about as well as any other.  When the best
    headline stands just over the header's, that one is the deck under it: the
    answer is then the headline."""
    if not -_HEADER_OVERLAP <= run.start - header.consumed <= _HEADER_GAP:
        return False
    above = [at for at in range(min(header.consumed, len(paragraphs)) - 1, -1, -1)]
    title_at = next((at for at in above if paragraphs[at] == header.title), None)
    if title_at is None:
        return False
    best, scores = generic.headline_scores(
        paragraphs, run, facts, slug_words=slug_words, named=named
    )
    first = paragraphs[run.start] if run.start < len(paragraphs) else ""
    if (
        title_at == run.start + 1
        and len(first.split()) <= generic.LONG_HEADLINE_WORDS
        and not first.endswith(".")  # a lead sentence, not a headline
        and not generic.two_sentences(first)
        and generic.headline_shaped(first, facts) is False
        and generic.can_be_headline(first, facts)
        and generic.content_words(first)
        & generic.content_words(
            " ".join([p for p in paragraphs[header.consumed : run.end] if generic.is_prose(p)][:3])
        )
    ):
        # The run opens with a headline long enough to read as prose, the header's
        # "headline" under it is its deck or byline.
        return first
    over = paragraphs[title_at - 1] if title_at > 0 else ""
    if (
        title_at - 1 in scores
        and generic.sentence_deck(over, header.title)
        and generic.weight(over) < generic.weight(header.title)
        and generic.headline_shaped(over, facts)
        and not over.endswith(".")
        and scores[title_at - 1] >= scores.get(title_at, float("-inf")) - _HEADLINE_MARGIN
    ):
        # The header's "headline" is a deck written as a sentence; the shorter
        # line right over it, reading about as well, is the headline.
        return over
    if (
        best is not None
        and best[0] == title_at - 1
        and title_at in scores
        and best[1] < scores[title_at]
        and not generic.deck_under(header.title, over)
    ):
        # The generic reader took the line right over the header's "headline"
        # although that one scored higher: it read it as the deck under the
        # headline (headline, deck, byline: a blog platform's layout).  The line
        # over it is then no sentence, nor much longer (that reads as a standfirst).
        return over
    if best is None or best[0] == title_at:
        return _headline_under_time(header, run, paragraphs, facts) or True
    named_again = paragraphs[best[0]]
    if len(named_again) < len(header.title) and header.title.lower().endswith(named_again.lower()):
        # The header's line is a crumb trail or a label run into the headline
        # ("Blog Insights <headline>"); the headline alone is printed again.
        return named_again
    if paragraphs[best[0]] == header.standfirst and header.standfirst.endswith("."):
        return True  # the best line is the header's standfirst, a sentence
    titled = scores.get(title_at, float("-inf"))
    lead = generic.content_words(" ".join(paragraphs[header.consumed : header.consumed + 4]))
    heads_lead = titled >= _HEADER_HEADLINE_SCORE and bool(
        generic.content_words(header.title) & lead
    )
    if best[0] == header.consumed and best[1] > titled and not heads_lead:
        # Pages that print the time over the headline: the line right under the
        # header's time line reads best, the header's "headline" is a teaser above
        # (a line reading well as a headline and agreeing with the lead is none).
        return paragraphs[best[0]]
    if (
        best[0] >= header.consumed
        and len(generic.content_words(header.title)) >= _MIN_TITLE_WORDS
        and title_at in scores
    ) and not any(facts.is_time(p) for p in paragraphs[header.consumed : run.start]):
        # The best line stands between the header and the story (a subheading, a
        # caption): the story's own header is above it.
        return _headline_under_time(header, run, paragraphs, facts) or True
    if (
        title_at - _DECK_REACH <= best[0] < title_at
        and all(
            generic.weight(p) < _MIN_DECK_WORDS or caption_text(p)
            for p in paragraphs[best[0] + 1 : title_at]
        )
        # A headline agrees with the story under it; a site's motto does not.
        and generic.content_words(paragraphs[best[0]]) & lead
        # A topic label over the headline is named again inside it.
        and paragraphs[best[0]].lower() not in header.title.lower()
        and not generic.label_over_headline(paragraphs[best[0]], header.title)
    ):
        # The header's "headline" is the deck under the real one (a label such as
        # "New, 15 comments" may stand between them, or the picture's caption).
        return paragraphs[best[0]]
    if (
        title_at > run.start > best[0]
        and best[1] >= _HEADER_HEADLINE_SCORE
        and len(generic.content_words(paragraphs[best[0]]) & lead) >= _LEAD_WORDS
    ):
        # The header's "headline" stands under the story's first paragraph (a
        # subheading or a caption over the byline); the headline over the story,
        # agreeing with it, is the page's.
        return paragraphs[best[0]]
    own = scores.get(title_at)
    if own is None and not run.start - generic.HEADLINE_SPAN <= title_at < run.start:
        own = generic.headline_score(
            paragraphs, title_at, run, facts, slug_words=slug_words, named=named
        )
    return own is not None and own >= best[1] - _HEADLINE_MARGIN


def _headline_under_time(
    header: _Header, run: generic.Run, paragraphs: list[str], facts: LineFacts
) -> str:
    """The headline under the header's time line when the page prints its date
    over the headline: the header's "headline" (a menu's call to action, "Book a
    Demo Log In") shares no word with the story, the line under the time line (a
    topic label of a few words may come between) shares two or more and may be a
    headline.  ``""`` when the header's line may be the headline."""
    lead = generic.content_words(" ".join(paragraphs[run.start : run.start + 4]))
    own = generic.content_words(header.title)
    if own & lead:
        return ""
    for at in range(header.consumed, min(run.start, header.consumed + 2)):
        line = paragraphs[at]
        if (
            generic.can_be_headline(line, facts)
            and len(generic.content_words(line) & lead) >= _LEAD_WORDS
            # A headline over its deck or caption shares words with it; a call to
            # action or a menu entry over the time line shares none.
            and not generic.content_words(line) & own
        ):
            return line
        if generic.weight(line) > _TOPIC_LABEL_WORDS:
            break  # only a topic label may stand between time line and headline
    return ""


def _header_parts(
    header: _Header,
    fits: bool | str,
    run: generic.Run | None,
    paragraphs: list[str],
    facts: LineFacts,
    options: ReadOptions,
) -> tuple[str, Meta, str, str, list[str]]:
    """Title, header facts, standfirst, section label and story of a page read by
    its header (a headline over its time line); ``fits`` is the deck's real
    headline when the header took the deck for it."""
    title = fits if isinstance(fits, str) else header.title
    # The story ends with the main run of prose; time lines just under it
    # ("First published on …") are still read.
    end = run.end if run is not None and run.end > header.consumed else len(paragraphs)
    footer = [p for p in paragraphs[end : end + _FOOTER_REACH] if facts.is_time(p)]
    resume = run.start - header.consumed if run is not None else None
    story = paragraphs[header.consumed : end]
    story_text = _article_text(story, title, options, resume) + footer
    return title, header.meta, header.standfirst, header.label_section, story_text


def _generic_parts(
    paragraphs: list[str], run: generic.Run, facts: LineFacts, slug_words: set[str], named: str
) -> tuple[str, Meta, str, list[str]]:
    """Title, header facts, standfirst and story paragraphs of a page in no known
    shape (see :mod:`.pagegeneric`)."""
    found = generic.headline_at(paragraphs, run, facts, slug_words=slug_words, named=named)
    inside = generic.headline_inside(
        paragraphs, run, facts, slug_words=slug_words, named=named, found=found
    )
    if inside is not None:
        # The story starts under the headline inside the run (promos above it).
        title_at, run = inside, generic.Run(inside + 1, run.end)
    elif generic.opens_with_headline(paragraphs, run, facts, found=found is not None):
        # The run's first line is the headline (a headline long enough to read as
        # prose): the story starts under it.
        title_at, run = run.start, generic.Run(run.start + 1, run.end)
    elif found is not None:
        title_at = found[0]
    else:
        # Nothing reads well as the headline: the nearest line above the story with
        # a few words and no header facts.
        above = [
            at
            for at in range(run.start - 1, max(-1, run.start - generic.HEADLINE_SPAN), -1)
            if len(paragraphs[at].split()) >= 2 and facts(paragraphs[at], names=True) is None
        ]
        near = [at for at in above if at > run.start - _FALLBACK_REACH]
        # A line that may be a headline at all (not a price, a label) is preferred,
        # then the nearest line of a few words; failing both, the story's first line
        # names it if it could be a headline (a paragraph of prose is none).
        chosen = next(
            (at for at in above if generic.can_be_headline(paragraphs[at], facts)),
            near[0] if near else None,
        )
        if chosen is not None:
            title_at = chosen
        elif run.end - run.start >= 2 and _may_title_story(paragraphs[run.start], facts):
            title_at, run = run.start, generic.Run(run.start + 1, run.end)
        elif run.start > 0 and _names_story(paragraphs[run.start - 1], facts):
            # A short headline read as a person's name ("Performant Python") over
            # the story: a page with a story is not refused for its headline.
            title_at = run.start - 1
        elif named:
            # The dump's document title ("Headline | Site") names a story printed
            # with no headline over it: a page with a title is not refused.
            meta, used = generic.header_meta(paragraphs, None, run, facts)
            lines = enumerate(paragraphs[run.start : run.end], run.start)
            story = [p for at, p in lines if at not in used]
            return named, meta, "", _without_boxes(story, facts.options)
        else:
            raise SourceError(facts.options.source, "no headline found above the article text")
    title = paragraphs[title_at]
    meta, used = generic.header_meta(paragraphs, title_at, run, facts)
    standfirst = ""
    # The standfirst stands just under the headline (header lines aside); a long
    # line further down is a related link or a promo.
    near = [at for at in range(title_at + 1, run.start) if at not in used][:_STANDFIRST_REACH]
    for at in near:
        line = paragraphs[at]
        if (
            len(line.split()) >= 12
            and line != title
            and not caption_text(line)
            and not facts.options.boilerplate.stops(line)
        ):
            standfirst = line
            break
    story = [p for at, p in enumerate(paragraphs[run.start : run.end], run.start) if at not in used]
    return title, meta, standfirst, _without_boxes(story, facts.options)


def _without_boxes(story: list[str], options: ReadOptions) -> list[str]:
    """The story without the boxes the main run went past (see
    :func:`.pagegeneric.story_resumes`): a stop marker and the lines under it up
    to where the prose resumes."""
    kept: list[str] = []
    in_box = False
    for paragraph in story:
        if options.boilerplate.stops(paragraph):
            in_box = True
        elif in_box and generic.is_prose(paragraph):
            in_box = False
        if not in_box:
            kept.append(paragraph)
    return kept


def _take_captions(paragraphs: list[str]) -> tuple[str, list[str]]:
    """The first picture caption, and the paragraphs without any caption."""
    captions: list[str] = []
    kept: list[str] = []
    for paragraph in paragraphs:
        if caption := caption_text(paragraph):
            captions.append(caption)
        else:
            kept.append(paragraph)
    return (captions[0] if captions else ""), kept


def _take_footer_times(
    meta: Meta, paragraphs: list[str], facts: LineFacts
) -> tuple[Meta, list[str]]:
    """Time lines printed under the story (``First published on: …``) fill in what
    the header did not say; they leave the text."""
    kept = paragraphs[:1]
    for paragraph in paragraphs[1:]:
        said = facts(paragraph)
        if said is not None and said.has_time:
            if meta.updated and said.published and said.published > meta.updated + _SAME_DAY:
                # A story is published before its last update: a later date under
                # it is another story's (a teaser's), not this one's publication.
                said = dataclasses.replace(said, published=None)
            meta = meta.merged(said)
        else:
            kept.append(paragraph)
    return meta, kept


def _take_dateline(paragraphs: list[str], title: str) -> Dateline | None:
    """The dateline opening the story, cut from its paragraph (left empty if that
    was all it held).

    Wire copy opens "MOSCOW (Reuters) - ..." or "Kabul, Nov 23 (PTI) ...", in the
    first paragraph or, under a standfirst, the second (there only in capitals or
    with the agency: "Peskov: ..." there is a quote).
    """
    leads = [i for i, p in enumerate(paragraphs) if p != title][:2]
    for i in leads:
        if found := body_dateline(paragraphs[i], strict=i != leads[0]):
            paragraphs[i] = found.rest
            return found
    return None


def _headline_over_trail(lines: list[str], at: int, trail: list[str], facts: LineFacts) -> int:
    """Where the article opens around the crumb trail at ``at``: the trail itself,
    or the line just before the headline when the trail's last crumb repeats a
    line printed right above the trail or a few lines above it over its time line,
    byline or post's date line (headline, time line, then the trail): the headline
    is the page's, not navigation (a menu entry repeating a long section's name,
    other entries under it, stands over none)."""
    last = trail[-1].casefold()
    for above in range(at - 1, max(-1, at - 1 - _CRUMB_HEADLINE_REACH), -1):
        if (
            len(last.split()) >= _CRUMB_HEADLINE_WORDS
            and lines[above].casefold() == last
            and (
                above == at - 1
                or any(
                    facts(line) is not None or generic.post_date_line(line)
                    for line in lines[above + 1 : at]
                )
            )
        ):
            return above - 1
    return at


def _breadcrumb(line: str, facts: LineFacts) -> list[str]:
    """The crumbs of a breadcrumb line (``Home > World``, ``News » International``,
    ``Home / World News / Asia``, ``होम › विदेश``), or ``[]``."""
    separator = next((s for s in _CRUMB_SEPARATORS if s in line), "")
    if not separator or len(line) > 240 or facts.is_time(line):
        return []
    crumbs = [c.strip() for c in line.split(separator)]
    # A trail runs from the home page down to the page: a longer row of links
    # ("Home | Membership | About | FAQ's | … | Contact") is a menu.
    if not 2 <= len(crumbs) <= _CRUMB_DEPTH or not all(crumbs[:-1]):
        return []
    if crumbs[0].lower() in _CRUMB_ROOTS:
        return crumbs
    # Without "Home" only an arrow trail that names a known section counts.
    known = any(clean_text(c).lower() in SECTION_ALIASES for c in crumbs)
    if separator in (">", "»", "›") and known and all(len(c.split()) <= 4 for c in crumbs[:-1]):
        return crumbs
    return []


@dataclass(frozen=True, slots=True)
class _Header:
    title: str
    meta: Meta
    #: The standfirst when it is printed between the headline and the time line.
    standfirst: str
    #: Section named by a label line just above the headline ("World News").
    label_section: str
    #: How many paragraphs the header took, title included.
    consumed: int


def _header(paragraphs: list[str], facts: LineFacts, start: int = 1) -> _Header:
    """Title, standfirst, times, dateline and credits from the top of the article.

    The anchor is the first time line under a headline.  Credit lines just above
    it (``By Ali Latifi``, ``Reuters``) and header lines just below it are read
    with it; the line above the credits is the headline, unless it reads like a
    standfirst under a shorter headline.  Lines above the headline are navigation.
    """
    first = None
    # A date printed in the site's own header ("Monday, November 23, 2020" under the
    # logo) sits under a menu entry, not a headline: try the next time line.
    for time_at in range(max(1, start), min(len(paragraphs), _HEADER_SPAN)):
        if not facts.is_time(paragraphs[time_at]):
            continue
        first = time_at if first is None else first
        header = _header_at(paragraphs, time_at, facts)
        if len(header.title.split()) >= _MIN_TITLE_WORDS:
            return header
        if below := _headline_below(paragraphs, header.consumed, facts.options):
            # Some sites print the date above the headline: the menu entry over
            # the date is no title, the line under the header lines is.
            return dataclasses.replace(
                header,
                title=below,
                consumed=header.consumed + 1,
                label_section=_label_section(header.title) or header.label_section,
            )
    if first is None:
        raise SourceError(
            facts.options.source,
            "no time line ('Updated on: …', 'Published …', a date) under a title",
        )
    return _header_at(paragraphs, first, facts)


def _headline_below(paragraphs: list[str], at: int, options: ReadOptions) -> str:
    """The line at ``at`` if it reads as a headline over story text, else ``""``
    ("Leave a comment" over the story is a prompt, not its headline)."""
    line = paragraphs[at] if at < len(paragraphs) else ""
    after = paragraphs[at + 1] if at + 1 < len(paragraphs) else ""
    if (
        _MIN_TITLE_WORDS <= len(line.split()) <= 30
        and not line.endswith(".")
        and len(after.split()) >= 12
        and not options.boilerplate.stops(line)
    ):
        return line
    return ""


def _header_at(paragraphs: list[str], time_at: int, facts: LineFacts) -> _Header:
    meta = Meta()
    above = time_at - 1
    boxed = 0  # lines of a writer's box (bio, job) between the credits
    labelled = False
    while above > 0 and time_at - above <= _CREDIT_SPAN + boxed:
        if generic.byline_label(paragraphs[above]):
            # "By" over the name: over it, names alone are no credit (a short
            # Title Case headline reads as names), "By Jane Doe" still is.
            labelled = True
            above -= 1
            continue
        if _FIELD_LABEL.match(paragraphs[above]):
            above -= 1  # "Author:" over the name, "Publish date:" over the date
            continue
        if (name_at := _writer_bio(paragraphs, above)) is not None:
            boxed += above - name_at  # the writer's bio under their name and job
            above = name_at
            continue
        credit = facts(paragraphs[above], names=not labelled) or (
            None if labelled else generic.byline_meta(paragraphs, above)
        )
        if credit is None or credit.has_time:
            break
        meta = meta.merged(credit)
        above -= 1
    if above > 1 and _PICTURE_CREDIT.match(paragraphs[above]):
        # "(Jacquelyn Martin / Associated Press)" under a caption under the headline.
        above -= 2
    elif above > 1 and caption_text(paragraphs[above]):
        above -= 1  # a caption with its credit run on ("… (Photos: Getty/AP)")
    if above > 0 and len(generic.CRUMB_SEPARATOR.findall(paragraphs[above])) >= 2:
        above -= 1  # a crumb trail between the headline and its time line
    title_at, standfirst = above, ""
    if above > 0 and _is_standfirst(paragraphs, above, facts):
        title_at, standfirst = above - 1, paragraphs[above]
    at = time_at
    while at < len(paragraphs) and (found := facts(paragraphs[at])) is not None:
        meta = meta.merged(found)
        at += 1
    labels = paragraphs[max(0, title_at - _LABEL_SPAN) : title_at]
    label_section = next(
        (named for label in reversed(labels) if (named := _label_section(label))), ""
    )
    return _Header(paragraphs[title_at], meta, standfirst, label_section, at)


def _writer_bio(paragraphs: list[str], at: int) -> int | None:
    """Where the writer's name stands when the line at ``at`` is their bio in the
    byline's box over the time line: prose opening with a name printed alone
    right over it or over the writer's job ("Donna Currie" over "Donna Currie is a
    food writer …"; "Rebecca Drew", "UCaaS Researcher, Reporter", "Rebecca Drew has
    been …").  The box credits the story; the headline stands over it, not in it."""
    line = paragraphs[at]
    if not generic.is_prose(line):
        return None
    name_at = at - 1
    if (
        name_at > 0
        and len(paragraphs[name_at].split()) <= _JOB_WORDS
        and not line.startswith(paragraphs[name_at] + " ")
    ):
        name_at -= 1  # the writer's job, a few words, between name and bio
    name = paragraphs[name_at] if name_at >= 0 else ""
    return name_at if generic.names_only(name) and line.startswith(name + " ") else None


def _label_section(label: str) -> str:
    """The section a short label line names: ``World News``, ``The latest world news``."""
    words = clean_text(label).lower().split()
    if not words or len(words) > 4:
        return ""
    for start in range(len(words)):
        if (tail := " ".join(words[start:])) in SECTION_ALIASES:
            return SECTION_ALIASES[tail]
    return ""


def _is_standfirst(paragraphs: list[str], at: int, facts: LineFacts) -> bool:
    """Whether the line at ``at`` is a standfirst under the headline above it."""
    line, above = paragraphs[at], paragraphs[at - 1]
    if line in paragraphs[at + 1 :] and not line.endswith("."):
        return False  # the page repeats its headline (rarely its standfirst, a sentence)
    above_split = above.split()
    half = len(above_split) // 2
    if above_split[:half] == above_split[half:]:
        return False  # "IPL 2020 IPL 2020": a menu entry the crawler saw twice
    words, above_words = len(line.split()), len(above_split)
    ends = line.endswith(_SENTENCE_END)
    # A line of 12 words or more reads as a standfirst, unless written in Title
    # Case without a full stop, as headlines are.
    sentence = ends or (words >= 12 and not generic.title_case(line))
    return (
        sentence
        and words >= 10
        and above_words >= 4
        and len(generic.content_words(above)) > _MIN_TITLE_WORDS  # no label ("Blog - News")
        and words > above_words
        and not above.endswith(".")
        and facts(above) is None
    )


def _names_story(line: str, facts: LineFacts) -> bool:
    """Whether the line just over the story may be its headline when nothing else
    will: a few words, no sentence, no time or credit (a bare name aside)."""
    return (
        2 <= len(line.split()) <= generic.LONG_HEADLINE_WORDS
        and not generic.is_prose(line)
        and facts(line) is None
        and not line.endswith(":")
    )


def _may_title_story(line: str, facts: LineFacts) -> bool:
    """Whether the story's first line may stand as its headline when no line above
    the story will: a line that could be a headline, one sentence at most and no
    longer than a long headline (three paragraphs of prose name no headline)."""
    return (
        generic.can_be_headline(line, facts)
        and len(line.split()) <= generic.LONG_HEADLINE_WORDS
        and not _SENTENCE_BREAK.search(line)
    )


def _article_text(
    paragraphs: list[str], title: str, options: ReadOptions, run_start: int | None = None
) -> list[str]:
    """The article's paragraphs after the header, up to the first stop marker.

    Until the story starts, short label lines (topic tags, ``Share``, a bare
    ``BEIRUT:`` dateline is kept) are skipped; stop markers count only once the
    story has started, so a menu entry above it cannot end the article.  A stop
    marker just over ``run_start`` (where the page's main run of prose starts)
    opens a box inside the story, however much of it was told above the box.
    """
    kept: list[str] = []
    started = in_box = False
    for at, paragraph in enumerate(paragraphs):
        if started and options.boilerplate.stops(paragraph):
            if generic.header_count(paragraph, sum(map(generic.is_prose, kept))):
                continue  # the header's comment count, over the story's paragraphs
            after = paragraphs[at + 1 : at + 1 + _BOX_REACH]
            resumes = run_start is not None and at < run_start <= at + 1 + _BOX_REACH
            # A marker inside the main run heads a box the story goes on under.
            resumes = resumes or (run_start is not None and at >= run_start)
            if generic.comment_thread(paragraph) or not (resumes or _inline_box(kept, after)):
                break
            in_box = True
            continue
        if in_box:
            # The box's links ("Council names a new head of roads") are no part of
            # the story: it goes on where prose resumes.
            if not generic.is_prose(paragraph):
                continue
            in_box = False
        if not started:
            if (
                paragraph != title
                and (generic.weight(paragraph) < 6 or _POST_LABEL.match(paragraph))
                and not paragraph.endswith(_SENTENCE_END + _CJK_SENTENCE_END)
                and not caption_text(paragraph)
                and not body_dateline(paragraph)
            ):
                continue
            started = not caption_text(paragraph) and paragraph != title
        kept.append(paragraph)
    # "BEIRUT:" on a line of its own belongs to the paragraph after it.
    if len(kept) > 1 and (found := body_dateline(kept[0])) and not found.rest:
        kept[1] = f"{kept[0]} {kept[1]}"
        del kept[0]
    return kept


def _inline_box(kept: list[str], after: list[str]) -> bool:
    """Whether a stop marker under the story's first lines opens a box inside the
    story ("Related articles" after the first paragraph), not its end: little of
    the story is above it and its prose goes on just under the box."""
    told = sum(generic.weight(p) for p in kept if generic.is_prose(p))
    return told < _BOX_STORY_WORDS and bool(after) and generic.box_under(after)


def _language(text: str) -> str:
    if not _DEVANAGARI.search(text):
        return "en"  # (no Devanagari letter: the common case, without a look at each)
    letters = [ch for ch in text if ch.isalpha()]
    hindi = sum(1 for ch in letters if _DEVANAGARI.match(ch))
    return "hi" if letters and hindi * 2 > len(letters) else "en"


def _decode(data: bytes, source: str) -> str:
    """The text of a dump: UTF-8, UTF-16 or UTF-32 (a byte-order mark, or UTF-16
    without one: printable text read so, in any script), UTF-8 with a few broken
    bytes (a dump cut mid-character) or Windows-1252 as browsers read it (the
    five bytes it leaves undefined are Latin-1's).  No text page is refused for
    its encoding; binary data (nul bytes, and no printable UTF-16) is."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            # A dump cut short (half a character at its end) is still this text:
            # read as anything else, UTF-32 would be UTF-16 with nuls between letters.
            return data.decode(codec, errors="replace")
    head = data[:4096]
    if b"\x00" in head:
        wide = _utf16_without_bom(head)
        if wide is None:
            raise SourceError(source, "binary data, not a text page dump")
        return data.decode(wide, errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # As many valid UTF-8 sequences as broken bytes or more: UTF-8 text, damaged (cut
    # mid-character, a stray byte); else a single-byte text (crawlers on Windows
    # save cp1252), whose accented letters are no UTF-8 sequences.
    valid = len(_UTF8_SEQUENCE.findall(data))
    broken = data.decode("utf-8-sig", errors="replace").count("\ufffd")
    if valid >= broken:
        return data.decode("utf-8-sig", errors="replace")
    return data.decode("cp1252", errors=_LATIN1_FALLBACK)


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
#: Share of the characters of UTF-16 without a mark that must be printable (or
#: spaces, line ends): binary data read as UTF-16 gives control characters,
#: private-use and unassigned code points.
_UTF16_PRINTABLE = 0.98


def _utf16_without_bom(head: bytes) -> str | None:
    """``"utf-16-le"`` or ``"utf-16-be"`` when ``head`` reads as UTF-16 text saved
    without a byte-order mark, else ``None``.  The high byte of a character is
    the one most often nul (Latin letters, spaces and line ends in any script);
    read that way the text must be printable, which binary data is not."""
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if even == odd:
        return None
    codec = "utf-16-le" if odd > even else "utf-16-be"
    text = head[: len(head) // 2 * 2].decode(codec, errors="replace").lstrip("\ufeff")
    shown = sum(1 for char in text if char.isprintable() or char in "\n\r\t")
    if "\x00" in text or shown < _UTF16_PRINTABLE * len(text):
        return None
    return codec


def _latin1_bytes(error: UnicodeError) -> tuple[str, int]:
    """Browsers' Windows-1252: the bytes cp1252 leaves undefined are Latin-1's."""
    assert isinstance(error, UnicodeDecodeError)
    return error.object[error.start : error.end].decode("latin-1"), error.end


_LATIN1_FALLBACK = "digest-cp1252-latin1"
codecs.register_error(_LATIN1_FALLBACK, _latin1_bytes)


def _main_run(paragraphs: list[str], options: ReadOptions) -> generic.Run | None:
    """The page's main run of prose (see :func:`.pagegeneric.main_run`); on a page
    printing no sentence at all, its longest stretch of lines of some words."""
    stops = [options.boilerplate.stops(p) for p in paragraphs]
    run = generic.main_run(paragraphs, stops)
    if run is not None:
        return run
    best: generic.Run | None = None
    start = None
    for at, line in enumerate([*paragraphs, ""]):
        if at < len(paragraphs) and not stops[at] and generic.weight(line) >= 6:
            start = at if start is None else start
            continue
        if start is not None and (best is None or at - start > best.end - best.start):
            best = generic.Run(start, at)
        start = None
    if best is not None and best.end - best.start >= 3:
        return best
    return _told_lines(paragraphs, stops)


def _told_lines(paragraphs: list[str], stops: list[bool]) -> generic.Run | None:
    """The longest stretch of short sentences (a brief of one sentence under its
    headline, a story told as a bulleted list), when it tells :data:`_BRIEF_WORDS`
    words or more; ``None`` if none does.  A page with a title and such a body is
    not refused for the shortness of its story."""
    best: generic.Run | None = None
    start = None
    for at, line in enumerate([*paragraphs, ""]):
        told = line.endswith(_SENTENCE_END + _CJK_SENTENCE_END) and (
            generic.weight(line) >= _BRIEF_LINE_WORDS
        )
        if at < len(paragraphs) and not stops[at] and told:
            start = at if start is None else start
            continue
        if start is not None and (best is None or at - start > best.end - best.start):
            best = generic.Run(start, at)
        start = None
    if best is None:
        return None
    words = sum(generic.weight(line) for line in paragraphs[best.start : best.end])
    return best if words >= _BRIEF_WORDS else None


def _without_boilerplate_lines(lines: list[str], options: ReadOptions) -> list[str]:
    """Non-empty lines minus URL lines and those the drop rules name."""
    kept: list[str] = []
    skip_next = False
    for line in lines:
        if not line or _URL_LINE.match(line):
            continue
        if skip_next:
            skip_next = False
            continue
        if options.boilerplate.drops_with_next(line):
            skip_next = True
            continue
        if options.boilerplate.drops(line):
            continue
        kept.append(line)
    return kept


def _section_label(crumbs: list[str]) -> str:
    """The section in a breadcrumb: the deepest crumb that names a known section
    (``Home > World > Europe > Article`` → ``World``), else the crumb before
    ``Article``, else the last crumb that is not ``Home``/``News``."""
    labels = list(_crumb_tags(crumbs))
    # The last crumb is usually the page's slug, but in "News » International" the
    # section itself: it counts when it is a known section name.
    labels += crumbs[-1:] if len(crumbs) > 1 else []
    known = [c for c in labels if clean_text(c).lower() in SECTION_ALIASES]
    if known:
        return known[-1]
    lowered = [c.lower() for c in crumbs]
    if "article" in lowered:
        at = lowered.index("article")
        if at > 0 and lowered[at - 1] not in ("home", "news"):
            return crumbs[at - 1]
    candidates = [c for c in crumbs[1:-1] if c.lower() not in (*_CRUMB_ROOTS, "article")]
    return candidates[-1] if candidates else ""


def _crumb_tags(crumbs: list[str]) -> tuple[str, ...]:
    """The breadcrumb's labels between ``Home`` and ``Article`` (not the page slug)."""
    lowered = [c.lower() for c in crumbs]
    end = lowered.index("article") if "article" in lowered else len(crumbs) - 1
    return tuple(c for c in crumbs[1:end] if c.lower() not in _CRUMB_ROOTS)
