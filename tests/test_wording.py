"""Words in reports and docs: "licence" in prose, "1 obligation" not "1 obligations", the README's example output as printed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SAMPLES

from licensecheck.cli import cli
from licensecheck.text import plural

AS_OF = "2025-09-01"  # after every model ONE_OF_EACH names was released (gpt-oss: 2025-08-05)
PROSE_FORMATS = ("text", "markdown", "html", "github")


def render(fmt: str, *paths: str | Path) -> str:
    args = ["evaluate", "--format", fmt, "--fail-on", "never", "--as-of", AS_OF, "--", *map(str, paths)]
    result = CliRunner().invoke(cli, args, catch_exceptions=False, env={"NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    return result.output


def american_nouns(text: str) -> list[str]:
    """'license' used as an English noun: not a key (`license:`, `license_name`), an id, a URL,
    code, a verbatim quote of a licence, or part of a proper name ("Llama 3.1 Community License
    Agreement")."""
    text = re.sub(r"```.*?```|`[^`\n]*`|<code>.*?</code>|https?://[^\s\"'<>)]+", " ", text, flags=re.S)
    # a licence's own words, quoted verbatim, keep its spelling ("request a license from Meta")
    text = re.sub(r"<blockquote.*?</blockquote>", " ", text, flags=re.S)
    text = re.sub(r"^\s*(quote: |> ).*$", " ", text, flags=re.M)
    text = re.sub(r"<[^>]*>", " ", text)  # HTML tags: their attributes are not prose
    found = []
    for match in re.finditer(r"\b[Ll]icenses?\b", text):
        before, after = text[: match.start()], text[match.end() :]
        if re.match(r"[:_=\-]|\s*[:=]", after) or re.search(r"[._\-/\"'{]$", before):
            continue  # a key, an option or an id
        previous = re.search(r"(\S+)\s+$", before)
        if match.group(0)[0] == "L" and previous and previous.group(1)[0].isupper():
            continue  # a proper name: "Community License", "AI Community License"
        found.append(text[max(0, match.start() - 40) : match.end() + 20].replace("\n", " "))
    return found


@pytest.mark.parametrize("fmt", PROSE_FORMATS)
def test_reports_spell_licence_in_prose(fmt: str) -> None:
    assert american_nouns(render(fmt, SAMPLES)) == []


@pytest.mark.parametrize("doc", ["README.md", "rules/README.md", "templates/README.md", "CHANGELOG.md"])
def test_docs_spell_licence_in_prose(doc: str) -> None:
    assert american_nouns((ROOT / doc).read_text(encoding="utf-8")) == []


def test_catalog_notes_spell_licence_in_prose() -> None:
    """`models show` prints each model's notes; quotations from licensors keep their spelling."""
    found = []
    listed = json.loads(CliRunner().invoke(cli, ["models", "list", "--format", "json"]).output)
    assert len(listed["models"]) >= 40
    for model in (m["id"] for m in listed["models"]):
        shown = CliRunner().invoke(cli, ["models", "show", model], catch_exceptions=False).output
        # quotations: "..." and '...' (not an apostrophe: a quote mark has no letter before it)
        notes = re.sub(r'"[^"]*"|(?<!\w)\'[^\']*\'(?!\w)', " ", shown.split("notes:", 1)[-1])
        found += [f"{model}: {hit}" for hit in american_nouns(notes)]
    assert found == []


def test_the_check_finds_an_american_noun() -> None:
    assert american_nouns("<title>License compliance report</title> the license terms") != []
    assert american_nouns("`license: llama3.1`, license_name, --license ID, Community License") == []


def test_html_title_and_heading_say_licence() -> None:
    page = render("html", SAMPLES / "retail-support-llama.yaml")
    assert (
        "<title>Licence compliance report: ALLOWED WITH OBLIGATIONS: Retail support assistant</title>" in page
    )
    assert "<h1>Licence compliance report</h1>" in page


def test_plural() -> None:
    assert plural(0, "obligation") == "0 obligations"
    assert plural(1, "obligation") == "1 obligation"
    assert plural(2, "needs review", "needs review") == "2 needs review"


# one violation and four obligations; one review and one obligation; two obligations and one note
ONE_OF_EACH = [
    SAMPLES / "social-feed-ranking-llama.yaml",
    SAMPLES / "internal-code-review-llama.yaml",
    SAMPLES / "on-device-notes-gpt-oss.yaml",
]


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_one_is_singular(fmt: str) -> None:
    out = render(fmt, *ONE_OF_EACH)
    assert not re.search(r"\b1 (violations|obligations|notes|use cases|waivers)\b", out), re.findall(
        r".{30}\b1 (?:violations|obligations|notes)\b", out
    )
    assert re.search(r"\b1 violation\b", out) and re.search(r"\b1 obligation\b", out)
    assert re.search(r"\b2 obligations\b", out)


def test_text_counts_line() -> None:
    out = render("text", *ONE_OF_EACH)
    assert "  1 violation, 0 needs review, 4 obligations, 0 notes\n" in out
    assert "  0 violations, 1 needs review, 1 obligation, 0 notes\n" in out
    assert "  0 violations, 0 needs review, 2 obligations, 1 note\n" in out


def test_readme_example_output_is_what_licensecheck_prints(monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## What a report looks like") :]
    block = section[section.index("```\n") + 4 : section.index("\n```", section.index("```\n") + 4)]
    command, expected = block.split("\n", 1)
    assert command.startswith("$ licensecheck ")
    monkeypatch.chdir(ROOT)
    args = command.removeprefix("$ licensecheck ").split()
    result = CliRunner().invoke(cli, args, catch_exceptions=False, env={"NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    assert result.output == expected + "\n"
