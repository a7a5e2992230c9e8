"""The package version, in one place (``newsnlp.__version__`` re-exports it; keep pyproject.toml in step)."""

__version__ = "0.2.0"
