"""The ``file`` sender: writes the edition's ready-to-send files to a folder.

Options::

    [senders.out]
    type = "file"
    path = "out"            # relative to config.toml; "{edition_id}" may appear in it
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, ClassVar

from ..errors import ConfigError, SendError, SenderUnavailable, is_transient
from ..export import write_export
from ..model import RenditionKind, SendResult
from .base import Limits, Outgoing, Recipient


class FileSender:
    """Writes ``email.html``, ``email.txt``, ``push.json``, ``whatsapp.txt`` and
    ``edition.json`` (with a manifest) into a folder."""

    type_name: ClassVar[str] = "file"
    consumes: ClassVar[RenditionKind] = "all"

    def __init__(self, name: str, options: Mapping[str, Any], *, base_dir: Path) -> None:
        unknown = sorted(set(options) - {"path"})
        if unknown:
            raise ConfigError(f"senders.{name}.{unknown[0]}: is not a known setting")
        path = options.get("path", "out")
        if not isinstance(path, str) or not path:
            raise ConfigError(f"senders.{name}.path: must be a folder path, got {path!r}")
        self.name = name
        self.path_template = path
        self.base_dir = base_dir
        self.limits = Limits()
        self.subscriber_list: str | None = None

    def folder(self, edition_id: str) -> Path:
        """Where one edition's files go."""
        path = Path(self.path_template.replace("{edition_id}", edition_id)).expanduser()
        return path if path.is_absolute() else self.base_dir / path

    def describe(self) -> str:
        """Log-safe description."""
        return f"file sender {self.name!r} → {self.path_template}"

    def recipients(self) -> Iterable[Recipient]:
        """One recipient: the folder."""
        return [Recipient(self.path_template)]

    def prepare(self, outgoing: Outgoing) -> None:
        """Nothing to prepare."""

    def close(self) -> None:
        """Nothing to release."""

    def send(self, outgoing: Outgoing, recipient: Recipient) -> SendResult:
        """Write the files (all or none, see :func:`~digest.export.write_export`).

        A write error that may pass (a full or read-only disk, an I/O error) raises
        :class:`SenderUnavailable`: the delivery stays pending for the next run.
        Any other (no permission, not a folder) raises a permanent
        :class:`SendError`.
        """
        folder = self.folder(outgoing.edition.id)
        try:
            written = write_export(folder, outgoing.edition, outgoing.public)
        except OSError as exc:
            problem = f"{folder}: cannot write ({exc.strerror or exc})"
            if is_transient(exc):
                raise SenderUnavailable(f"{problem}; left pending for the next run") from None
            raise SendError(problem, permanent=True) from None
        return SendResult(recipient=recipient.id, detail=f"{len(written)} files in {folder}")
