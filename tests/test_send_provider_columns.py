"""The provider senders' column paths give exactly what the per-recipient rules
give: a batch's parts as columns (:class:`~digest.senders.people.People`), JSON
columns taken as they are when they need no escaping, rows joined as text, and
outcomes made a field at a time (:meth:`SendResult.many`).

Each fast path is checked against the slow one on the same inputs, byte for byte.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from digest.model import SendResult
from digest.senders import Outgoing, Recipient, build_sender
from digest.senders.bulk import JsonTemplate, fill_columns, fill_rows, marker
from digest.senders.people import People, Person, Woven, woven_list_unsubscribes

from .send_support import outgoing, sample_built
from .test_send_providers import _secrets, bare, options

__all__ = ["_secrets", "outgoing", "sample_built"]  # fixtures

PROVIDERS = ("sendgrid", "postmark", "mailgun", "ses")


def test_many_results_equal_one_at_a_time_and_stay_frozen() -> None:
    many = SendResult.many(["a@x.org", "b@x.org"], "batch-1")
    assert many == [SendResult("a@x.org", "batch-1"), SendResult("b@x.org", "batch-1")]
    each = SendResult.many(["a@x.org", "b@x.org"], ["m1", "m2"], detail="batch accepted")
    assert each == [
        SendResult("a@x.org", "m1", "batch accepted"),
        SendResult("b@x.org", "m2", "batch accepted"),
    ]
    assert hash(each[0]) == hash(SendResult("a@x.org", "m1", "batch accepted"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        each[0].recipient = "c@x.org"  # type: ignore[misc]
    with pytest.raises(ValueError, match="1 provider ids for 2 recipients"):
        SendResult.many(["a@x.org", "b@x.org"], ["m1"])
    assert SendResult.many([], "x") == []


def test_people_columns_index_iterate_and_compare_like_a_list(outgoing: Outgoing) -> None:
    sender = build_sender("mail", "sendgrid", bare(options("sendgrid", "http://x")), Path("."))
    batch = [Recipient(f"r{i}@x.org", name=f"Reader {i}") for i in range(5)]
    people, refused = sender.parts.people(outgoing.edition.id, batch)
    one_by_one = [sender.parts.person(outgoing.edition.id, r) for r in batch]
    assert refused == {} and people.plain and people.printable
    assert isinstance(people, People) and len(people) == 5
    assert people == one_by_one and list(people) == one_by_one
    assert people[2] == one_by_one[2] and people[-1] == one_by_one[-1]
    assert people[1:3] == one_by_one[1:3]
    assert People.of(one_by_one) == people and People.of(people) is people
    again = People.of(one_by_one)
    assert (again.plain, again.printable) == (True, True)
    assert again.columns() == people.columns()
    assert People.of([]) == [] and len(People.of([])) == 0
    with pytest.raises(ValueError, match="columns of one length"):
        People([[""]] * 7 + [[]], plain=True, printable=True)


def test_people_flags_follow_the_names(outgoing: Outgoing) -> None:
    """``plain`` and ``printable`` are False as soon as one name needs the rules
    or holds a character JSON escapes."""
    sender = build_sender("mail", "sendgrid", bare(options("sendgrid", "http://x")), Path("."))
    cases = {
        ("Ann O'Neil", ""): (False, True),  # HTML escapes the quote
        ("Zoë", ""): (False, True),  # not ASCII
        ("Tab\there", ""): (True, True),  # the display-name rules make it a space
        ("Zero\u200dwidth", ""): (False, False),  # a joiner the rules keep
        ("Given", "ctl\x01x"): (False, False),  # a given name keeps its control
    }
    for (name, given), flags in cases.items():
        batch = [Recipient("a@x.org", name="Plain Name"), Recipient("b@x.org", name, given)]
        made = People.of([sender.parts.person(outgoing.edition.id, r) for r in batch])
        assert (made.plain, made.printable) == flags, name
        made, _ = sender.parts.people(outgoing.edition.id, batch)
        assert (made.plain, made.printable) == flags, name


def _fill(template: JsonTemplate, columns: list[list[str]], printable: bool) -> bytes:
    out: list[bytes] = []
    fill_columns(template, columns, out, b",", printable=printable)
    return b"".join(out)


@pytest.mark.parametrize("long_template", [False, True])
def test_printable_columns_fill_like_escaped_ones(long_template: bool) -> None:
    """Columns taken as they are (joined as text in a short ASCII template, or
    encoded one by one in a long one, or escaped where they hold a quote or a
    backslash) give the bytes the escaping path and fill_rows give."""
    body = "x" * 5000 if long_template else "short"
    template = JsonTemplate({"a": marker("a"), "body": body, "n": [1, {"b": marker("b")}]})
    assert (sum(map(len, template.pieces)) > 4096) is long_template
    cases = [
        (["plain", "text"], ["more", "ascii"]),
        (["Zoë", "देवनागरी"], ["emoji 🙂", "x"]),
        (['has "quote"', "ok"], ["back\\slash", "ok"]),
        (["ok", "fine"], ['one "quoted"', "fine"]),
        (["", ""], ["", "x"]),
    ]
    for a, b in cases:
        fast = _fill(template, [a, b], printable=True)
        slow = _fill(template, [a, b], printable=False)
        rows: list[bytes] = []
        fill_rows([(template, [x, y]) for x, y in zip(a, b, strict=True)], rows, b",")
        assert fast == slow == b"".join(rows)
        parsed = json.loads(b"[" + fast + b"]")
        assert [(p["a"], p["n"][1]["b"], p["body"]) for p in parsed] == [
            (x, y, body) for x, y in zip(a, b, strict=True)
        ]


def _body(sender: Any, out: Outgoing, people: Any) -> bytes:
    made = sender.body(out, people)
    return made[0] if isinstance(made, tuple) else made  # mailgun: (body, content type)


@pytest.mark.parametrize("kind", PROVIDERS)
def test_a_plain_batch_body_equals_the_escaping_paths(kind: str, outgoing: Outgoing) -> None:
    """A plain batch's request body (columns as they are, rows as text) is byte for
    byte the body of the same people with every column escaped, and of the
    people made one at a time; with a query in the unsubscribe URL too."""
    for url in ("https://www.mid-day.com/newsletter/unsubscribe", "https://x.org/u?list=w"):
        table = bare(options(kind, "http://127.0.0.1:9")) | {"unsubscribe_url": url}
        sender = build_sender("mail", kind, table, Path("."))
        batch = [Recipient(f"Reader{i}@Example.org", name=f"Reader Number {i}") for i in range(40)]
        batch += [Recipient(f"nameless{i}@example.org") for i in range(3)]
        people, _ = sender.parts.people(outgoing.edition.id, batch)
        assert people.plain and people.printable
        escaped = People(people.columns(), plain=people.plain, printable=False)
        one_by_one = [sender.parts.person(outgoing.edition.id, r) for r in batch]
        fast = _body(sender, outgoing, people)
        assert fast == _body(sender, outgoing, escaped) == _body(sender, outgoing, one_by_one)
        if kind != "mailgun":
            json.loads(fast)
        if kind != "ses":  # the call posts the same bytes (SendGrid's and Mailgun's in chunks)
            call = sender._request(outgoing, people)
            assert (call.content or b"".join(call.parts)) == fast and len(call.parts) < 20
            assert bool(call.parts) is (kind != "postmark")
        sender.close()


def test_person_fields_are_the_people_columns() -> None:
    """People's columns are named after Person's fields, in order."""
    assert People.__slots__[:8] == Person._fields


def test_woven_columns_are_made_on_first_use_as_weave_makes_them(outgoing: Outgoing) -> None:
    """A plain batch's links, mailto links and message ids stay woven (pieces and
    the tokens or keys) until asked for, then are the per-recipient values."""
    sender = build_sender("mail", "sendgrid", bare(options("sendgrid", "http://x")), Path("."))
    batch = [Recipient(f"r{i}@x.org", name=f"Reader {i}") for i in range(4)]
    people, _ = sender.parts.people(outgoing.edition.id, batch)
    one_by_one = [sender.parts.person(outgoing.edition.id, r) for r in batch]
    link = people.woven("unsubscribe_url")
    assert isinstance(link, Woven) and link.columns == [people.token]
    assert isinstance(woven_list_unsubscribes(people), Woven)
    assert woven_list_unsubscribes(people).made() == [p.list_unsubscribe for p in one_by_one]
    assert people.unsubscribe_url == [p.unsubscribe_url for p in one_by_one]
    assert people.woven("unsubscribe_url") is people.unsubscribe_url  # made once, kept
    assert people.message_id == [p.message_id for p in one_by_one]
    assert people == one_by_one
    with pytest.raises(AttributeError):
        people.nothing  # noqa: B018
    with pytest.raises(ValueError, match="no column"):
        People([[""]] * 3 + [None] + [[""]] * 4, plain=True, printable=True)


@pytest.mark.parametrize("long_template", [False, True])
def test_woven_columns_fill_like_made_ones(long_template: bool) -> None:
    """A woven column gives the bytes of the column it makes: spliced in when its
    pieces are JSON as they are, made first when one needs escaping (a quote, a
    backslash, a control or non-ASCII character), nested or not."""
    body = "x" * 5000 if long_template else "short"
    template = JsonTemplate({"a": marker("a"), "body": body, "b": marker("b")})
    tokens = ["tok0", "tok1", "tok2"]
    for base in ("https://x.org/u?token=", 'say "hi" ', "back\\slash ", "zoë ", "tab\t"):
        inner = Woven([base, ""], [tokens])
        nested = Woven(["<", ">, <", ">"], [inner, Woven(["mailto:u?s=", ""], [tokens])])
        for column in (inner, nested):
            # ``printable`` is the caller's word that no value has a control.
            for printable in (base.isprintable(), False):
                woven = _fill(template, [column, ["k0", "k1", "k2"]], printable)  # type: ignore[list-item]
                made = _fill(template, [column.made(), ["k0", "k1", "k2"]], printable)
                assert woven == made
                assert [p["a"] for p in json.loads(b"[" + woven + b"]")] == column.made()
    with pytest.raises(ValueError, match="one piece more"):
        Woven(["a"], [tokens])


def test_chunks_join_small_pieces_and_keep_big_ones() -> None:
    """A body's pieces become chunks to post: runs of small pieces joined up to
    about CHUNK bytes, big pieces as they are, nothing lost or reordered."""
    from digest.senders.bulk import chunks
    from digest.senders.pipeline import CHUNK

    small, big = b"s" * 1000, b"B" * (CHUNK // 2)
    pieces = [b"{", *[small] * (2 * CHUNK // 1000), big, b",", big, *[small] * 3, b"}"]
    made = chunks(pieces)
    assert b"".join(made) == b"".join(pieces)
    assert made[2] is big and made[4] is big  # as they are, never copied
    assert CHUNK <= len(made[0]) < CHUNK + len(small) and len(made[1]) < CHUNK
    assert made[3] == b"," and made[5] == small * 3 + b"}" and len(made) == 6
    assert chunks([]) == []
