"""Issue 16 in the renderer: texts told whole, pictures sized for the email, times
with their zone, and templates that override one block of the shipped design."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from pathlib import Path

import lxml.html
import pytest
from PIL import Image
from pytest_httpserver import HTTPServer

from digest.config import ImageSettings, RenderSettings
from digest.export import write_export
from digest.model import LeftOut, Rejection
from digest.render import Renderer, subject_patterns
from digest.render.headlines import clauses, fit_text, headlines
from digest.render.images import resize

from .golden.edition import _article, digest_settings, edition, same_story

# -- whole clauses and other outlets' headlines -------------------------------------


@pytest.mark.parametrize(
    ("headline", "expected"),
    [
        ("Ethiopia PM gives Tigray leaders 72 hours to surrender before Mekele assault",
         ["Ethiopia PM gives Tigray leaders 72 hours to surrender"]),
        ("Biden picks veteran aide Blinken as America's top diplomat: reports",
         ["Biden picks veteran aide Blinken: reports"]),
        ("Cyclone Gati makes landfall in Somalia, strongest storm on record to hit the country",
         ["Cyclone Gati makes landfall in Somalia"]),
        # A comma inside a list is not the end of a clause; nor is a short kicker one.
        ("G20 leaders vow to ensure affordable, equitable access to COVID-19 vaccines", []),
        ("Tigray: Ethiopia gives rebels 72 hours", []),
        ("Won't recognise Joe Biden as US President: Putin",
         ["Won't recognise Joe Biden: Putin"]),
    ],
)  # fmt: skip
def test_clauses_are_whole_and_keep_the_attribution(headline: str, expected: list[str]) -> None:
    assert clauses(headline) == expected


def test_other_outlets_headlines_come_from_same_story_rejections() -> None:
    fixture = edition()
    lead = fixture.picks[0]
    other = _article(50, title="Unrelated story about markets", publisher="AP")
    fixture = replace(
        fixture,
        rejections=(
            *fixture.rejections,
            # Left out for another reason, or the same story as another pick: not used.
            Rejection(other, f"ranked below {lead.article.id}", 0.1, LeftOut.RANKED_BELOW),
            same_story(fixture.picks[1], 51, "Geneva talks end early", "AFP"),
        ),
    )
    told = headlines(fixture, lead)
    assert [h.text for h in told[:2]] == [
        "G20 leaders pledge to 'spare no effort' to share Covid-19 vaccines fairly",
        "G20 vows fair access to Covid-19 vaccines for all",  # English only: not the Hindi one
    ]
    assert told[1].source == "Reuters's headline"
    assert [h.text for h in headlines(fixture, lead, others=False)] == [told[0].text]


def test_the_date_goes_before_the_headline_is_cut() -> None:
    assert subject_patterns("{lead}: World News, {date}", ()) == (
        "{lead}: World News, {date}", "{lead}: World News", "{lead}",
    )  # fmt: skip
    assert subject_patterns("{date} | {lead}", ()) == ("{date} | {lead}", "{lead}")
    assert subject_patterns("{lead}", ("x {lead}",)) == ("{lead}", "x {lead}")
    # The lead's own headline without the date fits 78: no other headline, no cut.
    settings = RenderSettings(subject="{lead} ({date})")
    renditions = Renderer(digest_settings(), settings, base_dir=Path(".")).render(edition())
    assert renditions.email.subject == lead_title()
    assert renditions.notes[0] == "subject: the headline, the shorter pattern '{lead}' (73/78)"


def lead_title() -> str:
    return edition().picks[0].title


def test_an_editors_headline_is_used_first() -> None:
    fixture = edition()
    picks = (replace(fixture.picks[0], headline="G20 pledges vaccines for all"), *fixture.picks[1:])
    renditions = Renderer(digest_settings(), RenderSettings(), base_dir=Path(".")).render(
        replace(fixture, picks=picks)
    )
    assert (
        renditions.email.subject
        == "G20 pledges vaccines for all: World News, Monday, 23 November 2020"
    )
    assert renditions.push.title == "G20 pledges vaccines for all"
    assert "push title: the editor's headline (28/50)" in renditions.notes


def test_summaries_are_cut_at_sentences_then_clauses() -> None:
    text = "Troops closed in on Mekele. The deadline ends on Wednesday, officials said."
    assert fit_text(text, 40) == "Troops closed in on Mekele."
    assert fit_text("Troops closed in on Mekele after a week of heavy fighting.", 30) == (
        "Troops closed in on Mekele…"
    )
    assert len(fit_text("x" * 300, 50)) <= 50


# -- times, inheritance ---------------------------------------------------------------


def test_story_times_carry_the_editions_zone() -> None:
    text = Renderer(digest_settings(), RenderSettings(), base_dir=Path(".")).render(edition())
    assert "Riyadh · Reuters · 23 Nov, 09:05 IST" in text.email.text
    assert re.search(r"\d\d:\d\d IST", text.email.html)


def test_a_user_template_overrides_one_block_of_the_shipped_design(tmp_path: Path) -> None:
    (tmp_path / "email.mjml.j2").write_text(
        '{% extends "default/email.mjml.j2" %}\n'
        "{% block story %}<mj-section><mj-column><mj-text>"
        "<h2>#{{ story.rank }} {{ story.title }}</h2></mj-text></mj-column></mj-section>"
        "{% endblock %}\n"
        "{% block styles %}{{ super() }} .extra-rule { color: red; }{% endblock %}\n",
        "utf-8",
    )
    settings = RenderSettings(templates=tmp_path)
    html = Renderer(digest_settings(), settings, base_dir=tmp_path).render(edition()).email.html
    page = lxml.html.document_fromstring(html)
    headings = [h.text_content() for h in page.iter("h2")]
    assert headings[1].startswith("#2 ") and headings[-1].startswith("#12 ")
    assert "G20 leaders pledge" in headings[0]  # the lead block is the shipped one
    assert len(list(page.iter("h1"))) == 1  # so is the masthead
    css = "\n".join(s.text or "" for s in page.iter("style"))
    assert ".extra-rule" in css and "prefers-color-scheme: dark" in css


# -- pictures -------------------------------------------------------------------------


def _jpeg(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (40, 90, 160)).save(out, "JPEG", quality=95)
    return out.getvalue()


def test_resize_never_enlarges_and_keeps_transparency() -> None:
    _, suffix, media_type, size = resize(_jpeg(2400, 1600), 1104, 80)
    assert (suffix, media_type, size) == (".jpg", "image/jpeg", (1104, 736))
    assert resize(_jpeg(300, 200), 1104, 80)[3] == (300, 200)
    out = io.BytesIO()
    Image.new("RGBA", (800, 400), (0, 0, 0, 0)).save(out, "PNG")
    assert resize(out.getvalue(), 352, 80)[1:] == (".png", "image/png", (352, 176))


def test_pictures_are_resized_served_from_the_base_url_and_exported(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    """Originals on a local HTTP server (no other network): each is fetched once,
    resized to twice its shown width, named stably, linked from base_url, and
    written beside the export; a picture that cannot be fetched keeps its address."""
    fixture = edition()
    served = []
    picks = []
    for n, pick in enumerate(fixture.picks):
        image = pick.article.image
        if image is None or not image.url.startswith("https://images.mid-day.com/"):
            picks.append(pick)
            continue
        path = f"/originals/{n}.jpg"
        if n != 3:  # picture 3 is missing on the server
            httpserver.expect_request(path).respond_with_data(
                _jpeg(3000, 2000), content_type="image/jpeg"
            )
            served.append(path)
        article = replace(pick.article, image=replace(image, url=httpserver.url_for(path)))
        picks.append(replace(pick, article=article))
    fixture = replace(fixture, picks=tuple(picks))
    base = "https://www.mid-day.com/newsletter/images"
    settings = RenderSettings(images=ImageSettings(base_url=base, folder=tmp_path / "cache"))
    renderer = Renderer(digest_settings(), settings, base_dir=tmp_path)
    renditions = renderer.render_generic(fixture)

    page = lxml.html.document_fromstring(renditions.email.html)
    images = list(page.iter("img"))
    widths = [img.get("width") for img in images]
    assert all(w and w.isdigit() for w in widths), widths
    assert all((img.get("height") or "0").isdigit() for img in images)
    ours = [img for img in images if img.get("src").startswith(base + "/")]
    assert len(ours) == len(served) == len(renditions.images)
    lead = images[0]
    assert (lead.get("width"), lead.get("height")) == ("552", "368")
    assert {i.width for i in renditions.images} == {1104, 352}  # 2x 552 and 2x 176
    kept = [img.get("src") for img in images if img.get("src").startswith(httpserver.url_for(""))]
    assert kept == [httpserver.url_for("/originals/3.jpg")]

    # The same pictures again: the same names, nothing fetched twice.
    requests = len(httpserver.log)
    again = Renderer(digest_settings(), settings, base_dir=tmp_path).render(fixture)
    assert [i.name for i in again.images] == [i.name for i in renditions.images]
    assert len(httpserver.log) == requests + 1  # only the missing one is tried again

    written = write_export(tmp_path / "out", fixture, renditions)
    for image in renditions.images:
        path = tmp_path / "out" / "images" / image.name
        assert written[f"images/{image.name}"] == path
        assert Image.open(path).size == (image.width, image.height)
        assert path.stat().st_size < 60_000
