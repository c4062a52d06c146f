"""``digest serve``: the reader's side of the digest as one ASGI application.

* :mod:`digest.web.archive` — a page per edition that reached someone, an index
  and Atom / JSON feeds (also written as a static site by ``digest archive``);
* :mod:`digest.web.app` — the Starlette application: archive, RFC 8058 one-click
  unsubscribe, double opt-in sign-up, preferences and bounce webhooks;
* :mod:`digest.web.tokens` and :mod:`digest.web.ratelimit` — signed expiring
  tokens and rate limits, both on an injected clock.
"""
