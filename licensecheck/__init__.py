"""licensecheck: a rule-based licence and constraint checker for AI models."""

__version__ = "0.1.0"
