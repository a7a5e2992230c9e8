"""Exceptions raised by newsnlp. Every one derives from :class:`NewsNLPError`."""

from __future__ import annotations


class NewsNLPError(Exception):
    """Base class of every error newsnlp raises on purpose."""


class ArticleError(NewsNLPError, ValueError):
    """An article could not be read: wrong path, undecodable bytes, a directory, ..."""


class ModelNotFoundError(NewsNLPError, FileNotFoundError):
    """A model was asked for that is not available offline."""


class ModelLoadError(NewsNLPError, RuntimeError):
    """Model files exist but could not be loaded."""


class ArticleWarning(UserWarning):
    """Something in an article was odd (malformed front matter, ...) but it was still read."""


class LanguageWarning(ArticleWarning):
    """An article is not Simplified Chinese (English, Traditional Chinese): results will be poor."""
