"""Releases: one version in licensecheck/__init__.py, named by the README's examples and the changelog;
messages name the real distribution."""

from __future__ import annotations

import configparser
import re
import sys

import pytest
from click.testing import CliRunner
from conftest import ROOT

from licensecheck import __version__
from licensecheck.cli import cli

README = (ROOT / "README.md").read_text(encoding="utf-8")
CHANGELOG = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
SETUP = configparser.ConfigParser()
SETUP.read(ROOT / "setup.cfg")
DISTRIBUTION = SETUP["metadata"]["name"]


def test_the_version_lives_in_one_place() -> None:
    assert SETUP["metadata"]["version"] == "attr: licensecheck.__version__"
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)
    result = CliRunner().invoke(cli, ["--version"])
    assert result.output == f"licensecheck, version {__version__}\n"


def test_readme_examples_name_the_current_version() -> None:
    revs = re.findall(r"rev: (v\d[\w.]*)", README)
    uses = re.findall(r"ORG/licensecheck@(v\d[\w.]*)", README)
    assert revs and uses
    assert set(revs) | set(uses) == {f"v{__version__}"}


def test_changelog_has_an_unreleased_section_and_one_for_the_version() -> None:
    headings = re.findall(r"^## \[([^\]]+)\]", CHANGELOG, re.M)
    assert headings[0] == "Unreleased"
    assert __version__ in headings
    assert re.search(rf"^\[{re.escape(__version__)}\]: https://", CHANGELOG, re.M)  # its link
    kinds = set(re.findall(r"^### (\w+)", CHANGELOG, re.M))
    assert kinds <= {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}
    unreleased = CHANGELOG[CHANGELOG.index("## [Unreleased]") : CHANGELOG.index(f"## [{__version__}]")]
    assert "### Security" in unreleased  # the fixes of issue 11, on main, not in 0.1.0


def test_readme_says_how_to_release() -> None:
    section = README[README.index("## Releases") : README.index("## Development")]
    for step in ("licensecheck/__init__.py", "CHANGELOG.md", "git tag -a vX.Y.Z", "The first release"):
        assert step in section


def test_every_hub_hint_names_the_real_distribution() -> None:
    assert "hub" in SETUP["options.extras_require"]
    sources = [*ROOT.glob("licensecheck/**/*.py"), ROOT / "README.md", ROOT / "CHANGELOG.md"]
    hints = [m for path in sources for m in re.findall(r"([\w.-]+)\[hub\]", path.read_text(encoding="utf-8"))]
    assert hints and set(hints) == {DISTRIBUTION}


def test_the_hub_error_names_the_real_distribution(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "huggingface_hub", None)  # the extra is not installed
    from licensecheck.errors import InputError
    from licensecheck.hfmodel import download_hub_folder

    with pytest.raises(InputError) as raised:
        download_hub_folder("acme/some-model")
    assert f"pip install '{DISTRIBUTION}[hub]'" in str(raised.value.hint)
