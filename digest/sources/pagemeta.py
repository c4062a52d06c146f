"""The facts news pages print around a headline, read from single lines of a dump.

Publishers print the same facts in many shapes: ``Updated on: 23 November,2020
08:55 AM IST | Moscow``, ``PTI | Updated: Nov 23, 2020, 08:55 IST``, ``World News |
Agence France-Presse | Updated: November 22, 2020 3:40 pm IST``, ``By Reuters``,
``Andrew Roth in Moscow``, ``BEIRUT, November 22, 2020 21:30 IST``, ``2 hours ago``,
``भाषा | अपडेट: 22 नवंबर 2020, 15:40 IST``.  A line is cut at ``|`` into segments and
each segment must be one of: a time (labelled or bare), a credit (agency, byline,
desk, editor), a place, a section label or the site's own name; a line with any
other segment is not a header line.  Datelines that open the first paragraph
(``MOSCOW:``, ``NEW DELHI (Reuters) -``, ``Kabul, Nov 23 (PTI)``) and picture
captions are recognised here too.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from importlib import resources
from typing import TypeAlias

from .base import ReadOptions
from .normalise import SECTION_ALIASES, US_ZONE, canonical_section, parse_time
from .prefilter import folds_plainly, may_hold

#: The date cues kept as data beside this module (``pagedates.toml``), read once.
_DATE_DATA = tomllib.loads(
    resources.files("digest.sources").joinpath("pagedates.toml").read_text("utf-8")
)

_UPDATED_WORDS = (
    # The same labels as the commoner European languages print them.
    r"aktualisiert|zuletzt aktualisiert|mis à jour|mis a jour|actualizado|atualizado"
    r"|aggiornato|bijgewerkt|uppdaterad|uppdaterat|oppdatert|opdateret"
)
_LABEL = (
    # "Page last modified Jan. 17, 2025", "Page last reviewed: 2 March 2023" (the
    # foot of an agency's or a health service's page).
    r"page last (?:updated|modified|reviewed)|last reviewed"
    r"|last updated|first published|last modified|published date|publish date|updated date"
    # A forum thread's first post ("Start date Sep 18, 2020" over the thread).
    r"|start date"
    # Longer labels before their first words: "date de publication" before "date".
    r"|fecha de publicación|date de publication"
    r"|updated|published|posted|modified|dated|date|originally published|original"
    r"|अपडेटेड|अपडेट|प्रकाशित(?: तिथि)?"
    rf"|veröffentlicht|erschienen|stand|datum|publié|publicado|publicada|pubblicato"
    rf"|gepubliceerd|publicerad|publicerat|publisert|udgivet|{_UPDATED_WORDS}"
    r"|veröffentlichung|publiziert|erstellt|fecha"
)
# No letter may follow the label: "Standoff ends …", "Datumsgrenze …" are no labels.
_LABELLED = re.compile(
    rf"^(?P<label>{_LABEL})(?![^\W\d_])(?:\s+(?:on|at|am|le|el|em|il|op|den|kl\.?))?\s*[:\-–—]?\s*(?P<when>.+)$",
    re.I,
)
_UPDATED_LABEL = re.compile(rf"^(?:{_UPDATED_WORDS})", re.I)
# What some languages print after a time of day ("07:39 Uhr", "07.39 Uhr").
_CLOCK_WORD = re.compile(r"\s+(?:uhr|h|heures?|horas?|ore|uur)\.?$", re.I)
# Share of a line a full date must take to be read as a time line when dateutil
# cannot read it ("18 novembre 2019", "18.11.2019, 07:39 Uhr").
_DATE_LINE_SHARE = 0.6
_MAX_DATE_LINE = 60
# Segments that carry nothing worth keeping: "2 min read", "Read Time: 3 min".
_READ_TIME = (
    r"(?:\d+\s*min(?:ute)?s?\s*read|(?:average\s+)?read(?:ing)? time\s*:?\s*\d+\s*min(?:ute)?s?)"
)
_IGNORED_SEGMENT = re.compile(rf"^{_READ_TIME}$", re.I)
# A date over a dash before the reading time ("AUG 25 2024 - 8 MIN READ", "February 4
# 2026 - Average reading time: 12 min"): the dash separates them as "|" would.
_READ_TIME_TAIL = re.compile(rf"^(?P<main>.+?)\s+[-–—]\s+{_READ_TIME}$", re.I)
# A clock alone between separators, after its date ("04.02.2022 | 15:33 Uhr | Dennis
# Steimels"): it belongs to the date before it.
_CLOCK_SEGMENT = re.compile(r"^\s*\d{1,2}[:.]\d{2}(?:\s*(?:uhr|h|am|pm|a\.m\.|p\.m\.))?\s*$", re.I)
# A byline with its time on one line, a handle or "on" between them.
_DATED_BYLINE = re.compile(
    r"^[Bb]y:?\s+(?P<name>[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,3})"
    r"(?:\s*@\w+|\s*[|,·•-])?\s*(?:on\s+)?(?P<when>\S.*)$"
)
_MILITARY_CLOCK = re.compile(r"\b(?!19\d\d|20\d\d)([01]\d|2[0-3])([0-5]\d) ([A-Z]{2,5})\b")
_ALSO_IN_ZONE = re.compile(r"\s*\(\d{1,2}:?\d\d\s*[A-Z]{2,5}\)")
# What a blog prints beside a post's date: its comment count and its category.
_POST_SEGMENT = re.compile(
    r"^(?:\d+|no) comments?$|^leave a comment$|^comments? off$"
    r"|^(?:in|filed under|posted in) \S.{0,40}$",
    re.I,
)
# A second time label inside a line ("… IST Updated: …"); not after "Last"/"First".
_INNER_LABEL = r"last updated|first published|updated|published|posted|modified|अपडेट|प्रकाशित"
_EMBEDDED_LABEL = re.compile(rf"(?<!\blast)(?<!\bfirst)\s+(?=(?:{_INNER_LABEL})\b)", re.I)
# A time line ending in the update's clock time alone: "… 1:55 am(Updated 4:30 am)".
_CLOCK_UPDATE = re.compile(
    r"^(?P<main>.*\d.*?)\s*[(|]?\s*(?:updated|aktualisiert|mis à jour|actualizado)\s*:?\s*"
    r"(?:at\s+|um\s+|à\s+)?\d{1,2}[:.h]\d\d\s*(?:[ap]\.?m\.?|uhr)?\s*\)?$",
    re.I,
)
_UPDATE_WORDS = ("updat", "aktualisiert", "mis à jour", "actualizado")
_GLUED_YEAR = re.compile(r"\b((?:19|20)\d\d)(\d{1,2}:\d\d)")
_GLUED_LABEL = re.compile(r"(?:(?<=[A-Z]{2})|(?<=\d))(?=(?:Updated|Published|Aktualisiert)\b)")
# Separators some sites print between header facts instead of "|".
_SOFT_SEPARATORS = re.compile(r"\s+[·•./]\s+|\s*[|•;]\s*")
_RELATIVE = re.compile(
    r"^(?:(?P<n>\d+|an?|one)\s*(?P<unit>sec|second|min|minute|hr|hour|day|week|month|year)s?\s+ago"
    r"|(?P<hn>\d+)\s*(?P<hunit>मिनट|घंटे|घंटा|दिन)\s+पहले|just now)$",
    re.I,
)
_LETTER = re.compile(r"[^\W\d_]")
_DIGIT = re.compile(r"\d")  # Unicode digits: Devanagari ones count
_YEAR = re.compile(
    r"(?<!\d)(?:19|20|१९|२०)\d\d(?!\d)|(?<![\d:.])'\d\d\b|\d{1,2}[-./]\d{1,2}[-./]\d{2,4}"
)
# How far before the crawl the nearer reading of a numeric date that reads both
# ways (9/11/13) must lie for nearness to choose it (see ``_day_month``).
_RECENT_READING = timedelta(days=62)
# How far after the crawl a printed time may lie (zones, clocks set wrong).
_LATE = timedelta(days=1)
# A date printed without its year that would lie after the crawl is taken for
# last year's only if that is this recent (crawled in January, "Dec 30").
_YEARLESS_PAST = timedelta(days=182)
# Two stand-ins for what a printed time leaves out when it prints a year: dateutil
# fills any missing part (the day, the month) from its default, today's date when
# given none.  A text that names the whole date reads the same with either.
_STAND_INS = (datetime(2000, 1, 1), datetime(2001, 2, 2))
_UNIT_SECONDS = {
    "sec": 1, "second": 1, "min": 60, "minute": 60, "hr": 3600, "hour": 3600,
    "day": 86400, "week": 604800, "month": 2592000, "year": 31536000,
    "मिनट": 60, "घंटे": 3600, "घंटा": 3600, "दिन": 86400,
}  # fmt: skip
# A bare line is only taken for a time if it names a year or a month: "23 rockets"
# or "2 Min Read" must not become dates.
_DATE_HINT = re.compile(
    r"\b\d{4}\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*\d"
    r"|\d\s*(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"|जनवरी|फ़?फरवरी|मार्च|अप्रैल|मई|जून|जुलाई|अगस्त|सितम्?बर|अक्[टत]ूबर|नवम्?बर|दिसम्?बर",
    re.I,
)
_SHORT_YEAR_DATE = re.compile(r"\b\d{1,2}\.\d{1,2}\.\d\d\b")
# ... which a line holding only that date (and its clock time) gives too: "17.11.19",
# "28.09.19 14:05".  Day and month in two figures: "19.1.23, 10:00-11:30" (an
# event's time in a teaser) is no time line.
_BARE_SHORT_DATE = re.compile(r"\d\d\.\d\d\.\d\d(?:,?\s+\d{1,2}[:.]\d\d)?")
# A publication or update label and its date inside a line of other post facts:
# "erstellt von Dominique — veröffentlicht 28.01.2022 06:00", "Veröffentlicht:
# 05.01.2020 | Autor: x | Abgelegt unter: …", "Last updated on 20 Feb, 2020. 3 min read".
_INNER_DATE_WORDS = (
    "last updated", "updated", "published", "posted", "veröffentlicht", "erschienen",
    "aktualisiert", "publié", "mis à jour", "publicado", "publicada", "actualizado",
    "pubblicato", "aggiornato", "gepubliceerd", "bijgewerkt",
)  # fmt: skip
_INNER_DATE_LABEL = re.compile(
    r"(?:^|(?<=[\s|(—–-]))(?P<label>" + "|".join(_INNER_DATE_WORDS) + r")(?![^\W\d_])"
    r"(?:\s+(?:on|am|le|el|em|il|op|den))?\s*[:\-–—]?\s*",
    re.I,
)
_INNER_UPDATE_WORDS = (
    "updated", "aktualisiert", "mis à jour", "actualizado", "aggiornato", "bijgewerkt",
)  # fmt: skip
# What a post's date line prints after the date: its author ("26/12/2019 von
# revamp-it Webteam", "10.12.2022 18:27 von"), its categories ("19.11.2021 in
# Community, Deutschland") or other facts after a dash.
_POST_TAIL = re.compile(r"^(?:von|by|in|par|por|di|door|av|af|—|–|·|•)(?:\s|$)", re.I)
_MAX_POST_TAIL = 100
# Labels and words around a date only English prints; after any other the date
# reads day first ("Publicado el 12/03/2021 por Juan" is 12 March).
_ENGLISH_POST_WORDS = frozenset({"last updated", "updated", "published", "posted", "by", "in"})
# What may stand before a label inside a line: a separator of post facts, not a
# sentence's words ("The report published on 12 March 2021 showed …").
_FACT_SEPARATORS = "|/(—–-•·,:;"
_SENTENCE_INSIDE = re.compile(r"[.!?]\s+[A-ZÀ-Þ]")
# Wire services and the catch-all credits pages print for them.
_AGENCY_WORD = (
    r"IANS|PTI|ANI|AFP|AP|Reuters|Bloomberg|Agencies|Agency|AAP|DPA|EFE|Xinhua|UNI|Anadolu"
    r"|Press Trust of India|Associated Press|Agence France-Presse|Agence France Presse"
    r"|भाषा|एजेंसी|एजेंसियां|आईएएनएस|पीटीआई|एएनआई|रॉयटर्स|एएफपी|एपी"
)
AGENCY_NAME = re.compile(
    rf"(?:[Tt]he )?(?i:{_AGENCY_WORD})"
    rf"(?:\s*(?:/|,|&|and|with)\s*(?i:{_AGENCY_WORD}))*(?i:\s+staff)?"
)
_CREDIT_PREFIX = re.compile(
    r"^(?P<prefix>written by|reported by|report by|edited by|posted by|published by"
    r"|updated by|source|author|by)\s*:?\s+(?P<rest>.+)$",
    re.I,
)
_EDITOR_PREFIXES = ("edited by", "posted by", "published by", "updated by")
_DESK = re.compile(r"\b(?:desk|staff|bureau|correspondents?|team|news service|डेस्क|ब्यूरो)$", re.I)
# What a line :data:`_DESK` matches ends with (lower-cased).
_DESK_ENDINGS = (
    "desk", "staff", "bureau", "correspondent", "correspondents", "team", "news service",
    "डेस्क", "ब्यूरो",
)  # fmt: skip
_NAME_WORD = r"[A-Z][a-z'’.-]+|[A-Z]\.|[A-Z][A-Z'’-]+"
_NAME = rf"(?:{_NAME_WORD})(?: (?:{_NAME_WORD})){{1,3}}"
_NAMES = re.compile(
    rf"^(?P<names>{_NAME}(?:(?:, | and | & ){_NAME})*)(?: in (?P<place>[A-Z][\w .'’-]{{1,30}}))?$"
)
# A name, then a date: the date starts with a weekday, a month or a figure, and
# may be followed by a comment count.
_WEEKDAY_OR_MONTH = (
    r"(?:mon|tue|wed|thu|fri|sat|sun|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
)
_NAME_THEN_DATE = re.compile(
    rf"^(?P<name>(?:{_NAME_WORD})(?: (?:{_NAME_WORD})){{1,3}}?)\s*[,·•|–—-]?\s+"
    rf"(?P<when>(?i:{_WEEKDAY_OR_MONTH}|\d).*?)(?:\s+(?!(?:19|20)\d\d\b)\d{{1,4}})?$"
)
# Words of names that are no person's: teams, competitions, bodies, outlets
# ("Premier League March 9, 2017").
_NOT_PERSON_WORDS = frozenset(
    "league cup club fc united city county council university college school party "
    "ministry department police association federation championship championships "
    "series open tour festival awards games olympics committee government court "
    "times post press herald tribune journal daily weekly magazine radio tv "
    "company group bank inc ltd corp".split()
)
# A user's handle (one word, run-together capitals or figures in it: "HansEhrlich",
# "th3Chris"), then a full date with its clock: a forum or deal post's signature
# ("HansEhrlich 17.10.2019, 13:56 Uhr").  A plain word before a date ("Berlin
# 19.10.2019") is no handle.
_HANDLE_THEN_DATE = re.compile(
    r"^(?P<name>(?=\S*(?:[a-z][A-Z]|[^\W\d_]\d))[^\W\d_][\w.-]{2,30})\s+"
    r"(?P<when>\d.*?\d{1,2}:\d\d)(?:\s*(?i:uhr|h))?$"
)
_DATE_BY_NAME = re.compile(rf"^(?P<when>.*\d.*?),?\s+by\s+(?P<name>{_NAME})$")
# Share of the "date" part of such a line the date itself must take.
_NAMED_DATE_SHARE = 0.6
_MAX_NAMED_DATE = 80
# Words of menu and widget labels that look like names ("Related Topics", "Share Via").
_NOT_NAMES = frozenset(
    "related topics topic share via read more news world latest top stories follow us sign "
    "min live video updates trending subscribe login home menu search edition comments "
    "newsletter newsletters podcast podcasts opinion watch listen "
    # Title-case headlines ("The Impeachment Clock", "Why It Matters") are no names.
    "the a an of to in on for with at from how why what when who is are was new".split()
)
# A place: up to four capitalised words, or up to three Devanagari ones.
_PLACE_TEXT = (
    r"[A-Z][A-Za-z.'’-]*(?: [A-Z][A-Za-z.'’-]*){0,3}|[\u0900-\u097F]+(?: [\u0900-\u097F]+){0,2}"
)
_PLACE = re.compile(rf"^(?:{_PLACE_TEXT})$")
_SITE = re.compile(r"\.(?:com|in|co\.uk|org|net)\b|कॉम|^(?:[A-Z]{2,6} ?)?web desk$", re.I)

# "MOSCOW:", "NEW DELHI (Reuters) -", "Kabul, Nov 23 (PTI)", "काबुल, 22 नवंबर (भाषा)"
_DATELINE_DATE = r"[A-Za-z]{3,9}\.? \d{1,2}|\d{1,2} [A-Za-z\u0900-\u097F]{3,9}"
# "New Delhi [India], November 23 (ANI): " names the country in brackets.
_WIRE_DATELINE = re.compile(
    rf"^(?P<place>{_PLACE_TEXT})(?: \[[^\]]{{2,20}}\])?(?:,? (?:{_DATELINE_DATE})(?:,? \d{{4}})?)?"
    rf" \((?P<agency>[^()]{{2,30}})\)\s*(?:[:\-—–।]\s*)?"
)
# "MOSCOW:", "LONDON —", "BEIRUT, Lebanon —"
_CAPS_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,3})(?:, [A-Z][a-z.]+(?: [A-Z][a-z.]+)?)?"
    r"(?::|\s+[—–-])(?:\s+|$)"
)
_COLON_DATELINE = re.compile(
    r"^(?P<place>[A-Z][a-z'’-]+(?: [A-Z][a-z'’-]+){0,2}|[\u0900-\u097F]+(?: [\u0900-\u097F]+)?)"
    r":\s+(?=[A-Z\"“‘'\u0900-\u097F])"
)
# Words that open a paragraph with a colon and are no place.
_NOT_PLACES = frozenset(
    "update updates note watch breaking exclusive analysis opinion explained comment live new "
    "video photos read also editor's editors warning disclaimer q a".split()
)
# Caption signs: a photo credit label anywhere, or a credit in brackets at the end
# ("(AP Photo/Matt Slocum)", "[Dmitry Lovetsky/AP Photo]", "… Sudan. (Reuters)").
_CAPTION_LABEL = re.compile(
    r"(?:photograph|photo|pic|pics|image|picture|credit)\s*(?:credit\s*)?[:/]"
    r"|\bfile (?:pic|photo)\b|\brepresentat(?:ional|ive) (?:image|pic|photo)\b"
    r"|\b(?:pti|ani|ians|afp|ap|reuters) photo\)?\s*$",
    re.I,
)
# One of these is in every line :data:`_CAPTION_LABEL` matches.
_CAPTION_LABEL_WORDS = ("photo", "pic", "image", "credit")
_TRAILING_BRACKET = re.compile(r"[(\[]([^()\[\]]{1,120})[)\]]\s*$")
_CREDIT_WORD = re.compile(
    r"\b(?:photo|pic|reuters|afp|ap|pti|ani|ians|getty|file|representational|epa)\b", re.I
)
_CAPTION_PREFIX = re.compile(r"^(?:image|media) caption", re.I)
# A picture's credit run on at the end of its caption, in the languages pages print
# it in: "… in Madrid. EFE/ J.J. Guillén", "… GP de Qatar.AFP", "… Foto: Alexander
# Daleiden", "… Bild © Roman Warschauer (hr)", "| Niall Carson/PA Images via Getty Images".
_PICTURE_AGENCY = (
    r"dpa|afp|ap|reuters|efe|epa|anp|apa|ansa|tass|getty images|imago(?: images)?"
    r"|keystone|picture[- ]alliance|shutterstock|istock(?:photo)?"
)
# (Matched against a line's last characters only, so cheap on long lines.)
_TRAILING_CREDIT = re.compile(
    rf"(?:^|[\s./|])(?:{_PICTURE_AGENCY})\s*$"
    rf"|(?:^|[\s./|])(?:{_PICTURE_AGENCY})\s?/\s?[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){{0,3}}$"
    # The photographer after a spaced slash: "… in La Soledat / Lorenzo Marina".
    r"|\S \/ (?-i:[A-ZÀ-Þ][\w'’.-]+(?: [A-ZÀ-Þ][\w'’.-]+){1,2})$"
    # A Japanese caption names its place, time or source after "＝".
    r"|(?<=[^＝]{4})＝[^＝]{1,40}$",
    re.I,
)
_CREDIT_TAIL = 80
# ... and credits inside the line, looked for only when one of these words is there.
_INNER_CREDIT = re.compile(
    r"\bvia getty images\b|(?:^|[.!?»“”\"]\s*)(?:foto|fotos|bild|fotografía)\s*[:©]\s*\S"
    r"|\b(?:foto|bild)\s*©|\w[.,;:]?\s+©\s*[A-Z]"
    # Where the people pictured stand: "…, center, participate in …", "(left)".
    r"|, (?:center|centre|left|right|second (?:from )?(?:left|right)|from left),"
    r"|\((?:left|right|center|centre|from left|l-r|l to r|pictured)\)",
    re.I,
)
_INNER_CREDIT_HINTS = (
    "©", "getty", "foto", "bild", ", left,", ", right,", ", center,", ", centre,",
    " from left,", " from right,", "(left)", "(right)", "(center)", "(centre)",
    "(from left)", "(pictured)", "(l-r)", "(l to r)",
)  # fmt: skip
# What the line must end with or hold for _TRAILING_CREDIT to be tried at all.
_AGENCY_ENDINGS = tuple(
    "dpa afp ap reuters efe epa anp apa ansa tass images imago keystone alliance "
    "shutterstock istock istockphoto".split()
)
# Picture credits name agencies with slashes: "(NASA/JPL-Caltech/ASU)", "(Jane Doe / AP)".
_SLASHED_CREDIT = re.compile(r"^[^/]{2,40}/[^/]{2,40}(?:/[^/]{2,40})*$")
# "© John Brecher Needle poking skin …": the picture's credit, then its caption.
_CREDITED_CAPTION = re.compile(r"^©\s*[A-Z][\w.'’-]+ [A-Z][\w.'’-]+ .{20,}")
_MAX_CAPTION = 300
_MAX_META = 160


@dataclass(frozen=True, slots=True)
class Meta:
    """What one header line (or several, merged) says about the article."""

    published: datetime | None = None
    updated: datetime | None = None
    agency: str = ""
    byline: str = ""
    dateline: str = ""
    section: str = ""

    @property
    def has_time(self) -> bool:
        """Whether a time was read."""
        return self.published is not None or self.updated is not None

    def merged(self, other: Meta) -> Meta:
        """These facts, with ``other``'s filling what is still missing."""
        return Meta(
            published=self.published or other.published,
            updated=self.updated or other.updated,
            agency=self.agency or other.agency,
            byline=self.byline or other.byline,
            dateline=self.dateline or other.dateline,
            section=self.section or other.section,
        )


#: What :func:`_time` has read from each segment of one page's lines.
_Times: TypeAlias = dict[str, Meta | None]
# A line holds a soft separator if it holds one of these, or one of "·•./" between
# spaces (the same test as a search for :data:`_SOFT_SEPARATORS`, made faster).
_HARD_SEPARATORS = frozenset("|•;")
_SPACED_SEPARATOR = re.compile(r"\s[·•./]\s")
# The words an inner time label (:data:`_EMBEDDED_LABEL`) needs.
_INNER_LABEL_WORDS = ("updated", "published", "posted", "modified", "अपडेट", "प्रकाशित")


def meta_line(
    line: str, options: ReadOptions, *, names: bool = False, times: _Times | None = None
) -> Meta | None:
    """The facts a header line states, or ``None`` if it is not a header line.

    With ``names`` a line holding only a person's name (``Andrew Roth in Moscow``)
    counts as a byline; in a ``|``-separated line names always count.  ``times``
    remembers what each segment says as a time, for callers asking about many
    lines of one page (see :class:`LineFacts`).
    """
    if not line or len(line) > _MAX_META:
        return None
    if times is None:
        times = {}
    found = _meta_segments(line.split("|"), options, names=names, times=times)
    if found is None and "|" in line:
        found = _time(line.replace("|", " "), options, times)  # "23 Nov, 2020 | 08:55 AM"
    if found is None and "|" in line and (parts := _clocks_joined(line.split("|"))):
        found = _meta_segments(parts, options, names=names, times=times)
    if found is None and (m := _READ_TIME_TAIL.match(line)):
        found = meta_line(m["main"], options, names=names, times=times)
    if found is None and (not _HARD_SEPARATORS.isdisjoint(line) or _SPACED_SEPARATOR.search(line)):
        # "2 min read . Updated: 23 Nov 2020, 08:55 AM IST", "Reuters • 2 hours ago"
        parts = _SOFT_SEPARATORS.split(line)
        found = _meta_segments(parts, options, names=names, times=times)
    if found is not None or not _DIGIT.search(line):
        return found  # each shape below holds a figure
    lowered = line.lower()
    if may_hold(line, lowered, _INNER_LABEL_WORDS):
        # "Published: Nov 23, 2020, 08:55 IST Updated: Nov 23, 2020, 10:00 IST", or
        # text glued by the crawler: "November 23, 20203:25 AM UTCUpdated 2 years ago".
        unglued = _GLUED_LABEL.sub(" ", _GLUED_YEAR.sub(r"\1 \2", line))
        parts = _EMBEDDED_LABEL.split(unglued)
        if len(parts) > 1:
            found = _meta_segments(parts, options, names=names, times=times)
    if (
        found is None
        and any(word in lowered for word in _UPDATE_WORDS)
        and (m := _CLOCK_UPDATE.match(line))
    ):
        # "August 30, 2023 1:55 am(Updated 4:30 am)": the update gives no day.
        found = meta_line(m["main"], options, names=names, times=times)
    if found is None and (m := _DATED_BYLINE.match(line)):
        # "By Chris Pokorny@DawgsByNature Nov 18, 2019, 11:47am EST"
        moment = time_in_line(m["when"], options, month_first=None)
        if moment is not None:
            found = Meta(published=moment, byline=m["name"])
    if found is None and len(line) <= _MAX_NAMED_DATE and _DATE_HINT.search(line):
        # "Sarah Gooding March 9, 2017 13", "Tuesday 15 October 2019 by Bradley M. Kuhn":
        # an author's name and the post's date, the name before or after it.
        found = _named_date(line, options)
    if found is None and (m := _HANDLE_THEN_DATE.match(line)):
        moment = time_in_line(m["when"], options, month_first=None)
        if moment is not None and date_share(m["when"]) >= _NAMED_DATE_SHARE:
            found = Meta(published=moment, byline=m["name"])
    if found is None and "/" in line:
        # A blog's post line: "October 15, 2018/0 Comments/in Performance News /by admin".
        parts = line.split("/")
        if len(parts) > 2 and _DATE_HINT.search(parts[0]):
            found = _meta_segments(parts, options, names=names, times=times)
    if found is None and _MAY_HOLD_DATE.search(line):
        found = _post_date(line, lowered, options)
    return found


def _clocks_joined(parts: list[str]) -> list[str]:
    """``parts`` with each clock alone joined to the date before it, or an empty list
    when no part is a clock alone."""
    joined: list[str] = []
    for part in parts:
        if joined and _CLOCK_SEGMENT.match(part):
            joined[-1] = f"{joined[-1].strip()} {part.strip()}"
        else:
            joined.append(part)
    return joined if len(joined) < len(parts) else []


def _post_date(line: str, lowered: str, options: ReadOptions) -> Meta | None:
    """A post's date among other facts of one line: after a publication or update
    label anywhere in it, or opening it before the post's author or categories."""
    if any(word in lowered for word in _INNER_DATE_WORDS):
        for m in _INNER_DATE_LABEL.finditer(line):
            before = line[: m.start()].rstrip()
            if before and before[-1] not in _FACT_SEPARATORS:
                continue
            month_first = None if m["label"].lower() in _ENGLISH_POST_WORDS else False
            moment = time_in_line(line[m.end() :], options, month_first=month_first, anchored=True)
            if moment is None:
                continue
            if not m["label"].lower().endswith(_INNER_UPDATE_WORDS):
                return Meta(published=moment)
            # "Le Monde | 04.05.2015 à 13h36 • Mis à jour le 05.05.2015": the
            # date before the update's is the publication's.
            published = time_in_line(line[: m.start()], options, month_first=month_first)
            return Meta(published=published, updated=moment)
    found = date_at_start(line, options, month_first=None)
    if found is None:
        return None
    tail = line[found[1] :].strip(" ,")
    shape = _POST_TAIL.match(tail)
    if (
        shape is None
        or len(tail) > _MAX_POST_TAIL
        or _SENTENCE_INSIDE.search(tail)
        or tail.endswith((".", "!", "?"))
    ):
        return None
    if shape[0].strip().lower() not in _ENGLISH_POST_WORDS and shape[0].strip().isalpha():
        # "12/03/2021 por Juan" is 12 March.
        found = date_at_start(line, options, month_first=False) or found
    return Meta(published=found[0])


def without_clock_word(text: str) -> str:
    """``text`` without the word some languages print after a time of day at its
    end ("12:00 Uhr", "09:30 uur")."""
    return _CLOCK_WORD.sub("", text)


#: A sentence stating when the post was published or created, as blog themes and
#: wiki engines print it under the story: "This entry was posted in News on March
#: 3, 2020 by admin.", "Von israel news am 21/02/2021. Abgelegt unter …".  Its
#: first date is the post's.  The openings are data (``pagedates.toml``).
_POST_STATEMENT = re.compile(
    r"^(?:"
    + "|".join(_DATE_DATA["post_statements"])
    + r"|(?:"
    + "|".join(map(re.escape, _DATE_DATA["created_words"]))
    + r")\b(?! (?:"
    + "|".join(map(re.escape, _DATE_DATA["created_by_words"]))
    + r")\b))",
    re.I,
)
#: How much of such a sentence is read for its date (the date comes early).
_POST_STATEMENT_HEAD = 120


def post_statement_time(
    line: str, options: ReadOptions, *, month_first: bool | None
) -> datetime | None:
    """The date of a sentence stating when the post was published (see
    :data:`_POST_STATEMENT`), or ``None`` for any other line."""
    if _POST_STATEMENT.match(line) is None:
        return None
    return time_in_line(line[:_POST_STATEMENT_HEAD], options, month_first=month_first)


def labelled(line: str) -> bool:
    """Whether a line opens with a time label (``Datum:``, ``Published on``)."""
    return _LABELLED.match(line) is not None


def _named_date(line: str, options: ReadOptions) -> Meta | None:
    """A line holding only an author's name and a full date (see :func:`meta_line`)."""
    for shape in (_NAME_THEN_DATE, _DATE_BY_NAME) if " by " in line else (_NAME_THEN_DATE,):
        m = shape.match(line)
        if m is None or not _person_name(m["name"]):
            continue
        when = m["when"]
        if date_share(when) < _NAMED_DATE_SHARE:
            continue  # a name and a sentence, not a name and a date
        moment = time_in_line(when, options, month_first=None)
        if moment is not None:
            return Meta(published=moment, byline=m["name"])
    return None


def _person_name(name: str) -> bool:
    """Whether ``name`` before or after a date may be its author's: no widget
    label, no team or body, no place ("Los Angeles March 9, 2017")."""
    # Imported here: the selector's package reads pages through this one.
    from ..select.places import place_data

    words = set(name.lower().split())
    return (
        not _NOT_NAMES & words
        and not _NOT_PERSON_WORDS & words
        and name not in place_data().dateline_names
    )


class LineFacts:
    """:func:`meta_line` for one page, each answer remembered: finding the header
    asks about the same lines several times, and dates are slow to parse."""

    def __init__(self, options: ReadOptions) -> None:
        self.options = options
        self._seen: dict[tuple[str, bool], Meta | None] = {}
        # Segments read as times: a line is asked about with and without names.
        self._times: _Times = {}
        #: Whether a line may be a headline at all (``pagegeneric``), remembered.
        self.may_head: dict[str, bool] = {}
        #: ... and whether one that reads as names alone may be (``pagegeneric``).
        self.may_head_named: dict[str, bool] = {}

    def __call__(self, line: str, *, names: bool = False) -> Meta | None:
        """What ``line`` states as a header line (see :func:`meta_line`)."""
        key = (line, names)
        if key not in self._seen:
            self._seen[key] = meta_line(line, self.options, names=names, times=self._times)
        return self._seen[key]

    def is_time(self, line: str) -> bool:
        """Whether ``line`` is a header line holding a time."""
        found = self(line)
        return found is not None and found.has_time


def _meta_segments(
    parts: list[str], options: ReadOptions, *, names: bool, times: _Times
) -> Meta | None:
    segments = [s.strip() for s in parts]
    single = len(segments) == 1
    found: Meta | None = None  # (merging into an empty Meta gives the other)
    for segment in segments:
        if not segment:
            continue
        # After a credit or a time on the same line, a bare name is the dateline:
        # "Reuters | Addis Ababa", "Updated on: … IST | Addis Ababa".
        credited = found is not None and bool(found.agency or found.byline or found.has_time)
        read = _segment(
            segment, options, single=single, names=names, credited=credited, times=times
        )
        if read is None:
            return None
        found = read if found is None else found.merged(read)
    return found


def _segment(
    segment: str, options: ReadOptions, *, single: bool, names: bool, credited: bool, times: _Times
) -> Meta | None:
    if (when := _time(segment, options, times)) is not None:
        return when
    if _IGNORED_SEGMENT.match(segment) or (not single and _POST_SEGMENT.match(segment)):
        return Meta()
    if not single and segment.lower() in SECTION_ALIASES:
        return Meta(section=canonical_section(segment))
    if (credit := _credit(segment, names=(names or not single) and not credited)) is not None:
        return credit
    if single:
        # A place on its own line among the credits ("Moscow" under "By Reuters").
        lowered = segment.lower()
        if (
            names
            and len(segment.split()) <= 2
            and _PLACE.match(segment)
            and lowered not in SECTION_ALIASES
            and not _NOT_NAMES & set(lowered.split())
        ):
            return Meta(dateline=place_name(segment))
        return None
    if _SITE.search(segment):
        return Meta()
    if _PLACE.match(segment) and not AGENCY_NAME.fullmatch(segment):
        return Meta(dateline=place_name(segment))
    return None


def _time(segment: str, options: ReadOptions, times: _Times) -> Meta | None:
    """What ``segment`` says as a time (see :func:`_read_segment_time`), remembered in ``times``."""
    if segment in times:
        return times[segment]
    # Without a figure only "just now" reads as a time: no need to try the rest.
    if _DIGIT.search(segment) is None and "just now" not in segment.lower():
        found = None
    else:
        found = _read_segment_time(segment, options)
    times[segment] = found
    return found


def _read_segment_time(segment: str, options: ReadOptions) -> Meta | None:
    label = ""
    when = segment
    if m := _LABELLED.match(segment):
        label, when = m["label"].lower(), m["when"]
    moment = read_time(when, options)
    place = ""
    if moment is None and "," in when:
        # "BEIRUT, November 22, 2020 21:30 IST" or "…08:55 AM IST, Mumbai": a
        # dateline before or after the time.
        head, rest = when.split(",", 1)
        before, after = when.rsplit(",", 1)
        if _PLACE.match(head.strip()) and (moment := read_time(rest, options)):
            place = place_name(head.strip())
        elif _PLACE.match(after.strip()) and (moment := read_time(before, options)):
            place = place_name(after.strip())
    if moment is None and len(when) <= _MAX_DATE_LINE and _DIGIT.search(when):
        # A date in another language, or with a clock word ("18 novembre 2019",
        # "18.11.2019, 07:39 Uhr"): read as dates inside a line are, if it is all date.
        when = when.strip(" ,.")
        # A labelled line may give the year in two figures ("Veröffentlicht am 27.04.24").
        bare = _CLOCK_WORD.sub("", when)
        hinted = _DATE_HINT.search(when) or (
            (label or _BARE_SHORT_DATE.fullmatch(bare)) and _SHORT_YEAR_DATE.search(when)
        )
        if hinted and date_share(when := bare) >= _DATE_LINE_SHARE:
            moment = time_in_line(when, options, month_first=None)
    if moment is None:
        return None
    if label.startswith(
        ("updat", "last updat", "modif", "last modif", "page last", "last review", "अपडेट")
    ) or (_UPDATED_LABEL.match(label)):
        return Meta(updated=moment, dateline=place)
    return Meta(published=moment, dateline=place)


def read_time(text: str, options: ReadOptions) -> datetime | None:
    """A printed time in UTC (absolute, or relative to ``options.reference_time``),
    or ``None`` if ``text`` is not one."""
    text = text.strip(" ,.")
    if (not text or len(text) > 80 or not _DIGIT.search(text)) and text.lower() != "just now":
        return None
    if m := _RELATIVE.match(text):
        if options.reference_time is None:
            return None
        if text.lower() == "just now":
            return options.reference_time
        count = m["n"] or m["hn"]
        unit = (m["unit"] or m["hunit"]).lower()
        amount = 1 if count.lower() in ("a", "an", "one") else int(count)
        return options.reference_time - timedelta(seconds=amount * _UNIT_SECONDS[unit])
    if not _DATE_HINT.search(text) or text.isdigit():
        return None  # a bare number ("4553" views, "2019") is no time
    # "0339 GMT (1139 HKT) November 19, 2019": a 24-hour clock without its colon,
    # and the same time in another zone in brackets.
    text = _ALSO_IN_ZONE.sub("", _MILITARY_CLOCK.sub(r"\1:\2 \3", text))
    # A date printed without its year ("Nov 18", "Sun Nov 24") is in the year of
    # the crawl, or the year before when that would put it after the crawl.
    reference = options.reference_time
    default = None
    dated = _YEAR.search(text) is not None
    if reference is not None and not dated:
        local = reference.astimezone(options.timezone)
        default = local.replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None)
    elif dated:
        default = _STAND_INS[0]
    try:
        moment = parse_time(
            text, default_zone=options.timezone, default=default, month_first=options.month_first
        )
        if dated and _may_owe_stand_in(moment):
            again = parse_time(
                text,
                default_zone=options.timezone,
                default=_STAND_INS[1],
                month_first=options.month_first,
            )
            if again != moment:
                # A part of the date is not printed: "November 2021" names a month,
                # not a day; "May 2021, 9:15" neither.
                return None
    except ValueError:
        return None
    if not dated and reference is not None and moment > reference + _LATE:
        try:
            moment = moment.replace(year=moment.year - 1)
        except ValueError:  # 29 February
            return None
        if reference - moment > _YEARLESS_PAST:
            return None  # a coming date ("Sun Nov 24" in a schedule), not last year's
    if reference is not None and moment > reference + _LATE:
        return None  # after the crawl: misread, or not this page's time
    return moment


def _may_owe_stand_in(moment: datetime) -> bool:
    """Whether a time read with the first of :data:`_STAND_INS` may hold a part of
    it: its year, month or day within a day's zone shift of the stand-in's."""
    first = _STAND_INS[0]
    return (
        abs(moment.year - first.year) <= 1
        or moment.month in (first.month, 12)
        or moment.day <= first.day + 1
        or moment.day >= 28
    )


def _credit(segment: str, *, names: bool) -> Meta | None:
    segment = segment.strip(" ,")
    prefix = ""
    rest = segment
    if m := _CREDIT_PREFIX.match(segment):
        prefix, rest = m["prefix"].lower(), m["rest"]
    parts = [p.strip() for p in rest.split(",") if p.strip()]
    if not parts:
        return None
    head = parts[0]
    place = place_name(parts[-1]) if len(parts) > 1 and _PLACE.match(parts[-1]) else ""
    if prefix in _EDITOR_PREFIXES:
        # The web editor who posted the copy is not its author.
        return Meta(dateline=place)
    if AGENCY_NAME.fullmatch(head):
        return Meta(agency=re.sub(r"(?i)\s+staff$", "", head), dateline=place)
    if len(parts) > 1 and not place:
        return None
    if prefix in ("by", "written by", "reported by", "report by", "author"):
        return Meta(byline=_name_case(head), dateline=place)
    if (not folds_plainly(head) or head.lower().endswith(_DESK_ENDINGS)) and _DESK.search(head):
        return Meta(byline=head, dateline=place)
    if (
        names
        and len(parts) == 1
        and (m := _NAMES.match(head))
        and not _NOT_NAMES & set(m["names"].lower().split())
    ):
        return Meta(byline=_name_case(m["names"]), dateline=place_name(m["place"] or ""))
    return None


def place_name(text: str) -> str:
    """A place as it reads in a sentence: ``NEW DELHI`` → ``New Delhi``."""
    text = text.strip(" ,")
    if text.isupper():
        return " ".join(w.capitalize() for w in text.split())
    return text


def _name_case(names: str) -> str:
    """``MARYCLAIRE DALE and MARK SCOLFORO`` → ``Maryclaire Dale and Mark Scolforo``."""
    if not names.replace(" and ", " ").isupper() or len(names) < 4:
        return names
    return " ".join(w if w.lower() == "and" else w.capitalize() for w in names.split()).replace(
        " And ", " and "
    )


@dataclass(frozen=True, slots=True)
class Dateline:
    """A dateline found at the start of a paragraph."""

    place: str
    agency: str
    #: The paragraph without its dateline.
    rest: str


def body_dateline(paragraph: str, *, strict: bool = False) -> Dateline | None:
    """The dateline that opens a first paragraph, or ``None``.

    ``strict`` accepts only wire (``SEOUL (Reuters) -``) and capitals
    (``MOSCOW:``) forms: a feed's ``Covid: ...`` is a headline kicker, not a place.
    """
    m = _WIRE_DATELINE.match(paragraph)
    if m is not None:
        agency = m["agency"].strip()
        if AGENCY_NAME.fullmatch(agency) or re.fullmatch(r"[A-Z]{2,8}", agency):
            return Dateline(place_name(m["place"]), agency, paragraph[m.end() :].strip())
    for pattern in (_CAPS_DATELINE,) if strict else (_CAPS_DATELINE, _COLON_DATELINE):
        m = pattern.match(paragraph)
        if m is not None and m["place"].lower() not in _NOT_PLACES:
            return Dateline(place_name(m["place"]), "", paragraph[m.end() :].strip())
    return None


def _trailing_credit(tail: str) -> bool:
    """Whether a line's last characters are a picture's credit (see :data:`_TRAILING_CREDIT`)."""
    ends = tail.rstrip().lower().endswith(_AGENCY_ENDINGS)
    return (ends or "/" in tail or "＝" in tail) and bool(_TRAILING_CREDIT.search(tail))


def caption_text(paragraph: str) -> str:
    """The caption a paragraph holds (``image caption`` prefix removed), or ``""``."""
    if len(paragraph) > _MAX_CAPTION:
        return ""
    if prefix := _CAPTION_PREFIX.match(paragraph):
        return paragraph[prefix.end() :].strip()
    tail = _TRAILING_BRACKET.search(paragraph)
    lowered = paragraph.lower()
    if (
        (tail and (_CREDIT_WORD.search(tail[1]) or _SLASHED_CREDIT.search(tail[1])))
        or (may_hold(paragraph, lowered, _CAPTION_LABEL_WORDS) and _CAPTION_LABEL.search(paragraph))
        or _CREDITED_CAPTION.match(paragraph)
        or _trailing_credit(paragraph[-_CREDIT_TAIL:])
        or (
            any(hint in lowered for hint in _INNER_CREDIT_HINTS) and _INNER_CREDIT.search(paragraph)
        )
    ):
        return paragraph
    return ""


# Month names as pages in English and the commoner European and Indonesian
# languages print them, for dates inside a longer line.
_MONTH_WORDS = {
    1: "january jan janeiro jan enero gennaio janvier januar januari janv ene gen",
    2: "february feb fevereiro fev febrero febbraio février fevrier februar februari févr",
    3: "march mar março marco marzo mars märz maret maart marts mär mrz mrt",
    4: "april apr abril abr aprile avril avr",
    5: "may maio mayo maggio mai mei maj mag",
    6: "june jun junho junio giugno juin juni giu",
    7: "july jul julho julio luglio juillet juli juil lug",
    8: "august aug agosto ago août aout agustus augustus augusti",
    9: "september sep sept setembro set septiembre settembre septembre",
    10: "october oct outubro out octubre ottobre octobre oktober okt ott",
    11: "november nov novembro noviembre novembre",
    12: "december dec dezembro dez diciembre dicembre décembre decembre dezember desember des"
    " déc dic",
}
_MONTHS = {word: number for number, words in _MONTH_WORDS.items() for word in words.split()}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))


def month_name(word: str) -> bool:
    """Whether a word names a month in one of the languages read ("May", "März")."""
    return word.lower().rstrip(".,") in _MONTHS


# The year may be glued to a clock time ("20195:45 AM") or to the same date printed
# again ("1. November 20161. November 2016": a post's published and updated dates).
_YEAR4 = r"(?P<year>(?:19|20)\d\d)(?=\D|$|\d{1,2}[:.]\d\d|\d{1,2}\.\s?[^\W\d_])"
# "at 8:59 pm", "@17:19 PM", ", 07:47 PM EST", "| 4:10pm", "20195:45 AM" (glued)
_CLOCK = (
    r"(?:\s*[,|/·•@-]?\s*(?:at\s+|um\s+|às\s+|à\s+|kl\.?\s*)?@?\s*)?"
    r"(?P<hour>\d{1,2})[:.h](?P<minute>\d\d)"
    r"(?:\s*(?P<ampm>[ap]\.?\s?m\b\.?))?(?:\s*(?P<zone>(?-i:[A-Z]{2,5}))\b)?"
)
_IN_LINE_DATES = [
    # "November 19, 2019", "Nov.November 18, 2019 12:02 PM", "Maret 30, 2015"
    re.compile(
        # (A capital month may be glued to the word before: "Associated PressApril 28".)
        rf"(?:(?<![^\W\d_])|(?-i:(?<=[a-z])(?=[A-Z])))"
        rf"(?P<month>{_MONTH})\.?\s*(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s*,?\s*"
        rf"{_YEAR4}(?:{_CLOCK})?",
        re.I,
    ),
    # "19 November 2019 • 1:16pm", "27 de setembro de 2018", "11 октября" is not read
    re.compile(
        rf"(?<!\d)(?P<day>\d{{1,2}})(?:st|nd|rd|th|º)?\.?\s*(?:de\s+)?(?P<month>{_MONTH})\b\.?,?"
        rf"\s*(?:de\s+)?{_YEAR4}(?:{_CLOCK})?",
        re.I,
    ),
    # "2019-11-19", "2018.10.12", "2018년 10월 12일", "2019年11月19日"
    re.compile(
        r"(?<![\d.])(?P<year>(?:19|20)\d\d)\s*(?P<sep>[-/.]|년|年)\s*(?P<first>\d{1,2})\s*"
        r"(?:(?P=sep)|월|月)\s*(?P<second>\d{1,2})(?:일|日)?(?![\d])"
        rf"(?:[T\s]*(?:{_CLOCK}))?",
        re.I,
    ),
    # "11/19/19 06:56 AM EST", "21/06/2014", "19.11.2019"
    re.compile(
        r"(?<![\d/.:])(?P<a>\d{1,2})(?P<sep>[-/.])(?P<b>\d{1,2})(?P=sep)"
        # "30.09.1917:33" is "30.09.19" glued to "17:33", not the year 1917.
        r"(?P<year>(?:19|20)\d\d(?!:\d\d)|\d\d)(?:(?![\d/]|\.\d)|(?=\d{1,2}:\d\d))"
        rf"(?:{_CLOCK})?",
        re.I,
    ),
    # "18. 05. 2014 22:38", "28. 4. 2023, 18:41 Uhr": a space after each dot (read as
    # the kind above, day first as dotted dates are).
    re.compile(
        r"(?<![\d.])(?P<a>\d{1,2})(?P<sep>\.) (?P<b>\d{1,2})\. (?P<year>(?:19|20)\d\d)(?!\d)"
        rf"(?:{_CLOCK})?",
        re.I,
    ),
]

# What every match of :data:`_IN_LINE_DATES` holds: a year of four figures, or a
# figure, a separator and a figure.
_MAY_HOLD_DATE = re.compile(r"(?:19|20)\d\d|\d[-/.]\d")


def numeric_order(lines: Sequence[str], *, words: bool = False) -> bool | None:
    """Whether a page prints numeric dates month first (``11/19/19``), from the
    ones that can be read one way only; ``None`` if none tells.  With ``words``,
    dates with the month's name count too when the numeric ones leave it open:
    ``November 19, 2019`` is written by those who put the month first,
    ``19 November 2019`` by those who put the day first."""
    month_first = day_first = named_month = named_day = 0
    for line in lines:
        if len(line) > _MAX_META or not _MAY_HOLD_DATE.search(line):
            continue
        for m in _IN_LINE_DATES[3].finditer(line):
            a, b = int(m["a"]), int(m["b"])
            month_first += a <= 12 < b <= 31
            day_first += b <= 12 < a <= 31
        if words and _DATE_HINT.search(line):
            named_month += sum(1 for _ in _IN_LINE_DATES[0].finditer(line))
            named_day += sum(1 for _ in _IN_LINE_DATES[1].finditer(line))
    if month_first == day_first:
        month_first, day_first = named_month, named_day
    if month_first == day_first:
        return None
    return month_first > day_first


#: Hosts whose country writes numeric dates month first when the page is in
#: English: the United States' own domains and the generic ones most of its
#: outlets use (British, Indian, Australian outlets mostly use their ccTLDs).
_MONTH_FIRST_HOST = re.compile(r"\.(?:com|org|net|us|gov|edu)$")
#: ... and hosts of countries whose English puts the day first (Britain, Ireland,
#: India, Australia, New Zealand, South Africa and the other Commonwealth ones).
_DAY_FIRST_HOST = re.compile(
    r"\.(?:uk|ie|in|au|nz|za|sg|my|pk|lk|bd|ng|gh|ke|ug|tz|zw|zm|mt|cy|hk|jm|tt)$"
)


def page_date_order(lines: Sequence[str], host: str, *, english: bool) -> bool | None:
    """Whether a page's numeric dates put the month first, from the evidence it
    gives: its numeric dates that read one way only (:func:`numeric_order`), else
    its language (any but English: day first), else its dates with the month's
    name, else its outlet (English on a ``.com`` or ``.us`` host: month first, on
    a British, Indian, Australian … one: day first); ``None`` when nothing tells."""
    order = numeric_order(lines)
    if order is None and not english:
        # Only American English puts the month first (an embedded tweet's
        # "November 3, 2023" on a German page says nothing of the page's habit).
        return False
    if order is None:
        order = numeric_order(lines, words=True)
    if order is None and host and _MONTH_FIRST_HOST.search(host):
        return True
    if order is None and host and _DAY_FIRST_HOST.search(host):
        return False
    return order


def time_in_line(
    line: str, options: ReadOptions, *, month_first: bool | None, anchored: bool = False
) -> datetime | None:
    """The first full date (with a year) printed anywhere in a short line, with its
    time of day when one follows: ``By Tess Bonn - 11/19/19 06:56 AM EST``,
    ``Posted on Maret 30, 2015 by Admin``.  A numeric date that reads both ways
    follows ``month_first`` (the page's own habit), else the reading nearest
    before the crawl.  Dates after the crawl are not taken; a line of dates
    alone gives the earliest (a post's creation, not its last change).  With
    ``anchored`` the date must open the line."""
    if anchored:
        found = date_at_start(line, options, month_first=month_first)
        return found[0] if found is not None else None
    if len(line) > _MAX_META or not _MAY_HOLD_DATE.search(line):
        return None
    if month_first is None and US_ZONE.search(line):
        month_first = True  # a US time zone: US dates are written month first
    moments: list[datetime] = []
    rest = line
    for kind, pattern in enumerate(_IN_LINE_DATES):
        for m in pattern.finditer(line):
            for day, month in _day_month(kind, m, month_first, options):
                moment = _moment(int(m["year"]), month, day, m, options)
                if moment is not None:
                    moments.append(moment)
                    rest = rest.replace(m[0], " ")
                    break
    if len(moments) > 1 and not _LETTER.search(rest):
        # A line of dates alone ("2018-08-29 14:15:57 2018-06-22 10:20", a post's
        # last change and its creation) gives the earliest: an update comes later.
        return min(moments)
    return moments[0] if moments else None


def date_at_start(
    text: str, options: ReadOptions, *, month_first: bool | None
) -> tuple[datetime, int] | None:
    """The full date (and its clock time) opening ``text``, and where it ends:
    ``19.10.2019, 15:30 UhrAm 8. Spieltag …`` gives 19 October 2019, 15:30."""
    head = text[:_MAX_DATE_LINE]
    if not _MAY_HOLD_DATE.search(head):
        return None
    if month_first is None and US_ZONE.search(head):
        month_first = True
    for kind, pattern in enumerate(_IN_LINE_DATES):
        m = pattern.match(head)
        if m is None:
            continue
        for day, month in _day_month(kind, m, month_first, options):
            moment = _moment(int(m["year"]), month, day, m, options)
            if moment is not None:
                return moment, m.end()
    return None


def _day_month(
    kind: int, m: re.Match[str], month_first: bool | None, options: ReadOptions
) -> list[tuple[int, int]]:
    """Readings of a matched date as (day, month), likeliest first."""
    if kind < 2:
        return [(int(m["day"]), _MONTHS[m["month"].lower()])]
    if kind == 2:
        return [(int(m["second"]), int(m["first"]))]
    a, b = int(m["a"]), int(m["b"])
    if a > 12:
        return [(a, b)]
    if b > 12:
        return [(b, a)]
    readings = [(b, a), (a, b)]  # month first, day first
    if month_first is None:
        month_first = options.month_first  # the page's habit, when it shows one
    if month_first is False or (month_first is None and m["sep"] == "."):
        readings.reverse()
    elif month_first is None and options.reference_time is not None:
        # The reading nearest before the crawl, when one is recent: a page saved
        # on 21 November 2019 dates "11/05/19" 5 November.  Older dates say
        # nothing by their age: they keep the month first, as English writes them
        # when nothing else tells (pages in other languages are read day first
        # before this point: see ``page_date_order``).
        year = _full_year(m["year"])
        when = options.reference_time.date()

        def age(reading: tuple[int, int]) -> float:
            try:
                days = (when - date(year, reading[1], reading[0])).days
            except ValueError:
                return float("inf")
            return days if days >= -1 else float("inf")

        if min(age(reading) for reading in readings) <= _RECENT_READING.days:
            readings.sort(key=age)
    return readings


def _full_year(text: str) -> int:
    return int(text) if len(text) == 4 else 2000 + int(text)


def _moment(
    year_text: int, month: int, day: int, m: re.Match[str], options: ReadOptions
) -> datetime | None:
    year = _full_year(str(year_text)) if year_text < 100 else year_text
    try:
        day_of = date(year, month, day)
    except ValueError:
        return None
    text = day_of.isoformat()
    if m["hour"] is not None:
        clock = f"{m['hour']}:{m['minute']}"
        if m["ampm"]:
            clock += " " + m["ampm"].replace(".", "").replace(" ", "").upper()
        zone = f" {m['zone']}" if m["zone"] and m["zone"] not in ("AM", "PM") else ""
        for candidate in (f"{text} {clock}{zone}", f"{text} {clock}"):
            try:
                moment = parse_time(candidate, default_zone=options.timezone)
                break
            except ValueError:
                continue
        else:
            moment = parse_time(text, default_zone=options.timezone)
    else:
        moment = parse_time(text, default_zone=options.timezone)
    if options.reference_time is not None and moment > options.reference_time + _LATE:
        return None
    return moment


def date_share(line: str) -> float:
    """How much of a line a printed full date takes (0 to 1): ``Nov.November 18,
    2019 12:02 PM`` is all date, ``Opening Bell 11.18.19`` is not."""
    if not line or not _MAY_HOLD_DATE.search(line):
        return 0.0
    spans = [m.end() - m.start() for p in _IN_LINE_DATES for m in p.finditer(line)]
    return max(spans, default=0) / len(line)
