"""--template renders in a sandbox: a template reaching for Python internals or huge sizes is refused.

Issue 11, "code execution": on 4307383 `{{ cycler.__init__.__globals__.os.popen('id').read() }}`
ran. Each hostile template here must exit 2 with `template:line:` and run nothing (a marker file
a successful payload would create stays absent) and write nothing (the previous report stays).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import SAMPLES

from licensecheck.cli import cli
from licensecheck.formats import sandbox

USECASE = SAMPLES / "retail-support-llama.yaml"

PAYLOADS = [
    "{{ cycler.__init__.__globals__.os.popen('touch MARKER').read() }}",
    "{{ joiner.__init__.__globals__['os'].system('touch MARKER') }}",
    "{{ namespace.__init__.__globals__.os.system('touch MARKER') }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ ''['__class__'] }}",
    "{{ usecases|attr('__class__') }}",
    "{{ self.__init__.__globals__ }}",
    "{{ worst.__class__.__base__.__subclasses__() }}",
    "{{ (usecases|first).__class__ }}",
    "{{ usecases.pop() }}",
    "{{ tally.update({'x': 1}) }}",
    "{{ range(10**9)|list|length }}",
    "{{ 'x' * 10**9 }}",
    "{{ [1, 2] * 10**8 }}",
    "{{ 2 ** 10000000 }}",
    "{% set ns = namespace(x=3) %}{% for i in range(64) %}{% set ns.x = ns.x * ns.x %}{% endfor %}",
    "{{ '%0999999999d' % 1 }}",
    "{{ '%*d' % (999999999, 1) }}",
    "{{ '%0999999999d'|format(1) }}",
    "{{ '{:>999999999}'.format(1) }}",
    "{{ '{:>{w}}'.format(1, w=999999999) }}",
    "{{ 'x'|center(999999999) }}",
    "{{ 'x'|indent(width=999999999, first=true) }}",
    "{{ 'x'.ljust(999999999) }}",
    "{{ 'x'.zfill(999999999) }}",
    "{{ 'a'.expandtabs(999999999) }}",
    "{{ worst|wordwrap(999999999) }}",
    "{{ usecases|batch(999999999)|list }}",
    "{{ '{0.__class__.__mro__}'.format(worst) }}",
    "{{ '%s'|format(worst.__class__) }}",
    "{{ usecases|selectattr('__class__')|list }}",
    "{{ dict(a=1).__class__ }}",
    "{{ loop.__class__ if loop is defined else worst.__len__ }}",
    # red team: a mapping key before the width hid it from the % check
    "{{ '%(a)999999999d'|format(a=1) }}",
    "{{ '%(a)999999999d' % {'a': 1} }}",
    "{{ '%(a).999999999f' % {'a': 1.0} }}",
]


def render(template: Path, *extra: str) -> Result:
    return CliRunner().invoke(
        cli,
        ["evaluate", str(USECASE), "--template", str(template), "--as-of", "2026-11-27", *extra],
        catch_exceptions=False,
    )


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_hostile_template_is_refused_located_and_runs_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, payload: str
) -> None:
    monkeypatch.chdir(tmp_path)
    template = tmp_path / "t.html.j2"
    template.write_text(f"<p>{{{{ worst }}}}</p>\n{payload}\n", encoding="utf-8")
    previous = tmp_path / "report.html"
    previous.write_text("previous", encoding="utf-8")
    result = render(template, "--output", str(previous))
    assert result.exit_code == 2, result.stdout + result.stderr
    assert result.stderr.startswith(f"{template}:2:"), result.stderr
    assert "error: template refused: " in result.stderr
    assert "help: templates run in a sandbox" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "MARKER").exists()
    assert previous.read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html", "t.html.j2"]


def test_lipsum_is_not_offered(tmp_path: Path) -> None:
    template = tmp_path / "t.j2"
    template.write_text("{{ lipsum(n=10**6) }}\n", encoding="utf-8")
    result = render(template)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{template}:1:1: error: template error: 'lipsum' is undefined")


@pytest.mark.parametrize(
    ("include", "why"),
    [("/etc/hostname", ""), ("../outside.j2", ""), ("leak.j2", "(it leads out of the template's folder)")],
)
def test_a_template_includes_only_files_inside_its_own_folder(tmp_path: Path, include: str, why: str) -> None:
    (tmp_path / "outside.j2").write_text("SECRET\n", encoding="utf-8")
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "leak.j2").symlink_to(tmp_path / "outside.j2")
    template = folder / "t.j2"
    template.write_text(f"ok\n{{% include '{include}' %}}\n", encoding="utf-8")
    result = render(template)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{template}:2:1: error: template not found: "), result.stderr
    assert why in result.stderr and "SECRET" not in result.stdout + result.stderr


def test_a_template_stops_past_its_cpu_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sandbox, "CPU_SECONDS", 0.2)
    template = tmp_path / "t.j2"
    template.write_text(
        "ok\n{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n",
        encoding="utf-8",
    )
    result = render(template)
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"{template}:2:1: error: template refused: it used more than 0.2 s of CPU"
    )


def test_a_template_stops_past_its_output_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sandbox, "OUTPUT_LIMIT", 10_000)
    template = tmp_path / "t.j2"
    template.write_text("{% for i in range(1000) %}{{ 'x' * 100 }}{% endfor %}\n", encoding="utf-8")
    result = render(template)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{template}: error: template refused: its output is larger than 10,000")


@pytest.mark.parametrize(
    "body",
    [
        "{% set s = 'x' * 1000000 %}{{ s.replace('x', s)|length }}",
        "{% set s = 'x' * 1000000 %}{{ (range(2000)|map('string')|join(s))|length }}",
        "{{ ('\\t' * 100000).expandtabs(100000)|length }}",
        # red team: Jinja folds a filter with literal arguments while compiling the template,
        # which ran outside the budgets (1 GB here, 10 GB with 'y' * 100000)
        "{{ ('y' * 10000)|replace('y', 'z' * 100000)|length }}",
    ],
)
def test_a_template_stops_past_its_memory_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str
) -> None:
    monkeypatch.setattr(sandbox, "MEMORY_BYTES", 256 * 1024 * 1024)
    template = tmp_path / "t.j2"
    template.write_text(f"ok\n{body}\n", encoding="utf-8")
    result = render(template)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{template}:2:1: error: template refused: it needs more than 256 MB"), (
        result.stderr
    )


def test_an_ordinary_template_with_formatting_filters_and_loops_still_renders(tmp_path: Path) -> None:
    template = tmp_path / "t.md"
    template.write_text(
        "{{ worst_label }} {{ '{:,}'.format(2000000) }} {{ '%05d' % 42 }} {{ 2 ** 10 }} {{ 'ab' * 3 }}\n"
        "{% for uc in usecases %}{{ loop.index }}. {{ uc.name|upper|center(40) }} {{ uc.file|truncate(80) }}\n"
        "{% for f in uc.obligations %}- {{ f.rule }}{% endfor %}{% endfor %}{{ range(3)|join(',') }}\n",
        encoding="utf-8",
    )
    result = render(template)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("ALLOWED WITH OBLIGATIONS 2,000,000 00042 1024 ababab\n1. ")
    assert "- LLAMA31-BUILT-WITH-LLAMA" in result.stdout and result.stdout.endswith("0,1,2\n")


def test_the_bundled_template_renders_in_the_sandbox() -> None:
    from licensecheck.formats import html

    env = html._environment(html.templates_dir())
    assert env.sandboxed
    result = CliRunner().invoke(cli, ["evaluate", str(USECASE), "--format", "html", "--as-of", "2026-11-27"])
    assert result.exit_code == 0 and "<!DOCTYPE html>" in result.stdout[:200]
