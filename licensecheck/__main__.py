"""Allow `python -m licensecheck`."""

from licensecheck.cli import main

# Guarded: a worker process started by `spawn` (a Dask LocalCluster's) imports this module again.
if __name__ == "__main__":
    main()
