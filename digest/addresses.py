"""Web addresses as the stages compare them: a URL's host and the site it belongs to."""

from __future__ import annotations

from urllib.parse import urlsplit


def host_of(url: str) -> str:
    """The lower-case host of a URL without ``www.`` (``""`` if it has none)."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.lower().removeprefix("www.")


def site_of(host: str) -> str:
    """The site a host belongs to: its last two labels, or three under a country's
    second-level domain (``news.bbc.co.uk`` → ``bbc.co.uk``)."""
    labels = host.split(".")
    keep = 3 if len(labels) >= 3 and len(labels[-2]) <= 3 and len(labels[-1]) == 2 else 2
    return ".".join(labels[-keep:])


__all__ = ["host_of", "site_of"]
