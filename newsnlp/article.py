"""Reading articles: Jekyll/Markdown posts, HTML, plain text and JSON records.

Everything ends up as an :class:`Article` whose ``text`` is clean prose: one paragraph a
line, HTML tags and entities gone, navigation and credit lines moved out of the way.
"""

from __future__ import annotations

import html
import json
import os
import re
import warnings
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping

from .errors import ArticleError, ArticleWarning

__all__ = ["Article", "read_article", "parse_post", "decode_bytes", "as_article"]

ARTICLE_SUFFIXES = (".md", ".markdown", ".html", ".htm", ".txt")


@dataclass(frozen=True)
class Article:
    """One news article.

    ``text`` holds the body as clean text, paragraphs separated by ``"\\n"``; every offset
    newsnlp returns indexes this string.
    """

    text: str
    title: str | None = None
    id: str | None = None
    date: str | None = None
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    url: str | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)
    path: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "text": self.text,
            "date": self.date,
            "categories": list(self.categories),
            "tags": list(self.tags),
            "url": self.url,
            "meta": dict(self.meta),
            "path": self.path,
        }


# --------------------------------------------------------------------------- decoding

def decode_bytes(data: bytes, *, source: str = "<bytes>") -> str:
    """Decode article bytes: UTF-8 (with or without BOM), else GB18030 with a warning.

    Raises:
        ArticleError: the bytes are neither UTF-8 nor GB18030.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            bad = data[utf8_error.start : utf8_error.start + 4]
            raise ArticleError(
                f"{source}: cannot decode as UTF-8 (byte {bad!r} at offset {utf8_error.start}) "
                "nor as GB18030/GBK; convert the file to UTF-8, e.g. "
                "`iconv -f BIG5 -t UTF-8 in.md > out.md`."
            ) from None
        warnings.warn(f"{source}: not valid UTF-8, decoded as GB18030", ArticleWarning, stacklevel=3)
        return text


# --------------------------------------------------------------------------- front matter

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)(?:\n)^(?:---|\.\.\.)[ \t]*$\n?", re.S | re.M)
_SIMPLE_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$")


def _parse_front_matter(block: str, source: str) -> dict[str, Any]:
    import yaml  # PyYAML is small, but keep `import newsnlp` free of it.

    try:
        data = yaml.load(block, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) if block.strip() else {}
    except yaml.YAMLError as exc:
        warnings.warn(
            f"{source}: malformed YAML front matter ({str(exc).splitlines()[0]}); "
            "read the simple `key: value` lines and the body",
            ArticleWarning,
            stacklevel=4,
        )
        data = {}
        for line in block.splitlines():
            m = _SIMPLE_KEY.match(line)
            if m:
                data[m.group(1)] = m.group(2).strip().strip("\"'")
        return data
    if not isinstance(data, dict):
        warnings.warn(
            f"{source}: front matter is a {type(data).__name__}, not a mapping; ignored",
            ArticleWarning,
            stacklevel=4,
        )
        return {}
    return data


def _as_str_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        # Jekyll reads a string of categories/tags as space-separated words.
        return tuple(v for v in value.split() if v)
    if isinstance(value, (list, tuple)):
        return tuple(str(v).strip() for v in value if v is not None and str(v).strip())
    return (str(value),)


def _as_date(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


# --------------------------------------------------------------------------- body cleaning

_BLOCK_TAGS = re.compile(
    r"<\s*(?:br|/?p|/?div|/?h[1-6]|/?li|/?ul|/?ol|/?blockquote|/?tr|/?table|/?section|/?article)\b[^>]*>",
    re.I,
)
_DROP_BLOCKS = re.compile(r"<(script|style|noscript)\b[^>]*>.*?</\1\s*>", re.I | re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_ANY_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_BARE_LINK_LINE = re.compile(r"^\s*<(https?://[^>\s]+)>\s*$")
_NAV_LINE = re.compile(r"^\s*(?:\[返回[^\]]*\]\([^)]*\)\s*[｜|]?\s*)+$")
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\((?:[^()\s]+|\([^)]*\))*\)")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_CREDIT = re.compile(r"[（(]\s*(文章来源|来源|责任编辑|编辑)\s*[:：]\s*([^）)]*?)\s*[）)]\s*$")
_CREDIT_KEYS = {"文章来源": "source", "来源": "source", "责任编辑": "editor", "编辑": "editor"}
_HTML_HINT = re.compile(r"<\s*(?:p|br|div|span|h[1-6])\b", re.I)
_SPACES = re.compile(r"[ \t\u3000\xa0]+")
_ASCII_END = re.compile(r"[A-Za-z0-9,.;:!?)]$")
_ASCII_START = re.compile(r"^[A-Za-z0-9(]")


def _join_soft_lines(lines: list[str]) -> str:
    out = ""
    for line in lines:
        if out and _ASCII_END.search(out) and _ASCII_START.match(line):
            out += " "
        out += line
    return out


def clean_body(body: str, *, markdown: bool = True) -> tuple[str, str | None, dict[str, str]]:
    """Turn a Markdown/HTML body into clean text.

    In Markdown, lines of one block are joined (soft wraps) and blank lines separate
    paragraphs; with ``markdown=False`` (plain text) every line is a paragraph.

    Returns:
        ``(text, url, meta)``: the text with one paragraph a line, the first bare source
        link found (``<http…>`` on a line of its own) and credits moved out of the text
        (``{"source": …, "editor": …}``).
    """
    url: str | None = None
    meta: dict[str, str] = {}
    kept: list[str] = []
    for line in body.split("\n"):
        m = _BARE_LINK_LINE.match(line)
        if m:
            url = url or m.group(1)
            continue
        if _NAV_LINE.match(line):
            continue
        kept.append(line)
    body = "\n".join(kept)

    if _HTML_HINT.search(body):
        body = _COMMENT.sub("", body)
        body = _DROP_BLOCKS.sub("", body)
        body = body.replace("\n", " ")  # in HTML, newlines are spaces; blocks make paragraphs
        body = _BLOCK_TAGS.sub("\n", body)
        paragraphs_src = body.split("\n")
        paragraphs = []
        for p in paragraphs_src:
            p = _ANY_TAG.sub("", p)
            p = _MD_LINK.sub(r"\1", p)
            p = html.unescape(p)
            p = _SPACES.sub(" ", p).strip()
            if p:
                paragraphs.append(p)
    else:
        paragraphs = []
        blocks = re.split(r"\n\s*\n", body) if markdown else body.split("\n")
        for block in blocks:
            lines = []
            for line in block.split("\n"):
                line = _MD_HEADING.sub("", line)
                line = _MD_IMAGE.sub("", line)
                line = _MD_LINK.sub(r"\1", line)
                line = _MD_EMPHASIS.sub(r"\2", line)
                line = _ANY_TAG.sub("", line)
                line = html.unescape(line)
                line = _SPACES.sub(" ", line).strip()
                if line:
                    lines.append(line)
            if lines:
                paragraphs.append(_join_soft_lines(lines))

    # Credits at the end ("（文章来源：中国发展网）", "（责任编辑：李四）") are not article prose.
    while paragraphs:
        last = paragraphs[-1]
        m = _CREDIT.search(last)
        if not m:
            break
        meta.setdefault(_CREDIT_KEYS[m.group(1)], m.group(2))
        rest = last[: m.start()].rstrip()
        if rest:
            paragraphs[-1] = rest
        else:
            paragraphs.pop()
    return "\n".join(paragraphs), url, meta


def parse_post(raw: str, *, source: str = "<text>", path: str | None = None, id: str | None = None) -> Article:
    """Parse a post (optional YAML front matter, then a Markdown or HTML body).

    Args:
        raw: the post as a string.
        source: how to name the post in warnings and errors.
        path: the file it came from, if any.
        id: the article id (defaults to the file name without suffix).

    Returns:
        An :class:`Article`.

    Example:
        >>> a = parse_post('---\\ntitle: "宁波总工会"\\n---\\n<p>记者采访。</p>')
        >>> (a.title, a.text)
        ('宁波总工会', '记者采访。')
    """
    raw = raw.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    front: dict[str, Any] = {}
    body = raw
    stripped = raw.lstrip("\n")
    if stripped.startswith("---"):
        m = _FRONT_MATTER.match(stripped)
        if m:
            front = _parse_front_matter(m.group(1), source)
            body = stripped[m.end() :]
        else:
            warnings.warn(
                f"{source}: front matter opened with '---' but never closed; read the whole file as the body",
                ArticleWarning,
                stacklevel=3,
            )
            body = stripped[3:]
    elif path is not None and path.endswith((".md", ".markdown")):
        warnings.warn(f"{source}: no YAML front matter; read the body only", ArticleWarning, stacklevel=3)

    # A post (front matter, or a .md file) has Markdown paragraphs; bare text has one per line.
    is_markdown = bool(front) or stripped.startswith("---") or (path or "").endswith((".md", ".markdown"))
    text, url, meta = clean_body(body, markdown=is_markdown)
    title = front.get("title")
    title = str(title).strip() if title is not None else None
    url = url or (str(front["url"]) if front.get("url") else None)
    extra = {k: v for k, v in front.items() if k not in {"title", "date", "categories", "category", "tags", "url"}}
    meta_all: dict[str, Any] = {**{k: v for k, v in extra.items()}, **meta}
    return Article(
        text=text,
        title=title or None,
        id=id if id is not None else (Path(path).stem if path else None),
        date=_as_date(front.get("date")),
        categories=_as_str_tuple(front.get("categories", front.get("category"))),
        tags=_as_str_tuple(front.get("tags")),
        url=url,
        meta=meta_all,
        path=path,
    )


def _read_path(path: Path) -> Article:
    source = str(path)
    if path.is_dir():
        raise ArticleError(
            f"{source} is a directory, not an article file; pass one post, or run "
            f"`newsnlp tag {source}` (or newsnlp.tag_archive) for a whole archive."
        )
    if not path.exists():
        raise ArticleError(f"{source}: no such file; check the path (relative paths start at {os.getcwd()}).")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ArticleError(f"{source}: cannot read the file ({exc.strerror or exc}).") from None
    return parse_post(decode_bytes(data, source=source), source=source, path=source)


def _read_record(
    record: Mapping[str, Any], *, text_key: str, title_key: str, id_key: str
) -> Article:
    if text_key not in record:
        raise ArticleError(
            f"record has no {text_key!r} field (fields: {', '.join(map(str, record)) or 'none'}); "
            f"pass text_key= naming the field that holds the article text."
        )
    text = record[text_key]
    if text is None:
        text = ""
    if not isinstance(text, str):
        raise TypeError(f"record field {text_key!r} must be a str, got {type(text).__name__}")
    title = record.get(title_key)
    rid = record.get(id_key)
    base = parse_post(text, source=f"record {rid!r}" if rid is not None else "<record>")
    extras = {k: v for k, v in record.items() if k not in {text_key, title_key, id_key}}
    return replace(
        base,
        title=(str(title).strip() or None) if title is not None else base.title,
        id=str(rid) if rid is not None else base.id,
        tags=_as_str_tuple(record.get("tags")) or base.tags,
        categories=_as_str_tuple(record.get("categories")) or base.categories,
        date=_as_date(record.get("date")) or base.date,
        url=record.get("url") or base.url,
        meta={**base.meta, **{k: v for k, v in extras.items() if k not in {"tags", "categories", "date", "url"}}},
    )


def _looks_like_path(s: str) -> bool:
    return "\n" not in s and len(s) < 1024 and s.lower().endswith(ARTICLE_SUFFIXES + (".json",)) and os.path.isfile(s)


def read_article(
    source: str | os.PathLike | bytes | Mapping[str, Any] | Article,
    *,
    text_key: str = "text",
    title_key: str = "title",
    id_key: str = "id",
) -> Article:
    """Read one article from a file, a string, bytes or a JSON-style record.

    Args:
        source: a path (``pathlib.Path`` or any ``os.PathLike``; a ``str`` naming an
            existing ``.md/.markdown/.html/.txt`` file is read as a path too), the post or
            plain text itself as a ``str`` or UTF-8/GB18030 ``bytes``, a ``dict`` record,
            or an :class:`Article` (returned as is).
        text_key, title_key, id_key: the fields of a record holding text, title and id.

    Returns:
        The :class:`Article`.

    Raises:
        TypeError: ``source`` is of an unsupported type.
        ArticleError: a missing file, a directory, undecodable bytes, a record without text.

    Example:
        >>> read_article("宁波市总工会召开会议。").text
        '宁波市总工会召开会议。'
    """
    if isinstance(source, Article):
        return source
    if isinstance(source, os.PathLike):
        return _read_path(Path(source))
    if isinstance(source, str):
        if _looks_like_path(source):
            return _read_path(Path(source))
        return parse_post(source)
    if isinstance(source, (bytes, bytearray)):
        return parse_post(decode_bytes(bytes(source)))
    if isinstance(source, Mapping):
        return _read_record(source, text_key=text_key, title_key=title_key, id_key=id_key)
    raise TypeError(
        f"read_article() takes a path, str, bytes, dict record or Article, not {type(source).__name__}; "
        "for a file pass pathlib.Path(...), for text pass the str."
    )


def as_article(x: Any) -> Article:
    """Coerce what the public API accepts (text, Article, record, path) into an Article.

    Unlike :func:`read_article`, a ``str`` is always article text here, never a path.
    """
    if isinstance(x, Article):
        return x
    if isinstance(x, str):
        return parse_post(x)
    if isinstance(x, (os.PathLike, bytes, bytearray, Mapping)):
        return read_article(x)
    raise TypeError(
        f"expected article text (str), an Article, a dict record or a path, not {type(x).__name__}"
    )


def records_from_jsonl(path: str | os.PathLike, **keys: str):
    """Yield an Article for each line of a JSONL file (used by the CLI and batch jobs)."""
    with open(path, encoding="utf-8-sig") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ArticleError(f"{path}:{lineno}: not valid JSON ({exc.msg})") from None
            yield read_article(record, **keys)
