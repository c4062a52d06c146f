"""MJML → HTML → inlined CSS, once per edition.

mjml-python compiles the MJML; premailer (or, with ``[render] inliner =
"css-inline"``, css-inline) inlines the CSS with the network off, keeps ``@media``
rules with their ``!important`` (the phone layout needs them) and keeps the style
tags for clients that honour them.  The inliners drop or change MJML's doctype, so
it is put back (upper-case, as HTML validators prefer).  Each inliner is imported
on first use: premailer (with cssutils and requests) costs ~0.1 s to import.

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
from typing import Literal

import mjml

from ..errors import RenderError

Inliner = Literal["premailer", "css-inline"]

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


def inline_css(html: str, inliner: Inliner = "premailer") -> str:
    """Inline the CSS of compiled MJML for clients that ignore ``<style>``.

    Never touches the network; keeps ``@media`` rules and ``!important``.  Raises
    :class:`RenderError` for markup the inliner cannot read, or when css-inline is
    asked for but not installed.
    """
    result = _css_inline(html) if inliner == "css-inline" else _premailer(html)
    result = re.sub(r"^\s*<!DOCTYPE[^>]*>\s*", "", result, flags=re.I)
    return DOCTYPE + result


def _premailer(html: str) -> str:
    from premailer import Premailer

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
        return str(inliner.transform(pretty_print=False))
    except Exception as exc:  # premailer/lxml raise many kinds on broken markup
        raise RenderError(f"CSS inlining failed: {exc}") from None


def _css_inline(html: str) -> str:
    try:
        import css_inline
    except ImportError:
        raise RenderError(
            '[render] inliner = "css-inline" needs the css-inline package '
            '(pip install "digest[css-inline]")'
        ) from None
    html = _MJML_RESET.sub(r'<style type="text/css" data-css-inline="ignore">\1', html, count=1)
    inliner = css_inline.CSSInliner(
        keep_style_tags=True, keep_link_tags=True, load_remote_stylesheets=False
    )
    try:
        result = str(inliner.inline(html))
    except Exception as exc:  # css_inline.InlineError and the like
        raise RenderError(f"CSS inlining failed: {exc}") from None
    # css-inline keeps the marker; premailer drops its own.
    return result.replace(' data-css-inline="ignore"', "", 1)


def build_email_html(
    mjml_source: str, timings: dict[str, float] | None = None, *, inliner: Inliner = "premailer"
) -> str:
    """The finished email HTML for an MJML document (compile, then inline)."""
    started = perf_counter()
    html = compile_mjml(mjml_source)
    compiled = perf_counter()
    result = inline_css(html, inliner)
    if timings is not None:
        timings["mjml"] = compiled - started
        timings["premailer"] = perf_counter() - compiled
    return result
