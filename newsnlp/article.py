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
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from .errors import ArticleError, ArticleWarning, LanguageWarning

__all__ = ["Article", "read_article", "parse_post", "decode_bytes", "detect_encoding", "language_note", "as_article"]

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
    """Decode article bytes: UTF-8 (with or without BOM); else UTF-16 with a BOM, GB18030/GBK or Big5, with a warning.

    GB18030 and Big5 share most byte ranges, so Big5 text also decodes "successfully" as
    GB18030 -- into nonsense. Both decodings are tried and the one whose characters are the
    common ones of its script wins (see :func:`detect_encoding`).

    Raises:
        ArticleError: the bytes are binary, UTF-16 without a BOM, a mix of UTF-8 and another
            encoding, or none of the encodings above; the message says which and how to convert.

    Example:
        >>> import warnings
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     decode_bytes("宁波".encode("gbk")), str(caught[0].message)
        ('宁波', '<bytes>: not valid UTF-8, decoded as GB18030')
    """
    codec = detect_encoding(data, source=source)
    if codec == "utf-8" and data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    text = data.decode(codec)
    if codec != "utf-8":
        name = _CODEC_NAMES[codec]
        warnings.warn(f"{source}: not valid UTF-8, decoded as {name}", ArticleWarning, stacklevel=3)
    return text


_CODEC_NAMES = {"gb18030": "GB18030", "cp950": "Big5 (Traditional Chinese)", "utf-16": "UTF-16"}


def _share_common(text: str, codec: str) -> tuple[float, int]:
    """``(share, n)``: of the first 2,000 Chinese characters of ``text`` (``n`` of them), the share that
    are the common ones of ``codec``'s script (GB2312 level 1; Big5's frequent characters)."""
    n = common = 0
    for ch in text:
        if not "\u4e00" <= ch <= "\u9fff":
            continue
        n += 1
        try:
            b = ch.encode("gb2312" if codec == "gb18030" else "cp950")
        except UnicodeEncodeError:
            b = b""
        if len(b) == 2:
            code = b[0] << 8 | b[1]
            if (0xB0A1 <= code <= 0xD7FE) if codec == "gb18030" else (0xA440 <= code <= 0xC67E):
                common += 1
        if n >= 2000:
            break
    return (common / n if n else 0.0), n


def detect_encoding(data: bytes, *, source: str = "<bytes>") -> str:
    """The codec to read article bytes with: ``"utf-8"``, ``"utf-16"``, ``"gb18030"`` or ``"cp950"`` (Big5).

    Raises:
        ArticleError: binary data, UTF-16 without a BOM, mixed encodings, or undecodable bytes.

    Example:
        >>> detect_encoding("寧波市政府召開會議。".encode("big5"))
        'cp950'
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            data.decode("utf-16")
            return "utf-16"
        except UnicodeDecodeError:
            pass
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    nul = data.find(b"\x00")
    if nul >= 0:
        raise ArticleError(
            f"{source}: has NUL bytes (the first at offset {nul}): a binary file, or UTF-16 text without a BOM, "
            "not an article; for UTF-16 convert it, e.g. `iconv -f UTF-16LE -t UTF-8 in.md > out.md`"
        )
    lenient = data.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd")
    good = sum(1 for ch in lenient if ch > "\x7f" and ch != "\ufffd")
    if good >= 8 and good * 2 >= bad:
        raise ArticleError(
            f"{source}: mixes encodings: {good} characters are UTF-8 but {bad} byte sequence(s) are not, the first "
            f"at offset {utf8_error.start} ({data[utf8_error.start:utf8_error.start + 4]!r}), e.g. a GBK paragraph "
            "pasted into a UTF-8 file; re-save those lines as UTF-8"
        )
    candidates = {}
    for codec in ("gb18030", "cp950"):
        try:
            candidates[codec] = data.decode(codec)
        except UnicodeDecodeError:
            pass
    if not candidates:
        raise ArticleError(
            f"{source}: cannot decode as UTF-8 (byte {data[utf8_error.start:utf8_error.start + 4]!r} at offset "
            f"{utf8_error.start}), GB18030/GBK or Big5; find its encoding (e.g. `file -i in.md`) and convert the file "
            "to UTF-8: `iconv -f <encoding> -t UTF-8 in.md > out.md`"
        )
    if len(candidates) == 1:
        return next(iter(candidates))
    gb, _ = _share_common(candidates["gb18030"], "gb18030")
    big5, _ = _share_common(candidates["cp950"], "cp950")
    return "cp950" if big5 > gb + 0.1 else "gb18030"


# --------------------------------------------------------------------------- language

_LATIN = re.compile(r"[A-Za-z]")
_HANZI = re.compile(r"[\u4e00-\u9fff]")


@lru_cache(maxsize=1)
def _gb2312_hanzi() -> frozenset[str]:
    """The 6,763 Chinese characters of GB2312, the Simplified set (built once, on first use)."""
    out = set()
    for hi in range(0xB0, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                out.add(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return frozenset(out)

def language_note(text: str) -> str | None:
    """Why ``text`` is not what newsnlp's models read (Simplified Chinese), or ``None`` when it is.

    Mostly Latin letters: English (or other) text. Many Chinese characters outside GB2312 (the
    Simplified set): Traditional Chinese. Short texts are not judged.

    Example:
        >>> language_note("寧波市人大常委會召開會議，審議政府工作報告。會議聽取了關於經濟發展的報告。") is not None
        True
        >>> language_note("宁波市人大常委会召开会议，审议政府工作报告。") is None
        True
    """
    sample = text[:4000]  # enough to judge, and cheap (about 0.3 ms a post)
    latin = len(_LATIN.findall(sample))
    chars = _HANZI.findall(sample)
    hanzi = len(chars)
    simplified = _gb2312_hanzi()
    outside = sum(1 for ch in chars[:1000] if ch not in simplified)
    if latin >= 40 and hanzi * 4 < latin:
        return (f"mostly not Chinese ({latin} Latin letters, {hanzi} Chinese characters): newsnlp's models read "
                "Simplified Chinese news, so the entities and keywords will be poor")
    judged = min(hanzi, 1000)
    if judged >= 20 and outside / judged > 0.1:
        return (f"looks like Traditional Chinese ({outside} of {judged} characters are not Simplified): newsnlp's "
                "models read Simplified Chinese, so convert it first, e.g. `opencc -c t2s.json`")
    return None


# --------------------------------------------------------------------------- front matter

# The block may be empty ("---" right after "---"): the lazy optional group tries that first,
# so a Markdown "---" rule further down is never taken for the closing line.
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?:(.*?)\n)??^(?:---|\.\.\.)[ \t]*$\n?", re.S | re.M)
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
_DROP_BLOCKS = re.compile(r"<(script|style|noscript|head|title)\b[^>]*>.*?</\1\s*>", re.I | re.S)
_DECLARATION = re.compile(r"<![A-Za-z][^>]*>|<\?[^>]*\?>")  # <!DOCTYPE html>, <?xml ...?>
_HTML_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.I | re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_ANY_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_BARE_LINK_LINE = re.compile(r"^\s*<(https?://[^>\s]+)>\s*$")
_NAV_LINE = re.compile(r"^\s*(?:\[返回[^\]]*\]\([^)]*\)\s*[｜|]?\s*)+$")
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\((?:[^()\s]+|\([^)]*\))*\)")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_RULE = re.compile(r"^\s{0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")  # a thematic break: ---, ***, ___
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_CREDIT = re.compile(r"[（(]\s*(文章来源|来源|责任编辑|编辑)\s*[:：]\s*([^）)]*?)\s*[）)]\s*$")
_CREDIT_KEYS = {"文章来源": "source", "来源": "source", "责任编辑": "editor", "编辑": "editor"}
_HTML_HINT = re.compile(r"<\s*(?:p|br|div|span|h[1-6]|html|body|head|!doctype)\b", re.I)
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
        body = _DECLARATION.sub("", body)
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
                if markdown and _MD_RULE.match(line):
                    continue
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
            front = _parse_front_matter(m.group(1) or "", source)
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
    if not title:  # an HTML page names itself in <title>
        m = _HTML_TITLE.search(body)
        if m:
            title = _SPACES.sub(" ", html.unescape(_ANY_TAG.sub("", m.group(1)))).strip() or None
    note = language_note(text)
    if note:
        warnings.warn(f"{source}: {note}", LanguageWarning, stacklevel=3)
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
