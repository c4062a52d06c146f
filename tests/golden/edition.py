"""A fixed edition for golden-file, safety and browser tests of the renderer.

Twelve World News stories as a selector would hand them over, including the
hostile inputs every rendition must survive: ``<script>``, event-handler
attributes, ``javascript:``/``data:`` URLs, stray WhatsApp formatting characters,
control and bidi-override characters, emoji with skin tones and ZWJ sequences,
Hindi text and an over-long headline.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from digest.config import DigestSettings, RenderSettings
from digest.model import Article, Edition, Image, LeftOut, Pick, Rejection
from digest.render import Renderer, push_payload

GOLDEN = Path(__file__).resolve().parent
LANGUAGES = ("en", "hi")
FILES = (
    "email.html", "email.txt", "push.json", "push.txt", "whatsapp.txt", "telegram.html",
    "telegram-caption.html",
)  # fmt: skip
AS_OF = datetime(2020, 11, 23, 4, 30, tzinfo=UTC)  # 10:00 in Mumbai
SITE = "https://www.mid-day.com"

#: Hostile inputs, by what they try to do; tests check each is inert.
SCRIPT = '<script>alert("pwned")</script>'
IMG_ONERROR = '<img src=x onerror="alert(1)">'
ALT_BREAKOUT = '" onerror="alert(2)'
JS_URL = "  JavaScript:alert(document.cookie)"
DATA_URL = "data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+"
CONTROL = "\x00\x1b[31m\x07\u202e"
EMOJI = "👩🏽‍🔬"  # woman scientist, medium skin tone (ZWJ sequence)
FAMILY = "👨‍👩‍👧‍👦"
LONG_HEADLINE = (
    "After eleven hours of closed-door negotiations in a Brussels conference centre, "
    "European Union finance ministers agree a provisional framework for the bloc's "
    "pandemic recovery fund, but Hungary and Poland still threaten a veto over rule-of-law "
    "conditions attached to the payments"
)


def _article(n: int, **fields: object) -> Article:
    published = AS_OF - timedelta(minutes=35 * n + 20)
    base: dict[str, object] = {
        "id": f"fixture-{n:02d}",
        "url": f"{SITE}/news/world-news/article/story-{n:02d}",
        "published_at": published,
        "section": "world",
        "publisher": "mid-day",
        "language": "en",
    }
    base.update(fields)
    return Article(**base)  # type: ignore[arg-type]


def _image(slug: str, alt: str = "", caption: str = "") -> Image:
    url = f"https://images.mid-day.com/images/2020/11/{slug}.jpg"
    return Image(url=url, alt=alt, caption=caption)


def stories() -> list[Pick]:
    """The twelve picks, in rank order."""
    articles = [
        _article(
            1,
            url=f"{SITE}/news/world-news/article/g20-vaccines-23175?ref=home&section=world",
            title="G20 leaders pledge to 'spare no effort' to share Covid-19 vaccines fairly",
            summary=(
                "Leaders of the world's 20 biggest economies said on Sunday they would "
                "spare no effort to ensure affordable and equitable access to vaccines, "
                "tests and treatments for all, as the pandemic pushes poorer nations "
                "towards a debt crisis."
            ),
            dateline="Riyadh",
            agency="Reuters",
            image=_image(
                "g20-summit",
                alt="Saudi King Salman addresses the virtual G20 summit from Riyadh",
                caption="King Salman opens the virtual summit. Picture/AFP",
            ),
        ),
        _article(
            2,
            url=JS_URL,
            title=f"{SCRIPT} Talks collapse in Geneva as delegates walk out",
            summary=f"Delegates left the room {IMG_ONERROR} after a procedural dispute.",
            dateline="Geneva",
            agency="AFP",
            image=Image(url=DATA_URL, alt="data image"),
        ),
        _article(
            3,
            title="Markets rally on *vaccine* hopes as _investors_ shrug off ~record~ cases",
            summary=(
                "The S&P 500 rose 1.2% while a 5* rating from analysts lifted travel "
                "stocks; *bold* claims of a _quick_ recovery remain ~unproven~."
            ),
            dateline="New York",
            agency="Reuters",
            image=_image("wall-street", alt=ALT_BREAKOUT, caption=f"Traders {SCRIPT} at work"),
        ),
        _article(
            4,
            title=f"Floods displace{CONTROL} 100,000 in central Vietnam\x0b after typhoon",
            summary="Rescue teams\r\nreached cut-off villages\ton Monday.\x1f More rain due.",
            dateline="Hanoi",
            agency="IANS",
            image=_image("vietnam-floods", alt="Flooded houses in Quang Binh province"),
        ),
        _article(
            5,
            title=f"{EMOJI} Ukraine's women scientists 🇺🇦 lead vaccine trial {FAMILY}",
            summary=f"Volunteers 👍🏿 and their families {FAMILY} queue in Kyiv for the trial.",
            dateline="Kyiv",
            agency="AFP",
            image=_image("kyiv-lab", alt="Researchers in a Kyiv laboratory"),
        ),
        _article(
            6,
            title="भारत और नेपाल के बीच सीमा वार्ता फिर शुरू, विदेश सचिव काठमांडू पहुंचे",
            summary=(
                "विदेश सचिव हर्षवर्धन श्रृंगला ने गुरुवार को नेपाल के प्रधानमंत्री से मुलाकात की "
                "और दोनों देशों के संबंधों को मज़बूत करने पर चर्चा की।"
            ),
            dateline="काठमांडू",
            agency="आईएएनएस",
            language="hi",
            image=_image("kathmandu-talks", alt="काठमांडू में विदेश सचिव"),
        ),
        _article(
            7,
            title=LONG_HEADLINE,
            summary="Ministers will meet again on Thursday; diplomats say a deal is within reach.",
            dateline="Brussels",
            agency="Reuters",
        ),
        _article(
            8,
            title="Ethiopia gives Tigray forces 72 hours to surrender",
            summary="Prime Minister Abiy Ahmed said the army would encircle the regional capital.",
            agency="Global Wire",
            image=_image("tigray", alt=""),
        ),
        _article(
            9,
            title='AT&T and "Big Tech" face new EU rules on <b>gatekeepers</b>',
            summary="Brussels wants fines of up to 10% of turnover & 'structural' remedies.",
            dateline="Brussels",
            agency="Newsdesk Asia",
            url=f"{SITE}/news/world-news/article/eu-gatekeepers?utm_source=partner&id=7#comments",
        ),
        _article(
            10,
            title="> Quote-led headline: - dashes and 1. numbers stay plain",
            summary="> quoted line\n- a dash line\n1. a numbered line\n`code` too",
            dateline="London",
            agency="PTI",
        ),
        _article(
            11,
            title="Japan approves record defence budget amid regional tensions",
            summary="The cabinet backed spending of 5.34 trillion yen for the next fiscal year.",
            dateline="Tokyo",
            agency="Kyodo",
            url="vbscript:msgbox(1)",
            image=_image("tokyo-diet", alt="Japan's parliament building in Tokyo"),
        ),
        _article(
            12,
            title="Chile's new constitution drafters begin work in Santiago",
            summary="The 155-member convention has a year to write the text, with gender parity.",
            dateline="Santiago",
            agency="AFP",
            image=_image("santiago", alt="Members of Chile's constitutional convention"),
        ),
    ]
    also = {1: ("AFP", "Global Wire"), 3: ("Bloomberg",), 5: (f"Kyiv Post {SCRIPT}",)}
    return [
        Pick(
            article=a,
            score=round(10.0 - 0.5 * i, 2),
            reasons=("world section", "recent"),
            also_reported_by=also.get(i + 1, ()),
        )
        for i, a in enumerate(articles)
    ]


def same_story(pick: Pick, n: int, title: str, publisher: str, language: str = "en") -> Rejection:
    """Another outlet's report of ``pick``'s story, left out as the selector does."""
    article = _article(n, title=title, publisher=publisher, language=language)
    reason = f"same story as {pick.article.id} ({pick.article.title}): similarity, 0.40"
    return Rejection(article, reason, 1.0, LeftOut.SAME_STORY)


def edition() -> Edition:
    """The fixed edition: 12 picks, 23 November 2020, Mumbai time; the lead's story
    was also told by two other outlets (one in Hindi), with shorter headlines."""
    picks = tuple(stories())
    lead = picks[0]
    return Edition(
        id="world-2020-11-23",
        as_of=AS_OF,
        timezone="Asia/Kolkata",
        picks=picks,
        rejections=(
            same_story(lead, 40, "G20 vows fair access to Covid-19 vaccines for all", "Reuters"),
            same_story(lead, 41, "जी20: सबके लिए टीका", "भाषा", language="hi"),
        ),
        window_start=AS_OF - timedelta(hours=24),
    )


def digest_settings(language: str = "en") -> DigestSettings:
    """The publisher settings the fixture is rendered with."""
    return DigestSettings(
        name="World News Digest" if language == "en" else "विश्व समाचार डाइजेस्ट",
        publisher="mid-day",
        language=language,
        timezone="Asia/Kolkata",
        site_url=SITE,
    )


def render_settings(language: str = "en") -> RenderSettings:
    """The render settings the fixture is rendered with (defaults, Hindi subject)."""
    if language == "hi":
        return RenderSettings(subject="{lead}: दुनिया की ख़बरें, {date}")
    return RenderSettings()


def renderer(language: str = "en") -> Renderer:
    """A renderer with the default templates for ``language``."""
    return Renderer(digest_settings(language), render_settings(language), base_dir=GOLDEN)


def render_files(language: str = "en") -> dict[str, str]:
    """The fixture rendered with the default templates, as golden-file texts."""
    result = renderer(language).render(edition())
    push, t = result.push, result.telegram
    return {
        "email.html": result.email.html,
        "email.txt": (
            f"Subject: {result.email.subject}\nPreheader: {result.email.preheader}\n\n"
            + result.email.text
        ),
        "push.json": json.dumps(json.loads(push_payload(push)), indent=2, ensure_ascii=False)
        + "\n",
        "push.txt": f"{push.title}\n{push.body}\n",
        "whatsapp.txt": result.whatsapp.text + "\n",
        "telegram.html": t.text + "\n",
        "telegram-caption.html": f"Photo: {t.photo}\n\n{t.caption}\n",
    }
