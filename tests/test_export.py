"""``digest export``: the ready-to-send file set, byte-identical on repeat."""

from __future__ import annotations

import email
import hashlib
import json
from dataclasses import replace
from email.policy import default
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from digest.cli import main
from digest.edition import Built, Digest
from digest.errors import RenderError
from digest.export import (
    FORMATS,
    MANIFEST,
    Addresses,
    default_addresses,
    edition_document,
    eml_bytes,
    write_export,
)
from digest.message import email_message
from digest.model import Article, CapLift, Edition, Pick

from .conftest import SAMPLE_AS_OF
from .sample_files import write_sample_config

AS_OF = SAMPLE_AS_OF.isoformat()


@pytest.fixture
def built(sample_app: Digest) -> Built:
    """The sample edition, ingested and built."""
    sample_app.ingest()
    result = sample_app.build(SAMPLE_AS_OF)
    assert result.renditions is not None, result.hold
    return result


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    """The sample config as a file, with the sample articles ingested."""
    path = write_sample_config(tmp_path)
    result = CliRunner().invoke(main, ["--config", str(path), "ingest"])
    assert result.exit_code == 0, result.output
    return path


def _export(config: Path, out: Path, *args: str) -> str:
    moment = [] if "--edition" in args else ["--as-of", AS_OF]
    result = CliRunner().invoke(
        main, ["--config", str(config), "export", *moment, "--out", str(out), *args]
    )
    assert result.exit_code == 0, result.output + result.stderr
    return result.stdout


def test_eml_parses_back_into_text_and_html_alternatives(built: Built, tmp_path: Path) -> None:
    assert built.renditions is not None
    addresses = Addresses(sender='"World News Digest" <digest@mid-day.com>')
    write_export(tmp_path, built.edition, built.renditions, addresses=addresses)
    message = email.message_from_bytes((tmp_path / "email.eml").read_bytes(), policy=default)

    assert message.get_content_type() == "multipart/alternative"
    parts = list(message.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    assert [p.get_content_charset() for p in parts] == ["utf-8", "utf-8"]
    assert parts[0].get_content().replace("\r\n", "\n") == built.renditions.email.text
    html = parts[1].get_content().replace("\r\n", "\n")
    assert html.rstrip("\n") == built.renditions.email.html.rstrip("\n")

    assert message["From"].addresses[0].addr_spec == "digest@mid-day.com"
    assert message["From"].addresses[0].display_name == "World News Digest"
    assert str(message["To"]) == "undisclosed-recipients:;"
    assert str(message["Subject"]) == built.renditions.email.subject
    assert message["MIME-Version"] == "1.0"
    # Date is the edition's moment in its own zone, not the time of the export.
    assert parsedate_to_datetime(message["Date"]) == SAMPLE_AS_OF
    assert message["Date"] == format_datetime(SAMPLE_AS_OF.astimezone(ZoneInfo("Asia/Kolkata")))
    assert message["Message-ID"].startswith(f"<{built.edition.id}.")
    assert message["Message-ID"].endswith("@mid-day.com>")
    # Every line ends CRLF, as a mail server expects.
    raw = (tmp_path / "email.eml").read_bytes()
    assert raw.count(b"\n") == raw.count(b"\r\n")


def test_default_sender_is_the_publishers_domain() -> None:
    addresses = default_addresses('World "News" Digest', "https://www.mid-day.com/")
    assert addresses.sender == '"World News Digest" <digest@mid-day.com>'
    assert addresses.to == "undisclosed-recipients:;"


def test_export_twice_gives_identical_bytes_and_matching_manifest(
    config_file: Path, tmp_path: Path
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    _export(config_file, first)
    _export(config_file, second)
    _export(config_file, first)  # over an earlier export of the same edition

    names = sorted(p.name for p in first.iterdir())
    assert names == sorted([*FORMATS, MANIFEST])
    assert names == sorted(p.name for p in second.iterdir())
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name

    manifest = json.loads((first / MANIFEST).read_text("utf-8"))
    assert manifest["edition"] == "world-2020-11-23"
    assert sorted(manifest["files"]) == sorted(FORMATS)
    for name, entry in manifest["files"].items():
        content = (first / name).read_bytes()
        assert entry["bytes"] == len(content)
        assert entry["sha256"] == hashlib.sha256(content).hexdigest()
    # Keys are sorted everywhere, so a diff of two exports shows only real changes.
    push = (first / "push.json").read_text("utf-8")
    assert list(json.loads(push)) == sorted(json.loads(push))


def test_export_by_recorded_edition_matches_export_by_moment(
    config_file: Path, tmp_path: Path
) -> None:
    _export(config_file, tmp_path / "by-moment")
    _export(config_file, tmp_path / "by-id", "--edition", "world-2020-11-23")
    for name in FORMATS:
        assert (tmp_path / "by-moment" / name).read_bytes() == (
            tmp_path / "by-id" / name
        ).read_bytes()


def test_format_chooses_a_subset_and_json_prints_the_manifest(
    config_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "subset"
    printed = _export(config_file, out, "--format", "email.eml", "--format", "push.json", "--json")
    assert sorted(p.name for p in out.iterdir()) == ["email.eml", MANIFEST, "push.json"]
    assert json.loads(printed) == json.loads((out / MANIFEST).read_text("utf-8"))
    assert sorted(json.loads(printed)["files"]) == ["email.eml", "push.json"]


def test_quiet_prints_nothing(config_file: Path, tmp_path: Path) -> None:
    assert _export(config_file, tmp_path / "q", "--quiet") == ""
    assert (tmp_path / "q" / MANIFEST).is_file()


def test_from_and_to_options_reach_the_message(config_file: Path, tmp_path: Path) -> None:
    _export(config_file, tmp_path, "--from", "Desk <desk@example.org>", "--to", "list@example.org")
    message = email.message_from_bytes((tmp_path / "email.eml").read_bytes(), policy=default)
    assert message["From"].addresses[0].addr_spec == "desk@example.org"
    assert message["To"].addresses[0].addr_spec == "list@example.org"
    assert message["Message-ID"].endswith("@example.org>")


@pytest.mark.parametrize(
    ("choice", "code", "message"),
    [
        (["--edition", "world-1999-01-01"], 2, "no edition 'world-1999-01-01' is recorded"),
        (["--as-of", "2020-12-25T10:00+05:30"], 3, "held back: not enough news"),
    ],
    ids=["unknown-edition", "held-edition"],
)
def test_nothing_is_written_for_an_edition_that_cannot_go(
    config_file: Path, tmp_path: Path, choice: list[str], code: int, message: str
) -> None:
    out = tmp_path / "x"
    result = CliRunner().invoke(
        main, ["--config", str(config_file), "export", *choice, "--out", str(out)]
    )
    assert result.exit_code == code
    assert message in result.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--from", "not an address <<"),
        ("--to", '"x" <a@b>, ,,<'),
        ("--to", "desk"),
        ("--from", "desk@example.org\r\nBcc: everyone@example.org"),
    ],
    ids=["from-junk", "to-unparseable", "to-no-domain", "from-header-injection"],
)
def test_a_bad_address_is_a_usage_error_naming_the_option(
    config_file: Path, tmp_path: Path, option: str, value: str
) -> None:
    out = tmp_path / "x"
    result = CliRunner().invoke(
        main,
        [
            "--config",
            str(config_file),
            "export",
            "--as-of",
            AS_OF,
            "--out",
            str(out),
            option,
            value,
        ],
    )
    assert result.exit_code == 2
    assert f"Invalid value for {option}: " in result.stderr
    assert "is not an email address" in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()


def test_eml_headers_cannot_be_injected_by_the_subject(built: Built) -> None:
    """Even a subject that reached the message unclean (every kind of line break)
    stays one Subject header; no Bcc or other header appears."""
    assert built.renditions is not None
    hostile = "Talks fail\r\nBcc: all@example.org\nX-Evil: 1\u2028Reply-To: a@b.example\x85end"
    renditions = replace(built.renditions, email=replace(built.renditions.email, subject=hostile))
    raw = eml_bytes(built.edition, renditions, Addresses(sender="desk@example.org"))
    message = email.message_from_bytes(raw, policy=default)
    assert sorted(message.keys()) == sorted(
        ["From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type"]
    )
    assert str(message["Subject"]) == (
        "Talks fail Bcc: all@example.org X-Evil: 1 Reply-To: a@b.example end"
    )


def test_extra_headers_are_one_line_each_and_names_are_checked(built: Built) -> None:
    assert built.renditions is not None
    email_part = built.renditions.email
    now = SAMPLE_AS_OF
    message = email_message(
        email_part, sender="desk@example.org", to="list@example.org", date=now,
        headers={"List-Unsubscribe": "<https://x.example/u>\r\nBcc: all@example.org"},
    )  # fmt: skip
    parsed = email.message_from_bytes(message.as_bytes(), policy=default)
    assert parsed["List-Unsubscribe"] == "<https://x.example/u> Bcc: all@example.org"
    assert parsed["Bcc"] is None
    for bad in ("X Evil", "Bcc:", "X-Ünï", ""):
        with pytest.raises(RenderError, match="is not a header name"):
            email_message(email_part, sender="desk@example.org", to="list@example.org",
                          date=now, headers={bad: "x"})  # fmt: skip


def test_the_explain_document_types_a_pick_taken_past_a_diversity_cap() -> None:
    when = SAMPLE_AS_OF
    picks = tuple(
        Pick(Article(id=n, url=f"https://a.example/{n}", title=n, published_at=when), 1.0,
             cap_lifted=lifted)
        for n, lifted in (("a", None), ("b", CapLift.NO_OTHER_STORY))
    )  # fmt: skip
    document = edition_document(Edition("e", when, "UTC", picks))
    assert [p["cap_lifted"] for p in document["picks"]] == [None, "no other story left"]
    json.dumps(document)
