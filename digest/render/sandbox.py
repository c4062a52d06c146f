"""The Jinja2 environment user templates run in: sandboxed, with size and time limits.

A ``render.templates`` folder is written by people who are not developers, and a
template is code: unsandboxed, ``{{ cycler.__init__.__globals__.os.popen('…') }}``
runs a shell command and ``'x' * 10**10`` or ``range(10**12)`` stops the run.  So
every template (ours too) runs in Jinja2's :class:`SandboxedEnvironment` (no
``__dunder__`` attributes, no unsafe methods, ``range`` capped), and on top:

- **sizes**: a string or list made by ``*``, ``+``, ``~``, ``%``, ``**``, a filter or a
  method call may hold at most :data:`MAX_SIZE` characters or items, checked
  before it is made where it could be large at once (``*``, padding widths, format
  specs, joins) and right after otherwise;
- **output**: a render stops at :data:`MAX_OUTPUT` characters;
- **time**: a render stops after :data:`TIME_LIMIT` seconds, whatever loops it runs
  (a tracer looks at the clock on every line of Python run during the render).

Any of these raises :class:`TemplateLimit`, which the renderer reports with the
template's file and line like any other template error.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

import jinja2
from jinja2.compiler import CodeGenerator, Frame
from jinja2.nodes import Concat
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment

#: Characters (or items) any one value a template makes may hold.
MAX_SIZE = 1_000_000
#: Characters one render may produce.
MAX_OUTPUT = 2_000_000
#: Seconds one render may take.
TIME_LIMIT = 5.0
_NUMBER = re.compile(r"\d+")
#: A replacement field with a field inside (``{:>{width}}``): widths from arguments.
_NESTED = re.compile(r"\{[^{}]*\{")


class TemplateLimit(jinja2.TemplateRuntimeError):
    """A template went over a size, output or time limit."""


def _size(value: Any) -> int:
    return len(value) if isinstance(value, str | bytes | list | tuple | dict) else 0


def _check_size(value: Any, what: str) -> Any:
    if _size(value) > MAX_SIZE:
        raise TemplateLimit(f"{what} would make a value over {MAX_SIZE:,} characters")
    return value


#: Calls whose integer arguments are sizes (a width to pad to, a count to make).
_SIZED = frozenset(
    {"center", "ljust", "rjust", "zfill", "expandtabs", "indent", "lipsum", "batch", "slice"}
)


def _asked(name: str, args: Iterable[Any]) -> int:
    """How many characters a call could be asked to make: the integers given to a
    padding or counting call, and the widths and precisions written in a format
    string (``{:>999}``, ``%0999d``; with ``%*d`` the integers too)."""
    total = 0
    values = list(args)
    formats = [a for a in values if isinstance(a, str) and ("%" in a or "{" in a)]
    for text in formats:
        for number in _NUMBER.findall(text):
            total += int(number) if len(number) < 12 else MAX_SIZE + 1
    if name in _SIZED or any("*" in f or _NESTED.search(f) for f in formats):
        total += sum(abs(a) for a in values if isinstance(a, int) and not isinstance(a, bool))
    return total


def _check_call(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    values = [*args, *kwargs.values()]
    if _asked(name, values) > MAX_SIZE:
        raise TemplateLimit(f"{name}() asked for more than {MAX_SIZE:,} characters")
    items = [v for v in values if isinstance(v, list | tuple)]
    if sum(sum(_size(x) for x in v[:MAX_SIZE]) for v in items) > MAX_SIZE:
        raise TemplateLimit(f"{name}() would make a value over {MAX_SIZE:,} characters")


class _CodeGenerator(CodeGenerator):
    """Compiles ``a ~ b`` so that its result is size-checked."""

    def visit_Concat(self, node: Concat, frame: Frame) -> None:
        self.write("environment.checked_concat(")
        super().visit_Concat(node, frame)
        self.write(")")


class LimitedEnvironment(SandboxedEnvironment):
    """A sandbox whose values, output and time are bounded (see the module)."""

    code_generator_class = _CodeGenerator
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters = {name: _limited(name, f) for name, f in self.filters.items()}

    def checked_concat(self, value: Any) -> Any:
        """A ``~`` result, if it is not too big."""
        return _check_size(value, "~")

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        """``*`` and ``**`` checked before, ``+`` and ``%`` after (their results are
        at most the size of what went in, plus the widths ``%`` asks for)."""
        if operator == "*":
            for seq, count in ((left, right), (right, left)):
                if _size(seq) and isinstance(count, int) and _size(seq) * count > MAX_SIZE:
                    raise TemplateLimit(f"'*' would make a value over {MAX_SIZE:,} characters")
        elif operator == "**":
            if isinstance(right, int | float) and abs(right) > 1000:
                raise TemplateLimit("'**' with an exponent over 1000")
            if isinstance(left, int) and left.bit_length() * abs(int(right)) > 100_000:
                raise TemplateLimit("'**' would make a number over 100,000 bits")
        elif operator == "%" and isinstance(left, str):
            _check_call("%", (left, *(right if isinstance(right, tuple) else (right,))), {})
        return _check_size(super().call_binop(context, operator, left, right), operator)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """``str.format`` and ``format_map`` as the sandbox wraps them, with the
        widths they are asked for checked before formatting."""
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        pattern = value.__self__
        inner = wrapped

        def checked(*args: Any, **kwargs: Any) -> str:
            mapping = args[0] if value.__name__ == "format_map" and args else {}
            values = list(mapping.values()) if isinstance(mapping, dict) else []
            _check_call("format", (pattern, *args, *values), kwargs)
            return _check_size(inner(*args, **kwargs), "format()")  # type: ignore[no-any-return]

        return checked

    def call(
        __self,
        __context: Context,
        __obj: Any,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        """Every call a template makes, with its arguments checked first."""
        name = getattr(__obj, "__name__", type(__obj).__name__)
        bound = getattr(__obj, "__self__", None)
        _check_call(name, (bound, *args) if isinstance(bound, str) else args, kwargs)
        return _check_size(super().call(__context, __obj, *args, **kwargs), f"{name}()")


def _limited(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """A filter with its arguments checked before and its result after."""

    def limited(*args: Any, **kwargs: Any) -> Any:
        shown = [a for a in args if not isinstance(a, jinja2.runtime.Context | LimitedEnvironment)]
        _check_call(name, tuple(shown), kwargs)
        return _check_size(function(*args, **kwargs), f"|{name}")

    for attribute in ("jinja_pass_arg", "__name__", "__doc__"):
        if hasattr(function, attribute):
            setattr(limited, attribute, getattr(function, attribute))
    return limited


@contextmanager
def time_limit(seconds: float, clock: Callable[[], float] = time.monotonic) -> Iterator[None]:
    """Raise :class:`TemplateLimit` in the code running in this thread once
    ``seconds`` have passed (checked on every line of Python run meanwhile)."""
    deadline = clock() + seconds
    previous = sys.gettrace()

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        if clock() > deadline:
            raise TemplateLimit(f"rendering took longer than {seconds:g} s")
        return tracer

    sys.settrace(tracer)
    try:
        yield
    finally:
        sys.settrace(previous)


def render_limited(
    template: jinja2.Template,
    context: dict[str, Any],
    *,
    seconds: float = TIME_LIMIT,
    clock: Callable[[], float] = time.monotonic,
) -> str:
    """``template`` rendered within the output and time limits."""
    pieces: list[str] = []
    size = 0
    with time_limit(seconds, clock):
        for piece in template.generate(context):
            size += len(piece)
            if size > MAX_OUTPUT:
                raise TemplateLimit(f"output longer than {MAX_OUTPUT:,} characters")
            pieces.append(piece)
    return "".join(pieces)
