"""An archive-adaptive entity lexicon: names found with confidence in some posts, recognised in all.

``newsnlp entities learn ARCHIVE -o lexicon.tsv`` runs the entity extractor over a whole
archive and keeps the organisation names it is confident about:

* a name listed as an organisation in at least ``min_posts`` posts (default 2);
* a name written with a stock code beside it (``新东方在线(01797.HK)``), in one post is enough;
* a full company or institution name (…有限公司, …股份有限公司, …银行股份有限公司), in one post;

and the short forms the extractor resolved to those names inside a post (``云岫科技`` for
``杭州云岫科技股份有限公司``). ``Analyzer(entity_lexicon=path)`` and ``newsnlp tag
--entity-lexicon path`` then match every lexicon name in every post, so a company the model
recognised in one post is an organisation in the others too; a short form is listed as
its full name only where the post names that full name as well (as the labelling guidelines
ask), else as written.

Example:
    >>> lexicon = EntityLexicon({"云岫科技": ("ORG", 3, "")})
    >>> lexicon.names()
    ['云岫科技']
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from .._util import atomic_write
from ..errors import ModelLoadError

__all__ = ["EntityLexicon", "as_lexicon", "learn_entity_lexicon"]

HEADER = ("name", "label", "posts", "canonical")

#: What :func:`learn_entity_lexicon` runs when no extractor is given: set by :mod:`newsnlp.entities` to
#: ``EntityExtractor.load`` (the shipped model), so this module never imports the extractor, which imports it.
default_extractor: Callable[[], Any] | None = None
_FULL_NAME = re.compile(r"(?:股份有限公司|有限责任公司|有限公司|集团公司)$")


@dataclass
class EntityLexicon:
    """Names with their label, the number of posts they were found in, and (short forms) the full name.

    ``entries`` maps a name to ``(label, posts, canonical)``; ``canonical`` is ``""`` for a
    name that is its own canonical form.
    """

    entries: dict[str, tuple[str, int, str]]

    def __len__(self) -> int:
        return len(self.entries)

    def names(self) -> list[str]:
        """The names, most posts first."""
        return sorted(self.entries, key=lambda n: (-self.entries[n][1], n))

    def to_tsv(self) -> str:
        """The lexicon as the UTF-8 TSV text :meth:`save` writes (a header, then one name a line)."""
        lines = ["\t".join(HEADER)]
        for name in self.names():
            label, posts, canonical = self.entries[name]
            lines.append(f"{name}\t{label}\t{posts}\t{canonical}")
        return "\n".join(lines) + "\n"

    def save(self, path: str | os.PathLike) -> Path:
        """Write the lexicon as UTF-8 TSV (atomically, creating the folder); returns the path."""
        path = Path(path)
        if path.parent and not path.parent.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
        return atomic_write(path, self.to_tsv())

    @classmethod
    def load(cls, path: str | os.PathLike) -> "EntityLexicon":
        """Read a lexicon written by :meth:`save` / ``newsnlp entities learn``.

        Raises:
            FileNotFoundError: no file at ``path``.
            ModelLoadError: the file is not an entity lexicon.
        """
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(
                f"entity lexicon {str(path)!r} not found; write one with `newsnlp entities learn ARCHIVE -o {path}`"
            )
        entries: dict[str, tuple[str, int, str]] = {}
        with path.open(encoding="utf-8") as handle:
            header = handle.readline().rstrip("\n").split("\t")
            if header != list(HEADER):
                raise ModelLoadError(
                    f"{path} is not an entity lexicon: its header is {header!r}, expected {list(HEADER)!r}; "
                    "write one with `newsnlp entities learn ARCHIVE -o FILE`"
                )
            for number, line in enumerate(handle, start=2):
                parts = line.rstrip("\n").split("\t")
                if len(parts) != 4 or not parts[2].isdigit():
                    raise ModelLoadError(f"{path}, line {number}: expected name, label, posts, canonical; got {line!r}")
                entries[parts[0]] = (parts[1], int(parts[2]), parts[3])
        return cls(entries)

    def gazetteer_entries(self) -> list[Any]:
        """The lexicon as :class:`~newsnlp.entities.gazetteer.GazetteerEntry` rows (kind ``lexicon``)."""
        from .gazetteer import GazetteerEntry

        return [GazetteerEntry(name, "lexicon", "", canonical, True)
                for name, (label, _, canonical) in self.entries.items() if label == "ORG"]


def as_lexicon(value: Any) -> EntityLexicon | None:
    """``None``, a path or an :class:`EntityLexicon` -> the lexicon (or None)."""
    if value is None or isinstance(value, EntityLexicon):
        return value
    if isinstance(value, (str, os.PathLike)):
        return EntityLexicon.load(value)
    raise TypeError(
        f"entity_lexicon must be a path or a newsnlp.entities.lexicon.EntityLexicon, got {type(value).__name__}; "
        "write one with `newsnlp entities learn ARCHIVE -o lexicon.tsv`"
    )


def learn_entity_lexicon(
    articles: Iterable[Any], *, extractor: Any = None, min_posts: int = 2, batch_size: int = 32
) -> EntityLexicon:
    """Collect the organisation names an archive's posts give with confidence, and their short forms.

    Args:
        articles: :class:`~newsnlp.Article` objects or texts (an archive's posts).
        extractor: an :class:`~newsnlp.entities.EntityExtractor` (default: the shipped one,
            without a lexicon).
        min_posts: a name found in this many posts is kept (stock-coded and full company
            names are kept from one post).
        batch_size: posts the model reads together.

    Returns:
        The :class:`EntityLexicon`.

    Raises:
        ValueError: ``min_posts`` is below 1.

    Example:
        >>> lex = learn_entity_lexicon(["云岫科技(300999)发布公告。", "云岫科技订单饱满。"])  # doctest: +SKIP
        >>> lex.entries["云岫科技"][0]  # doctest: +SKIP
        'ORG'
    """
    if min_posts < 1:
        raise ValueError(f"min_posts must be at least 1, got {min_posts}")
    from ..article import Article, as_article
    from .organisations import generic_org, level_split
    from .gazetteer import STOCK_CODE

    if extractor is None:
        if default_extractor is None:  # pragma: no cover - newsnlp.entities sets it on import
            raise RuntimeError("pass extractor=EntityExtractor.load(); no default extractor is set")
        extractor = default_extractor()
    posts: dict[str, int] = {}
    sure: set[str] = set()
    aliases: dict[str, dict[str, int]] = {}
    batch: list[Article] = []

    def flush() -> None:
        for article, entities in zip(batch, extractor.extract_many(batch)):
            text = article.text
            for org in entities.organisations:
                name = org.name
                if level_split(name) is not None or generic_org(name) or len(name) < 2:
                    continue
                posts[name] = posts.get(name, 0) + 1
                if _FULL_NAME.search(name) and len(name) >= 6:
                    sure.add(name)
                for span in org.mentions:
                    if STOCK_CODE.match(text, span.end):
                        sure.add(name)
                    surface = span.text
                    if surface != name and len(surface) >= 2 and level_split(surface) is None and not generic_org(surface):
                        aliases.setdefault(surface, {})
                        aliases[surface][name] = aliases[surface].get(name, 0) + 1
        batch.clear()

    for item in articles:
        batch.append(item if isinstance(item, Article) else as_article(item))
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    entries: dict[str, tuple[str, int, str]] = {}
    for name, count in posts.items():
        if count >= min_posts or name in sure:
            entries[name] = ("ORG", count, "")
    for surface, targets in aliases.items():
        full, count = max(targets.items(), key=lambda kv: (kv[1], kv[0]))
        if full in entries and surface not in entries:
            entries[surface] = ("ORG", count, full)
    return EntityLexicon(entries)
