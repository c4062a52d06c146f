"""A short German story shared by the page reader's headline tests: a lead and a
second paragraph, and the time the page was saved."""

from __future__ import annotations

from datetime import UTC, datetime

SAVED = datetime(2024, 5, 3, 18, 0, tzinfo=UTC)
LEAD = (
    "Der Stadtrat hat am Dienstag beschlossen, die alte Brücke für Autos zu sperren, "
    "nachdem Ingenieure tiefe Risse in zwei ihrer Pfeiler gefunden hatten."
)
MORE = (
    "Die Arbeiten an einer neuen Brücke sollen im Mai beginnen und zwei Jahre dauern, "
    "teilte die Stadt mit. Bis dahin müssen Autofahrer die Umgehungsstraße nehmen."
)
