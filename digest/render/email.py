"""MJML → HTML → inlined CSS, once per edition.

mjml-python compiles the MJML; premailer inlines the CSS with the network off,
keeps ``@media`` rules with their ``!important`` (the phone layout needs them) and
keeps the style tags for clients that honour them.  premailer drops MJML's
doctype, so it is put back (upper-case, as HTML validators prefer).

MJML cannot give a section an ARIA role, so a class does: a section whose
``css-class`` has ``role-article`` becomes ``<div class="… role-article"
role="article">``, one landmark per story for screen readers.

MJML's own reset stylesheet (``#outlook a``, ``table, td {...}``, ``img {...}``) is
left in the head but not inlined: MJML already writes those properties where they
matter, and inlining the ``table, td`` reset into every cell of a twelve-story
edition costs about 18 KB, a fifth of Gmail's clipping budget.
"""

from __future__ import annotations

import logging
import re
from time import perf_counter

import mjml
from premailer import Premailer

from ..errors import RenderError

DOCTYPE = "<!DOCTYPE html>"
_ROLE_CLASS = re.compile(r'(<div class="[^"]*\brole-(article|region)\b[^"]*")')
_MJML_RESET = re.compile(r'<style type="text/css">(\s*#outlook a\s*\{)')


# mjml-python 1.4.2 writes attribute values through Rust's escape_debug: a backslash
# becomes "\\", a tab "\t", and combining marks and joiners "\u{94d}" -- so a
# Hindi alt text or an emoji's ZWJ would reach screen readers as escape codes.
_ATTRIBUTE = re.compile(r'(\s[\w:-]+=")([^"]*)"')
_RUST_ESCAPE = re.compile(r"\\(?:u\{([0-9a-fA-F]{1,6})\}|(.))")
_RUST_SIMPLE = {"\\": "\\", "'": "&#39;", '"': "&quot;", "t": "&#9;", "n": "&#10;", "r": "&#13;"}


def _unescape_one(match: re.Match[str]) -> str:
    if match.group(1):
        code = int(match.group(1), 16)
        # As a character reference: whatever it decodes to stays inside the value.
        return f"&#x{code:x};" if code and code < 0x110000 else ""
    return _RUST_SIMPLE.get(match.group(2), match.group(2) if match.group(2) != "0" else "")


def _undo_rust_escapes(html: str) -> str:
    """Attribute values as they were before mjml-python's escape_debug."""

    def attribute(match: re.Match[str]) -> str:
        if "\\" not in match.group(2):
            return match.group(0)
        return match.group(1) + _RUST_ESCAPE.sub(_unescape_one, match.group(2)) + '"'

    return _ATTRIBUTE.sub(attribute, html)


def compile_mjml(source: str) -> str:
    """Compile MJML to HTML without web fonts (no outbound request in the email).

    Raises :class:`RenderError` if the MJML is invalid.
    """
    try:
        html = str(mjml.mjml2html(source, disable_comments=False, fonts={}))
    except Exception as exc:  # the Rust binding raises a bare exception type
        raise RenderError(f"MJML could not be compiled: {exc}") from None
    return _ROLE_CLASS.sub(r'\1 role="\2"', _undo_rust_escapes(html))


def inline_css(html: str) -> str:
    """Inline the CSS of compiled MJML for clients that ignore ``<style>``.

    Never touches the network; keeps ``@media`` rules and ``!important``.
    """
    html = _MJML_RESET.sub(r'<style type="text/css" data-premailer="ignore">\1', html, count=1)
    inliner = Premailer(
        html,
        allow_network=False,
        strip_important=False,
        keep_style_tags=True,
        remove_classes=False,
        disable_validation=True,
        # cssutils warns about every mso-/-webkit- property MJML emits: expected.
        cssutils_logging_level=logging.CRITICAL,
        exclude_pseudoclasses=True,
    )
    try:
        result = str(inliner.transform(pretty_print=False))
    except Exception as exc:  # premailer/lxml raise many kinds on broken markup
        raise RenderError(f"CSS inlining failed: {exc}") from None
    result = re.sub(r"^\s*<!DOCTYPE[^>]*>\s*", "", result, flags=re.I)
    return DOCTYPE + result


def build_email_html(mjml_source: str, timings: dict[str, float] | None = None) -> str:
    """The finished email HTML for an MJML document (compile, then inline)."""
    started = perf_counter()
    html = compile_mjml(mjml_source)
    compiled = perf_counter()
    result = inline_css(html)
    if timings is not None:
        timings["mjml"] = compiled - started
        timings["premailer"] = perf_counter() - compiled
    return result
