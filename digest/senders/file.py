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

from ..errors import ConfigError, SendError
from ..export import write_export
from ..model import RenditionKind, SendResult
from .base import Limits, Outgoing


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

    def folder(self, edition_id: str) -> Path:
        """Where one edition's files go."""
        path = Path(self.path_template.replace("{edition_id}", edition_id)).expanduser()
        return path if path.is_absolute() else self.base_dir / path

    def describe(self) -> str:
        """Log-safe description."""
        return f"file sender {self.name!r} → {self.path_template}"

    def recipients(self) -> Iterable[str]:
        """One recipient: the folder."""
        return [self.path_template]

    def send(self, outgoing: Outgoing, recipient: str) -> SendResult:
        """Write the files; raises :class:`SendError` (permanent) if the folder
        cannot be written."""
        folder = self.folder(outgoing.edition.id)
        try:
            written = write_export(folder, outgoing.edition, outgoing.public)
        except OSError as exc:
            raise SendError(f"{folder}: cannot write ({exc.strerror})", permanent=True) from None
        return SendResult(recipient=recipient, detail=f"{len(written)} files in {folder}")
