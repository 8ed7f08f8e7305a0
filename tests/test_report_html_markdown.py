"""The HTML and Markdown reports: content, escaping of untrusted text, size limit, and broken templates."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from conftest import GOLDEN, SAMPLES, check_golden, run_cli

AS_OF = "2025-06-01"
HOSTILE_PURPOSE = '<script>alert(1)</script> "><img src=x onerror=alert(1)> [click](javascript:alert(1)) ![i](https://evil.example/i.png)'


def hostile_usecase(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.yaml"
    path.write_text(
        "licensecheck: 1\n"
        "name: '<script>alert(1)</script> | x'\n"
        "description: '\"><img src=x onerror=alert(1)>'\n"
        "organization: {name: 'Evil | Corp *bold*', type: company, country: US}\n"
        "model: {id: llama-3.1-8b-instruct, modification: none}\n"
        "use:\n"
        "  commercial: true\n"
        f"  purpose: '{HOSTILE_PURPOSE}'\n"
        "  distribution: hosted-service\n",
        encoding="utf-8",
    )
    return path


def evaluate(*args: str) -> str:
    result = run_cli("evaluate", *args, "--as-of", AS_OF, "--fail-on", "never")
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_html_report_is_self_contained_with_a_strict_csp() -> None:
    page = evaluate(str(SAMPLES), "--format", "html")
    csp = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    assert f'<meta http-equiv="Content-Security-Policy" content="{csp}">' in page
    assert "<script" not in page
    assert not re.search(r"<(link|img|iframe|object)\b", page)
    assert not re.search(r"\bsrc=", page)
    assert "@import" not in page and "url(" not in page


def test_html_report_opens_with_an_executive_summary() -> None:
    page = evaluate(str(SAMPLES / "social-feed-ranking-llama.yaml"), "--format", "html")
    summary = page[page.index('<section class="summary"') : page.index("<main>")]
    assert '<p class="overall-verdict">BLOCKED</p>' in summary
    assert "<strong>1</strong> blocked" in summary and "<strong>0</strong> needs review" in summary
    before = summary[summary.index("Before sign-off") :]
    steps = [
        "is <strong>blocked</strong>",
        "LLAMA31-MAU-700M",
        "obligations of the checklist",
        "signs the sign-off",
    ]
    positions = [before.find(step) for step in steps]
    assert -1 not in positions and positions == sorted(positions), positions
    assert "<title>Licence compliance report: BLOCKED: Social feed summaries</title>" in page


def test_html_report_lists_use_cases_most_urgent_first() -> None:
    page = evaluate(str(SAMPLES), "--format", "html")
    sections = re.findall(r'<section class="usecase" id="([^"]+)"', page)
    # On AS_OF (2025-06-01) gpt-oss (2025-08-05) and Ministral 3 (2025-12-02) are not yet released:
    # their use cases need review (CONSTRAINT-NOT-RELEASED), never an allowed verdict.
    assert sections == [
        "social-feed-ranking-llama",  # blocked
        "internal-code-review-llama",  # needs review, in file order
        "on-device-notes-gpt-oss",
        "select-gpus-or-api",
        "select-support-chat",
        "retail-support-llama",  # allowed with obligations
    ]
    toc = page[page.index('<nav aria-labelledby="toc-title">') : page.index("</nav>")]
    assert re.findall(r'<a href="#([^"]+)"', toc) == sections
    assert "1 violation, 4 obligations" in toc and "1 to review, 1 obligation" in toc


def test_html_report_has_every_section_in_order_for_each_usecase() -> None:
    whole = evaluate(str(SAMPLES / "social-feed-ranking-llama.yaml"), "--format", "html")
    page = whole[whole.index('<section class="usecase"') :]
    order = [
        "Verdict: BLOCKED",
        "The use case",
        "Hyperscale Social Inc.",
        "The model",
        "Basics of the model",
        "Violations (1)",
        "LLAMA31-MAU-700M",
        "Needs review (0)",
        "Obligations checklist (4)",  # Built with Llama, acceptance of the gated terms, AUP 4 and 3.e duties
        "Built with Llama",
        "Waivers (0)",
        "Rule packs used",
        "Sign-off",
        "Not legal advice",
    ]
    positions = [page.find(marker) for marker in order]
    assert -1 not in positions, [m for m, p in zip(order, positions) if p == -1]
    assert positions == sorted(positions)
    assert 'id="social-feed-ranking-llama-LLAMA31-MAU-700M"' in page
    assert (
        'href="https://github.com/meta-llama/llama-models/blob/a9c89c471f793423afd4cc3ca8671d6e56fe64cb/models/llama3_1/LICENSE"'
        in page
    )
    assert "2,100,000,000" in page  # evidence value, formatted for a reader
    assert re.search(r"[0-9a-f]{64}", page)  # the pack's sha256


def test_html_report_for_several_usecases_has_a_table_of_contents() -> None:
    page = evaluate(str(SAMPLES), "--format", "html")
    toc = page[page.index('<nav aria-labelledby="toc-title">') : page.index("</nav>")]
    for sample in sorted(SAMPLES.glob("*.yaml")):
        assert f'href="#{sample.stem}"' in toc
        assert f'id="{sample.stem}"' in page
    assert page.count("<h1>") == 1


def test_html_report_is_deterministic() -> None:
    first = evaluate(str(SAMPLES), "--format", "html")
    assert first == evaluate(str(SAMPLES), "--format", "html")
    assert AS_OF in first
    # no run timestamp: only the injected as-of date (and the dates packs record their texts were read)
    undated = re.sub(r"text read [0-9]{4}-[0-9]{2}-[0-9]{2}", "text read", first)
    assert dt.date.today().isoformat() not in undated


def test_expired_waiver_is_shown_as_expired(tmp_path: Path) -> None:
    usecase = tmp_path / "waived.yaml"
    source = (SAMPLES / "social-feed-ranking-llama.yaml").read_text(encoding="utf-8")
    usecase.write_text(
        source
        + "waivers:\n"
        + "  - {rule: LLAMA31-MAU-700M, reason: Licence negotiated with Meta, approved_by: legal@x.example, expires: 2025-01-31}\n",
        encoding="utf-8",
    )
    page = evaluate(str(usecase), "--format", "html")
    waivers = page[page.index("Waivers (1)") : page.index("Rule packs used")]
    assert "Licence negotiated with Meta" in waivers and "legal@x.example" in waivers
    assert "EXPIRED" in waivers and "2025-01-31" in waivers
    assert "Verdict: BLOCKED" in page


def rendered_markdown(text: str) -> str:
    """Markdown as a CommonMark parser with GitHub's tables and strikethrough renders it (raw HTML
    passes through, as on GitHub before its sanitiser)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(text)


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_untrusted_text_is_shown_as_text(tmp_path: Path, fmt: str) -> None:
    out = evaluate(str(hostile_usecase(tmp_path)), "--format", fmt)
    page = out if fmt == "html" else rendered_markdown(out)
    assert "<script" not in page
    assert "<img" not in page
    assert "onerror=alert(1)>" not in page
    assert 'href="javascript' not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    if fmt == "html":
        assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in out
    else:
        # shown as typed: link and image syntax, emphasis and a | that would split a table cell; a bare
        # web address keeps its `:` in a code element, so GitHub does not autolink it either
        assert "[click](javascript:alert(1)) ![i](https<code>:</code>//evil.example/i.png)" in page
        assert "evil.example" not in "".join(re.findall(r'href="[^"]*"', page))
        assert "organisation: Evil | Corp *bold*;" in page
        (row,) = [r for r in re.findall(r"<tr>\n(.*?)</tr>", page, re.DOTALL) if "alert(1)" in r]
        assert row.count("<td") == 7, row
        assert "<em>" not in page and "javascript" not in re.sub(r"\[click\]\(javascript", "", page)
        # and written with backslashes, not entities that show in e-mail notifications
        assert "Evil \\| Corp \\*bold\\*" in out and "&#" not in out


def test_markdown_shows_plain_text_without_entities(tmp_path: Path) -> None:
    """Apostrophes, parentheses and snake_case need no escape in Markdown: none is written."""
    path = tmp_path / "plain.yaml"
    path.write_text(
        "name: Support bot (the team's first)\n"
        'organization: {name: "O\'Brien & Sons (UK)", type: company, country: GB, monthly_active_users: 10}\n'
        "model: {id: llama-3.1-8b-instruct, modification: none}\n"
        "use: {commercial: true, distribution: hosted-service, end_users: public,"
        ' purpose: "Answer customers\' questions about snake_case_names (and more)!"}\n',
        encoding="utf-8",
    )
    out = evaluate(str(path), "--format", "markdown")
    assert not re.search(r"&#[0-9]+;|&#x", out), re.findall(r".{20}&#[0-9]+;.{20}", out)
    assert "Support bot (the team's first)" in out
    assert "O'Brien & Sons (UK)" in out
    assert "Answer customers' questions about snake_case_names (and more)!" in out
    page = rendered_markdown(out)
    assert "Answer customers&#x27; questions about snake_case_names (and more)!" in page or (
        "Answer customers' questions about snake_case_names (and more)!" in page
    )


def test_markdown_golden_for_the_samples(update_golden: bool) -> None:
    out = evaluate("samples", "--format", "markdown")  # relative: the golden file must not name this checkout
    check_golden(GOLDEN / "markdown" / "samples.md", out, update_golden)


def test_markdown_puts_the_verdict_table_first_and_details_collapsed() -> None:
    out = evaluate(str(SAMPLES), "--format", "markdown")
    assert out.startswith("## ✖ licensecheck: BLOCKED\n\n| Verdict |")
    assert out.index("| Verdict |") < out.index("<details>")
    assert out.count("<details>") == out.count("</details>") == len(list(SAMPLES.glob("*.yaml")))
    assert '- [ ] **Display "Built with Llama"**' in out
    assert "Not legal advice" in out


def _big_report(tmp_path: Path, count: int) -> Path:
    folder = tmp_path / "many"
    folder.mkdir()
    template = (SAMPLES / "social-feed-ranking-llama.yaml").read_text(encoding="utf-8")
    for i in range(count):
        (folder / f"case-{i:03}.yaml").write_text(
            template.replace("Social feed summaries", f"Social feed summaries {i:03} " + "x" * 150),
            encoding="utf-8",
        )
    return folder


def test_markdown_stays_within_the_limit_and_drops_whole_elements(tmp_path: Path) -> None:
    from licensecheck.api import evaluate_files, load_context
    from licensecheck.formats.markdown import GITHUB_COMMENT_LIMIT, render_markdown

    folder = _big_report(tmp_path, 80)
    report = evaluate_files(load_context(), [folder], as_of=AS_OF)
    full = render_markdown(report, limit=10**9)
    assert len(full) > GITHUB_COMMENT_LIMIT  # the test needs a report that is really too big
    out = render_markdown(report)
    assert len(out) <= GITHUB_COMMENT_LIMIT
    assert "left out to stay within GitHub's comment size limit" in out
    assert out.count("<details>") == out.count("</details>")
    assert out.endswith(
        "Not legal advice: a checking aid that says needs review where facts are unclear.</sub>\n"
    )
    # every kept line is a whole line of the full report: nothing cut mid-element
    full_lines = set(full.splitlines())
    notes = [line for line in out.splitlines() if line not in full_lines]
    assert all("left out" in line for line in notes), notes


def test_markdown_truncates_inside_a_usecase_at_element_boundaries(tmp_path: Path) -> None:
    from licensecheck.api import evaluate_files, load_context
    from licensecheck.formats.markdown import render_markdown

    report = evaluate_files(load_context(), [SAMPLES], as_of=AS_OF)
    full = render_markdown(report, limit=10**9)
    for limit in (1500, 2500, 4000):
        out = render_markdown(report, limit=limit)
        assert len(out) <= limit
        assert out.count("<details>") == out.count("</details>")
        assert "left out" in out
        full_lines = set(full.splitlines())
        assert all(line in full_lines or "left out" in line for line in out.splitlines())


def test_own_template_receives_the_report_data(tmp_path: Path) -> None:
    template = tmp_path / "summary.txt.j2"
    template.write_text(
        "{% for uc in usecases %}{{ uc.name }}: {{ uc.verdict }} ({{ uc.model.license }})"
        "{% for f in uc.obligations %} [{{ f.rule }}: {{ f.text }}]{% endfor +%}\n{% endfor %}"
        "as of {{ as_of }}, worst {{ worst }}\n",
        encoding="utf-8",
    )
    out = evaluate(str(SAMPLES / "retail-support-llama.yaml"), "--template", str(template))
    assert out == (
        "Retail support assistant: allowed-with-obligations (llama3.1) [LLAMA31-AUP-DISCLOSE-DANGERS: None]"
        " [LLAMA31-AUP-HUMAN-GENERATED: None] [LLAMA31-BUILT-WITH-LLAMA: Built with Llama]\n"
        f"as of {AS_OF}, worst allowed-with-obligations\n"
    )


def test_own_html_template_is_autoescaped(tmp_path: Path) -> None:
    template = tmp_path / "mine.html"
    template.write_text("<p>{{ usecases[0].name }}</p>", encoding="utf-8")
    out = evaluate(str(hostile_usecase(tmp_path)), "--template", str(template))
    assert out == "<p>&lt;script&gt;alert(1)&lt;/script&gt; | x</p>"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "line one\n{% for uc in usecases %}\n{{ uc.name }\n{% endfor %}\n",
            r"broken\.html\.j2:3:1: error: template syntax error: ",
        ),
        (
            "one\ntwo\n{{ usecases[0].no_such_field }}\n",
            r"broken\.html\.j2:3:1: error: template error: .*no_such_field",
        ),
        (
            "{{ undefined_name }}\n",
            r"broken\.html\.j2:1:1: error: template error: 'undefined_name' is undefined",
        ),
        (
            "\n{% include 'missing.html' %}\n",
            r"broken\.html\.j2:2:1: error: template not found: missing\.html",
        ),
        ("\n\n{{ 1 // 0 }}\n", r"broken\.html\.j2:3:1: error: template error: ZeroDivisionError"),
    ],
)
def test_broken_template_is_an_input_error(tmp_path: Path, body: str, expected: str) -> None:
    template = tmp_path / "broken.html.j2"
    template.write_text(body, encoding="utf-8")
    output = tmp_path / "report.html"
    result = run_cli(
        "evaluate",
        str(SAMPLES / "retail-support-llama.yaml"),
        "--template",
        str(template),
        "--output",
        str(output),
    )
    assert result.returncode == 2
    assert re.search(expected, result.stderr), result.stderr
    assert "help: " in result.stderr
    assert "Traceback" not in result.stderr
    assert not output.exists()


def test_missing_template_is_an_input_error(tmp_path: Path) -> None:
    result = run_cli(
        "evaluate", str(SAMPLES / "retail-support-llama.yaml"), "--template", str(tmp_path / "nope.j2")
    )
    assert result.returncode == 2
    assert "nope.j2: error: template not found" in result.stderr
    assert result.stdout == ""


def test_template_with_another_format_is_a_usage_error(tmp_path: Path) -> None:
    template = tmp_path / "t.html"
    template.write_text("x", encoding="utf-8")
    result = run_cli("evaluate", str(SAMPLES), "--format", "json", "--template", str(template))
    assert result.returncode == 2
    assert "--template" in result.stderr and "--format json" in result.stderr


def test_lineage_ids_reach_html_markdown_and_templates(tmp_path: Path) -> None:
    """Each link of the chain shows its model id (the view once read a field named `id`: all empty)."""
    from licensecheck.api import evaluate_files, load_context
    from licensecheck.formats import html as html_format
    from licensecheck.formats.markdown import render_markdown
    from licensecheck.formats.view import report_view

    usecase = tmp_path / "merged.yaml"
    usecase.write_text(
        "name: merged\nmodel:\n  id: acme/merged\n  name: Merged\n  license: apache-2.0\n"
        "  base_models: [llama-3.1-8b-instruct, phi-3-mini-4k-instruct]\n",
        encoding="utf-8",
    )
    report = evaluate_files(load_context(), [usecase], as_of=AS_OF)
    links = report_view(report)["usecases"][0]["lineage"]
    assert [(link["id"], link["relation"]) for link in links] == [
        ("acme/merged", ""),
        ("llama-3.1-8b-instruct", "merge"),
        ("phi-3-mini-4k-instruct", "merge"),
    ]
    page = html_format.HtmlFormat().render(report)
    lineage = page[page.index("Lineage:") : page.index("</table>", page.index("Lineage:"))]
    assert "<code>llama-3.1-8b-instruct</code>" in lineage and "<code>acme/merged</code>" in lineage
    assert "llama3.1" in lineage and "merge" in lineage
    markdown = render_markdown(report)
    assert "Lineage: Merged (<code>apache-2.0</code>)" in markdown


def test_formats_are_registered_for_the_cli() -> None:
    from licensecheck import cli, formats

    choices = next(p for p in cli.evaluate.params if p.name == "fmt").type.choices  # type: ignore[attr-defined]
    assert list(choices) == list(formats.REPORT_FORMATS)
    assert {"html", "markdown"} <= set(formats.REPORT_FORMATS)
    for name in formats.REPORT_FORMATS:
        assert name == formats.report_format(name).name
