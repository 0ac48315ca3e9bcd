"""The package version, in a module of its own so low layers (``sources``) can read it."""

__version__ = "0.1.0"
