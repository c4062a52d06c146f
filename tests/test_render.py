"""The renderer on a fixed twelve-story edition with hostile text: limits, safety,
links, localisation, templates overrides and personalisation."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import lxml.html
import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from digest.config import RenderSettings
from digest.errors import ConfigError, RenderError
from digest.model import Article, Edition, Pick, Renditions
from digest.render import (
    EMAIL_CLIP_BYTES,
    PUSH_BODY_MAX,
    PUSH_PAYLOAD_MAX,
    PUSH_TITLE_MAX,
    WHATSAPP_MAX,
    WHATSAPP_TARGET,
    Renderer,
    personalise,
    push_payload,
)
from digest.render.email import build_email_html
from digest.render.personal import generic_values, placeholders
from digest.render.text import clean_text, cut

from .conftest import ROOT
from .golden.edition import (
    AS_OF,
    EMOJI,
    FAMILY,
    LONG_HEADLINE,
    digest_settings,
    edition,
    render_settings,
    renderer,
)

HOSTILE_SCHEMES = ("javascript:", "data:", "vbscript:")
GRAPHEMES = regex.compile(r"\X")


@pytest.fixture(scope="module")
def rendered() -> Renditions:
    return renderer().render(edition())


@pytest.fixture(scope="module")
def page(rendered: Renditions) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(rendered.email.html)


def _article_links(page: lxml.html.HtmlElement) -> list[str]:
    return [a.get("href") for a in page.iter("a") if "/news/" in (a.get("href") or "")]


# -- email: limits and accessibility ------------------------------------------------


def test_email_is_under_gmail_clip_point_with_twelve_stories(rendered: Renditions) -> None:
    assert len(edition().picks) == 12
    size = len(rendered.email.html.encode())
    assert size < EMAIL_CLIP_BYTES, f"{size:,} bytes would be clipped by Gmail"


def test_email_stays_under_clip_point_with_runaway_text() -> None:
    """Twelve stories whose every field is absurdly long still fit: untrusted
    fields are bounded before any template sees them."""
    huge = "Lorem ipsum dolor sit amet " * 400
    picks = tuple(
        replace(
            pick,
            also_reported_by=tuple(f"Outlet {n} {huge[:300]}" for n in range(30)),
            article=replace(
                pick.article,
                title=huge,
                summary=huge,
                dateline=huge,
                agency=huge,
                url=f"https://www.mid-day.com/news/{'x' * 400}?q={i}",
                image=replace(edition().picks[0].article.image, alt=huge, caption=huge),
            ),
        )
        for i, pick in enumerate(edition().picks)
    )
    result = RENDERER.render(replace(edition(), picks=picks))
    assert len(result.email.html.encode()) < EMAIL_CLIP_BYTES
    assert len(result.whatsapp.text) <= WHATSAPP_MAX
    assert len(push_payload(result.push)) < PUSH_PAYLOAD_MAX


def test_email_has_lang_dir_title_and_colour_scheme(page: lxml.html.HtmlElement) -> None:
    root = page.getroottree().getroot()
    assert root.get("lang") == "en"
    assert root.get("dir") == "ltr"
    assert page.findtext(".//title").startswith("G20 leaders pledge")
    metas = {m.get("name"): m.get("content") for m in page.iter("meta")}
    assert metas["color-scheme"] == "light dark"
    assert "width=device-width" in metas["viewport"]


def test_email_keeps_its_doctype_upper_case(rendered: Renditions) -> None:
    """premailer drops MJML's doctype; it is put back as validators prefer it."""
    assert rendered.email.html.startswith("<!DOCTYPE html>")


def test_preheader_is_hidden_everywhere_including_outlook(
    rendered: Renditions, page: lxml.html.HtmlElement
) -> None:
    (pre,) = page.find_class("preheader")
    style = pre.get("style").replace(" ", "")
    assert "display:none" in style and "mso-hide:all" in style
    assert pre.text_content().startswith(rendered.email.preheader)
    assert 40 <= len(rendered.email.preheader) <= 110
    # The preheader is the first text in the body (what inbox previews show).
    assert page.find("body").text_content().strip().startswith(rendered.email.preheader)


def test_every_image_has_alt_text(page: lxml.html.HtmlElement) -> None:
    images = list(page.iter("img"))
    assert len(images) == 8  # lead + 7 thumbnails; the data: picture is dropped
    for img in images:
        assert (img.get("alt") or "").strip(), lxml.html.tostring(img)


def test_alt_texts_keep_hindi_marks_and_emoji_joiners(page: lxml.html.HtmlElement) -> None:
    """mjml-python escapes attribute values Rust-style (``\\u{902}``); the renderer
    undoes it, so screen readers get the words."""
    alts = [img.get("alt") for img in page.iter("img")]
    assert "काठमांडू में विदेश सचिव" in alts
    assert not any("\\u{" in (a or "") for a in alts)
    root = page.getroottree().getroot()
    assert "\\u{" not in lxml.html.tostring(root, encoding="unicode")


def test_attribute_unescaping_cannot_break_out_of_the_value() -> None:
    tricky = "a\\b \\u{22} onerror=\\u{22}alert(1) क्षत्रिय 👩🏽‍🔬 e\u0301"
    source = (
        '<mjml><mj-body><mj-section><mj-column><mj-image src="https://x.example/a.png" '
        f'alt="{tricky}"/></mj-column></mj-section></mj-body></mjml>'
    )
    (img,) = lxml.html.document_fromstring(build_email_html(source)).iter("img")
    assert img.get("alt") == tricky
    assert img.get("onerror") is None


def test_media_rules_survive_inlining_with_important(page: lxml.html.HtmlElement) -> None:
    css = "\n".join(s.text or "" for s in page.iter("style"))
    assert "@media only screen and (max-width: 479px)" in css
    assert "@media (prefers-color-scheme: dark)" in css
    mobile = css[css.index("(max-width: 479px)") :]
    assert re.search(r"font-size: 20px !important", mobile)
    assert "mj-column-px-200" in css and "width:200px !important" in css


def test_no_body_text_under_14px(page: lxml.html.HtmlElement) -> None:
    checked = 0
    for element in page.find("body").iter():
        if not isinstance(element.tag, str) or not (element.text or "").strip():
            continue
        if any("preheader" in (a.get("class") or "") for a in element.iterancestors()):
            continue
        if "preheader" in (element.get("class") or ""):
            continue
        # The nearest font-size written on the element or an ancestor applies.
        for node in (element, *element.iterancestors()):
            found = re.search(r"font-size:\s*(\d+(?:\.\d+)?)px", node.get("style") or "")
            if found:
                assert float(found.group(1)) >= 14, (element.text, node.get("style"))
                checked += 1
                break
    assert checked > 50


def test_button_is_bulletproof(page: lxml.html.HtmlElement) -> None:
    """A real link inside a coloured table cell: it shows with images off and in
    Outlook, unlike an image or CSS-only button."""
    (cell,) = [td for td in page.iter("td") if td.get("bgcolor") == "#b3001b"]
    link = cell.find("a")
    assert link is not None and link.text_content().startswith("Read the full story")
    assert "utm_medium=email" in link.get("href")


def test_email_has_masthead_date_sections_and_footer(rendered: Renditions) -> None:
    text = lxml.html.document_fromstring(rendered.email.html).text_content()
    for expected in (
        "World News Digest",
        "MID-DAY",
        "Monday, 23 November 2020 · 12 stories",
        "TOP STORY",
        "MORE WORLD NEWS",
        "Also reported by AFP, Global Wire",
        "Riyadh · Reuters · 23 Nov, 09:05",
        "View in browser",
        "Unsubscribe",
    ):
        assert expected in text, expected


# -- links --------------------------------------------------------------------------


def test_every_link_carries_utm_tags(rendered: Renditions, page: lxml.html.HtmlElement) -> None:
    links = _article_links(page)
    assert len(links) >= 15
    every = [a.get("href") for a in page.iter("a")]
    assert "%%unsubscribe_url%%" in every  # filled per recipient, never tagged
    for href in (h for h in every if h != "%%unsubscribe_url%%"):
        query = parse_qs(urlsplit(href).query)
        assert query["utm_medium"] == ["email"], href
        assert query["utm_campaign"] == ["world-2020-11-23"], href
        assert "utm_source" in query, href
    # Existing query strings and fragments are kept; an editor's utm_source wins.
    assert any("?ref=home&section=world&utm_source=digest" in h for h in links)
    assert any("utm_source=partner&id=7&utm_medium=email" in h and h.endswith("#comments")
               for h in links)  # fmt: skip
    text_links = re.findall(r"https://www\.mid-day\.com/news/\S+", rendered.email.text)
    assert text_links and all("utm_medium=email" in u for u in text_links)
    assert "utm_medium=push" in rendered.push.url
    wa_links = re.findall(r"https://www\.mid-day\.com/news/\S+", rendered.whatsapp.text)
    assert wa_links and all("utm_medium=whatsapp" in u for u in wa_links)


# -- safety -------------------------------------------------------------------------


def test_hostile_markup_is_inert_in_html(page: lxml.html.HtmlElement) -> None:
    assert not list(page.iter("script"))
    for element in page.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (element.tag, name, value)
            if name in ("href", "src"):
                assert not value.strip().lower().startswith(HOSTILE_SCHEMES), value
    assert page.find(".//b") is None
    text = page.text_content()
    # ...and still readable, as text.
    assert '<script>alert("pwned")</script> Talks collapse in Geneva' in text
    assert 'Delegates left the room <img src=x onerror="alert(1)">' in text
    assert "gatekeepers</b>" in text


def test_hostile_urls_never_become_links(rendered: Renditions) -> None:
    everything = "\n".join(
        (rendered.email.html, rendered.email.text, rendered.push.url, rendered.whatsapp.text)
    ).lower()
    for scheme in HOSTILE_SCHEMES:
        assert scheme + "alert" not in everything and scheme + "image" not in everything
    assert "vbscript:" not in everything


def test_control_and_bidi_characters_are_removed_everywhere(rendered: Renditions) -> None:
    for text in (
        rendered.email.html,
        rendered.email.text,
        rendered.email.subject,
        rendered.email.preheader,
        rendered.push.title + rendered.push.body,
        rendered.whatsapp.text,
    ):
        for ch in "\x00\x1b\x07\u202e\x0b\x1f\r":
            assert ch not in text, repr(ch)
    assert "Floods displace [31m 100,000 in central Vietnam after typhoon" in rendered.email.text


def test_emoji_and_hindi_survive_intact(rendered: Renditions) -> None:
    for text in (rendered.email.html, rendered.email.text):
        assert EMOJI in text and FAMILY in text and "🇺🇦" in text
        assert "भारत और नेपाल के बीच सीमा वार्ता फिर शुरू" in text


def test_whatsapp_formatting_injection_is_escaped(rendered: Renditions) -> None:
    post = rendered.whatsapp.text
    assert "∗vaccine∗" in post and "ˍinvestorsˍ" in post and "∼record∼" in post
    assert "*vaccine*" not in post and "_investors_" not in post and "~record~" not in post
    # Every line WhatsApp would format is one of ours: a bold headline, an italic
    # source line, a bullet or a link.
    for line in post.splitlines():
        if line.startswith("*"):
            assert line.endswith("*") and line.count("*") == 2, line
        if line.startswith("_"):
            assert line.endswith("_") and line.count("_") == 2, line
        assert "<a " not in line and "](" not in line


def test_whatsapp_escapes_line_start_markers_in_article_text() -> None:
    quoted = replace(edition(), picks=(edition().picks[9],))
    post = renderer().render_whatsapp(quoted).text
    headline = next(line for line in post.splitlines() if "Quote-led" in line)
    assert headline.startswith("*\u2060>") or headline.startswith("*>")
    summary = next(line for line in post.splitlines() if "quoted line" in line)
    assert summary.startswith("\u2060> "), repr(summary)
    assert "ˋcodeˋ" in post


# -- push ---------------------------------------------------------------------------


def test_push_respects_limits_for_the_fixture(rendered: Renditions) -> None:
    push = rendered.push
    assert 0 < len(push.title) <= PUSH_TITLE_MAX
    assert 0 < len(push.body) <= PUSH_BODY_MAX
    assert len(push_payload(push)) < PUSH_PAYLOAD_MAX
    # The lead's own headline is too long: another outlet's headline of the story
    # (the fixture's Reuters rejection) is told whole instead of a cut one.
    assert push.title == "G20 vows fair access to Covid-19 vaccines for all"
    assert "push title: Reuters's headline (49/50)" in rendered.notes
    assert push.body.endswith("+11 more")
    assert push.url.startswith("https://www.mid-day.com/news/world-news/article/g20")


def _one_story(title: str, summary: str) -> Edition:
    article = Article(
        id="a",
        url="https://www.mid-day.com/news/world-news/article/a",
        title=title,
        summary=summary,
        published_at=AS_OF,
    )
    return Edition(id="world-2020-11-23", as_of=AS_OF, timezone="UTC",
                   picks=(Pick(article=article, score=1.0),))  # fmt: skip


_words = st.lists(
    st.one_of(
        st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12),
        st.sampled_from([EMOJI, FAMILY, "🇺🇦", "👍🏿", "नमस्ते", "क्षत्रिय", "e\u0301", "*", "_"]),
    ),
    min_size=1,
    max_size=60,
)


@settings(max_examples=60, deadline=None)
@given(title=_words, summary=_words)
def test_push_cuts_never_split_graphemes(title: list[str], summary: list[str]) -> None:
    title_text, summary_text = " ".join(title), " ".join(summary)
    if not clean_text(title_text):
        title_text = "Headline"
    push = RENDERER.render_push(_one_story(title_text, summary_text))
    assert len(push.title) <= PUSH_TITLE_MAX and len(push.body) <= PUSH_BODY_MAX
    assert len(push_payload(push)) < PUSH_PAYLOAD_MAX
    original = GRAPHEMES.findall(clean_text(title_text))
    kept = GRAPHEMES.findall(push.title.removesuffix("…"))
    # Whole graphemes from the start of the headline, nothing half-cut.
    assert kept == original[: len(kept)] or push.title == clean_text(title_text)


RENDERER = renderer()


@settings(max_examples=100, deadline=None)
@given(words=st.lists(st.text(alphabet="abcdefghij", min_size=1, max_size=15), min_size=1))
def test_cut_falls_on_word_boundaries(words: list[str]) -> None:
    text = " ".join(words)
    result = cut(text, 50)
    assert len(result) <= 50
    if result != text:
        stem = result.removesuffix("…")
        # The kept part is whole words, unless backing up to the last space would
        # throw away more than half of it (one very long word).
        assert text.startswith(stem)
        assert text[len(stem)] == " " or " " not in stem[(50 - 1) // 2 :]


# -- WhatsApp -----------------------------------------------------------------------


def test_whatsapp_post_within_limits_with_bold_headlines_and_bullets(
    rendered: Renditions,
) -> None:
    post = rendered.whatsapp.text
    assert len(post) <= WHATSAPP_TARGET < WHATSAPP_MAX
    assert post.startswith("🌍 *World News Digest*\n_Monday, 23 November 2020_")
    assert "*G20 leaders pledge to 'spare no effort' to share Covid-19 vaccines fairly*" in post
    assert "\n*More headlines*\n- " in post
    assert re.search(r"^  https://\S+$", post, re.M), "bullet links are plain URLs"
    assert re.search(
        r"^\+\d+ more: https://www\.mid-day\.com/\?utm_source=digest&utm_medium=whatsapp\S*$",
        post,
        re.M,
    )


def test_whatsapp_stays_within_target_for_a_huge_edition() -> None:
    picks = tuple(
        replace(edition().picks[6], article=replace(edition().picks[6].article, id=f"x{i}"))
        for i in range(40)
    )
    post = RENDERER.render_whatsapp(replace(edition(), picks=picks)).text
    assert len(post) <= WHATSAPP_TARGET
    assert LONG_HEADLINE[:40] in post


# -- subject, preheader, plain text -------------------------------------------------


def test_subject_and_preheader_follow_patterns_and_bounds() -> None:
    custom = RenderSettings(subject="{name} · {count} stories · {lead}", subject_max=50,
                            preheader="{lead_summary}", preheader_max=60,
                            other_headlines=False)  # fmt: skip
    result = Renderer(digest_settings(), custom, base_dir=Path(".")).render(edition()).email
    # Nothing fits whole (the lead's headline alone is 73 characters, and other
    # outlets' headlines are switched off): the headline is cut inside the pattern.
    assert result.subject.startswith("World News Digest · 12 stories · G20")
    assert len(result.subject) <= 50 and result.subject.endswith("…")
    assert result.preheader.startswith("Leaders of the world's 20 biggest")
    assert len(result.preheader) <= 60


def test_a_subject_that_cannot_fit_tells_the_story_in_another_outlets_headline() -> None:
    custom = RenderSettings(subject="{name} · {count} stories · {lead}", subject_max=50)
    renditions = Renderer(digest_settings(), custom, base_dir=Path(".")).render(edition())
    assert renditions.email.subject == "G20 vows fair access to Covid-19 vaccines for all"
    assert "subject: Reuters's headline, the shorter pattern '{lead}' (49/50)" in renditions.notes


def test_short_preheader_is_filled_from_the_lead_summary() -> None:
    short = RenderSettings(preheader="{count} stories", preheader_min=40)
    result = Renderer(digest_settings(), short, base_dir=Path(".")).render(edition()).email
    assert result.preheader.startswith("12 stories · Leaders of the world's")


def test_bad_subject_pattern_is_named() -> None:
    with pytest.raises(ConfigError, match=r"render\.subject: bad pattern .*\{lead\}"):
        Renderer(digest_settings(), RenderSettings(subject="{headline}"), base_dir=Path("."))


@pytest.mark.parametrize("pattern", ["{lead.nope}", "{lead", "{0}: {lead}"])
def test_a_malformed_subject_pattern_is_a_config_error(pattern: str) -> None:
    with pytest.raises(ConfigError, match=r"^render\.subject: bad pattern"):
        Renderer(digest_settings(), RenderSettings(subject=pattern), base_dir=Path("."))


def test_bad_link_pattern_is_named() -> None:
    bad = RenderSettings(view_online_url="{site}/archive/{edition_id}")
    with pytest.raises(ConfigError, match=r"render\.view_online_url: bad pattern"):
        Renderer(digest_settings(), bad, base_dir=Path("."))


@pytest.mark.parametrize("setting", ["unsubscribe_url", "view_online_url"])
def test_a_link_pattern_that_gives_no_web_address_is_a_config_error(setting: str) -> None:
    bad = RenderSettings(**{setting: "mailto:desk@example.com?subject={edition_id}"})
    with pytest.raises(ConfigError, match=rf"render\.{setting}: 'mailto:.*' does not give an http"):
        Renderer(digest_settings(), bad, base_dir=Path("."))


def test_plain_text_part_is_laid_out_for_reading(rendered: Renditions) -> None:
    text = rendered.email.text
    assert "<table" not in text and "<div" not in text and "&amp;" not in text
    assert "\n1. G20 leaders pledge" in text and "\n12. Chile's new constitution" in text
    assert "TOP STORY\n---------" in text and "MORE WORLD NEWS" in text
    for line in text.splitlines():
        if "http" not in line:
            assert len(line) <= 72, line


# -- localisation -------------------------------------------------------------------


def test_hindi_edition_has_hindi_dates_and_labels() -> None:
    hindi = renderer("hi").render(edition())
    root = lxml.html.document_fromstring(hindi.email.html)
    assert root.getroottree().getroot().get("lang") == "hi"
    text = root.text_content()
    assert "सोमवार, 23 नवंबर 2020 · 12 ख़बरें" in text
    assert "मुख्य ख़बर" in text and "सदस्यता छोड़ें" in text
    assert "23 नव॰, 09:05" in text
    assert hindi.whatsapp.text.startswith("🌍 *विश्व समाचार डाइजेस्ट*\n_सोमवार, 23 नवंबर 2020_")
    assert hindi.push.body.endswith("+11 और")


@pytest.mark.parametrize(
    ("month", "expected"),
    [(1, "जनवरी"), (2, "फ़रवरी"), (6, "जून"), (9, "सितंबर"), (10, "अक्टूबर"), (12, "दिसंबर")],
)
def test_hindi_month_and_day_names(month: int, expected: str) -> None:
    locale = renderer("hi").locale
    moment = datetime(2021, month, 3, tzinfo=UTC)
    weekdays = ["सोमवार", "मंगलवार", "बुधवार", "गुरुवार", "शुक्रवार", "शनिवार", "रविवार"]
    assert locale.date(moment) == f"{weekdays[moment.weekday()]}, 3 {expected} 2021"


def test_dates_follow_the_edition_time_zone() -> None:
    late = replace(edition(), as_of=datetime(2020, 11, 22, 20, 0, tzinfo=UTC))
    mumbai = RENDERER.render_whatsapp(late).text
    new_york = RENDERER.render_whatsapp(replace(late, timezone="America/New_York")).text
    assert "_Monday, 23 November 2020_" in mumbai
    assert "_Sunday, 22 November 2020_" in new_york


def test_unknown_language_is_named() -> None:
    with pytest.raises(
        ConfigError,
        match=r"^render\.language: no locale file locales/xx\.toml \(available: en, hi\)",
    ):
        Renderer(digest_settings(), RenderSettings(language="xx"), base_dir=Path("."))
    # Without render.language the language is digest.language's, and named so.
    digest = digest_settings().model_copy(update={"language": "e n"})
    with pytest.raises(ConfigError, match=r"^digest\.language: 'e n' is not a language code"):
        Renderer(digest, RenderSettings(), base_dir=Path("."))


def test_right_to_left_direction() -> None:
    rtl = digest_settings().model_copy(update={"direction": "rtl"})
    html = Renderer(rtl, render_settings(), base_dir=Path(".")).render(edition()).email.html
    root = lxml.html.document_fromstring(html).getroottree().getroot()
    assert root.get("dir") == "rtl"
    assert "text-align:right" in html


# -- template overrides -------------------------------------------------------------


def test_user_folder_overrides_templates_file_by_file(tmp_path: Path) -> None:
    (tmp_path / "push.txt.j2").write_text("BREAKING {{ stories[0].title }}\n{{ story_count }}\n")
    custom = RenderSettings(templates=Path("mine"))
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "push.txt.j2").write_bytes((tmp_path / "push.txt.j2").read_bytes())
    result = Renderer(digest_settings(), custom, base_dir=tmp_path).render(edition())
    assert result.push.title.startswith("BREAKING G20")
    assert result.push.body == "12"
    assert "TOP STORY" in result.email.text  # the other templates are the defaults


def test_user_locale_overrides_labels(tmp_path: Path) -> None:
    (tmp_path / "locales").mkdir()
    (tmp_path / "locales" / "en.toml").write_text('[labels]\ntop_story = "Lead"\n')
    custom = RenderSettings(templates=tmp_path)
    result = Renderer(digest_settings(), custom, base_dir=tmp_path).render(edition())
    assert "\nLEAD\n----" in result.email.text
    assert "MORE WORLD NEWS" in result.email.text  # the rest still comes from the default


def test_the_greeting_follows_the_editions_local_time_of_day(tmp_path: Path) -> None:
    """An evening edition (``[[schedule.editions]]``) does not say good morning; a
    newsroom's own greeting, set without time-of-day variants, is kept all day."""
    morning, evening = (
        edition(),
        replace(edition(), as_of=datetime(2020, 11, 23, 13, 0, tzinfo=UTC)),
    )
    assert "Good morning, %%first_name|reader%%." in renderer().render(morning).email.text
    text = renderer().render(evening).email.text
    assert "Good evening, %%first_name|reader%%." in text and "morning" not in text.lower()
    assert "शुभ संध्या" in renderer("hi").render(evening).email.text

    (tmp_path / "locales").mkdir()
    (tmp_path / "locales" / "en.toml").write_text('[labels]\ngreeting = "Hello, %%name|you%%."\n')
    custom = Renderer(digest_settings(), RenderSettings(templates=tmp_path), base_dir=tmp_path)
    assert "Hello, %%name|you%%." in custom.render(evening).email.text


def test_broken_user_template_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "email.txt.j2").write_text("Hello\n\n{% for story in stories %}\n{{ story.title\n")
    with pytest.raises(RenderError) as caught:
        Renderer(digest_settings(), RenderSettings(templates=tmp_path), base_dir=tmp_path)
    message = str(caught.value)
    assert str(tmp_path / "email.txt.j2") in message and "line 4" in message


def test_user_template_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    (tmp_path / "push.txt.j2").write_bytes(b"Caf\xe9 {{ story_count }}\n")
    with pytest.raises(RenderError) as caught:
        Renderer(digest_settings(), RenderSettings(templates=tmp_path), base_dir=tmp_path)
    assert str(caught.value) == f"{tmp_path / 'push.txt.j2'}: is not UTF-8 text"


def test_runtime_error_in_user_template_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "whatsapp.txt.j2").write_text("*{{ name }}*\n{{ no_such_value }}\n")
    r = Renderer(digest_settings(), RenderSettings(templates=tmp_path), base_dir=tmp_path)
    with pytest.raises(RenderError) as caught:
        r.render(edition())
    message = str(caught.value)
    assert str(tmp_path / "whatsapp.txt.j2") + ", line 2" in message
    assert "no_such_value" in message


def test_invalid_mjml_in_user_template_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "email.mjml.j2").write_text("<mjml><mj-body><mj-section><mj-column>\n")
    r = Renderer(digest_settings(), RenderSettings(templates=tmp_path), base_dir=tmp_path)
    with pytest.raises(RenderError) as caught:
        r.render(edition())
    assert str(caught.value).startswith(f"{tmp_path / 'email.mjml.j2'}: MJML could not be")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('[labels]\nstory_other = "{0} stories"\n', "label 'story_other' is not a valid pattern"),
        ('[labels]\nstory_other = "{count stories"\n', "it may use {count}"),
        ('[labels]\nstory_other = "{count.real.x} stories"\n', "is not a valid pattern"),
        ('labels = "Top story"\n', "en.toml: [labels] must be a table"),
    ],
    ids=["positional-field", "unclosed-brace", "attribute", "not-a-table"],
)
def test_a_broken_user_label_is_a_named_render_error(
    tmp_path: Path, content: str, expected: str
) -> None:
    (tmp_path / "locales").mkdir()
    (tmp_path / "locales" / "en.toml").write_text(content, encoding="utf-8")
    with pytest.raises(RenderError, match=re.escape(expected)):
        custom = RenderSettings(templates=tmp_path)
        Renderer(digest_settings(), custom, base_dir=tmp_path).render(edition())


def test_broken_locale_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "locales").mkdir()
    (tmp_path / "locales" / "en.toml").write_text("[labels]\ntop_story = \n")
    with pytest.raises(RenderError, match=r"locales/en\.toml: invalid TOML.*line 2"):
        Renderer(digest_settings(), RenderSettings(templates=tmp_path), base_dir=tmp_path)


def test_missing_template_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"render\.templates: no such folder") as caught:
        Renderer(digest_settings(), RenderSettings(templates=Path("nope")), base_dir=tmp_path)
    assert caught.value.exit_code == 2  # a configuration mistake, like any other


def test_template_folder_may_start_with_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "push.txt.j2").write_text("Home-made {{ story_count }}\nbody\n", "utf-8")
    monkeypatch.setenv("HOME", str(tmp_path))
    settings = RenderSettings(templates=Path("~/mine"))
    push = Renderer(digest_settings(), settings, base_dir=ROOT).render_push(edition())
    assert push.title == "Home-made 12"


# -- personalisation ----------------------------------------------------------------


def test_placeholders_survive_mjml_and_premailer(rendered: Renditions) -> None:
    assert placeholders(rendered.email.html) == {"unsubscribe_url", "first_name"}
    assert 'href="%%unsubscribe_url%%"' in rendered.email.html
    assert "Unsubscribe: %%unsubscribe_url%%" in rendered.email.text


def test_personalise_fills_and_escapes(rendered: Renditions) -> None:
    email = personalise(rendered.email, {"unsubscribe_url": "https://x.example/u?t=1&s=2",
                                         "first_name": '<b>Asha</b> & "Co"'})  # fmt: skip
    assert "%%" not in email.html and "%%" not in email.text
    assert 'href="https://x.example/u?t=1&amp;s=2"' in email.html
    assert "Good morning, &lt;b&gt;Asha&lt;/b&gt; &amp; &quot;Co&quot;." in email.html
    assert 'Good morning, <b>Asha</b> & "Co".' in email.text
    assert "Unsubscribe: https://x.example/u?t=1&s=2" in email.text
    page = lxml.html.document_fromstring(email.html)
    assert page.find(".//b") is None


def test_personalise_uses_fallback_and_refuses_unsafe_or_missing(rendered: Renditions) -> None:
    email = personalise(rendered.email, {"unsubscribe_url": "https://x.example/u"})
    assert "Good morning, reader." in email.text
    with pytest.raises(RenderError, match="not an http") as caught:
        personalise(rendered.email, {"unsubscribe_url": "javascript:alert(1)"})
    assert "alert" not in str(caught.value)  # values can carry tokens: never echoed
    with pytest.raises(RenderError, match=r"not an http\(s\) URL \(scheme ftp\)") as caught:
        personalise(rendered.email, {"unsubscribe_url": "ftp://x.example/u?token=SECRET"})
    assert "SECRET" not in str(caught.value)
    with pytest.raises(RenderError, match="no value for the placeholder %%unsubscribe_url%%"):
        personalise(rendered.email, {"name": "Asha"})


def test_generic_values_fill_the_configured_unsubscribe_page() -> None:
    generic = RENDERER.render_generic(edition()).email
    assert 'href="https://www.mid-day.com/newsletter/unsubscribe"' in generic.html
    assert "%%" not in generic.html


def test_generic_values_name_a_bad_unsubscribe_pattern() -> None:
    """The export and archive copies fill the link too: a stray brace is the
    setting's error, not a bare ValueError from ``str.format``."""
    settings = RenderSettings(unsubscribe_url="{site_url}/u/{")
    with pytest.raises(ConfigError, match=r"render\.unsubscribe_url: bad pattern"):
        generic_values(RENDERER.digest, settings, "e1")


def test_timings_split_render_time(rendered: Renditions) -> None:
    r = renderer()
    r.render(edition())
    assert r.last_timings is not None
    assert r.last_timings.jinja > 0 and r.last_timings.mjml > 0 and r.last_timings.premailer > 0


def test_article_text_cannot_open_recipient_placeholders() -> None:
    """A feed writing ``%%name%%`` neither fails the send (unknown placeholder) nor
    pulls a recipient's unsubscribe link or name into the story."""
    lead = edition().picks[0]
    hostile = replace(
        lead.article,
        title="Leak %%unsubscribe_url%% and %%%secret%%% here",
        summary="Dear %%name|friend%%, read on",
        url="https://www.mid-day.com/news/%%token%%/story?x=%%name%%",
    )
    hostile_edition = replace(
        edition(), picks=(replace(lead, article=hostile), *edition().picks[1:])
    )
    rendered = renderer().render(hostile_edition)
    assert placeholders(rendered.email.html) == {"unsubscribe_url", "first_name"}
    email = personalise(rendered.email, {"unsubscribe_url": "https://x.example/u?token=SECRET"})
    assert email.text.count("token=SECRET") == 1  # the footer's link, nowhere else
    assert email.html.count("token=SECRET") == 1
    assert "Leak %\u2060%unsubscribe_url%\u2060% and" in email.text
    assert "Dear %\u2060%name|friend%\u2060%, read on" in email.text
    assert "/news/%25%25token%25%25/story?x=%25%25name%25%25" in email.text


def test_a_link_too_long_for_a_push_payload_opens_the_site_instead() -> None:
    # Before: a RenderError, so one article with a 4,000-character link (within the
    # ingest bounds) held back the whole edition.
    article = Article(
        id="a", url="https://example.com/" + "a" * 4050, title="Long link", published_at=AS_OF
    )
    edition = Edition("world-2020-11-23", AS_OF, "UTC", (Pick(article=article, score=1.0),))
    push = RENDERER.render_push(edition)
    assert len(push_payload(push)) < PUSH_PAYLOAD_MAX
    assert push.url.startswith("https://") and "aaaa" not in push.url
