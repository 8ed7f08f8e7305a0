"""The `licensecheck` command's entry point (main), and `python -m licensecheck`."""

import sys

from licensecheck.collector import paused

# The modules a command imports (click's, the CLI's) are some 9,000 tracked objects, kept
# until the process ends: they go to the collector's oldest generation unwalked, instead
# of the young collections their import started (some 5M instructions of a one-file evaluate).
with paused(lasting=True):
    from licensecheck import cli


def main() -> None:
    """The console script: licensecheck.cli.main, then the process ends without freeing its objects.

    At a normal exit Python frees every object one at a time (a 10,000-model shortlist's
    candidates and catalog, every module: some 3% of the run), for a process about to end; as
    mypy does (mypy.util.hard_exit), it ends with os._exit instead, after what a normal exit does
    that anyone can see: the atexit handlers run (coverage, logging, a sitecustomize's) and the
    standard streams are flushed. The exit code is the same; any other case exits normally.
    """
    cli._held = []
    try:
        cli.main()
    except SystemExit as exc:
        _end_unfreed(exc.code)
        raise


def _end_unfreed(code: object) -> None:
    """os._exit(code) once atexit has run and the streams are flushed, or return: a string to
    print, another thread to wait for, an interactive session to enter (python -i), an atexit
    without _run_exitfuncs (not CPython), or a stream that fails to flush, which Python reports
    and exits 120 for."""
    import atexit
    import os
    import threading

    code = 0 if code is None else code
    run_exitfuncs = getattr(atexit, "_run_exitfuncs", None)
    if (
        not isinstance(code, int)
        or not 0 <= code <= 255
        or threading.active_count() > 1
        or sys.flags.inspect
        or os.environ.get("PYTHONINSPECT")
        or run_exitfuncs is None
        or not _flushed()
    ):
        return
    run_exitfuncs()  # and forgets them: a normal exit after this does not run them twice
    if _flushed():  # what the handlers wrote
        os._exit(code)


def _flushed() -> bool:
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):
        return False
    return True


# Guarded: a worker process started by `spawn` (a Dask LocalCluster's) imports this module again.
if __name__ == "__main__":
    main()
