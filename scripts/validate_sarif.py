"""Check SARIF files with Microsoft's SARIF Multitool against GitHub's ingestion rules (rule kind Gh).

Usage, from the repository root (.ci/run installs the tool from npm):

    npm install --prefix DIR @microsoft/sarif-multitool
    python scripts/validate_sarif.py --multitool DIR/node_modules/.bin/sarif-multitool FILE.sarif...

The Multitool exits 0 even when rules fail, so its own SARIF log is read instead: every result in
it is printed as `file: RULE level: message` and makes this script exit 1; a file the tool could
not analyse (a tool execution notification, or no log written) counts as a failure too.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

# GitHub's rules only: the "Sarif" kind holds style advice (e.g. SARIF2005 informationUri) that
# GitHub does not require; --rule-kind Gh;Sarif shows it
RULE_KIND = "Gh"


def message_of(result: dict[str, Any], rules: dict[str, dict[str, Any]]) -> str:
    """A result's message: its text, or the rule's message string filled with its arguments."""
    message = result.get("message", {})
    if "text" in message:
        return str(message["text"])
    template = rules.get(result.get("ruleId", ""), {}).get("messageStrings", {}).get(message.get("id"), {})
    text = str(template.get("text", message.get("id", "")))
    for i, argument in enumerate(message.get("arguments", [])):
        text = text.replace("{" + str(i) + "}", str(argument))
    return text


def validate(multitool: str, sarif: Path, rule_kind: str = RULE_KIND) -> list[str]:
    """The problems the Multitool finds in `sarif`, one line each; empty when it passes."""
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "validation.sarif"
        done = subprocess.run(
            [multitool, "validate", str(sarif), "--rule-kind", rule_kind, "--output", str(log)],
            capture_output=True,
            text=True,
            timeout=600,
        )
        if not log.is_file():
            return [
                f"{sarif}: the Multitool wrote no log (exit {done.returncode}): {done.stdout}{done.stderr}"
            ]
        data = json.loads(log.read_text(encoding="utf-8"))
    problems = []
    for run in data.get("runs", []):
        rules = {r["id"]: r for r in run.get("tool", {}).get("driver", {}).get("rules", [])}
        for result in run.get("results", []):
            level = result.get("level", "warning")
            problems.append(f"{sarif}: {result.get('ruleId')} {level}: {message_of(result, rules)}")
        for invocation in run.get("invocations", []):
            for note in invocation.get("toolExecutionNotifications", []):
                problems.append(f"{sarif}: tool: {note.get('message', {}).get('text', note)}")
            if invocation.get("executionSuccessful") is False:
                problems.append(f"{sarif}: the Multitool did not complete")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--multitool", required=True, help="the sarif-multitool command")
    parser.add_argument("--rule-kind", default=RULE_KIND, help="rule kinds, e.g. Gh or 'Gh;Sarif'")
    parser.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args(argv)
    problems = [line for file in args.files for line in validate(args.multitool, file, args.rule_kind)]
    for line in problems:
        print(line)
    if not problems:
        print(f"SARIF Multitool ({args.rule_kind} rules): {len(args.files)} file(s), no problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
