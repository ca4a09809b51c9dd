"""ksctl: the Swedish national knowledge-management structure as a checked YAML registry."""

__version__ = "0.1.0"
