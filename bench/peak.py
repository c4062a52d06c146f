"""Peak memory of a process, as the benches report it."""

from __future__ import annotations

import resource
from pathlib import Path


def peak_mib(pid: int | None = None) -> float:
    """The peak resident set so far, in MiB, of this process or of ``pid``:
    ``VmHWM`` on Linux (``ru_maxrss`` would carry over the parent's peak across
    fork and exec).  Without ``/proc``, this process's ``ru_maxrss``."""
    where = Path(f"/proc/{pid if pid is not None else 'self'}/status")
    try:
        for line in where.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        if pid is not None:
            raise
    if pid is not None:
        raise RuntimeError(f"{where}: no VmHWM line")
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
