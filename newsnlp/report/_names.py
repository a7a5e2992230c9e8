"""Page file names derived from entity names: safe on every file system, stable across runs."""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from urllib.parse import quote

# Letters kept in a slug: ASCII letters and digits, and CJK ideographs (the names are Chinese).
# Everything else -- "/", ".", "\\", spaces, control characters, other scripts -- becomes "-",
# so a name can never climb out of its folder or hide a suffix.
_UNSAFE = re.compile(r"[^0-9a-z\u3400-\u4dbf\u4e00-\u9fff]+")
SLUG_CHARS = 24
HASH_CHARS = 12


def slug(name: str) -> str:
    """A short readable part for a file name: ``"宁波市总工会"`` -> ``"宁波市总工会"``, ``"../x y"`` -> ``"x-y"``."""
    text = unicodedata.normalize("NFKC", name).lower()
    return _UNSAFE.sub("-", text)[:SLUG_CHARS].strip("-")


@functools.lru_cache(maxsize=4096)  # a name recurs in many posts: compute its page once (bounded: flat memory)
def page_name(kind: str, name: str) -> str:
    """The file name of the page of ``name`` in ``kind``: slug, then a hash of the exact name.

    The hash (SHA-256 of ``kind`` and the name as given) keeps two names with the same slug
    apart and makes the name the same in every run, so links to a report stay valid when it
    is rebuilt.

    Example:
        >>> page_name("organisations", "宁波市总工会")
        '宁波市总工会-5e7f012e959d.html'
    """
    digest = hashlib.sha256(f"{kind}\x00{name}".encode("utf-8", "surrogatepass")).hexdigest()[:HASH_CHARS]
    part = slug(name)
    return f"{part}-{digest}.html" if part else f"{digest}.html"


@functools.lru_cache(maxsize=4096)
def href(part: str) -> str:
    """A relative URL of a page file name, percent-encoded, so that CJK names link the same everywhere."""
    return quote(part, safe="")
