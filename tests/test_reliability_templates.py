"""User templates run sandboxed, with size, output and time limits."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from click.testing import CliRunner

from digest.cli import main
from digest.render.sandbox import LimitedEnvironment, TemplateLimit, render_limited

from .sample_files import write_sample_config

HOSTILE = {
    "popen": "{{ cycler.__init__.__globals__.os.popen('touch {marker}').read() }}",
    "mro": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "string bomb": "{{ 'x' * 10**10 }}",
    "list bomb": "{{ ([1] * 100000) * 100000 }}",
    "power": "{{ 7 ** 100000000 }}",
    "huge range": "{% for i in range(10**12) %}{% endfor %}",
    "padding": "{{ 'x'.center(10**10) }}",
    "filter padding": "{{ 'x'|center(10**10) }}",
    "format width": "{{ '{:>9999999999}'.format(1) }}",
    "percent width": "{{ '%09999999999d' % 1 }}",
    "star width": "{{ '%*d' % (10**10, 1) }}",
    "doubling": "{% set ns = namespace(s='x') %}{% for i in range(64) %}"
    "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}",
    "join bomb": "{{ (['x' * 900000] * 1000)|join }}",
    "output": "{% for i in range(100000) %}{{ 'x' * 900 }}{% endfor %}",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_template_is_a_template_error_not_a_crash(tmp_path: Path, name: str) -> None:
    marker = tmp_path / "pwned"
    folder = tmp_path / "templates"
    folder.mkdir()
    text = HOSTILE[name].replace("{marker}", str(marker))
    (folder / "push.txt.j2").write_text(f"{{{{ name }}}}\n{text}\n", "utf-8")
    config = write_sample_config(tmp_path, templates=folder)
    result = CliRunner().invoke(main, ["--config", str(config), "check"], catch_exceptions=False)
    assert result.exit_code == 2, result.output
    assert "push.txt.j2" in result.output
    assert not marker.exists()  # before: the shell command ran during `digest check`


def test_the_time_limit_stops_any_loop() -> None:
    env = LimitedEnvironment()
    template = env.from_string(
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    )
    counter = itertools.count()
    with pytest.raises(TemplateLimit, match="longer than 5 s"):
        render_limited(template, {}, seconds=5, clock=lambda: next(counter) * 0.001)


def test_ordinary_templates_still_work() -> None:
    env = LimitedEnvironment()
    template = env.from_string(
        "{{ '{:,}'.format(1234567) }} {{ 'ab' * 3 }} {{ [1, 2] + [3] }} {{ 'a' ~ 'b' }} "
        "{{ '%05d' % 42 }} {{ 'x'|center(5) }}|{{ range(3)|list }} {{ 2 ** 10 }}"
    )
    assert (
        render_limited(template, {}) == "1,234,567 ababab [1, 2, 3] ab 00042   x  |[0, 1, 2] 1024"
    )
