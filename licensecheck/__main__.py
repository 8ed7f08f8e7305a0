"""The `licensecheck` command's entry point (main), and `python -m licensecheck`."""

from licensecheck.collector import paused

# The modules a command imports (click's, the CLI's) are some 9,000 tracked objects, kept
# until the process ends: they go to the collector's oldest generation unwalked, instead
# of the young collections their import started (some 5M instructions of a one-file evaluate).
with paused(lasting=True):
    from licensecheck.cli import main

# Guarded: a worker process started by `spawn` (a Dask LocalCluster's) imports this module again.
if __name__ == "__main__":
    main()
