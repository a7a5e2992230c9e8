"""An archive's tag vocabulary: known tags, their aliases, and feed labels.

A vocabulary file has one tag a line. Optional TAB-separated fields follow the tag::

    宁波市总工会	count=12	aliases=宁波总工会|市总工会
    工会经费	count=7
    中国发展网新闻	count=340	feed
    美联储	count=5	aliases=联储	learned

``feed`` marks a feed label: a source name (东财滚动新闻, 中国发展网新闻) that a site puts on
every post of a feed. Feed labels say where a post came from, not what it is about, so
:meth:`KeywordExtractor.suggest_tags` never suggests them. ``learned`` marks a tag learned from
the archive's own keywords (:func:`learn_vocabulary_from_keywords`): it gives the spelling of a
tag, and competes with the post's keywords instead of going first. ``#`` starts a comment line; a
plain list of tags, one a line, is a valid vocabulary too.

``newsnlp tags learn ARCHIVE -o vocab.txt`` writes such a file from the front matter of an
archive's posts.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from .._util import CJK_RANGE, atomic_write
from .tags import FEED_SUFFIXES, is_common_word, is_feed_label, normalize_tag, org_aliases

__all__ = [
    "TagVocabulary", "TagInfo", "is_feed_label", "learn_vocabulary", "learn_vocabulary_from_keywords", "merge_variants",
    "org_aliases", "FEED_SUFFIXES",
]

# A tag that is the only tag of at least this share of its posts, on at least this many
# posts, is a feed label even without a feed-like name.
FEED_SOLE_SHARE = 0.9
FEED_MIN_POSTS = 10

#: The tagger :func:`learn_vocabulary_from_keywords` uses when it is given no ``suggest``:
#: ``newsnlp.keywords`` sets it to the shipped extractor's ``suggest_tags`` (this module does not
#: import the extractor, which imports this module).
default_suggest: Callable[[Any, int], list[str]] | None = None


@dataclass
class TagInfo:
    """What a vocabulary knows about one tag."""

    tag: str
    count: int = 0
    aliases: list[str] = field(default_factory=list)
    feed: bool = False
    #: learned from the archive's own keywords (:func:`learn_vocabulary_from_keywords`), not
    #: chosen by an editor: it names a tag's one spelling, it is no evidence that a post is about it.
    learned: bool = False


class TagVocabulary:
    """Known tags with aliases and feed labels; finds them in article text.

    Args:
        tags: :class:`TagInfo` items, or plain tag strings.

    Example:
        >>> v = TagVocabulary(["宁波市总工会", "工会经费"])
        >>> sorted(v.find("宁波总工会安排工会经费。"))
        ['宁波市总工会', '工会经费']
    """

    def __init__(self, tags: Iterable[TagInfo | str] = ()) -> None:
        self.tags: dict[str, TagInfo] = {}
        for t in tags:
            # A plain string gets the usual organisation short forms and the feed-name test.
            info = TagInfo(t, aliases=org_aliases(t), feed=is_feed_label(t)) if isinstance(t, str) else t
            name = normalize_tag(info.tag)
            if not name:
                continue
            old = self.tags.get(name)
            if old is None:
                info.tag = name
                self.tags[name] = info
            else:
                old.count += info.count
                old.aliases += [a for a in info.aliases if a not in old.aliases]
                old.feed = old.feed or info.feed
                old.learned = old.learned and info.learned
        self._index: dict[str, list[tuple[str, str]]] | None = None

    def __len__(self) -> int:
        return len(self.tags)

    def __contains__(self, tag: object) -> bool:
        return tag in self.tags

    def __iter__(self):
        return iter(self.tags)

    @classmethod
    def coerce(cls, source: Any) -> "TagVocabulary":
        """Make a vocabulary from a list/set of tags, a file path, or a vocabulary.

        Raises:
            TypeError: ``source`` is of another type.
            FileNotFoundError: the path does not exist.
        """
        if isinstance(source, TagVocabulary):
            return source
        if isinstance(source, (str, os.PathLike)):
            return cls.load(source)
        if isinstance(source, (list, tuple, set, frozenset)):
            vocab = cls(source)
            for info in vocab.tags.values():
                info.feed = info.feed or is_feed_label(info.tag)
                if not info.aliases:
                    info.aliases = org_aliases(info.tag)
            return vocab
        raise TypeError(
            f"vocabulary must be a list/set of tags, a path to a vocabulary file or a TagVocabulary, "
            f"not {type(source).__name__}"
        )

    def is_feed(self, tag: str) -> bool:
        """True when ``tag`` is a feed label of this vocabulary (or named like one)."""
        info = self.tags.get(tag)
        return (info is not None and info.feed) or is_feed_label(tag)

    def topics(self) -> list[str]:
        """The tags that are not feed labels."""
        return [t for t, info in self.tags.items() if not info.feed]

    def find(self, text: str) -> dict[str, tuple[int, int]]:
        """Find the vocabulary's topic tags in ``text`` (directly or through an alias).

        Args:
            text: the text to search (title first when matching an article).

        Returns:
            ``{tag: (occurrences, offset of the first)}``; a longer known tag wins over a
            shorter one at the same place, and its inner tags are not counted there.
        """
        if self._index is None:
            index: dict[str, list[tuple[str, str]]] = {}
            for tag, info in self.tags.items():
                if info.feed:
                    continue
                for surface in [tag] + list(info.aliases):
                    if len(surface) >= 2:
                        index.setdefault(surface[:2], []).append((surface, tag))
            for lst in index.values():
                lst.sort(key=lambda st: (-len(st[0]), st[0]))
            self._index = index
        found: dict[str, list[int]] = {}
        index = self._index
        n = len(text)
        i = 0
        while i < n - 1:
            lst = index.get(text[i:i + 2])
            step = 1
            if lst:
                for surface, tag in lst:
                    if text.startswith(surface, i):
                        found.setdefault(tag, []).append(i)
                        step = len(surface)  # longest match wins; do not count its inner tags
                        break
            i += step
        return {tag: (len(pos), pos[0]) for tag, pos in found.items()}

    # ------------------------------------------------------------------ files
    def to_text(self) -> str:
        """The vocabulary file's text (what :meth:`save` writes): a header, then the most used tags first.

        >>> TagVocabulary([TagInfo("工会经费", count=7)]).to_text().splitlines()[1:]
        ['工会经费\\tcount=7']
        """
        lines = ["# newsnlp tag vocabulary: tag<TAB>count=N[<TAB>aliases=a|b][<TAB>feed][<TAB>learned]"]
        for info in sorted(self.tags.values(), key=lambda i: (-i.count, i.tag)):
            fields = [info.tag, f"count={info.count}"]
            if info.aliases:
                fields.append("aliases=" + "|".join(info.aliases))
            if info.feed:
                fields.append("feed")
            if info.learned:
                fields.append("learned")
            lines.append("\t".join(fields))
        return "\n".join(lines) + "\n"

    def save(self, path: str | os.PathLike) -> Path:
        """Write the vocabulary file (:meth:`to_text`) atomically, creating its folder; returns the path."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        return atomic_write(path, self.to_text())

    @classmethod
    def load(cls, path: str | os.PathLike) -> "TagVocabulary":
        """Read a vocabulary file (see the module docstring for the format).

        Raises:
            FileNotFoundError: ``path`` does not exist.
            ValueError: a field is not ``count=N``, ``aliases=…`` or ``feed``.
        """
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(
                f"tag vocabulary {path} does not exist; write one tag a line, or learn it with "
                f"`newsnlp tags learn ARCHIVE -o {path}`"
            )
        infos = []
        for lineno, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            tag, *fields = line.split("\t")
            info = TagInfo(tag.strip())
            explicit_aliases = False
            for f in fields:
                f = f.strip()
                if not f:
                    continue
                if f == "feed":
                    info.feed = True
                elif f == "learned":
                    info.learned = True
                elif f.startswith("count=") and f[6:].isdigit():
                    info.count = int(f[6:])
                elif f.startswith("aliases="):
                    info.aliases = [a.strip() for a in f[8:].split("|") if a.strip()]
                    explicit_aliases = True
                else:
                    raise ValueError(
                        f"{path}:{lineno}: unknown field {f!r}; valid fields are count=N, aliases=a|b, feed and learned"
                    )
            if not explicit_aliases:
                info.aliases = org_aliases(info.tag)
            info.feed = info.feed or is_feed_label(info.tag)
            infos.append(info)
        return cls(infos)


def learn_vocabulary(articles: Iterable[Any], *, min_count: int = 1) -> TagVocabulary:
    """Learn a tag vocabulary from the front-matter ``tags`` of an archive's posts.

    A tag is a feed label when it is named like one (:func:`is_feed_label`) or when it is the
    only tag of at least 90% of at least 10 posts. Organisation tags get their usual short
    forms as aliases (:func:`org_aliases`).

    Args:
        articles: :class:`~newsnlp.article.Article` items (e.g. ``newsnlp.keywords.idf.iter_archive(path)``).
        min_count: keep tags used on at least this many posts (feed labels are always kept).

    Returns:
        The :class:`TagVocabulary`.

    Example:
        >>> from newsnlp.article import Article
        >>> v = learn_vocabulary([Article("正文", tags=("工会经费", "东财滚动新闻"))])
        >>> v.topics(), v.tags["东财滚动新闻"].feed
        (['工会经费'], True)
    """
    counts: Counter = Counter()
    sole: Counter = Counter()
    for a in articles:
        tags = []
        for t in a.tags:
            n = normalize_tag(str(t))
            if n and n not in tags:
                tags.append(n)
        counts.update(tags)
        if len(tags) == 1:
            sole[tags[0]] += 1
    infos = []
    for tag, c in counts.items():
        feed = is_feed_label(tag) or (c >= FEED_MIN_POSTS and sole[tag] >= FEED_SOLE_SHARE * c)
        if c < min_count and not feed:
            continue
        infos.append(TagInfo(tag, count=c, aliases=org_aliases(tag), feed=feed))
    return TagVocabulary(infos)


# Words that end a company name (临江 + 集团, 欧拉 + 汽车): a short form plus one of them is the
# same name, even though the word alone is common.
_NAME_ENDINGS = frozenset({"集团", "股份", "银行", "科技", "控股", "汽车", "电子", "医药", "证券", "保险", "能源", "电气", "电器",
                           "时代", "实业", "投资", "资本", "基金", "信托", "药业", "生物", "智能", "传媒", "物流", "快递", "航空"})


def merge_variants(
    counts: "Counter[str] | dict[str, int]", *, keep_share: float = 0.5, text_counts: "dict[str, int] | None" = None,
    word_freq: "dict[str, int] | None" = None, word_pos: "dict[str, str] | None" = None,
) -> dict[str, list[str]]:
    """Group tag variants that name one thing: a shorter form at either end of exactly one
    longer tag (阿里 → 阿里巴巴, 茅台 → 贵州茅台, 联储 → 美联储).

    A short form inside two or more longer tags (银行 in 工商银行 and 建设银行) is ambiguous
    and stays on its own, unless ``text_counts`` (how many posts' texts contain each tag)
    shows one of them written far more often (at least twice as often as any other). The
    canonical form of a group is its longest member used at least
    ``keep_share`` times as often as the group's most used one (the full name, when the archive
    uses it), else the most used.

    With ``word_freq`` (word -> frequency in general text), a longer tag that is the short
    form plus a common word (光伏 + 四大, 猪肉 + 价格, 次新股 + 活跃) is a phrase about it, not its
    full name, unless the word ends company names (欧拉 + 汽车).

    Args:
        counts: how many posts use each tag.
        keep_share: see above.
        text_counts: see above.
        word_freq: see above.

    Returns:
        ``{canonical: [variants, ...]}`` for every tag (a tag without variants maps to ``[]``).

    Example:
        >>> merge_variants({"阿里巴巴": 5, "阿里": 4, "茅台": 3, "贵州茅台": 2, "银行": 2, "工商银行": 1, "建设银行": 1})
        {'阿里巴巴': ['阿里'], '贵州茅台': ['茅台'], '银行': [], '工商银行': [], '建设银行': []}
    """
    tags = sorted(counts, key=lambda t: (-len(t), t))
    known = set(tags)
    parent: dict[str, str] = {}
    for short in tags:
        if len(short) < 2:
            continue
        # A longer tag whose rest is a tag too is a compound (阿里 + 基本面), not a variant.
        longer = [t for t in tags if len(t) > len(short) and t not in parent
                  and ((t.startswith(short) and t[len(short):] not in known)
                       or (t.endswith(short) and t[: len(t) - len(short)] not in known))]
        if word_freq is not None:
            longer = [t for t in longer if not _phrase_of(short, t, word_freq)]
        if len(longer) > 1 and text_counts:
            ranked = sorted(longer, key=lambda t: -text_counts.get(t, 0))
            if text_counts.get(ranked[0], 0) >= 2 * max(1, text_counts.get(ranked[1], 0)):
                longer = ranked[:1]
        if len(longer) == 1 and word_pos is not None and word_freq is not None \
                and _general_word_around(short, longer[0], word_freq, word_pos):
            continue  # 分布式 + 光伏, 对冲基金 + 巨头: a sub-topic or a phrase about it
        if len(longer) == 1:
            parent[short] = longer[0]

    def root(t: str) -> str:
        while t in parent:
            t = parent[t]
        return t

    groups: dict[str, list[str]] = {}
    for t in counts:
        groups.setdefault(root(t), []).append(t)
    out: dict[str, list[str]] = {}
    for members in sorted(groups.values(), key=lambda m: (-sum(counts[t] for t in m), min(m))):
        top = max(counts[t] for t in members)
        eligible = [t for t in members if counts[t] >= keep_share * top]
        canonical = max(eligible, key=lambda t: (len(t), counts[t], t))
        out[canonical] = sorted((t for t in members if t != canonical), key=lambda t: (-counts[t], t))
    return out


# Parts of speech of general words (not names): a short tag plus one of them is a phrase.
_GENERAL_POS = frozenset({"n", "v", "vn", "a", "ad", "an", "b", "d", "l", "i"})
_GENERAL_MIN_FREQ = 20


def _general_word_around(short: str, long: str, word_freq: "dict[str, int]", word_pos: "dict[str, str]") -> bool:
    """Whether ``long`` is ``short`` plus a general dictionary word (a common noun, verb or
    adjective, not a place or name, and not a word that ends company names)."""
    rest = long[len(short):] if long.startswith(short) else long[: len(long) - len(short)]
    if len(rest) < 2 or (long.startswith(short) and rest in _NAME_ENDINGS):
        return False
    return word_pos.get(rest) in _GENERAL_POS and word_freq.get(rest, 0) >= _GENERAL_MIN_FREQ


def _phrase_of(short: str, long: str, word_freq: "dict[str, int]") -> bool:
    """Whether ``long`` is ``short`` plus a common word (a phrase about it, not its full name)."""
    if long.startswith(short):
        rest = long[len(short):]
        if rest in _NAME_ENDINGS:
            return False
    else:
        rest = long[: len(long) - len(short)]
    return len(rest) >= 2 and is_common_word(rest, word_freq)


_NAME_CHAR = re.compile(f"[{CJK_RANGE}A-Za-z]")
# Particles and conjunctions: they follow a name, they do not end one (乡村振兴的, 茅台和).
_JOINERS = frozenset("的地得和与及或是了着过把被也都而并但")


def _extend_names(per_post_tags: list[list[str]], texts: list[str], *, min_posts: int = 2, min_share: float = 0.2) -> set[str]:
    """Replace a tag by the longer name it is cut from, archive-wide (宁德 → 宁德时代 where the
    text says 宁德时代, 腾讯 → 腾讯控股), in place.

    The segmenter often splits a company name (宁德|时代); the archive shows the whole name: a
    string of the tag plus one or two characters that recurs (in ``min_posts`` posts, at least
    ``min_share`` of the tag's occurrences) and is followed by varied characters (a word
    boundary) is the name; a particle or conjunction (的, 在, 和) is never part of it (乡村振兴的). Returns the names made.
    """
    short = {t for tags in per_post_tags for t in tags if 2 <= len(t) <= 4 and _NAME_CHAR.match(t)}
    extension: dict[str, str] = {}
    for t in short:
        following: dict[str, list[str]] = {}
        posts_of: dict[str, set[int]] = {}
        total = 0
        for k, text in enumerate(texts):
            start = text.find(t)
            while start >= 0:
                total += 1
                end = start + len(t)
                for extra in (1, 2):
                    ext = text[start:end + extra]
                    if len(ext) == len(t) + extra and all(_NAME_CHAR.match(ch) and ch not in _JOINERS for ch in ext[len(t):]):
                        following.setdefault(ext, []).append(text[end + extra:end + extra + 1])
                        posts_of.setdefault(ext, set()).add(k)
                start = text.find(t, end)
        best = None
        for ext, nxt in following.items():
            if len(posts_of[ext]) < min_posts or len(nxt) < min_share * total:
                continue
            if len(set(nxt)) < max(2, 0.15 * len(nxt)):
                continue  # always followed by the same character: not a word end
            if best is None or len(ext) > len(best):
                best = ext
        if best:
            extension[t] = best
    names = set()
    for tags, text in zip(per_post_tags, texts):
        for i, t in enumerate(list(tags)):
            ext = extension.get(t)
            if ext and ext in text and ext not in tags:
                tags[i] = ext
                names.add(ext)
                rest = ext[len(t):]
                if rest in tags and text.count(rest) <= text.count(ext):
                    tags.remove(rest)  # 时代 was only the second half of 宁德时代
    return names


def _shrink_phrases(per_post_tags: list[list[str]], *, min_len: int = 3, min_phrases: int = 2,
                    is_word: Callable[[str], bool] = lambda w: True) -> set[str]:
    """Replace phrase tags by the name they share, in place (美联储主席, 美联储会议纪要 and
    预计美联储 → 美联储): a string of at least ``min_len`` characters that opens or ends at least
    ``min_phrases`` different tags is the name those phrases are about. Returns the names made.
    Two phrases are enough: the tagger no longer suggests offices (美联储主席), so a name is
    seen in fewer phrase tags than before. A core must be a word (``is_word``: a tag of the
    archive or a dictionary word): 市场监 opens 市场监管 and 市场监管总局 but names nothing.
    """
    tags = {t for post in per_post_tags for t in post}
    ends: Counter = Counter()
    for t in tags:
        for i in range(2, len(t)):
            ends[t[:i]] += 1
            ends[t[len(t) - i:]] += 1
    shared = {c for c, n in ends.items() if n >= min_phrases and _NAME_CHAR.match(c) and not any(ch.isdigit() for ch in c)}
    # A core is long enough to name something; the longest that fits a tag wins (美联储, not 美联).
    cores = {c: c for c in shared if len(c) >= min_len and (c in tags or is_word(c))}
    # A shorter shared piece that is the end of exactly one core is that core's short form
    # (联储主席, 预计联储 → 美联储); other short pieces (中国 in 中国银行, 中国石化) are left alone.
    for c in shared:
        if len(c) < min_len:
            owners = [d for d in cores if d != c and (d.endswith(c) or d.startswith(c))]
            if len(owners) == 1:
                cores[c] = owners[0]
    order = sorted(cores, key=len, reverse=True)
    made: set[str] = set()
    for post in per_post_tags:
        for i, t in enumerate(post):
            core = next((c for c in order if t != cores[c] and (t.startswith(c) or t.endswith(c))), None)
            if core is not None:
                post[i] = cores[core]
                made.add(cores[core])
        post[:] = list(dict.fromkeys(post))
    return made


def _add_short_forms(infos: dict[str, TagInfo], texts: list[str], *, min_posts: int = 2,
                     common: Callable[[str], bool] = lambda w: False, word_freq: "dict[str, int] | None" = None,
                     known: "set[str] | None" = None) -> None:
    """Give each learned tag the short forms the archive uses for it on their own (美联储 ← 联储).

    A short form is the start or end of the tag, at least half its length, the start or end of no
    other tag, and written without the full form in at least ``min_posts`` posts but at most
    twice as many as the full form (more often, it is a common word: 中国 of 中国铝业). With
    ``word_freq`` (the dictionary), a short form written only inside longer dictionary words
    (马克 in 马克思, for 马克龙) is not written on its own, and a short form must be a word: a
    dictionary word or one of ``known`` (the tags the posts were given), not a cut-off piece
    (社会主义现 of 社会主义现代化新疆).
    """
    freq = word_freq or {}
    known = known or set()

    def alone_in(short: str, text: str) -> bool:
        i = text.find(short)
        while i >= 0:
            end = i + len(short)
            if not any(text[i:end + x] in freq or (i >= x and text[i - x:end] in freq) for x in (1, 2)):
                return True
            i = text.find(short, i + 1)
        return False

    tags = list(infos)
    for tag in tags:
        if len(tag) < 3 or not _NAME_CHAR.match(tag):
            continue
        for size in range(max(2, (len(tag) + 1) // 2), len(tag)):
            for short in {tag[:size], tag[len(tag) - size:]}:
                if short in infos or short in infos[tag].aliases or common(short):
                    continue
                if word_freq is not None and short not in freq and short not in known:
                    continue
                if any(o != tag and (o.startswith(short) or o.endswith(short)) for o in tags):
                    continue
                alone = sum(1 for t in texts if short in t and tag not in t and alone_in(short, t))
                full = sum(1 for t in texts if tag in t)
                # A common word (中国 of 中国铝业) is written alone far more often than the name.
                if min_posts <= alone <= 2 * max(1, full):
                    infos[tag].aliases.append(short)


def learn_vocabulary_from_keywords(
    articles: Iterable[Any],
    *,
    min_count: int = 2,
    per_post: int = 8,
    suggest: Callable[[Any, int], list[str]] | None = None,
    word_freq: "dict[str, int] | None" = None,
) -> TagVocabulary:
    """Learn a tag vocabulary from an archive's own keywords, for archives without topic tags.

    Each post's editor-style tags (:func:`newsnlp.suggest_tags`, ``per_post`` of them) are
    counted; variants of one name are merged (:func:`merge_variants`: 阿里/阿里巴巴,
    茅台/贵州茅台, 美联储/联储) under their canonical form, the others kept as its aliases; tags
    used on fewer than ``min_count`` posts (the group's total) are left out. Front-matter tags
    are kept as they are, feed labels marked.

    Args:
        articles: :class:`~newsnlp.article.Article` items.
        min_count: keep a tag group used on at least this many posts.
        per_post: tags counted per post.
        suggest: ``callable(article, k) -> list[str]``; default :data:`default_suggest`, the
            shipped tagger (``KeywordExtractor.load().suggest_tags(article, k=k)``).
        word_freq: word -> frequency in general text (default: jieba's dictionary). A common
            word (:func:`~newsnlp.keywords.tags.is_common_word`: 中国, 日本, 价格) is never made
            the alias of a longer tag (中国 of 中国铝业, 日本 of 日本央行).

    Returns:
        The :class:`TagVocabulary` (``count`` of a tag: posts using any of its forms).

    Example:
        >>> from newsnlp.article import Article
        >>> posts = [Article("阿里巴巴发布财报。"), Article("阿里发布新品。"), Article("阿里巴巴回购股份。")]
        >>> v = learn_vocabulary_from_keywords(posts, suggest=lambda a, k: [w for w in ("阿里巴巴", "阿里") if w in a.text][:1])
        >>> v.tags["阿里巴巴"].count, v.tags["阿里巴巴"].aliases
        (3, ['阿里'])
    """
    if suggest is None:
        suggest = default_suggest
    if suggest is None:
        raise TypeError("learn_vocabulary_from_keywords() needs suggest=callable(article, k) -> list of tags "
                        "(import newsnlp.keywords to get the shipped tagger as the default)")

    word_pos = None
    if word_freq is None:
        from ..text.segmentation import get_segmenter
        from .candidates import _word_tags

        segmenter = get_segmenter()
        word_freq = segmenter.tokenizer.FREQ
        word_pos = _word_tags(segmenter)
    freq = word_freq

    def common(word: str) -> bool:
        return is_common_word(word, freq)

    front_articles = []
    per_post_tags: list[list[str]] = []
    texts: list[str] = []
    for a in articles:
        if a.tags:
            front_articles.append(a)
        if not (a.text or "").strip():
            continue
        tags = []
        for t in suggest(a, per_post):
            n = normalize_tag(str(t))
            if n and n not in tags and not is_feed_label(n):
                tags.append(n)
        per_post_tags.append(tags)
        texts.append(((a.title or "") + "\n" + a.text))
    seen_tags = {t for tags in per_post_tags for t in tags}
    names = _extend_names(per_post_tags, texts) | _shrink_phrases(per_post_tags, is_word=lambda w: freq.get(w, 0) > 0)
    counts: Counter = Counter(t for tags in per_post_tags for t in dict.fromkeys(tags))
    # A tag made of two other tags (茅台 + 基本面) is a phrase, not a tag an editor reuses.
    for t in list(counts):
        if t not in names and any(t[:i] in counts and t[i:] in counts and counts[t[:i]] >= 2 and counts[t[i:]] >= 2 for i in range(2, len(t) - 1)):
            del counts[t]
    front = learn_vocabulary(front_articles, min_count=1)
    feeds = {t for t, info in front.tags.items() if info.feed}
    infos: dict[str, TagInfo] = {}
    text_counts = {t: sum(1 for x in texts if t in x) for t in counts}
    for canonical, variants in merge_variants(counts, text_counts=text_counts, word_freq=freq, word_pos=word_pos).items():
        total = counts[canonical] + sum(counts[v] for v in variants)
        if total < min_count or canonical in feeds:
            continue
        full = sum(1 for x in texts if canonical in x)
        # A variant written alone far more often than the name is a common word (中国 of 中国铝业);
        # so is a word the dictionary counts as common, however small the archive.
        variants = [v for v in variants if not common(v)
                    and sum(1 for x in texts if v in x and canonical not in x) <= 2 * max(1, full)]
        aliases = list(dict.fromkeys(variants + org_aliases(canonical)))
        infos[canonical] = TagInfo(canonical, count=total, aliases=aliases, learned=True)
    _add_short_forms(infos, texts, common=common, word_freq=freq, known=seen_tags)
    for tag, info in front.tags.items():
        if tag in infos:
            infos[tag].count = max(infos[tag].count, info.count)
        elif info.feed or info.count >= min_count:
            infos[tag] = info
    return TagVocabulary(infos.values())
