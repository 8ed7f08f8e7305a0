"""The commands other than `evaluate`: one module each, named after its command (found by licensecheck.cli)."""
