"""A small set of repositories for the inventory tests: git and plain folders, use cases, failures."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from conftest import SAMPLES

AS_OF = "2026-06-01"
RETAIL = (SAMPLES / "retail-support-llama.yaml").read_text(encoding="utf-8")  # allowed with obligations
BLOCKED = (SAMPLES / "social-feed-ranking-llama.yaml").read_text(encoding="utf-8")  # LLAMA31-MAU-700M
LLAMA_8B = (
    'from transformers import AutoModel\nm = AutoModel.from_pretrained("meta-llama/Llama-3.1-8B-Instruct")\n'
)
NOTEBOOK = {
    "cells": [
        {
            "cell_type": "code",
            "metadata": {},
            "source": [
                "import openai\n",
                'openai.OpenAI().chat.completions.create(model="gpt-4o", messages=[])\n',
            ],
            "outputs": [],
            "execution_count": None,
        }
    ],
    "metadata": {},
    "nbformat": 4,
    "nbformat_minor": 5,
}


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def git(folder: Path, *args: str) -> None:
    env = dict(
        os.environ,
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.com",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.com",
        GIT_AUTHOR_DATE="2026-01-01T00:00:00Z",
        GIT_COMMITTER_DATE="2026-01-01T00:00:00Z",
    )
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True, env=env)


def commit_all(folder: Path, message: str = "init") -> None:
    if not (folder / ".git").exists():
        git(folder, "init", "-q", "-b", "main")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", message)


def make_repositories(root: Path) -> Path:
    """Six repositories under `root`/repos; two are git checkouts (so the folder stands for each)."""
    repos = root / "repos"
    api = write(
        repos / "acme-api",
        {
            "app.py": LLAMA_8B
            + 'import anthropic\nanthropic.Anthropic().messages.create(model="claude-3-5-sonnet-20241022", max_tokens=1, messages=[])\n',
            "usecase.yaml": RETAIL,
        },
    )
    commit_all(api)
    feed = write(
        repos / "feed",
        {
            "rank.py": 'from transformers import AutoModel\nAutoModel.from_pretrained("meta-llama/Llama-3.1-70B-Instruct")\n',
            "usecases/feed.yaml": BLOCKED,
        },
    )
    commit_all(feed)
    write(repos / "notebooks", {"explore.ipynb": json.dumps(NOTEBOOK, indent=1)})
    write(
        repos / "broken-usecase",
        {
            "serve.sh": "ollama pull qwen2.5:7b\n",
            "usecases/bad.yaml": "licensecheck: 1\nname: Bad\nmodel: {id: qwen2.5-7b-instruct}\nuse:\n  commercial: maybe\n",
        },
    )
    write(
        repos / "runtime",
        {
            "judge.py": 'import os, anthropic\nanthropic.Anthropic().messages.create(model=os.environ["JUDGE"], max_tokens=1, messages=[])\n'
        },
    )
    write(repos / "empty", {"README.md": "# nothing here\n"})
    return repos
