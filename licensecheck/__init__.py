"""licensecheck: a rule-based licence and constraint checker for AI models.

The library API (documented in licensecheck.api and the README) is available from here:

    import licensecheck

    ctx = licensecheck.load_context()
    report = licensecheck.evaluate(ctx, {"name": "chat", "model": {"id": "llama-3.1-8b-instruct"}})
    print(licensecheck.render(report, "text"), report.worst.value)

The names are imported on first use, so `import licensecheck` itself stays cheap for the CLI.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from licensecheck.api import (
        Context,
        evaluate,
        evaluate_files,
        lint_rules,
        load_context,
        load_waivers,
        render,
        run_pack_tests,
        shortlist,
    )
    from licensecheck.errors import InputError, InputErrors
    from licensecheck.model import Finding, Outcome, Report, Severity, UseCaseReport, Verdict, Waiver

_API = {
    "Context": "licensecheck.api",
    "evaluate": "licensecheck.api",
    "evaluate_files": "licensecheck.api",
    "lint_rules": "licensecheck.api",
    "load_context": "licensecheck.api",
    "load_waivers": "licensecheck.api",
    "render": "licensecheck.api",
    "run_pack_tests": "licensecheck.api",
    "shortlist": "licensecheck.api",
    "InputError": "licensecheck.errors",
    "InputErrors": "licensecheck.errors",
    "Finding": "licensecheck.model",
    "Outcome": "licensecheck.model",
    "Report": "licensecheck.model",
    "Severity": "licensecheck.model",
    "UseCaseReport": "licensecheck.model",
    "Verdict": "licensecheck.model",
    "Waiver": "licensecheck.model",
}
__all__ = [
    "Context",
    "Finding",
    "InputError",
    "InputErrors",
    "Outcome",
    "Report",
    "Severity",
    "UseCaseReport",
    "Verdict",
    "Waiver",
    "__version__",
    "evaluate",
    "evaluate_files",
    "lint_rules",
    "load_context",
    "load_waivers",
    "render",
    "run_pack_tests",
    "shortlist",
]


def __getattr__(name: str) -> Any:
    if name in _API:
        import importlib

        return getattr(importlib.import_module(_API[name]), name)
    raise AttributeError(f"module 'licensecheck' has no attribute '{name}'")
