"""One exception root for everything `digest` raises on purpose.

Callers catch :class:`DigestError` to handle any expected failure; the CLI turns
it into a one-line message and an exit code instead of a traceback.
"""

from __future__ import annotations

import errno


class DigestError(Exception):
    """Base of every error `digest` raises on purpose."""

    #: Process exit code the CLI uses for this kind of error.
    exit_code = 1


class ConfigError(DigestError):
    """The configuration (file, setting or template folder) is wrong.

    ``problems`` lists every mistake found, each naming its key, so a user can fix
    them all in one go.
    """

    exit_code = 2

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or [message]

    def __str__(self) -> str:
        head = super().__str__()
        if self.problems == [head]:
            return head
        return head + "\n" + "\n".join(f"  - {p}" for p in self.problems)


class SourceError(DigestError):
    """A source (file, folder, feed URL) could not be read or parsed.

    The message names the source and says what is wrong with it.
    """

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class StoreError(DigestError):
    """The store could not be opened, read or written."""


class RenderError(DigestError):
    """A template is broken or a rendition could not be produced.

    For a broken template the message names the file and line.
    """


class SendError(DigestError):
    """A sender could not hand a message over.

    ``permanent`` says whether retrying can help (an SMTP 5xx or HTTP 4xx cannot).
    ``retry_after`` is the delay in seconds the receiver asked for, if any.
    """

    def __init__(
        self, message: str, *, permanent: bool = False, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after


class EditionBusy(DigestError):
    """Another process holds the lock on an edition: it is being run right now.

    Nothing was done; ``holder`` names the other process (host, pid).
    """

    def __init__(self, edition_id: str, holder: str) -> None:
        super().__init__(f"{edition_id}: already being run by {holder}")
        self.edition_id = edition_id
        self.holder = holder


class SenderUnavailable(SendError):
    """A destination as a whole cannot be reached (connection refused, login
    rejected): stop trying its other recipients now and keep them pending."""


#: ``errno`` values of a write that may well succeed later (a full or read-only
#: disk, a quota, an I/O hiccup, too many open files): what failed is left for
#: the next attempt.  Any other ``OSError`` (no permission, not a folder, a name
#: too long) needs a person and is permanent.
TRANSIENT_ERRNOS = frozenset(
    {
        errno.ENOSPC,
        errno.EDQUOT,
        errno.EROFS,
        errno.EIO,
        errno.EAGAIN,
        errno.EBUSY,
        errno.EINTR,
        errno.ENOMEM,
        errno.EMFILE,
        errno.ENFILE,
        errno.ETIMEDOUT,
        errno.ESTALE,
    }
)


def is_transient(exc: OSError) -> bool:
    """Whether retrying the operation that raised ``exc`` later can succeed."""
    return exc.errno in TRANSIENT_ERRNOS
