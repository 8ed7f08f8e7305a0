"""Allow `python -m licensecheck`."""

from licensecheck.cli import main

main()
