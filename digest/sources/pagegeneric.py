"""Page dumps of any publisher, read without a site rule or a known header shape.

The article is found from the text alone:

- the **body** is the main run of prose: lines are scored (a sentence-like line
  earns its length, a short label line costs a little) and the run with the
  highest total wins, so menus, link lists and footers around it fall away; the
  run ends early at a stop marker (related links, comments, newsletter sign-ups,
  author bios, footers: see ``boilerplate.toml``);
- the **headline** is the line above the run that names the page: it shares words
  with the lead paragraphs (and the URL's slug when one is given), sits close above
  them, reads as a headline (a few words, no full stop, not a menu label or a
  time) and often has the byline or time line just under it.  Lines under another
  line's byline or time line (captions, video titles, related links) lose to that
  line, and a deck over the byline gives way to the headline over it;
- **byline, dateline, agency and time** come from the header lines between the
  headline and the body (``pagemeta``), else from a time line just under the story
  or just above the headline; a page printing no readable time is dated by its
  crawl and says so (``Article.time_from_crawl``).
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources

from .base import ReadOptions, builtin_boilerplate
from .normalise import SECTION_ALIASES
from .pagemeta import (
    LineFacts,
    Meta,
    caption_text,
    date_at_start,
    date_share,
    labelled,
    month_name,
    numeric_order,
    post_statement_time,
    time_in_line,
    without_clock_word,
)

# Word lists for telling a headline from its neighbours (``pageheadlines.toml``).
_HEADLINE_DATA = tomllib.loads(
    resources.files("digest.sources").joinpath("pageheadlines.toml").read_text("utf-8")
)
# Sentence ends, Latin and CJK; closing quotes and brackets may follow.
_SENTENCE_END = re.compile(r"[.!?।。！？…:;]['\"’”)\]»]*$|[.!?]['\"’”]?\)?$")
# A statement's end: a short last paragraph ("Officials gave no other details.").
_STATEMENT_END = re.compile(r"[.!।。！]['\"’”)]*$")
_WORD = re.compile(r"\w+")
_STEM = 7
_PUNCTUATION = re.compile(r"[.,;:!?。、，]")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
# A credit or time line printed as a sentence: "By Louis Jacobson on Monday,
# November 18th, 2019 at 11:04 a.m.", "Posted on March 30, 2015 by Admin."
_CREDIT_OPENING = re.compile(r"^(?:by|posted|published|updated|written by)\s", re.I)
_CREDIT_DATE_SHARE = 0.25
# A byline's label alone, the name on the next line ("By" / "Amy Roeder"): crawlers
# save the label and the linked name as two lines; the label is the credit line.
_BYLINE_LABEL = re.compile(
    r"^(?:by|written by|posted by|words by|reviewed by|authors?)\s*:?$", re.I
)
_MAX_CREDIT_CHARS = 160
# Lines long enough to be prose whatever their ending.
_LONG_PROSE_CHARS = 160
_MIN_PROSE_CHARS = 60
# A label line between paragraphs (a subheading, "Advertisement", a caption) costs
# little; a run of them (a menu, a list of related links) adds up.
_LABEL_COST = 4.0
# Where readers' comments begin: "34 responses to “…”", "One thought on “…”", a
# comment's header ("Gary M on September 17, 2018 at 8:50 pm said:"), "All
# Comments 4" (the count may follow the words).
_COMMENT_THREAD = re.compile(
    r"^(?:\d+|one|no) (?:responses?|replies|comments?|thoughts?) (?:to|on)\b"
    r"|^.{1,60} on \w.{3,30}\d at \d{1,2}:\d\d\s*(?:[ap]\.?m\.?)?\s*(?:said|says|wrote):?$"
    r"|^\W*\d+ comments?\W*$|^(?:top rated|readers'?|latest|all) comments(?: \(?\d+\)?)?$"
    # The same in the commoner European languages ("142 Antworten zu „…“") and a
    # blog's comment form over the comments ("Hinterlasse einen Kommentar").
    r"|^\d+ (?:antworten|kommentare|réponses|respuestas|risposte) (?:zu|auf|à|a)\s*[\"“„«‘‚']"
    r"|^(?:kommentar verfassen|schreibe einen kommentar|hinterlasse(?:n sie)? (?:eine antwort"
    r"|einen kommentar)|laisser un commentaire|deja (?:un comentario|una respuesta)"
    r"|lascia un commento)\W*$",
    re.I,
)
#: The words the reader's own rules use, kept as data (``boilerplate.toml``'s
#: ``[reader]`` table), read once.
_READER_WORDS = builtin_boilerplate()["reader"]
# A comment count alone and plain ("124 Comments", "12 Kommentare"): printed in a
# story's header, by its byline, as often as over its comments (a thread's own
# heading is often set off: "[ 167 comments ]").
_COMMENT_COUNT = re.compile(
    r"^\d+ (?:" + "|".join(map(re.escape, _READER_WORDS["comment_count_words"])) + r")$", re.I
)
# A run of this many words ended by a stop marker is likely the story: a run
# after it wins only when this many times as large.
_STORY_BEFORE_STOP = 40.0
_LATER_RUN_FACTOR = 2.0
# A run this many lines or more under the best one (past a sidebar, menus, a
# footer's link lists) must be this many times as large; past a stop marker too,
# where this multiplies _LATER_RUN_FACTOR (3x: two of stop 31's three fresh-set
# title gains need that).  Known costs: a story split by a long table keeps its
# first part even when the part under the table is larger (wcxbdev 0243), and a
# story far under a run of a site's teaser blurbs loses to them (fresh zoll.de).
_FAR_LINES = 30
_FAR_FACTOR = 1.5
# How far under a stop marker the story's prose must go on for it to open a box.
_BOX_REACH = 5
_BOX_PROSE = 2
_BOX_AFTER = 2
# A stop marker inside a story (a sign-up box) does not end it when, within this
# many lines, this many paragraphs of prose resume, of this many words each on
# average, this share of their words the story's own.
_RESUME_REACH = 6
_RESUME_PROSE = 2
_RESUME_SHARE = 0.2
_RESUME_WORDS = 20
# ... under at least this many of its paragraphs: a box may stand early in a story
# (3, not 5: TechRadar's, Vivint's and Newsweek's stories went on past a box
# under their third or fourth paragraph).
_RESUME_TOLD = 3
# A teaser's blurb alone under its headline, the second or later in a row under
# some paragraphs of a story, earns this share of its length.
_TEASERS = 2
_TEASER_SHARE = 0.5
# How far over the story the writer's byline stands.
_BYLINE_ABOVE = 8
# A writer's name alone (a box about the writer) has this many words at most.
_AUTHOR_NAME_WORDS = 4
# A story's header: its headline, byline and time line (and a separator).
_HEADER_LINES = 4
# How far over a time line its byline may stand.
_BYLINE_REACH = 2
# A paragraph ending in a colon announces a list of at most this many items.
_LIST_ITEMS = 30
# A date line inside a run costs this many labels.
_DATE_LINE_CHARS = 60
_TOLD_LINES = 3
_DATE_LINE_COST = 10.0
# A list's item inside a story (a checklist's step, a spec, a guide's tip): a line
# of this many words or more, its parts set off by a comma or brackets, with no
# sentence end and not in Title Case, with another such line within _ITEM_REACH
# lines (a list has items), costs nothing, so a story going on under its list is
# one run.  (Other stories' headlines set
# off by a dash or a colon, in sentence case in most languages, and a lone
# licence or caption line under a story still cost: fresh lost boilerplate
# snippets to both.)
_ITEM_WORDS = 8
_ITEM_PARTS = re.compile(r"[,(]")
_ITEM_REACH = 2
# A post's time line opening with its date: this short, a figure this early.
_DATED_LINE_CHARS = 120
_DATED_LINE_OPENING = 12
# A document title: "Headline | Site", "Headline - Site", "Headline — Site".
_DOCUMENT_TITLE = re.compile(r"^(?P<head>\S.{8,}?)\s+[|–—-]\s+(?P<site>[^|–—]{2,60})$")
_SITE_WORDS = 5
_NAMED_WORDS = 3
# How much a candidate agreeing with the document title (word Jaccard) gains.
_NAMED_AGREEMENT = 0.5
_NAMED_BONUS = 3.0
_STATEMENT_WORDS = 3
_CLUSTER_LINES = 3
_CLUSTER_COST = 1.5
HEADLINE_SPAN = 40
_MIN_HEADLINE_SCORE = 1.5
# Lines that are never a headline: handles, bylines, labels, captions in brackets.
_NOT_HEADLINE = re.compile(
    r"^(?:@\w+|by\s|written by|posted\s|published|updated|photo|image|credits?\b|source:|follow\s)"
    r"|^\(.*\)$|:$|^(?![-–] \w)[^\w'\"‘’“”«»„‚¿¡\[]"
    r"|get short url\b|\bstaff\b|\bwriter\b|\bcorrespondent\b"
    r"|\breporter\b|\beditor(?:-at-large)?$|[\w,;](?:\.\.\.|…)$"
    # An author's link, glued to the name: "Jose AltoverosView More Articles".
    r"|view (?:all |more )?(?:articles|posts|stories)$"
    # A credit without a name: "Detroit News wire services", "Staff and agencies".
    r"|\b(?:wire|news) (?:services?|reports?)$|\band agencies$|\bstaff reports?$"
    # A gallery's label: "Gallery: Xbox One X | 14 Photos", "14 Photos"; a headline
    # may end in a count ("Hurricane Ian's destruction in 30 photos").
    r"|^(?:photo |image )?gallery\s*:|^(?:\w+ )?\d+ (?:photos|images|pictures|slides)$"
    r"|[|•·]\s*\d+ (?:photos|images|pictures|slides)$"
    # An outlet's name, as credited over a picture or a story: "The Yomiuri Shimbun".
    r"|^(?-i:(?:The )?(?:[A-Z][\w'’.-]+ ){1,3}(?:Shimbun|Times|Post|Herald|Journal|Tribune"
    r"|Gazette|Telegraph|Chronicle|Standard|Mail|Press|Zeitung|Rundschau|Allgemeine))$"
    # A picture's credit naming only its photographer: "Glass cloche terrariums (Lucy
    # Akins)"; a headline's own aside opens with a small word, no name does ("How to
    # Stay Productive (While Travelling)", "Working Mom (Without Totally Losing It)").
    r"|\S \((?!(?-i:While|Without|With|And|For|In|On|Or|Not|From|The|A|An|But|Plus|Even"
    r"|How|What|Why|When|Where|Who|Is|Are|At|To|Of|Vs|Via|Part)\b)"
    r"(?-i:[A-Z][\w'’-]+(?: [A-Z]\.)?(?: [A-Z][\w'’-]+){1,2})\)$"
    # A post's section label, lower-case "in" before its name: "in Noticias de Medellín",
    # "in Ärzte und Kliniken" (the words are data, ``pageheadlines.toml``).
    r"|^(?-i:(?:"
    + "|".join(map(re.escape, _HEADLINE_DATA["section_label_words"]))
    + r") [A-ZÀ-ÖØ-ÞĀ-Ž])"
    # A price: "From $610.00", "Only £9.99".
    r"|^(?:from |only |just |now |was )?[$£€¥₹]\s?\d[\d.,]*\W*$",
    re.I,
)
# A post's meta line written out: a date with its author, its comment count or a
# separator ("Am 13. November 2019 Von Henry In Aktuell", "Karsten Dörre /
# 22.04.2020", "Dezember 10, 2019 · von freeman1984 · in Uncategorized"); a
# headline naming a date ("Protokoll der Sitzung vom 10. Oktober 2019") has none.
_POST_META_MARK = re.compile(
    r"\b(?:von|by|par|por|door|av|af)\s+\S|\s[|·•/]\s|\bkommentar|\bcomments?\b"
    r"|\bveröffentlicht|\bposted\b|\bpublished\b|\bpublicado\b|\bpublié\b",
    re.I,
)
_POST_META_DATE_SHARE = 0.15
# A picture's credit on a line of its own ("© E. Schwinge", "Foto: dpa",
# "Symbolbild / Salzgitter AG", "(Bild: Dieter Stork)"): the line over it is a caption.
_PICTURE_CREDIT_LINE = re.compile(
    r"^[(\[]?(?:©|(?:fotos?|bild|photos?|symbolbild|image|credit|fotografía)\b)", re.I
)
_CREDIT_LINE_WORDS = 8
_CAPTION_COST = 1.0
# A label over (or run into) a post's tags or topics: "Tags", "Schlagwörter:",
# "Tópicos: País | Presidente Boric".
_TAGS_LABEL = re.compile(
    r"^(?:tags?|schlagw(?:ö|oe)rter|schlagworte|stichw(?:ö|oe)rter|tópicos|topics|etiquetas"
    r"|temas|mots[- ]clés|kategorien|categories|argomenti)(?:\s*:|$)",
    re.I,
)
# A line ending in an ellipsis after a word: cut short, unless it is a headline's own.
_ELLIPSIS = re.compile(r"(?<=[\w,;])(?:\.\.\.|…)$")
# What reading as people's names or a place costs a line that may still be the
# headline (see ``_named_headline``).
_NAME_LIKE_COST = 1.0
# Years glued to what follows by the crawler: "10. Februar 20199. Februar 2019".
_GLUED_YEAR = re.compile(r"((?:19|20)\d\d)(?=\d)")
# A clock time in a line of a few words ("Mo, 11:41 Uhr", "18. September um 08:37").
_CLOCK = re.compile(r"(?<![\d:])\d{1,2}:\d\d(?![\d:])")
_CLOCK_LINE_WORDS = 5
_DIGIT = re.compile(r"\d")
_LETTERS = re.compile(r"[^\W\d_]{2}")
# A byline in the commoner languages: "Von Christian Unger, Tobias Köberlein und …",
# "von Jemima Kelly", "Par David Mouriquand", "di Viviana Mazza", "Av Kari Nordmann":
# the word for "by", then a name (two capitalised words; "Von der Leyen …" is none).
_FOREIGN_BYLINE = re.compile(
    r"^(?:[Vv]on|[Pp]ar|[Pp]or|[Dd]i|[Dd]a|[Dd]oor|[Aa]v|[Aa]f|[Aa]utor(?:in)?:?|[Tt]exto?:?)"
    r"\s+(?:[A-ZÀ-ÞĀ-Ž][\w'’.-]+|[A-Z]\.)\s+[A-ZÀ-ÞĀ-Ž][\w'’.-]+(?:[\s,]|$)"
)
# A name and the writer's job: "Steffan Rhys Deputy Content Hub Director",
# "Daniel Großert Redakteur", "André KleinRedakteur" (run together).
# The writer's job alone, under the byline: "Freelance sports writer",
# "Leitender Wirtschaftsredakteur", "Redakteurin".
_JOB_ALONE = re.compile(
    r"^(?:[\w-]+ ){0,2}[\w-]*(?:director|editor|redakteur(?:in)?|korrespondent(?:in)?"
    r"|reporter(?:in)?|writer|journalist(?:in)?|columnist|kolumnist(?:in)?|contributor"
    r"|correspondent|producer)$",
    re.I,
)
_JOB_BYLINE = re.compile(
    r"^(?:[A-ZÀ-ÞĀ-Ž][\w'’.-]+ ){1,6}[A-ZÀ-ÞĀ-Ž]?[\w'’.-]*?"
    r"(?:Director|Editor|Redakteur(?:in)?|Korrespondent(?:in)?|Reporter(?:in)?|Writer"
    r"|Journalist(?:in)?|Columnist|Kolumnist(?:in)?|Contributor|Correspondent|Producer"
    r"|Redaktør|Rédact(?:eur|rice)|Periodista|Redattrice|Redattore|Giornalista)$"
)
_BYLINE_WORDS = 16
_NAME_LINE_WORDS = 9
# Small words of other languages: a line holding one is no list of names.
_NAME_LINE_STOPS = frozenset(
    "der die das und in im mit von zu den dem des ein eine le la les et de du des un une "
    "el los las y en con del il lo gli e di da per og i på med av en et til het een van "
    "op is".split()
)
# A credit line: "Analysis by Chris Cillizza, CNN", "Tanza Loudenback, Business
# Insider", "Meg Kinnard and Errin Haines, Associated Press".
_CAP_WORD = r"(?:[A-Z][\w'’.-]*|[A-Z]\.)"
_CAP_NAME = rf"{_CAP_WORD}(?: {_CAP_WORD}){{1,3}}"
_CREDIT_LINE = re.compile(
    rf"^(?:[A-Z]\w+ by )?{_CAP_NAME}(?:(?:, | and | & ){_CAP_NAME})*"
    rf", {_CAP_WORD}(?:[ -]{_CAP_WORD}){{0,3}}$"
)
# A breadcrumb trail ("Blog > Weight Loss > Tips") and a line of labelled facts
# ("Tested by: John Milbank RRP: £23.99") are no headline.
# A crumb trail's separator, single or doubled ("Home > News", "Home ›› Politik").
CRUMB_SEPARATOR = re.compile(r" [>»›]{1,2} ")
_FACT_LABEL = re.compile(r"(?:^|\s)\w+(?: \w+)?: \S")
# Share of a line a date may take before the line is a time line, not a headline.
_MAX_DATE_SHARE = 0.5
# Headlines are short; a line of more words is likelier the standfirst.
LONG_HEADLINE_WORDS = _LONG_HEADLINE_WORDS = 22
_KICKER_WORDS = 6
#: A headline under its kicker (Title Case or in two parts) is at least this many
#: times the kicker's size.
_KICKER_RATIO = 1.5
#: A headline in two parts, a topic then a colon or a dash ("GdP-Vize Klemmer: …",
#: "No Peace for Our Time – Pence, …"), ending in no full stop (nor one inside a
#: closing quote: 'The mayor said: "We will not reopen it."' is a sentence).
_TWO_PART = re.compile(r"^[^:‒–—―.!?]{3,60}(?::| [‒–—―-]) \S.*[^.'\"’”»]['\"’”»]*$")
#: Lower-case words of languages that write headlines as sentences (data).
_SENTENCE_CASE_WORDS = frozenset(_HEADLINE_DATA["sentence_case_words"])
# A label line is this short; a standfirst is looked for this far under a line.
_LABEL_WORDS = 5
#: "Label: value" with a figure: a label of a few words and a short value.
_LABELLED = re.compile(r"^(?P<label>[^:\d]{1,30}):\s*(?P<value>\S.*)$")
_LABEL_WORDS_MAX = 3
_LABEL_VALUE_WORDS = 4
# A headline's subtitle after its colon, ending in the year it is for ("The
# Ultimate Guide 2025"): this many words at least, the year a word of its own.
_SUBTITLE_WORDS = 3
_YEAR = re.compile(r"(?:19|20)\d\d")
_STANDFIRST_REACH = 2
_STANDFIRST_MARGIN = 2.5
# A line this much longer than the one over it (and of some length) is its standfirst.
_STANDFIRST_WORDS = 12
_STANDFIRST_RATIO = 1.5
_HEADLINE_WORDS = 4
#: ... or this many, right over a much longer deck written as one full sentence.
_SHORT_HEADLINE_WORDS = 2
# Title Case: this share of the words longer than a short word are capitalised.
_SHORT_WORD = 3
_TITLE_CASE = 0.8
# Two sentences on one line ("… the crisis. It is up to them …"): no headline.
_INNER_SENTENCE = re.compile(r"\b[a-z]+[.!?]['\"’”]? [A-Z‘“'\"]")
_MAX_HEADLINE_CHARS = 250
_MENU_WORDS = 13
# A line with this many headline-shaped lines of its size this close is in a
# list of other stories (related links, most read); each one costs.
_LIST_REACH = 3
_LIST_SIBLINGS = 2
#: A list of labels (categories, tags) has this many items at least, each of at
#: most this many words, set apart by a comma, a bullet or a bar.
_LABEL_LIST_ITEMS = 3
_LABEL_ITEM_WORDS = 3
_LABEL_SEPARATOR = re.compile(r"\s*[,•·|]\s+|\s+[•·|]\s*")
_LIST_COST = 1.0
_LIST_SIZE = 0.6
# A line this close under a time line under a headline-like line is no headline.
_UNDER_HEADER_REACH = 3
_UNDER_HEADER_COST = 3.0
# A line printed again this deep inside the story, over its prose, heads a section.
_SECTION_DEPTH = 3
_SECTION_COST = 3.0
#: A table of contents: at least this many lines above the story printed again
#: further down as its sections' headings.
_CONTENTS_ENTRIES = 3
#: The numbering a contents entry or a section heading opens with ("2.1 ", "3. ").
_SECTION_NUMBER = re.compile(r"(?:\d{1,2}(?:\.\d{1,2})*[.):]?\s+)+")
_HEADER_HEADLINE_SCORE = 3.0
# A line the page quotes elsewhere in full names it.
_QUOTE_MARK = re.compile(r"[“\"«„]")
_QUOTED = re.compile(r"[“\"«„]([^“”\"«»„]{8,250})[”\"»“]")
_QUOTED_BONUS = 1.5
#: A headline printed twice in a row (the visible heading and its copy in a hidden
#: heading or over the picture) names the page; a copy further away is the common
#: caption printed again under its credit, so only the next line counts.
_TWIN_REACH = 1
_TWIN_BONUS = 1.0
# A line over a standfirst (see ``_Context._over_standfirst``) gains this much.
_OVER_STANDFIRST_BONUS = 1.5
_STANDFIRST_MIN_WORDS = 10
_STANDFIRST_AGREEMENT = 3
# How far above the headline and under the story a time is looked for.
_TIME_ABOVE = 4
_TIME_UNDER = 4
# How far under the story, or above its headline, a labelled time line ("Datum:
# 19.11.2021", "Erschienen am: 01.11.2023") is still the page's own when nothing
# nearer is: a label names the page's date, where a bare date this far off may be
# a related story's.
_LABELLED_REACH = 40
# ... and how far a time line without a label is (see ``fallback_time``).
_TIME_LINE_REACH = 15
_LATE = timedelta(days=1)
# An embedded Instagram post's credit ("Ein Beitrag geteilt von Ana (@ana) am Apr
# 21, 2019", "A post shared by …"): its date is the post's, often weeks before the
# story quoting it.  (A quoted tweet's "— Jane Roe (@janeroe) November 19, 2019" is
# left alone: pages quote the day's tweets, and their date is the story's as often.)
_EMBED_CREDIT = re.compile(
    r"\b(?:a post shared by|ein beitrag geteilt von|une publication partagée par"
    r"|una publicación compartida de|un post condiviso da)\b",
    re.I,
)
# A reference to a paper ("In: Science; Vol. 371, Issue 6526, pp. 260 - 264, 15.
# Januar 2021, DOI 10.1126/…"): its date is the paper's, not the story's.
_CITATION = re.compile(r"\bdoi\b:?\s*10\.|\bvol\.\s*\d|\bpp\.\s*\d", re.I)
# A post's date line opening with its label, run together with its author, tags and
# categories by the crawler past the length of a header line ("Posted byDamien
# WalterDecember 30, 2024December 30, 2024Posted inPodcast, …"): its head is read.
_POST_LABEL = re.compile(r"^(?:posted|published|updated)(?:\s|by|on|in\b)", re.I)
# How far into the story a line opening with a full date is still the story's
# dateline ("27.1.2022 - Bei der Erinnerung …" under the standfirst and byline).
_OPENING_DATE_LINES = 5
# In ``_nearest_time``'s order of lines: where the story's opening dates are tried.
_OPENING = -1
# How many time lines between headline and story make a list of teasers.
_TEASER_TIMES = 3
# How many time lines next to an update's one are read for the publication's.
_TIME_BLOCK = 3
_STOPWORDS = frozenset(
    "the a an and or of to in on for at by with from as is are was were be been it its this "
    "that these those he she they we you i his her their our your not but has have had will "
    "would can could should may might than then so if into over after before about up out".split()
)


@dataclass(frozen=True, slots=True)
class Run:
    """The main run of prose: ``lines[start:end]``."""

    start: int
    end: int


def weight(line: str) -> float:
    """A line's size in words (CJK text: characters / 2)."""
    if _CJK.search(line):
        return len(line) / 2
    return float(len(line.split()))


def is_prose(line: str) -> bool:
    """Whether a line reads as a sentence of running text, not a label or a link."""
    size = len(line)
    if size >= _LONG_PROSE_CHARS:
        # ... unless it is a menu run together: words with no punctuation at all.
        prose = bool(_PUNCTUATION.search(line) or _CJK.search(line))
    elif size < _MIN_PROSE_CHARS and not (_CJK.search(line) and size >= 25):
        return False
    else:
        prose = (bool(_SENTENCE_END.search(line)) and weight(line) >= 8) or bool(
            _CJK.search(line) and _SENTENCE_END.search(line)
        )
    # "By Louis Jacobson on Monday, November 18th, 2019 at 11:04 a.m." is no prose.
    return prose and not dated_credit(line)


def title_case(line: str) -> bool:
    """Whether a line is written in Title Case, as headlines are (standfirsts are
    written as sentences): most of its longer words are capitalised.  Words in a
    script without case (CJK: "PCをCtrl＋Alt") are not counted."""
    long = [
        w for w in line.split() if len(w) > _SHORT_WORD and w[0].isalpha() and not _CJK.search(w)
    ]
    return len(long) >= 2 and sum(w[0].isupper() for w in long) >= _TITLE_CASE * len(long)


def document_title(line: str) -> str:
    """The headline part of a dump's first line when it reads as a document title
    (``"Headline | Site"``, ``"Headline - Site"``), else ``""``."""
    found = _DOCUMENT_TITLE.match(line)
    if (
        found is None
        or is_prose(line)
        or weight(found["site"]) > _SITE_WORDS
        or weight(found["head"]) < _NAMED_WORDS
    ):
        return ""
    return found["head"]


def main_run(lines: Sequence[str], stops: Sequence[bool]) -> Run | None:
    """The contiguous lines with the highest prose score (``None`` if no prose).

    ``stops[i]`` marks a stop marker: a run cannot extend past one.
    """
    best, best_start, best_end, best_told = 0.0, 0, 0, 0
    total, start = 0.0, 0
    labels = told = 0
    # The story comes before the comments and the footer: past a stop marker under
    # a run of prose, a later run must be much larger to be the story.
    handicap = 1.0
    prose = [is_prose(line) for line in lines]
    items = [not p and list_item(line) for p, line in zip(prose, lines, strict=True)]
    teasers = 0
    for at, line in enumerate(lines):
        # Under some paragraphs, a box about the writer and another story's header
        # (the next story printed under this one) end the story too, unless the
        # story goes on under it (a card quoting another story); the words the
        # prose under it shares are looked for above the header (the next story's
        # own headline shares them all).
        ends = told >= _TOLD_LINES and total > 0 and _ends_story(lines, at, start)
        if (
            ends
            and not (
                _leading(start, best_start, told)
                and story_resumes(lines, stops, start, at, max(start, at - _HEADER_LINES))
            )
        ) or (
            stops[at]
            and not header_count(line, max(told, best_told))
            and not _opens_box(lines, at, told if total > 0 else 0)
            and not (
                total > 0
                and _leading(start, best_start, told)
                and story_resumes(lines, stops, start, at)
            )
        ):
            if best >= _STORY_BEFORE_STOP and _COMMENT_THREAD.search(line):
                break  # readers' comments follow the story
            total, start, told = 0.0, at + 1, 0
            if best >= _STORY_BEFORE_STOP:
                handicap = _LATER_RUN_FACTOR
            continue
        if prose[at]:
            labels, score = 0, weight(line)
            # A list of teasers (headline, one-paragraph blurb, headline, blurb,
            # ...) under a story reads as prose; a story's paragraphs follow each
            # other.  From the second blurb in a row, a blurb earns half its length.
            teasers = teasers + 1 if _teaser_blurb(lines, prose, at) else 0
            if teasers >= _TEASERS and told >= _TOLD_LINES:
                score *= _TEASER_SHARE
            told += 1
        elif (
            told >= _TOLD_LINES
            and items[at]
            and any(items[max(0, at - _ITEM_REACH) : at] + items[at + 1 : at + 1 + _ITEM_REACH])
        ):
            # (Under some paragraphs only: a headline over the story may read so.)
            labels, score = 0, 0.0
        else:
            # A cluster of headline-shaped lines (a list of links to other
            # stories) costs more than its lines.
            labels = labels + 1 if _link_shaped(line) else 0
            score = -_LABEL_COST * (_CLUSTER_COST if labels >= _CLUSTER_LINES else 1.0)
            if (
                told >= _TOLD_LINES
                and len(line) <= _DATE_LINE_CHARS
                and date_share(line) >= _MAX_DATE_SHARE
            ):
                # A story prints its time once, over it: a date under some of its
                # paragraphs heads another story (a list of teasers) or a comment.
                score *= _DATE_LINE_COST
        if total <= 0:
            total, start, told = 0.0, at, int(score > 0)
        total += score
        factor = handicap if start > best_end else 1.0
        if best >= _STORY_BEFORE_STOP and start - best_end >= _FAR_LINES:
            # The story comes before the sidebar and the footer: a run of prose
            # far under it (a legal notice, a tag cloud, a site's blurb) is theirs.
            factor *= _FAR_FACTOR
        if total > best * factor:
            best, best_start, best_end, best_told = total, start, at + 1, told
    if best <= 0:
        return None
    # Short statements and captions just under the run still belong to the story.
    while (
        best_end < len(lines)
        and not stops[best_end]
        and (_is_statement(lines[best_end]) or caption_text(lines[best_end]))
    ):
        best_end += 1
    return Run(best_start, _announced_list(lines, stops, best_end))


def list_item(line: str) -> bool:
    """Whether a line that is no sentence reads as a list's item inside a story
    (see :data:`_ITEM_WORDS`), not a label or a link to another story."""
    return (
        weight(line) >= _ITEM_WORDS
        and bool(_ITEM_PARTS.search(line))
        and not _SENTENCE_END.search(line)
        and not title_case(line)
    )


def header_count(line: str, told: int) -> bool:
    """Whether ``line`` is a bare comment count ("124 Comments") with no story of
    some paragraphs told above it: the story's header prints it by the byline (the
    comments are under the story), so it ends nothing."""
    return told < _TOLD_LINES and bool(_COMMENT_COUNT.match(line))


def _announced_list(lines: Sequence[str], stops: Sequence[bool], end: int) -> int:
    """Where the run ending at ``end`` ends when its last paragraph announces a
    list ("… these deals not to miss on Amazon:"): the list's items under it,
    each a line of a few words and no sentence, belong to the story."""
    if end == 0 or not lines[end - 1].endswith((":", "：")) or not is_prose(lines[end - 1]):
        return end
    last = min(len(lines), end + _LIST_ITEMS)
    while end < last and not stops[end] and _link_shaped(lines[end]):
        end += 1
    return end


def _teaser_blurb(lines: Sequence[str], prose: Sequence[bool], at: int) -> bool:
    """Whether the prose line at ``at`` stands alone under a headline-shaped line,
    as a teaser's blurb does (no paragraph of prose right over or under it)."""
    return (
        at > 0
        and not prose[at - 1]
        and _link_shaped(lines[at - 1])
        and (at + 1 >= len(lines) or not prose[at + 1])
    )


def author_box(lines: Sequence[str], at: int, start: int) -> bool:
    """Whether the line at ``at`` heads a box about the writer of the story that
    starts at ``start``: a name alone (see :func:`names_only`) that the page
    prints over the story too (its byline), perhaps the writer's job under it,
    then a paragraph opening with that name ("John Nichols is a national affairs
    correspondent …") or, under the job, any paragraph; and no story going on
    under that paragraph (a box inside the story, its prose resuming, ends
    nothing).  A list of products or people, each name over a paragraph opening
    with it, names them only there."""
    name = lines[at]
    if not names_only(name) or len(name.split()) > _AUTHOR_NAME_WORDS:
        return False
    under = lines[at + 1 : at + 3]
    if not under:
        return False
    bio = at + 1
    if _JOB_ALONE.match(under[0]) or _JOB_BYLINE.match(under[0]):
        bio += 1
    elif not under[0].startswith(name):
        return False
    after = lines[bio + 1 : bio + 1 + _BOX_PROSE]
    return (
        bio < len(lines)
        and is_prose(lines[bio])
        and not (len(after) == _BOX_PROSE and all(map(is_prose, after)))
        and any(name in line for line in lines[max(0, start - _BYLINE_ABOVE) : start])
    )


def _ends_story(lines: Sequence[str], at: int, start: int) -> bool:
    """Whether the line at ``at``, under a story's paragraphs (from ``start``),
    ends it as a stop marker would: it heads a box about the writer or another
    story."""
    return author_box(lines, at, start) or story_header(lines, at)


def story_header(lines: Sequence[str], at: int) -> bool:
    """Whether the line at ``at`` is a story's time line under its byline ("Martin
    Gramnæs" or "By Jane Doe" over "Publisert 06.01.2026 - 17:29"): under a
    story's paragraphs, the header of the next story (pages that print stories
    one under another), where a bare date may be a teaser's."""
    line = lines[at]
    if len(line) > _DATE_LINE_CHARS or date_share(line) < _MAX_DATE_SHARE:
        return False
    return any(
        names_only(above) or _credit_opening(above) or foreign_byline(above)
        for above in lines[max(0, at - _BYLINE_REACH) : at]
    )


def _leading(start: int, best_start: int, told: int) -> bool:
    """Whether the run being read (from ``start``, ``told`` paragraphs) is the
    page's best so far and tells a story: a box under it may be inside that story
    (a box under a lesser run is passed by no rule: the better run above stays)."""
    return start == best_start and told >= _RESUME_TOLD


def story_resumes(
    lines: Sequence[str], stops: Sequence[bool], start: int, at: int, told_end: int | None = None
) -> bool:
    """Whether the stop marker at ``at``, under the story's lines from ``start``,
    heads a box inside the story (a newsletter sign-up, a teaser) rather than
    ending it: within a few lines under it the prose goes on, and it is the same
    story's (sharing the words of its lines up to ``told_end``, else ``at``), not
    another story's teaser or the site's blurb."""
    if comment_thread(lines[at]):
        return False
    after: list[str] = []
    for line, stop in zip(
        lines[at + 1 : at + 1 + _RESUME_REACH], stops[at + 1 : at + 1 + _RESUME_REACH], strict=True
    ):
        if comment_thread(line):
            return False
        if stop and after:
            break  # (the box may hold several markers: "Sign up", "Get … news")
        if not stop and is_prose(line):
            after.append(line)
        elif after:
            # Paragraphs of the story follow each other; teasers of other stories
            # alternate with their headlines.
            break
    if len(after) < _RESUME_PROSE or sum(map(weight, after)) < _RESUME_WORDS * len(after):
        return False  # (a site's short blurbs under its sign-up box are no story)
    resumed = content_words(" ".join(after))
    told = content_words(" ".join(lines[start : at if told_end is None else told_end]))
    return bool(resumed) and len(resumed & told) >= _RESUME_SHARE * len(resumed)


def _opens_box(lines: Sequence[str], at: int, told: int) -> bool:
    """Whether the stop marker at ``at`` opens a box of links inside a story that
    has just started (``told`` paragraphs: "Related articles" under its first
    ones), the story's prose going on just under the box."""
    if not 0 < told <= _BOX_AFTER or comment_thread(lines[at]):
        return False  # readers' comments under a short story end it
    after = lines[at + 1 : at + 1 + _BOX_REACH]
    # The box holds links (headline-shaped lines); the story's prose follows them.
    return bool(after) and box_under(after)


def box_under(after: Sequence[str]) -> bool:
    """Whether ``after`` (the lines under a stop marker) is a box of links with
    the story's prose going on under it."""
    return _link_shaped(after[0]) and sum(map(is_prose, after)) >= _BOX_PROSE


def comment_thread(line: str) -> bool:
    """Whether a line opens readers' comments (see :data:`_COMMENT_THREAD`)."""
    return bool(_COMMENT_THREAD.search(line))


def _link_shaped(line: str) -> bool:
    """Whether a line looks like a link to another story: a few words, no sentence."""
    return 3 <= weight(line) <= _LONG_HEADLINE_WORDS and not _SENTENCE_END.search(line)


def _is_statement(line: str) -> bool:
    """Whether a line is a short sentence of a few words that ends as a statement."""
    return weight(line) >= _STATEMENT_WORDS and bool(_STATEMENT_END.search(line))


def content_words(text: str) -> set[str]:
    """Lower-cased words of a text, minus the commonest English ones."""
    # Words are cut to their first letters, a crude stem that lets inflected forms
    # agree ("Geflüchtete", "Geflüchteten") in whatever language the page is.
    words = {w[:_STEM] for w in _WORD.findall(text.lower()) if w not in _STOPWORDS}
    if _CJK.search(text):
        # CJK text has no spaces: its character pairs stand for words.
        compact = "".join(ch for ch in text if _CJK.match(ch))
        words |= {compact[i : i + 2] for i in range(len(compact) - 1)}
    return words


def ends_in_stopword(text: str) -> bool:
    """Whether a text's last word is one of the commonest English ones ("12 of
    the"): the text runs on into what follows, it is no label of its own."""
    words = text.lower().split()
    return bool(words) and words[-1] in _STOPWORDS


def headline_at(
    lines: Sequence[str],
    run: Run,
    facts: LineFacts,
    *,
    slug_words: set[str],
    named: str = "",
) -> tuple[int, float] | None:
    """Index and score of the line that names the page, above the main run
    (``None`` if no line reads as its headline).  ``named``: the headline part of
    the page's document title when the dump opens with one (see :func:`document_title`)."""
    return headline_scores(lines, run, facts, slug_words=slug_words, named=named)[0]


def headline_scores(
    lines: Sequence[str],
    run: Run,
    facts: LineFacts,
    *,
    slug_words: set[str],
    named: str = "",
) -> tuple[tuple[int, float] | None, dict[int, float]]:
    """:func:`headline_at`'s answer, and the score of every line it weighed."""
    context = _Context(lines, run, facts, slug_words, named)
    first = max(0, run.start - HEADLINE_SPAN)
    scores: dict[int, float] = {}
    for at in range(run.start - 1, first - 1, -1):
        score = context.score(at)
        if score is not None:
            scores[at] = score
    for at in [at for at in scores if _under_header(lines, at, scores, facts, context)]:
        scores[at] -= _UNDER_HEADER_COST
    for at in [at for at in scores if context.heads_section(at) or context.listed(at)]:
        scores[at] -= _SECTION_COST
    # The headline agrees with the lead: when some line shares words with it, a
    # line sharing none (a menu item, a promo, a site motto) is no headline.
    shared = {at: len(content_words(lines[at]) & context.lead_words) for at in scores}
    if max(shared.values(), default=0) >= _LEAD_AGREEMENT:
        for at in [at for at in scores if not shared[at]]:
            scores[at] -= _ASIDE_COST
    # The highest score; of equal ones, the line nearest the story.
    best = max(scores.items(), key=lambda item: (item[1], item[0]), default=None)
    if best is None or best[1] < _MIN_HEADLINE_SCORE:
        return None, scores
    best = _over_own_header(lines, best, scores, context)
    return _over_standfirst(lines, best, scores, context), scores


def _over_own_header(
    lines: Sequence[str], best: tuple[int, float], scores: dict[int, float], context: _Context
) -> tuple[int, float]:
    """The line under ``best`` when that line stands right over the story's byline
    or time line and ``best`` does not: ``best`` is then a kicker, a site's motto or
    a blog's name over the headline.  A deck under the headline (a sentence, or a
    line much longer than the one over it) stands there too: it gives way."""
    at, score = best
    under = at + 1
    if (
        under in scores
        and under < context.run.start
        and context.heads_post(under)
        and not context.heads_post(at)
        and headline_shaped(lines[under], context.facts)
        and not deck_under(lines[at], lines[under])
        and scores[under] >= score - _STANDFIRST_MARGIN
    ):
        return under, scores[under]
    return best


def deck_under(upper: str, lower: str) -> bool:
    """Whether ``lower`` reads as the deck under the headline ``upper``: a
    sentence, two sentences, or a line much longer than the one over it."""
    return (
        lower.rstrip("'\"’”»)").endswith((".", "!"))
        or two_sentences(lower)
        or weight(lower) >= max(_STANDFIRST_WORDS, _STANDFIRST_RATIO * weight(upper))
    )


def label_over_headline(upper: str, lower: str) -> bool:
    """Whether ``upper`` reads as a kicker or a section's label over the headline
    ``lower``, not as the headline over its deck: decks are written as sentences,
    so a line much longer than the one over it, in English Title Case
    (:func:`english_title_case`) or in a headline's two parts, is the headline
    ("Home Topics Mental Health" over "Recent Trends in Mental Health and Substance
    Use Concerns Among Adolescents", "HR & Payroll Services" over "HR Shared
    Services explained: Benefits, functions, …")."""
    shaped = english_title_case(lower) or _TWO_PART.match(lower) is not None
    return shaped and weight(upper) * _KICKER_RATIO <= weight(lower)


def english_title_case(line: str) -> bool:
    """Whether a line is in Title Case as English writes it (:func:`title_case`),
    not a sentence of a language that capitalises its nouns ("Nach Rissen in zwei
    Pfeilern sperrt der Stadtrat die Brücke für Autos"): no lower-case word of the
    ``sentence_case_words`` in ``pageheadlines.toml``."""
    return title_case(line) and _SENTENCE_CASE_WORDS.isdisjoint(line.split())


def sentence_deck(upper: str, lower: str) -> bool:
    """Whether ``lower`` reads as a deck written as sentences under the headline
    ``upper`` (:func:`deck_under`), not as a long headline: no Title Case, and in
    CJK text (no spaces to count) a sentence's end."""
    if title_case(lower) or not deck_under(upper, lower):
        return False
    return not _CJK.search(lower) or bool(_SENTENCE_END.search(lower))


def _under_header(
    lines: Sequence[str], at: int, scores: dict[int, float], facts: LineFacts, context: _Context
) -> bool:
    """Whether the line at ``at`` stands under another story's header: a time line
    (with its credit lines) just above it, and above those a line that reads
    nearly as well as a headline.  Captions, decks and related links sit there;
    the headline sits over its time line, not under it."""
    for anchor in range(at - 1, max(-1, at - _UNDER_HEADER_REACH - 1), -1):
        said = facts(lines[anchor])  # without bare names: "By …", an agency, a time
        if (
            (said is not None and (said.has_time or said.byline or said.agency))
            or _credit_opening(lines[anchor])
            # ... or a byline of another language ("von Daniel Braun, Davor Pasoski")
            or foreign_byline(lines[anchor])
            # ... or a date opening a short line ("31.01.2016 Hardware")
            or dated_line(lines[anchor], facts)
        ):
            break
    else:
        return False
    above = anchor - 1
    while above >= 0 and anchor - above <= _UNDER_HEADER_REACH and _is_credit(lines[above], facts):
        above -= 1
    if above not in scores or lines[above].lower().endswith(lines[at].lower()):
        return False  # ... or it is the headline again, a label run into it above
    # A line over the time line that reads well as a headline and agrees with the
    # lead heads the story, however well a subheading under it reads.
    return scores[above] >= scores[at] - _STANDFIRST_MARGIN or (
        scores[above] >= _HEADER_HEADLINE_SCORE
        and bool(content_words(lines[above]) & context.lead_words)
    )


def dated_line(line: str, facts: LineFacts) -> bool:
    """Whether a short line opens with a full date, a post's time line with its
    author or topic after it ("1. Februar 2022 , Daniel Dillenburg", "31.01.2016
    Hardware"), which the header facts may not read as a whole."""
    if len(line) > _DATED_LINE_CHARS or _DIGIT.search(line[:_DATED_LINE_OPENING]) is None:
        return False
    found = date_at_start(line, facts.options, month_first=None)
    # A date (and time) alone may head a list's teaser: a post's line names more
    # ("Uhr" after the clock names nothing).
    return found is not None and _LETTERS.search(without_clock_word(line[found[1] :])) is not None


def _over_standfirst(
    lines: Sequence[str], best: tuple[int, float], scores: dict[int, float], context: _Context
) -> tuple[int, float]:
    """The headline over ``best`` when ``best`` is the standfirst under it: a longer
    sentence just below a shorter line that reads nearly as well as the headline
    (the standfirst shares the lead's words, so it often scores higher), or a
    deck over the byline or time line, with the headline just above it.  The
    headline must share a word with the lead too."""
    at, score = best
    lead = context.lead_words
    line = lines[at]
    above = at - 1
    if above not in scores and above > 0 and weight(lines[above]) <= _LABEL_WORDS:
        above -= 1  # an author's name or a label between headline and deck
    if (
        above in scores
        and len(content_words(lines[above])) >= _HEADLINE_WORDS  # no label ("Blog - News")
        and (context.heads_story(at) or context.over_captioned_credit(at))
        and not lines[above].endswith(".")
        and not lines[above].isupper()
        and not label_list(lines[above])
        and line.lower() not in lines[above].lower()  # a crumb trail ending in it
        and not label_over_headline(lines[above], line)
        # Pages repeat their headline (in a crumb, a share text), not the deck.
        and (context.repeated(above) or not context.repeated(at))
        and content_words(lines[above]) & lead
        and scores[above] >= score - _STANDFIRST_MARGIN
    ):
        return above, scores[above]
    words = len(line.split())
    sentence = (
        line.endswith((".", "!"))
        or words > _LONG_HEADLINE_WORDS
        or bool(_INNER_SENTENCE.search(line))
    )
    for above in range(at - 1, max(-1, at - _STANDFIRST_REACH - 1), -1):
        # A full sentence right under a short headline ("Hardware-Attested Nix
        # Builds" over "More confidence in …."), much longer than it: two words
        # make a headline there ("Work with me" over "My Digital Nomad Story." none).
        # A deck is written as a sentence: a Title Case line ending in a full stop is
        # the headline, under its kicker ("Earnings Report").
        deck = (
            above == at - 1
            and line.endswith(".")
            and not title_case(line)
            and weight(line) >= _STANDFIRST_RATIO * weight(lines[above])
        )
        least = _SHORT_HEADLINE_WORDS if deck else _HEADLINE_WORDS
        if above not in scores or weight(lines[above]) < least:
            continue  # a section label or a credit line between them
        upper = len(lines[above].split())
        if (
            (sentence and upper < words)
            # A full sentence under a line that is none, both of headline size.
            or (line.endswith(".") and headline_shaped(lines[above], context.facts))
            # A long deck in sentence case under a line much shorter than it, or
            # under a Title Case headline whatever the headline's length.
            or (
                words >= _STANDFIRST_WORDS
                and upper >= _HEADLINE_WORDS
                and not title_case(line)
                and (upper <= words / _STANDFIRST_RATIO or title_case(lines[above]))
            )
        ) and (
            not lines[above].endswith(".")
            and not lines[above].isupper()
            and not label_list(lines[above])
            and (content_words(lines[above]) & lead or _deck_over_credit(lines, above, at, context))
            and (scores[above] >= score - _STANDFIRST_MARGIN)
        ):
            return above, scores[above]
        break
    return best


def label_list(line: str) -> bool:
    """Whether a line is a list of labels (a post's categories or tags: "Asia,
    Packing & Planning, Travel Inspiration", "Bars & Nightlife • Food"): three
    items or more set apart by commas, bullets or bars, none over a few words
    nor ending a sentence.  It names topics, not a story: no headline over a deck.
    A colon opens a headline's second part ("Rain, wind, snow: storm hits"): no label
    holds one."""
    items = [item.strip() for item in _LABEL_SEPARATOR.split(line)]
    return len(items) >= _LABEL_LIST_ITEMS and all(
        0 < len(item.split()) <= _LABEL_ITEM_WORDS
        and not item.endswith((".", "?", "!"))
        and ":" not in item
        for item in items
    )


def _deck_over_credit(lines: Sequence[str], above: int, at: int, context: _Context) -> bool:
    """Whether the line at ``at`` is a deck right over the byline or time line with
    the headline right over it: headline, deck, credit is the universal layout, and
    a headline written as a pun or a question ("Why collaborative thinking beats
    individual smarts") need share no word with the story's lead."""
    return (
        above == at - 1
        and context.heads_story(at)
        and headline_shaped(lines[above], context.facts)
        # A deck is written as sentences: a Title Case line ending in "!" under a
        # section's label ("Blog - Latest News") is the headline, not its deck.
        and sentence_deck(lines[above], lines[at])
        # ... not the last line of a list over the story's header (recent comments,
        # teasers): a headline opens its block, under a menu label or a kicker.
        and context.siblings(above) < _LIST_SIBLINGS
        and (above == 0 or weight(lines[above - 1]) < _STANDFIRST_WORDS)
    )


def opens_with_headline(lines: Sequence[str], run: Run, facts: LineFacts, *, found: bool) -> bool:
    """Whether the run's first line is the headline: a headline-sized line over
    the byline or time line, or, when no line above reads as the headline, over
    more prose."""
    if run.end - run.start < 2:
        return False
    line = lines[run.start]
    if (
        len(line.split()) > _LONG_HEADLINE_WORDS
        or _NOT_HEADLINE.search(line)
        or two_sentences(line)
    ):
        return False
    below = lines[run.start + 1 : run.start + 3]
    if found:
        # Standfirsts stand over bylines too: only a line that is no sentence.
        return not line.endswith(".") and any(
            facts.is_time(b) or _is_credit(b, facts) for b in below
        )
    return True


def two_sentences(line: str) -> bool:
    """Whether a line holds two sentences ("… webdevelopment. Want to get it …"):
    a promo or a paragraph, never a headline."""
    return bool(_INNER_SENTENCE.search(line))


def headline_score(
    lines: Sequence[str],
    at: int,
    run: Run,
    facts: LineFacts,
    *,
    slug_words: set[str],
    named: str = "",
) -> float | None:
    """How well the line at ``at`` reads as the headline over ``run`` (``None``: not at all)."""
    return _Context(lines, run, facts, slug_words, named).score(at)


class _Context:
    """What scoring a headline candidate needs to know about the page."""

    def __init__(
        self, lines: Sequence[str], run: Run, facts: LineFacts, slug_words: set[str], named: str
    ) -> None:
        self.lines, self.run, self.facts, self.slug_words = lines, run, facts, slug_words
        self.named_words = content_words(named) if named else set()
        self.lead_words = content_words(" ".join(lines[run.start : min(run.end, run.start + 4)]))
        self.counts: dict[str, int] = {}
        for line in lines:
            self.counts[line] = self.counts.get(line, 0) + 1
        self.window = [
            line.lower() for line in lines[max(0, run.start - HEADLINE_SPAN) : run.start]
        ]
        self.contents = _contents(lines, run)
        # Pages quote their own title: "6 thoughts on “<headline>”", "Share “<headline>”".
        self.quoted = {
            found.lower()
            for line in lines
            if _QUOTE_MARK.search(line)
            for found in _QUOTED.findall(line)
        }

    def _inside_longer(self, line: str) -> str:
        """Where a longer line near the headline names ``line`` again: at its
        ``"end"``, in the ``"middle"``, or ``""`` (nowhere)."""
        lowered = line.lower()
        found = ""
        for other in self.window:
            if lowered in other and lowered != other:
                if other.endswith(lowered):
                    return "end"
                found = "middle"
        return found

    def score(self, at: int) -> float | None:
        line = self.lines[at]
        below = self.lines[at + 1 : at + 1 + _UNDER_HEADER_REACH]
        scored = line
        if (
            line.endswith(("...", "…"))
            and (cut := _ELLIPSIS.search(line))
            and not self._printed_whole(line[: cut.start()])
        ):
            # A headline may end in an ellipsis ("Alles hat seine Zeit…"); a teaser
            # cut short has its whole text elsewhere on the page.
            scored = line[: cut.start()]
        over = self.lines[at - 1] if at > 0 else ""
        score = _headline_score(scored, self.lead_words, self.slug_words, self.facts, below, over)
        if score is None:
            return None
        if any(self.facts.is_time(b) for b in self.lines[at + 1 : at + 3]) and byline_meta(
            self.lines, at
        ):
            return None  # the byline, names only, over its time line
        distance = abs(self.run.start - at)
        if self.contents:
            # A table of contents between headline and story is the story's own.
            listed = set(self.contents.values())
            distance -= sum(near in listed for near in range(at + 1, self.run.start))
        score += 2.0 / (1 + (distance - 1) / 3)
        if self.named_words:
            # The document title names the page: the line it repeats is the headline.
            own = content_words(line)
            agreement = len(own & self.named_words) / len(own | self.named_words)
            if agreement >= _NAMED_AGREEMENT:
                score += _NAMED_BONUS * agreement
        inside = self._inside_longer(line)
        if inside == "middle" and len(line.split()) <= _LABEL_WORDS:
            score -= 1.5  # a topic label, named again inside the headline
        elif inside == "end":
            # Pages repeat their headline at the end of a crumb or a share link
            # ("Home > Travel > <headline>", "All sharing options for: <headline>").
            score += 0.75
        elif self.counts[line] > 1:
            score += 0.5  # ... or as it is, over the picture
            if self._twin(at):
                score += _TWIN_BONUS  # ... or twice in a row, its heading's copy
        if line.lower() in self.quoted:
            score += _QUOTED_BONUS
        below = self.lines[at + 1 : at + 4]
        # The headline stands over its time or credit line (a blog's written-out
        # date line too: "Am 13. November 2019 Von Henry In Aktuell").
        if any(
            self.facts.is_time(b) or _is_credit(b, self.facts) or post_date_line(b) for b in below
        ):
            score += 1.0
        if self._over_standfirst(at):
            score += _OVER_STANDFIRST_BONUS
        if at > 0 and _TAGS_LABEL.fullmatch(self.lines[at - 1].rstrip(":")):
            return None  # the page's tags, under their label
        under = self.lines[at + 1] if at + 1 < len(self.lines) else ""
        if _PICTURE_CREDIT_LINE.match(under) and weight(under) <= _CREDIT_LINE_WORDS:
            score -= _CAPTION_COST  # a caption, over its picture's credit
        siblings = self.siblings(at)
        if siblings >= _LIST_SIBLINGS:
            score -= _LIST_COST * (siblings - _LIST_SIBLINGS + 1)
        return score

    def _twin(self, at: int) -> bool:
        """Whether the line at ``at`` is printed again right next to itself (within
        :data:`_TWIN_REACH` lines)."""
        line = self.lines[at]
        low = max(0, at - _TWIN_REACH)
        high = min(len(self.lines), at + _TWIN_REACH + 1)
        return any(self.lines[near] == line for near in range(low, high) if near != at)

    def _printed_whole(self, stem: str) -> bool:
        """Whether a longer line of the page starts with ``stem`` (the text of a
        line ending in an ellipsis): then that line is the whole of a cut teaser."""
        return any(other.startswith(stem) and not _ELLIPSIS.search(other) for other in self.counts)

    def _over_standfirst(self, at: int) -> bool:
        """Whether the line at ``at`` stands right over a standfirst: a longer line
        written as sentences that agrees with the lead, above the story itself.
        Headline then standfirst is the universal layout; a caption or a byline
        stands over the story's prose or over the time line instead."""
        under = at + 1
        if under >= self.run.start:
            return False
        line, below = self.lines[at], self.lines[under]
        size = weight(below)
        # CJK text has no spaces to count: there the standfirst must end a sentence.
        sentence = bool(_SENTENCE_END.search(below)) or (
            not _CJK.search(below)
            and (
                size > _LONG_HEADLINE_WORDS or (size >= _STANDFIRST_WORDS and not title_case(below))
            )
        )
        return (
            sentence
            and size >= max(_STANDFIRST_MIN_WORDS, _STANDFIRST_RATIO * weight(line))
            and not line.endswith((":", "|", "»", ">", "›"))
            and not caption_text(below)
            and self.facts(below, names=True) is None
            and len(content_words(below) & self.lead_words) >= _STANDFIRST_AGREEMENT
        )

    def siblings(self, at: int) -> int:
        """How many lines near ``at`` (above the story) are headline-shaped and of
        about its size: a headline in a list of other stories has several."""
        line = self.lines[at]
        size = weight(line)
        count = 0
        low = max(0, at - _LIST_REACH)
        high = min(self.run.start, at + _LIST_REACH + 1)
        # A line over its own time line heads a story: it is in a list only if its
        # neighbours are dated too (a list of teasers), not among undated links.
        dated = self._dated(at)
        for near in range(low, high):
            if self.lines[near] == line:
                continue  # itself, or the headline repeated over the picture
            other = weight(self.lines[near])
            if (
                size * _LIST_SIZE <= other <= size / _LIST_SIZE
                and headline_shaped(self.lines[near], self.facts)
                and (not dated or self._dated(near))
            ):
                count += 1
        return count

    def heads_section(self, at: int) -> bool:
        """Whether the line at ``at`` is printed again inside the story, further
        down, over its prose: a section's heading listed in a table of contents."""
        line = self.lines[at]
        if self.counts[line] < 2:
            return False
        for inner in range(self.run.start + _SECTION_DEPTH, self.run.end - 1):
            if self.lines[inner] == line and is_prose(self.lines[inner + 1]):
                return True
        return False

    def listed(self, at: int) -> bool:
        """Whether the line at ``at`` is an entry of the table of contents above
        the story, or a section's heading listed there (numbered or not): no
        headline."""
        first = self.contents.get(section_key(self.lines[at]))
        return first is not None and first <= at

    def repeated(self, at: int) -> bool:
        """Whether the page prints the line at ``at`` again, alone or in a longer line."""
        line = self.lines[at]
        return self.counts[line] > 1 or bool(self._inside_longer(line))

    def heads_story(self, at: int) -> bool:
        """Whether the line at ``at`` stands right over the byline or time line."""
        under = self.lines[at + 1] if at + 1 < len(self.lines) else ""
        return bool(under) and (self.facts.is_time(under) or _is_credit(under, self.facts))

    def over_captioned_credit(self, at: int) -> bool:
        """Whether the line at ``at`` stands over the picture's caption, itself right
        over the byline or time line: headline, deck, caption, credit (a deck gives
        way to the headline over it there as it does right over the credit)."""
        under = at + 1
        return (
            under < len(self.lines)
            and bool(caption_text(self.lines[under]))
            and self.heads_story(under)
        )

    def heads_post(self, at: int) -> bool:
        """Whether the line at ``at`` stands right over the byline or time line, or
        over a post's date line written out (see :func:`post_date_line`)."""
        under = self.lines[at + 1] if at + 1 < len(self.lines) else ""
        return self.heads_story(at) or post_date_line(under)

    def _dated(self, at: int) -> bool:
        """Whether the line at ``at`` stands over its own time line (a credit line
        may come between)."""
        under = self.lines[at + 1 : at + 3]
        facts = self.facts
        if under and _is_credit(under[0], facts) and not dated_credit(under[0]):
            under = under[1:]
        return bool(under) and (facts.is_time(under[0]) or dated_credit(under[0]))


def section_key(line: str) -> str:
    """A line without the numbering a contents entry or a section heading opens
    with ("2.1 1. High-Intensity Training" and "1. High-Intensity Training" alike)."""
    if not line[:1].isdigit():
        return line
    found = _SECTION_NUMBER.match(line)
    return line[found.end() :] if found else line


def _contents(lines: Sequence[str], run: Run) -> dict[str, int]:
    """The table of contents above the story: each entry's :func:`section_key`
    and the index of its first line, when at least :data:`_CONTENTS_ENTRIES`
    lines above the story are printed again (numbered or not) further down as
    headings; else empty.  Long pages pay for one pass over the story only
    when lines above it could be entries."""
    first = max(0, run.start - HEADLINE_SPAN)
    above: dict[str, int] = {}
    for at in range(run.start - 1, first - 1, -1):
        key = section_key(lines[at])
        if key and weight(key) <= _LONG_HEADLINE_WORDS:
            above[key] = at
    if len(above) < _CONTENTS_ENTRIES:
        return {}
    entries: dict[str, int] = {}
    inside: list[int] = []  # where the entries printed again in the story itself stand
    for at in range(first, run.end):
        key = section_key(lines[at])
        where = above.get(key)
        if where is not None and where < at and key not in entries:
            entries[key] = where
            # ... a section's heading over its prose (a table printed twice is no
            # table of contents).
            if at >= run.start and at + 1 < len(lines) and is_prose(lines[at + 1]):
                inside.append(where)
    if len(inside) < _CONTENTS_ENTRIES:
        return {}
    # The contents start with their first entry found in the story: a line above
    # them printed again (the headline over the picture, in the contents) is none.
    top = min(inside)
    listed = set(entries.values())
    while top - 1 in listed:
        top -= 1  # an entry whose section opens the story, just above the main run
    return {key: where for key, where in entries.items() if where >= top}


def headline_shaped(line: str, facts: LineFacts) -> bool:
    """Whether a line has a headline's shape: a few words, no sentence, no time."""
    return (
        3 <= weight(line) <= _LONG_HEADLINE_WORDS
        and not is_prose(line)
        and _can_be_headline(line, facts)
    )


def kicker_over(lines: Sequence[str], at: int, facts: LineFacts) -> bool:
    """Whether the line at ``at`` is a kicker over the headline: the line under it
    is headline-shaped too and stands right over the byline or time line
    ("Bestseller-Autorin Birgit Kelle im Talk" over "Von Sprachregeln, …" over
    its byline; German sites call it the Dachzeile)."""
    under = lines[at + 1 : at + 3]
    return (
        len(under) == 2
        # (The reader asks about header lines anyway: the cheap test first.)
        and facts(under[0]) is None
        and headline_shaped(under[0], facts)
        and (facts.is_time(under[1]) or _is_credit(under[1], facts) or post_date_line(under[1]))
    )


def _is_credit(line: str, facts: LineFacts) -> bool:
    """Whether a line credits the story: a byline or agency, alone or with its time
    ("By Matthew Digby , Minh Do on Monday, November 18th, 2019 at 11:08 a.m."), or a
    byline's label alone ("Written By:")."""
    if _BYLINE_LABEL.match(line):
        return True
    found = facts(line, names=True)
    if found is not None:
        return bool(found.byline or found.agency)
    return dated_credit(line) or foreign_byline(line)


def byline_label(line: str) -> bool:
    """Whether a line is a byline's label alone ("By", "Written By:"), the name on
    the line under it."""
    return bool(_BYLINE_LABEL.match(line))


def _credit_opening(line: str) -> bool:
    """Whether a line is a credit or time line written out ("Posted by kovarex,
    TOGos on 2019-02-15, all posts"), dated or not, and no sentence of the story."""
    return (
        len(line) <= _MAX_CREDIT_CHARS
        and bool(_CREDIT_OPENING.match(line))
        and (date_share(line) >= _CREDIT_DATE_SHARE or not is_prose(line))
    )


def dated_credit(line: str) -> bool:
    """Whether a line is a credit or time line written as a sentence (see
    :data:`_CREDIT_OPENING`)."""
    return (
        len(line) <= _MAX_CREDIT_CHARS
        and bool(_CREDIT_OPENING.match(line))
        and date_share(line) >= _CREDIT_DATE_SHARE
    )


def can_be_headline(line: str, facts: LineFacts) -> bool:
    """Whether a line may be a headline at all (not a label, credit, caption or time)."""
    return _can_be_headline(line, facts)


def foreign_byline(line: str) -> bool:
    """Whether a line is a byline written in another language (see
    :data:`_FOREIGN_BYLINE`) or a name with the writer's job (:data:`_JOB_BYLINE`)."""
    return len(line.split()) <= _BYLINE_WORDS and bool(
        _FOREIGN_BYLINE.match(line)
        or _JOB_BYLINE.match(line)
        or (_JOB_ALONE.match(line) and not _STOPWORDS & set(line.lower().split()))
    )


def byline_meta(lines: Sequence[str], at: int) -> Meta | None:
    """The byline the line at ``at`` holds in another language's form ("Von
    Hannah Ritzmann, Redakteurin"), or as names alone under a standfirst or a
    caption (a Title Case headline reads as names too), or ``None``."""
    line = lines[at]
    if _FOREIGN_BYLINE.match(line) and len(line.split()) <= _BYLINE_WORDS:
        return Meta(byline=line.split(None, 1)[1])
    if foreign_byline(line):
        return Meta(byline=line)
    if names_only(line) and at > 0 and weight(lines[at - 1]) >= _STANDFIRST_MIN_WORDS:
        return Meta(byline=line)
    return None


def names_only(line: str) -> bool:
    """Whether a line is nothing but people's names ("Birgit Baumann Anna Giulia
    Fink", "Martin Gramnæs Martin Gramnæs"): capitalised words, no small word, no
    figure, no punctuation.  Over a time line, that is the byline."""
    words = line.split()
    return (
        2 <= len(words) <= _NAME_LINE_WORDS
        and all(w[:1].isupper() and w.isalpha() for w in words)
        and not any(w.lower() in _STOPWORDS or w.lower() in _NAME_LINE_STOPS for w in words)
    )


def _can_be_headline(line: str, facts: LineFacts) -> bool:
    """Whether a line may be a headline at all (not a label, credit, caption or time)."""
    known = facts.may_head.get(line)
    if known is None:
        known = facts.may_head[line] = _may_be_headline(line, facts)
    return known


def _may_be_headline(line: str, facts: LineFacts, *, names: bool = True) -> bool:
    """Whether a line may be a headline; ``names``: a line that reads as people's
    names or a place alone ("Faire Lieferketten", "Im Schlepptau") is none."""
    if len(line) > _MAX_HEADLINE_CHARS:
        return False
    cjk = bool(_CJK.search(line))
    words = len(line.split())
    if (not cjk and words < 2) or (cjk and len(line) < 6) or words > 40:
        return False
    return not (
        line.lower() in SECTION_ALIASES
        or facts(line, names=names) is not None
        or _NOT_HEADLINE.search(line)
        or _CREDIT_LINE.match(line)
        or foreign_byline(line)
        or caption_text(line)
        or date_share(line) >= _MAX_DATE_SHARE
        or len(CRUMB_SEPARATOR.findall(line)) >= 2
        or len(_FACT_LABEL.findall(line)) >= 2
        or _label_with_figure(line)
        or _menu_run(line)
        or _post_meta(line)
        or (":" in line and _TAGS_LABEL.match(line) is not None)
        or _post_link(line)
    )


def _name_like(line: str, facts: LineFacts) -> bool:
    """Whether a line that may be no headline is kept out only because it reads as
    people's names or a place alone (no byline word, agency or time)."""
    known = facts.may_head_named.get(line)
    if known is None:
        known = facts.may_head_named[line] = facts(line) is None and _may_be_headline(
            line, facts, names=False
        )
    return known


def _named_headline(
    own: set[str], lead_words: set[str], below: Sequence[str], facts: LineFacts, above: str = ""
) -> bool:
    """Whether a line read as names or a place alone (its words ``own``) is a short
    headline after all (``below``: the lines under it): a headline of capitalised
    words ("Neue DJV-Online-Seminare", "Managing Python Environments", German
    nouns) over the story's time or credit line, sharing two of its words with the
    story's lead (a byline names the writer, whom the story rarely names).  A
    headline right under the time line (``above``: a blog's date over its post's
    headline, "Vibe Coding") need share only one word when it has but two: a
    kicker over a headline and its byline shares one as well ("Earnings Report")."""
    shared = len(own & lead_words)
    if shared >= _LEAD_AGREEMENT and any(
        facts.is_time(b) or _is_credit(b, facts) or _post_meta(b) for b in below
    ):
        return True
    return shared >= min(_LEAD_AGREEMENT, len(own) - 1) >= 1 and facts.is_time(above)


def _post_link(line: str) -> bool:
    """Whether a line is a link to the previous or next post: "← Older post",
    "SW083 – Title →", "Next title »" (a quoted headline has both « and »)."""
    return (
        line.endswith(("→", "⟶"))
        or line.startswith(("←", "⟵"))
        or (line.startswith("«") and "»" not in line)
        or (line.endswith("»") and "«" not in line)
    )


def _post_meta(line: str) -> bool:
    """Whether a line is a post's date line written out (see :data:`_POST_META_MARK`)
    or a clock time in a few words: a fact about the page, not its headline."""
    if _DIGIT.search(line) is None:
        return False
    if _CLOCK.search(line) and len(line.split()) <= _CLOCK_LINE_WORDS:
        return True
    return post_date_line(line)


def post_date_line(line: str) -> bool:
    """Whether a line is a post's date line written out: a date with its author,
    its comment count or a separator (see :data:`_POST_META_MARK`)."""
    if _DIGIT.search(line) is None:
        return False
    # A year glued to a date by the crawler ("1. November 20231. November 2023
    # Bockenem, Polizei"): a post's published and updated dates printed together.
    glued = _GLUED_YEAR.search(line) is not None
    return (glued or bool(_POST_META_MARK.search(line))) and (
        date_share(_GLUED_YEAR.sub(r"\1 ", line)) >= _POST_META_DATE_SHARE
    )


def _menu_run(line: str) -> bool:
    """Whether a line is a menu run together: many capitalised words with no
    punctuation and none of the small words a headline has ("Computers Display
    Drivers Graphics Cards Linux Gaming Memory ...")."""
    words = line.split()
    return (
        len(words) >= _MENU_WORDS
        and not _PUNCTUATION.search(line)
        and all(w[:1].isupper() or not w[:1].isalpha() for w in words)
        and not any(w.lower() in _STOPWORDS for w in words)
    )


def _label_with_figure(line: str) -> bool:
    """Whether a line is a label and a short value with a figure in it ("Reading
    time: 2 minutes", "Text: <name>·11 October 2018"): a fact, not a headline."""
    found = _LABELLED.match(line)
    return (
        found is not None
        and len(found["label"].split()) <= _LABEL_WORDS_MAX
        and len(found["value"].split()) <= _LABEL_VALUE_WORDS
        and any(ch.isdigit() for ch in found["value"])
        # A question asks, a fact states ("Cloud Computing Innovations: What's
        # Next in 2025?" is a headline).
        and not found["value"].endswith("?")
        and not _dated_subtitle(found["value"])
    )


def _dated_subtitle(value: str) -> bool:
    """Whether the part after a colon is a headline's subtitle naming its year
    ("Mobile UX Design: The Ultimate Guide 2025"): words in Title Case, then the
    year as the only figure, after no month's name ("Published: May 2025" is a
    fact)."""
    words = value.split()
    return (
        len(words) >= _SUBTITLE_WORDS
        and _YEAR.fullmatch(words[-1]) is not None
        and not any(ch.isdigit() for ch in " ".join(words[:-1]))
        and not month_name(words[-2])
        # A subtitle is written as a headline ("Complete Guide 2025"); small print
        # is not ("All rights reserved 2025").
        and title_case(" ".join(words[:-1]))
    )


def _headline_score(
    line: str,
    lead_words: set[str],
    slug_words: set[str],
    facts: LineFacts,
    below: Sequence[str] | None = None,
    above: str = "",
) -> float | None:
    """How much a line reads as this page's headline (``None``: it cannot be one);
    ``below``: the lines under it, ``above``: the line over it."""
    score = 0.0
    if not _can_be_headline(line, facts):
        # (Cheapest tests first: most lines kept out are no names.)
        if below is None or facts(line, names=True) is None:
            return None
        own = content_words(line)
        if not _named_headline(own, lead_words, below, facts, above) or not _name_like(line, facts):
            return None
        score -= _NAME_LIKE_COST  # a name, a caption's place: weaker than a headline's shape
    else:
        own = content_words(line)
    cjk = bool(_CJK.search(line))
    words = len(line.split())
    if not own:
        return None
    # A label of a word or two ("About Us") shares all of its one word by chance.
    shared = len(own & lead_words) / (len(own) if cjk else max(len(own), _NAMED_WORDS))
    score += 3.0 * shared
    if slug_words:
        score += 3.0 * len(own & slug_words) / max(len(slug_words), 1)
    if 4 <= words <= _LONG_HEADLINE_WORDS or cjk:
        score += 1.0
    elif words <= 3 or words > _LONG_HEADLINE_WORDS + 3:
        score -= 1.0
    if line.isupper() and not cjk and words <= _KICKER_WORDS:
        score -= 1.5  # a section kicker in capitals ("GROWING AN ONLINE BUSINESS")
    bare = line.rstrip("'\"’”»)")
    if bare.endswith(".") and not bare.endswith(".."):
        score -= 1.0  # a sentence, quoted or not ('"$53 million a week is …."')
    if line.endswith((":", "|", "»", ">", "›")):
        score -= 2.0
    return score


def header_meta(
    lines: Sequence[str], title_at: int | None, run: Run, facts: LineFacts
) -> tuple[Meta, set[int]]:
    """Facts of the header lines between the headline and the body, and their indices.

    Without a time there, a time line just under the story or just above the
    headline is taken.
    """
    meta = Meta()
    used: set[int] = set()
    top = run.start if title_at is None else title_at + 1
    window = range(max(0, top if title_at is not None else run.start - 6), run.start)
    teasers = _teaser_times(lines, window, facts)
    for at in window:
        if at in teasers:
            continue  # a list of other stories' dated credits over the story
        found = facts(lines[at], names=True)
        if found is not None:
            meta = meta.merged(found)
            used.add(at)
    # Credits and times printed as the run's first lines ("By X", "Nov 19, 2019").
    at = run.start
    while at < run.end and at < run.start + 3:
        found = facts(lines[at], names=True)
        if found is None:
            break
        meta = meta.merged(found)
        used.add(at)
        at += 1
    if not meta.has_time:
        meta, dated_at = _nearest_time(lines, title_at, run, facts, meta, teasers)
        if dated_at is not None and run.start <= dated_at < run.end and facts(lines[dated_at]):
            used.add(dated_at)
    return meta, used


def _nearest_time(
    lines: Sequence[str],
    title_at: int | None,
    run: Run,
    facts: LineFacts,
    meta: Meta,
    teasers: frozenset[int] = frozenset(),
) -> tuple[Meta, int | None]:
    """The time printed nearest the headline, and its line: a time line, or a full
    date inside a credit line ("By Tess Bonn - 11/19/19 06:56 AM EST").

    Looked for under the headline and in the story's first lines, then just above
    the headline, then just under the story, then on short lines of the story;
    times of other stories (a list of related links) stand further away.
    """
    top = run.start - 1 if title_at is None else title_at
    near = [
        *(at for at in range(top + 1, min(run.end, run.start + 3)) if at not in teasers),
        *range(top - 1, max(-1, top - _TIME_ABOVE - 1), -1),
        *_under_story(lines, run, _TIME_UNDER),
    ]
    # Short lines further down the story come last, after a date opening one of
    # the story's first lines (its dateline: "29.11.2022 – Mehrfach …"): a short
    # dated line inside the run is more often a reader's comment or a teaser the
    # run took in than the story's own time.
    inside = [at for at in range(run.start + 3, run.end) if not is_prose(lines[at])]
    month_first: bool | None = None
    ordered = False
    for at in [*near, _OPENING, *inside]:
        if at == _OPENING:
            if not ordered:
                month_first, ordered = _page_month_first(lines, run, facts.options), True
            if (opening := _opening_date(lines, run, facts, month_first)) is not None:
                return meta.merged(opening), None
            continue
        line = lines[at]
        if _EMBED_CREDIT.search(line) or _CITATION.search(line):
            continue  # an embedded post's or a cited paper's date is not the story's
        found = facts(line)
        if found is not None and found.has_time and not _late(found, facts):
            return meta.merged(_with_publication(lines, at, found, facts)), at
        if _POST_LABEL.match(line) and len(line) > _MAX_CREDIT_CHARS:
            line = line[:_MAX_CREDIT_CHARS]  # a post line run together: its head
        elif is_prose(line) or (caption_text(line) and not _header_time_line(line, at, top)):
            continue  # a date in a sentence or under a picture is not the story's
        if not ordered:
            month_first, ordered = _page_month_first(lines, run, facts.options), True
        if (moment := time_in_line(line, facts.options, month_first=month_first)) is not None:
            return meta.merged(Meta(published=moment)), at
    return meta, None


def _header_time_line(line: str, at: int, top: int) -> bool:
    """Whether a line that reads as a caption is the header's time line run
    together with the picture's credit ("Stars (1 / 1) 06.11.2023 13:30 von Olga
    Symbolbild imago"): it stands right under the headline and its date carries a
    clock time, which a picture's date in its caption ("Foto: R. Hollinger,
    19.01.2022") does not."""
    return at == top + 1 and _CLOCK.search(line) is not None


def _teaser_times(lines: Sequence[str], window: range, facts: LineFacts) -> frozenset[int]:
    """The time lines between the headline and the story when they name
    :data:`_TEASER_TIMES` or more different days: a list of other stories, each
    with its dated credit ("Subharun Mukherjee |July 15, 2025"), whose dates are
    theirs.  A header prints one day (published and updated, maybe twice over)."""
    dated: dict[int, date] = {}
    for at in window:
        said = facts(lines[at])
        if said is not None and (moment := said.published or said.updated) is not None:
            dated[at] = moment.date()
    return frozenset(dated) if len(set(dated.values())) >= _TEASER_TIMES else frozenset()


def _under_story(lines: Sequence[str], run: Run, reach: int) -> list[int]:
    """The indices of up to ``reach`` lines under the story, up to the opening of
    readers' comments (their dates are the readers')."""
    under: list[int] = []
    for at in range(run.end, min(len(lines), run.end + reach)):
        if comment_thread(lines[at]):
            break
        under.append(at)
    return under


def fallback_time(
    lines: Sequence[str], title_at: int | None, run: Run, facts: LineFacts
) -> Meta | None:
    """A time for a page whose header and story's edges print none, or ``None``: a
    date opening the headline or the story's first paragraph ("19.10.2019, 15:30
    UhrAm 8. Spieltag …", "01.02.2022 „Der Arbeitsmarkt …"), a time line right over
    or under the headline, the headline printed again with its date, else a
    labelled time line within :data:`_LABELLED_REACH` lines under the story or
    above the headline, else any time line within :data:`_TIME_LINE_REACH` lines
    under the story (not past the opening of readers' comments) or above the
    headline, else a labelled time line anywhere on the page above readers'
    comments."""
    opening = [title_at] if title_at is not None else []
    month_first = _page_month_first(lines, run, facts.options)
    for at in [*opening, *range(run.start, min(run.end, run.start + 2))]:
        found = date_at_start(lines[at], facts.options, month_first=month_first)
        if found is not None:
            return Meta(published=found[0])
    if title_at is not None:
        title = lines[title_at]
        for at in (title_at - 1, title_at + 1):
            # A time line right next to the headline is its own.
            said = facts(lines[at]) if 0 <= at < len(lines) else None
            if said is not None and said.has_time and not _late(said, facts):
                return said
        for line in lines:
            # The headline printed again with its date ("… auf einen Blick 21.11.2022").
            if line.startswith(title) and len(line) > len(title):
                found = date_at_start(
                    line[len(title) :].strip(" |-–—,"), facts.options, month_first=month_first
                )
                if found is not None:
                    return Meta(published=found[0])
    top = run.start if title_at is None else title_at
    order = [
        *range(run.end, min(len(lines), run.end + _LABELLED_REACH)),
        *range(top - 1, max(-1, top - 1 - _LABELLED_REACH), -1),
    ]
    for at in order:
        line = lines[at]
        stated = post_statement_time(line, facts.options, month_first=month_first)
        if stated is not None and not _late(Meta(published=stated), facts):
            return Meta(published=stated)  # "This entry was posted … on March 3, 2020"
        if not labelled(line):
            continue
        said = facts(line)
        if said is not None and said.has_time and not _late(said, facts):
            return _with_publication(lines, at, said, facts)
    # Then an unlabelled time line ("21.01.2022", "Thursday, August 6, 2020 9:09:24
    # AM") a little further under the story (many blogs and German sites print the
    # date at the story's end, under its tags or share buttons) or above its
    # headline; readers' comments under the story carry their own dates.
    under = _under_story(lines, run, _TIME_LINE_REACH)
    for at in [*under, *range(top - 1, max(-1, top - 1 - _TIME_LINE_REACH), -1)]:
        said = facts(lines[at])
        if said is not None and said.has_time and not _late(said, facts):
            return _with_publication(lines, at, said, facts)
    # Then a labelled time line anywhere ("Veröffentlicht: 05.01.2020 | Autor: …"
    # at the top of a page whose headline was not found there) but in the readers'
    # comments.
    comments = next(
        (at for at in range(run.end, len(lines)) if comment_thread(lines[at])), len(lines)
    )
    for at, line in enumerate(lines[:comments]):
        said = facts(line) if labelled(line) else None
        if said is not None and said.has_time and not _late(said, facts):
            return _with_publication(lines, at, said, facts)
    # A sentence stating the post's publication or creation anywhere under the
    # headline but in the story itself: readers' comments print no such sentence,
    # and a wiki prints it in its page footer, under the comment prompt ("Add a
    # comment" / "Created … October 18th, 2020"); a paragraph of the story opening
    # so tells of something else ("Created in 1946, the festival opened on …").
    for at in range(top + 1, len(lines)):
        if run.start <= at < run.end:
            continue
        stated = post_statement_time(lines[at], facts.options, month_first=month_first)
        if stated is not None and not _late(Meta(published=stated), facts):
            return Meta(published=stated)
    # Last, a full date opening one of the story's first lines under its standfirst
    # and byline ("27.1.2022 - Bei der Erinnerung …"): the story's own dateline.
    # Past the first two lines (read above), a date going on into a sentence is the
    # day the sentence tells of ("12 March 2021 was the day the attack …"); a
    # dateline's date is set off from the text ("27.1.2022 - Bei …", "01.02.2022
    # „Der Arbeitsmarkt …").
    return _opening_date(lines, run, facts, month_first) or _only_time(
        lines[:comments], run.end, facts
    )


def _opening_date(
    lines: Sequence[str], run: Run, facts: LineFacts, month_first: bool | None
) -> Meta | None:
    """A full date opening one of the story's first :data:`_OPENING_DATE_LINES`
    lines and set off from its text ("27.1.2022 - Bei …", "01.02.2022 „Der …"),
    or ``None``: a date going on into a sentence is the day the sentence tells of
    ("12 March 2021 was the day the attack …")."""
    for at in range(run.start, min(run.end, run.start + _OPENING_DATE_LINES)):
        found = date_at_start(lines[at], facts.options, month_first=month_first)
        if (
            found is not None
            and not lines[at][found[1] :].lstrip()[:1].islower()
            and not _late(Meta(published=found[0]), facts)
        ):
            return Meta(published=found[0])
    return None


def _only_time(lines: Sequence[str], end: int, facts: LineFacts) -> Meta | None:
    """The time of the page's only dated day, or ``None``: when every time line on
    the page (readers' comments aside) names the same day, and it is printed above
    the story's end (``end``), it is the story's wherever it stands (under a
    headline the reader did not take for the page's).  Teasers' and related
    stories' dates would name other days; a date only under the story, past where
    one is looked for, may be a related story's all the same."""
    first: Meta | None = None
    day: date | None = None
    for at, line in enumerate(lines):
        said = facts(line)
        moment = None if said is None else said.published or said.updated
        if said is None or moment is None or _late(said, facts):
            continue
        if day is None:
            if at >= end:
                return None
            first, day = said, moment.date()
        elif moment.date() != day:
            return None
    return first


def _with_publication(lines: Sequence[str], at: int, said: Meta, facts: LineFacts) -> Meta:
    """A time line's facts, with the publication's time when the line gives only an
    update's and a time line next to it gives the publication's: pages list a post's
    dates together (``Updated November 23, 2013`` / ``Updated September 26, 2011`` /
    ``Posted July 10, 2004``), and the story was published then, not last updated."""
    if said.published is not None or said.updated is None:
        return said
    for step in (1, -1):
        near = at + step
        while 0 <= near < len(lines) and abs(near - at) <= _TIME_BLOCK:
            other = facts(lines[near])
            if other is None or not other.has_time:
                break
            if other.published is not None and other.published <= said.updated:
                return dataclasses.replace(said, published=other.published)
            near += step
    return said


def _page_month_first(lines: Sequence[str], run: Run, options: ReadOptions) -> bool | None:
    """Whether the page's numeric dates put the month first: its own one-way dates
    (:func:`numeric_order`), else the page's habit in ``options.month_first``, else
    ``False`` for a story in another language than English (only American English
    puts the month first); ``None`` when nothing tells."""
    month_first = numeric_order(list(lines))
    if month_first is None:
        month_first = options.month_first
    if month_first is None and not english(lines[run.start : run.end]):
        return False
    return month_first


# Words every English story prints and stories in other languages rarely do.
_ENGLISH_WORDS = frozenset("the and of to is was that with for".split())
_ENGLISH_SHARE = 0.06
_ENGLISH_SAMPLE = 400


def english(story: Sequence[str]) -> bool:
    """Whether a story reads as English (a sample of its words, by the share of
    English function words)."""
    words = " ".join(story)[: _ENGLISH_SAMPLE * 8].lower().split()[:_ENGLISH_SAMPLE]
    common = sum(1 for word in words if word in _ENGLISH_WORDS)
    return bool(words) and common >= _ENGLISH_SHARE * len(words)


def _late(found: Meta, facts: LineFacts) -> bool:
    """Whether a time read lies after the crawl (another story's, or misread)."""
    reference = facts.options.reference_time
    moment = found.published or found.updated
    return reference is not None and moment is not None and moment > reference + _LATE


#: How far into the main run a headline over its byline or time line is looked for.
_INSIDE_REACH = 12
#: A headline shares at least this many content words with its first lead paragraphs.
_LEAD_AGREEMENT = 2
#: What sharing no word with the lead costs a line, when another line shares some.
_ASIDE_COST = 1.0
_LEAD_LINES = 3


def headline_inside(
    lines: Sequence[str],
    run: Run,
    facts: LineFacts,
    *,
    slug_words: set[str],
    named: str,
    found: tuple[int, float] | None,
) -> int | None:
    """A headline at the top of the main run, over its byline or time line, that
    reads at least as well as ``found`` (the best line above the run), or ``None``.

    Promos, subscription pitches and teasers written as sentences join the main
    run above the story; the story's headline is the heading-shaped line standing
    over its credit or time line, with the story under it.  A line above the run
    that agrees with the lead by shared words is kept."""
    best = 0.0
    if found is not None:
        lead = [p for p in lines[run.start : run.end] if is_prose(p)][:_LEAD_LINES]
        if len(content_words(lines[found[0]]) & content_words(" ".join(lead))) >= _LEAD_AGREEMENT:
            return None
        best = found[1]
    for at in range(run.start, min(run.end - 2, run.start + _INSIDE_REACH)):
        line = lines[at]
        if not headline_shaped(line, facts):
            continue
        if not any(facts.is_time(b) or _is_credit(b, facts) for b in lines[at + 1 : at + 4]):
            continue
        # The headline agrees with the lead paragraphs under it by shared words.
        lead = [p for p in lines[at + 1 : run.end] if is_prose(p)][:_LEAD_LINES]
        if len(content_words(line) & content_words(" ".join(lead))) < _LEAD_AGREEMENT:
            continue
        score = headline_score(
            lines, at, Run(at + 1, run.end), facts, slug_words=slug_words, named=named
        )
        if score is not None and score >= _MIN_HEADLINE_SCORE and score >= best:
            return at
    return None


#: A headline over its post's time line, far above a main run that is no story
#: (a tag cloud, the comments), shares this many words with the page's prose.
_LONE_AGREEMENT = 2
#: How much of the story is read for its words (its opening names its subject).
_LONE_STORY_CHARS = 3000


def lone_dated_headline(
    lines: Sequence[str], run: Run, title: str, story: str, facts: LineFacts
) -> str:
    """The one line above the main run that may be a headline and stands right over
    a time line or a post's date line, when ``title`` agrees with ``story`` less than it
    does; else ``""``.  A blog post's page prints one such line, its headline; a
    main run read from a tag cloud or the comments puts a sidebar's line nearer."""
    told = content_words(story[:_LONE_STORY_CHARS])
    own = len(content_words(title) & told)
    if own >= _LONE_AGREEMENT:
        return ""
    found = ""
    for at in range(run.start - 1):
        line = lines[at]
        under = lines[at + 1]
        # (Time lines print a figure: the cheap test first.)
        if _DIGIT.search(under) is None or not (
            facts.is_time(under) or post_date_line(under) or dated_line(under, facts)
        ):
            continue
        if is_prose(line) or not _can_be_headline(line, facts):
            continue
        if found and found != line:
            return ""  # a list of dated teasers: no lone headline
        found = line
    if found and len(content_words(found) & told) >= max(_LONE_AGREEMENT, own + 1):
        return found
    return ""
