"""The code's shape: small classes, one application API."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "digest"
#: No class in digest/ is longer than this (lines, docstring included).
MAX_CLASS_LINES = 300


def class_sizes() -> dict[str, int]:
    """``{"module.py:Class": lines}`` for every class in the package."""
    sizes = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and node.end_lineno is not None:
                name = f"{path.relative_to(PACKAGE)}:{node.name}"
                sizes[name] = node.end_lineno - node.lineno + 1
    return sizes


def test_no_class_is_over_300_lines() -> None:
    too_long = {n: size for n, size in class_sizes().items() if size > MAX_CLASS_LINES}
    assert too_long == {}


#: The application's callers: they use Digest's methods, never the store below it.
CALLERS = ("cli", "scheduler.py", "preview", "web", "queue")


def test_callers_use_the_application_not_the_store() -> None:
    reaching = []
    for caller in CALLERS:
        paths = [PACKAGE / caller] if caller.endswith(".py") else (PACKAGE / caller).rglob("*.py")
        for path in paths:
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Attribute) and node.attr == "store":
                    reaching.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
                if isinstance(node, ast.ImportFrom) and node.names:
                    names = {alias.name for alias in node.names}
                    if (node.module or "").endswith("store") and "open_store" in names:
                        reaching.append(f"{path.relative_to(PACKAGE)}:{node.lineno} open_store")
    assert reaching == []
