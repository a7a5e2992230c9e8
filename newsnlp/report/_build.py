"""Build the report: stream the records once into pages and an on-disk index, then the lists."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlsplit

from ..errors import NewsNLPError
from ._html import CHART_KINDS, KIND_LABELS, PAGE_KINDS, esc, month_range, page, table, timeline_svg
from ._names import href, page_name

MARKER = "newsnlp-report.json"
ENTITY_KINDS = ("organisations", "officials", "programmes", "persons", "places")
_MONTH = re.compile(r"^((?:19|20|21)\d\d)-(0[1-9]|1[0-2])")
_INSERT_BATCH = 2000
_SUBTYPES = {"gov": "机关", "company": "企业", "organisation": "组织", "media": "媒体", "party": "党组织"}
_PARALLEL_FROM = 2000  # smaller archives stay in one process even with workers > 1: spawning them costs seconds


class ReportError(NewsNLPError, ValueError):
    """The report cannot be built from what was given (no such file, an output folder in use, ...)."""


@dataclass(frozen=True)
class ReportSummary:
    """What :func:`build_report` wrote.

    ``posts`` counts the records shown (the last one of each id), ``failed`` the rows of the
    errors file, ``skipped`` the lines of the JSONL not shown (``unreadable`` ones, and
    ``superseded`` older records of an id that has a later one); ``texts`` counts the posts
    whose text was found unchanged, so that their mentions are highlighted.
    """

    output: str
    posts: int
    failed: int
    unreadable: int
    superseded: int
    texts: int
    pages: int
    first_date: str | None = None
    last_date: str | None = None
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def skipped(self) -> int:
        return self.unreadable + self.superseded

    def summary_line(self) -> str:
        line = (f"{self.posts} posts, {self.failed} failed, {self.skipped} skipped; "
                f"{self.pages} pages in {self.output}")
        if self.posts and self.texts < self.posts:
            line += f"; {self.posts - self.texts} posts without their text (mentions not highlighted)"
        return line


# ------------------------------------------------------------------ reading the records

def _index_lines(path: Path) -> tuple[dict[str, int], int, int]:
    """id -> byte offset of its last readable record, the count of unreadable lines, of records."""
    last: dict[str, int] = {}
    unreadable = records = 0
    with open(path, "rb") as fh:
        offset = 0
        for line in fh:
            if line.strip():
                rid = None
                if line.endswith(b"\n"):  # a last line without one was cut off by a killed run
                    try:
                        rec = json.loads(line.decode("utf-8-sig" if offset == 0 else "utf-8"))
                        if isinstance(rec, dict) and rec.get("id") not in (None, ""):
                            rid = str(rec["id"])
                    except (UnicodeDecodeError, ValueError):
                        pass
                if rid is None:
                    unreadable += 1
                else:
                    records += 1
                    last[rid] = offset
            offset += len(line)
    return last, unreadable, records


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _safe_url(value: Any) -> str | None:
    """Only http(s) links leave the report: a ``javascript:`` URL in a record must not become a link."""
    if not isinstance(value, str):
        return None
    try:
        scheme = urlsplit(value.strip()).scheme.lower()
    except ValueError:
        return None
    return value.strip() if scheme in ("http", "https") else None


def _month(date: str) -> str | None:
    m = _MONTH.match(date)
    return f"{m.group(1)}-{m.group(2)}" if m else None


def _entities(record: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    ents = record.get("entities") if isinstance(record.get("entities"), dict) else {}
    out: dict[str, list[dict[str, Any]]] = {}
    for kind in ENTITY_KINDS:
        items = []
        for e in _list(ents.get(kind)):
            if isinstance(e, dict) and _text(e.get("name")).strip():
                items.append(e)
            elif isinstance(e, str) and e.strip():
                items.append({"name": e})
        out[kind] = items
    return out


# ------------------------------------------------------------------ finding a post's text

def _find_text(record: dict[str, Any], *, bases: list[Path]) -> tuple[Any, Path | None, str]:
    """The article as it was tagged, or ``(None, None, why not)``.

    The record's offsets index the article's text, which the record does not hold; it is read
    again from the post file, and used only if the file's SHA-256 is the record's
    ``content_hash`` (else the offsets may point anywhere).
    """
    raw_path = record.get("path")
    if not isinstance(raw_path, str) or not raw_path:
        return None, None, "记录没有 path，找不到原文"
    given = Path(raw_path)
    candidates = [given] if given.is_absolute() else [b / given for b in bases]
    rid = _text(record.get("id"))
    for base in bases:  # the archive folder: <archive>/<id's folders>/<file name>
        parent = Path(rid).parent if "/" in rid else Path()
        candidates.append(base / parent / given.name)
    changed = None
    for path in candidates:
        try:
            data = path.read_bytes()
        except (OSError, ValueError):
            continue
        if hashlib.sha256(data).hexdigest() != record.get("content_hash"):
            changed = changed or path  # another candidate may still be the tagged file
            continue
        from ..article import decode_bytes, parse_post

        try:
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return parse_post(decode_bytes(data, source=str(path)), source=str(path), path=str(path), id=rid), path, ""
        except Exception as exc:  # an unreadable post must not stop the report
            return None, path, f"原文无法读取：{exc}"
    if changed is not None:
        return None, changed, "原文在标注后已改动（内容哈希不同），未标出提及"
    return None, None, f"找不到原文文件 {raw_path}"


def _highlight(text: str, ents: dict[str, list[dict[str, Any]]], root: str) -> tuple[str, int, int]:
    """The article text with every mention that matches it marked; ``(html, marked, not matching)``."""
    spans = []
    bad = 0
    for kind in ENTITY_KINDS:
        for e in ents[kind]:
            name = _text(e.get("name"))
            for m in _list(e.get("mentions")):
                if not isinstance(m, dict):
                    continue
                start, end = m.get("start"), m.get("end")
                if (not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool)
                        or not 0 <= start < end <= len(text) or text[start:end] != m.get("text")):
                    bad += 1
                    continue
                if "\n" in m.get("text", ""):
                    continue  # would straddle two paragraphs; listed in the table only
                spans.append((start, -end, kind, name))
    spans.sort()
    # Paragraphs become <p>, with the "\n" between them kept as text between the blocks (not
    # shown, as the blocks are not pre-wrap): the container's textContent is the text exactly.
    def plain(segment: str) -> str:
        return esc(segment).replace("\n", "</p>\n<p>")

    out, pos, marked = ["<p>"], 0, 0
    for start, neg_end, kind, name in spans:
        end = -neg_end
        if start < pos:  # overlaps a mention already marked (a person inside an official's span, ...)
            continue
        out.append(plain(text[pos:start]))
        seg = esc(text[start:end])
        if kind in PAGE_KINDS:
            seg = f'<a href="{root}{kind}/{href(page_name(kind, name))}">{seg}</a>'
        out.append(f'<mark class="hl k-{kind}" data-kind="{kind}" data-start="{start}" data-end="{end}" '
                   f'title="{esc(KIND_LABELS[kind])}：{esc(name)}">{seg}</mark>')
        pos = end
        marked += 1
    out.append(plain(text[pos:]) + "</p>")
    return "".join(out), marked, bad


# ------------------------------------------------------------------ the build

def _write_file(path: str, text: str) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)


class _Site:
    """Writes pages on a few threads: creating a file costs ~0.5 ms on a journalled disk, and the
    threads overlap that wait (the GIL is released) while the main thread renders the next page.
    At most ``_PENDING`` pages wait in memory."""

    _PENDING = 64

    def __init__(self, out: Path, site_title: str, *, threads: int = 4) -> None:
        self.out = out
        self.title = site_title.replace("\x00", "")  # NUL marks where a streamed page's body goes
        self.pages = 0
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="newsnlp-report") if threads else None
        self._slots = threading.BoundedSemaphore(self._PENDING)
        self._failed: list[BaseException] = []

    def write(self, rel: str, title: str, body: str, *, search: bool = False) -> None:
        root = "../" * rel.count("/")
        text = page(title, body, root=root, site_title=self.title, search=search)
        if self._pool is None:
            _write_file(os.path.join(self.out, rel), text)
            self.pages += 1
            return
        if self._failed:
            raise self._failed[0]
        self._slots.acquire()
        future = self._pool.submit(_write_file, os.path.join(self.out, rel), text)
        future.add_done_callback(self._done)
        self.pages += 1

    def _done(self, future: Any) -> None:
        self._slots.release()
        if future.exception() is not None:
            self._failed.append(future.exception())

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
        if self._failed:
            raise self._failed[0]


def _post_row_html(row: sqlite3.Row | tuple, root: str) -> str:
    page_file, title, date, summary = row[0], row[1], row[2], row[3]
    source = row[4] if len(row) > 4 and row[4] else None
    return (f'<li><span class="date">{esc(date[:10]) or "无日期"}</span> '
            f'<a href="{root}posts/{href(page_file)}">{esc(title) or "（无标题）"}</a>'
            + (f' <a class="source" href="{esc(source)}" rel="noopener noreferrer">原文</a>' if source else "")
            + f'<p class="summary">{esc(summary)}</p></li>')


def build_report(
    analysis: str | os.PathLike,
    output: str | os.PathLike = "report",
    *,
    errors: str | os.PathLike | None = None,
    archive: str | os.PathLike | None = None,
    title: str | None = None,
    top_k: int = 20,
    workers: int | None = None,
) -> ReportSummary:
    """Build a static, browsable site from the JSONL records ``newsnlp tag`` wrote.

    Args:
        analysis: the JSONL output of :func:`newsnlp.tag_archive` (the last record of each id
            is shown, as :func:`newsnlp.batch.read_results` reads it).
        output: the folder to write; it must be empty, absent, or an earlier report, which
            is replaced (atomically: the new site is built beside it, then swapped in).
        errors: the errors file of that run (default ``<analysis>.errors.jsonl`` when present).
        archive: where the posts are, if not at the records' ``path`` (relative to the current
            folder or to the JSONL's folder); their text is needed to highlight mentions.
        title: the site's title (default: the JSONL's file name).
        top_k: how many tags, organisations, officials and programmes the overview lists.
        workers: processes that write the post pages (default 1: this process). With more,
            archives of 2,000 records or more share the post pages out; the site is the same.
            Workers are started with ``spawn``: in a script, call this under
            ``if __name__ == "__main__":``.

    Returns:
        A :class:`ReportSummary` with the counts shown on the overview.

    Raises:
        ReportError: the JSONL or errors file does not exist, or ``output`` is a folder that
            holds something other than a newsnlp report.

    Example:
        >>> build_report("tags.jsonl", "report").summary_line()  # doctest: +SKIP
        '1518 posts, 2 failed, 0 skipped; 2351 pages in report'
    """
    analysis = Path(analysis)
    if not analysis.is_file():
        raise ReportError(f"{analysis}: no such file; pass the JSONL written by `newsnlp tag` (e.g. _posts.tags.jsonl)")
    if workers is None:
        workers = 1  # more was not measured faster (docs/report.md); a choice, not a default
    for label, value in (("top_k", top_k), ("workers", workers)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValueError(f"{label} must be a positive int, got {value!r}")
    if errors is None:
        name = analysis.name[: -len(".jsonl")] if analysis.name.endswith(".jsonl") else analysis.name
        guess = analysis.with_name(name + ".errors.jsonl")
        errors_path = guess if guess.is_file() else None
    else:
        errors_path = Path(errors)
        if not errors_path.is_file():
            raise ReportError(f"{errors_path}: no such errors file; pass the .errors.jsonl of the same `newsnlp tag` run, or leave errors out")
    output = Path(output)
    if output.exists():
        if not output.is_dir():
            raise ReportError(f"{output} is a file; pass a folder for the report (-o report/)")
        if any(output.iterdir()) and not (output / MARKER).is_file():
            raise ReportError(f"{output} is not empty and holds no newsnlp report ({MARKER} is missing); "
                              "choose a new or empty folder, so that nothing of yours is replaced")
    bases = [Path(archive)] if archive is not None else []
    bases += [Path.cwd(), analysis.resolve().parent]

    shown = str(output)
    output = output.resolve()  # "-o ." works too: the staging folder goes beside it, not inside
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.tmp-", dir=output.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(staging, 0o777 & ~umask)  # mkdtemp makes it 0700; a published site must be readable
    try:
        with tempfile.TemporaryDirectory(prefix="newsnlp-report-") as scratch:
            summary = _build(analysis, errors_path, staging, Path(scratch) / "index.sqlite", bases,
                             title or analysis.name, top_k, shown, workers)
        _swap_in(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return summary


def _swap_in(staging: Path, output: Path) -> None:
    old = None
    if output.exists():
        old = output.with_name(f".{output.name}.old-{os.getpid()}")
        os.replace(output, old)
    os.replace(staging, output)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _build(analysis: Path, errors_path: Path | None, out: Path, db_path: Path, bases: list[Path],
           site_title: str, top_k: int, shown_output: str, workers: int) -> ReportSummary:
    for sub in ("assets", "posts", *PAGE_KINDS):
        (out / sub).mkdir()
    assets = resources.files("newsnlp.report") / "assets"
    for name in ("report.css", "report.js"):
        (out / "assets" / name).write_bytes((assets / name).read_bytes())
    site = _Site(out, site_title)
    try:

        db = sqlite3.connect(db_path)
        db.execute("PRAGMA journal_mode=OFF")
        db.execute("PRAGMA synchronous=OFF")
        db.execute("CREATE TABLE posts (n INTEGER PRIMARY KEY, page TEXT, title TEXT, date TEXT, summary TEXT, source TEXT)")
        db.execute("CREATE TABLE links (kind TEXT, name TEXT, post INTEGER, mentions INTEGER, title TEXT, org TEXT)")

        last, unreadable, n_records = _index_lines(analysis)
        keep = set(last.values())
        del last
        months: dict[str, dict[str, int]] = {}
        undated = texts = 0
        first_date = last_date = None
        posts_buf: list[tuple] = []
        links_buf: list[tuple] = []
        index_js = open(out / "assets" / "search-index.js", "w", encoding="utf-8")
        index_js.write("/* newsnlp report search index: JSON, assigned to a variable so that it loads from disk too */\n"
                       'window.NEWSNLP_SEARCH = {"posts": [\n')
        n = 0
        for result in _rendered(analysis, keep, bases, out, site_title, site, workers):
            n += 1
            post_row, links, month, kind_counts, found, entry, day = result
            if month:
                first_date = day if first_date is None or day < first_date else first_date
                last_date = day if last_date is None or day > last_date else last_date
                bucket = months.setdefault(month, dict.fromkeys(CHART_KINDS, 0))
                for kind, count in kind_counts.items():
                    bucket[kind] += count
            else:
                undated += 1
            posts_buf.append(post_row)
            links_buf.extend(links)
            if len(links_buf) >= _INSERT_BATCH or len(posts_buf) >= _INSERT_BATCH:
                db.executemany("INSERT INTO posts VALUES (?,?,?,?,?,?)", posts_buf)
                db.executemany("INSERT INTO links VALUES (?,?,?,?,?,?)", links_buf)
                posts_buf.clear()
                links_buf.clear()
            texts += found
            index_js.write(("," if n > 1 else "") + entry + "\n")
        db.executemany("INSERT INTO posts VALUES (?,?,?,?,?,?)", posts_buf)
        db.executemany("INSERT INTO links VALUES (?,?,?,?,?,?)", links_buf)
        db.execute("CREATE INDEX links_by_name ON links (kind, name)")
        db.commit()

        index_js.write('], "entities": [\n')
        counts = _write_entity_pages(site, db, index_js)
        index_js.write("]};\n")
        index_js.close()
        _write_post_list(site, db)
        failed = _write_errors(site, errors_path)
        _write_search(site)
        summary = ReportSummary(output=shown_output, posts=n, failed=failed, unreadable=unreadable,
                                superseded=n_records - n, texts=texts, pages=0, first_date=first_date,
                                last_date=last_date, counts=counts)
        _write_overview(site, db, summary, months, undated, top_k)
        db.close()
        summary = ReportSummary(**{**summary.__dict__, "pages": site.pages})
        marker = {"format": "newsnlp-report", "version": 1, "analysis": analysis.name, "posts": n,
                  "failed": failed, "skipped": summary.skipped, "pages": site.pages}
        (out / MARKER).write_text(json.dumps(marker, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        return summary
    finally:
        site.close()  # every page on disk (or the first write error raised) before the swap


def _render_record(line: bytes, n: int, bases: list[Path], site: "_Site") -> tuple:
    """Write one post's page; return what the overview and the lists need of it (a small tuple)."""
    record = json.loads(line.decode("utf-8-sig" if line.startswith(b"\xef\xbb\xbf") else "utf-8"))
    rid = _text(record.get("id"))
    post_page = page_name("post", rid)
    title = _text(record.get("title")).strip()
    date = _text(record.get("date")).strip()
    summary = _text(record.get("summary"))
    ents = _entities(record)
    tags = [t for t in (_text(x).strip() for x in _list(record.get("tags"))) if t]
    links = [("tags", t, n, 1, None, None) for t in dict.fromkeys(tags)]
    kind_counts = dict.fromkeys(CHART_KINDS, 0)
    for kind in PAGE_KINDS[1:]:
        for e in ents[kind]:
            count = max(1, len(_list(e.get("mentions"))))
            links.append((kind, _text(e["name"]).strip(), n, count,
                          _text(e.get("title")) or None, _text(e.get("organisation")) or None))
            kind_counts[kind] += count
    found, source = _write_post(site, record, rid, post_page, title, date, summary, tags, ents, bases)
    entry = json.dumps([title, summary, date[:10], "posts/" + href(post_page)], ensure_ascii=False)
    return (n, post_page, title, date, summary, source), links, _month(date), kind_counts, found, entry, date[:10]


_worker_sites: dict[str, "_Site"] = {}


def _render_chunk(lines: list[bytes], first: int, bases: list[Path], out: str, site_title: str) -> list[tuple]:
    """A worker's share: the post pages of ``lines`` (records ``first``, ``first + 1``, ...)."""
    site = _worker_sites.get(out)
    if site is None:
        site = _worker_sites[out] = _Site(Path(out), site_title, threads=0)
    return [_render_record(line, first + i, bases, site) for i, line in enumerate(lines)]


def _chunks(analysis: Path, keep: set[int], size: int = 64) -> Iterator[tuple[list[bytes], int]]:
    chunk: list[bytes] = []
    first = 1
    with open(analysis, "rb") as fh:
        offset = 0
        for line in fh:
            if offset in keep:
                chunk.append(line)
                if len(chunk) == size:
                    yield chunk, first
                    first += size
                    chunk = []
            offset += len(line)
    if chunk:
        yield chunk, first


def _rendered(analysis: Path, keep: set[int], bases: list[Path], out: Path, site_title: str, site: "_Site",
              workers: int) -> Iterator[tuple]:
    """The post pages, written in this process or by ``workers`` processes; results in file order.

    Rendering a post (reading, hashing and parsing its file, marking its mentions) is most of
    a build's CPU time, so big archives share it out; at most ``2 * workers`` chunks of 64
    records are in flight, so memory stays flat.
    """
    if workers <= 1 or len(keep) < _PARALLEL_FROM:
        for lines, first in _chunks(analysis, keep):
            for i, line in enumerate(lines):
                yield _render_record(line, first + i, bases, site)
        return
    import multiprocessing
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        pending: deque = deque()
        for lines, first in _chunks(analysis, keep):
            pending.append(pool.submit(_render_chunk, lines, first, bases, str(out), site_title))
            if len(pending) >= 2 * workers:
                results = pending.popleft().result()
                site.pages += len(results)
                yield from results
        while pending:
            results = pending.popleft().result()
            site.pages += len(results)
            yield from results


def _write_post(site: _Site, record: dict[str, Any], rid: str, post_page: str, title: str, date: str,
                summary: str, tags: list[str], ents: dict[str, list[dict[str, Any]]], bases: list[Path]) -> int:
    root = "../"
    article, file_path, why = _find_text(record, bases=bases)
    source = _safe_url(record.get("url")) or (article is not None and _safe_url(article.url)) or None
    links = []
    if source:
        links.append(f'<a class="source" href="{esc(source)}" rel="noopener noreferrer">原文链接</a>')
    path_text = _text(record.get("path"))
    if path_text:
        if file_path is not None:
            rel = os.path.relpath(os.path.abspath(file_path), os.path.abspath(site.out / "posts")).replace(os.sep, "/")
            from urllib.parse import quote

            links.append(f'<a class="path" href="{esc(quote(rel))}">{esc(path_text)}</a>')
        else:
            links.append(f'<span class="path">{esc(path_text)}</span>')
    body = [f'<article class="post"><h1>{esc(title) or "（无标题）"}</h1>',
            f'<p class="meta"><span class="date">{esc(date) or "无日期"}</span> · <span class="id">{esc(rid)}</span>'
            f'{" · " if links else ""}{" · ".join(links)}</p>',
            f'<section><h2>摘要</h2><p class="summary">{esc(summary) or "（无摘要）"}</p></section>']
    if tags:
        body.append('<section><h2>标签</h2><p class="chips">' + "".join(
            f'<a class="chip" href="{root}tags/{href(page_name("tags", t))}">{esc(t)}</a>' for t in dict.fromkeys(tags)
        ) + "</p></section>")
    kws = []
    for k in _list(record.get("keywords")):
        if isinstance(k, dict) and _text(k.get("text")):
            score = k.get("score")
            shown = f"{score:.2f}" if isinstance(score, (int, float)) and not isinstance(score, bool) else ""
            kws.append(f'<span class="chip">{esc(k.get("text"))}<small>{esc(shown)}</small></span>')
        elif isinstance(k, str) and k:
            kws.append(f'<span class="chip">{esc(k)}</span>')
    if kws:
        body.append('<section><h2>关键词</h2><p class="chips">' + "".join(kws) + "</p></section>")
    body.append("<section><h2>正文</h2>")
    if article is not None:
        text_html, marked, bad = _highlight(article.text, ents, root)
        key = "".join(f'<span class="kind k-{k}">{esc(KIND_LABELS[k])}</span> ' for k in ENTITY_KINDS)
        body.append(f'<p class="note">已标出 {marked} 处提及：{key}'
                    + (f"另有 {bad} 处提及与原文对不上，未标出。" if bad else "") + "</p>")
        body.append(f'<div class="article-text" id="article-text">{text_html}</div>')
    else:
        body.append(f'<p class="note">{esc(why)}。</p>')
    body.append("</section>")
    rows = []
    for kind in ENTITY_KINDS:
        for e in ents[kind]:
            name = _text(e.get("name")).strip()
            shown = (f'<a href="{root}{kind}/{href(page_name(kind, name))}">{esc(name)}</a>' if kind in PAGE_KINDS
                     else esc(name))
            detail = ""
            if kind == "officials":
                detail = "，".join(esc(x) for x in (e.get("title"), e.get("organisation")) if _text(x))
            elif e.get("subtype"):
                detail = esc(_SUBTYPES.get(_text(e.get("subtype")), e.get("subtype")))
            rows.append((f'<span class="kind k-{kind}">{esc(KIND_LABELS[kind])}</span>', shown, detail,
                         str(len(_list(e.get("mentions"))))))
    if rows:
        body.append("<section><h2>实体</h2>" + table(["类别", "名称", "职务 / 类型", "提及"], rows, cls="entities") + "</section>")
    body.append("</article>")
    site.write(f"posts/{post_page}", title or rid, "".join(body))
    return int(article is not None), source


def _write_entity_pages(site: _Site, db: sqlite3.Connection, index_js: Any) -> dict[str, int]:
    root = "../"
    counts: dict[str, int] = dict.fromkeys(PAGE_KINDS, 0)
    first = True
    cursor = db.execute(
        "SELECT l.kind, l.name, l.mentions, l.title, l.org, p.page, p.title, p.date, p.summary, p.source "
        "FROM links l JOIN posts p ON p.n = l.post ORDER BY l.kind, l.name, p.date DESC, p.n"
    )
    current: tuple[str, str] | None = None
    rows: list[tuple] = []

    def flush() -> None:
        nonlocal first
        if current is None:
            return
        kind, name = current
        file = page_name(kind, name)
        # row: mentions, official's title, organisation, post page, post title, date, summary
        posts = {r[3]: r for r in rows}  # one line per post, even if a name is listed twice in it
        mentions = sum(r[0] for r in rows)
        body = [f'<h1><span class="kind k-{kind}">{esc(KIND_LABELS[kind])}</span> {esc(name)}</h1>',
                f'<p class="meta">{len(posts)} 篇文章' + (f"，{mentions} 次提及" if kind != "tags" else "") + "</p>"]
        if kind == "officials":
            seen: dict[tuple[str, str], list[str]] = {}
            for r in rows:
                if r[1] or r[2]:
                    seen.setdefault((r[1] or "", r[2] or ""), []).append(r[5][:10])
            if seen:
                trows = []
                for (t, org), dates in sorted(seen.items(), key=lambda kv: min(kv[1])):
                    dated = sorted(d for d in dates if d)
                    span = f"{dated[0]} – {dated[-1]}" if dated and dated[0] != dated[-1] else (dated[0] if dated else "")
                    trows.append((esc(t), esc(org), esc(span), str(len(dates))))
                body.append("<h2>职务</h2>" + table(["职务", "机构", "日期", "文章"], trows, cls="titles"))
        body.append('<h2>文章</h2><ul class="posts">' + "".join(_post_row_html(r[3:], root) for r in posts.values()) + "</ul>")
        site.write(f"{kind}/{file}", name, "".join(body))
        counts[kind] += 1
        index_js.write(("" if first else ",") + json.dumps([kind, name, len(posts), f"{kind}/{href(file)}"],
                                                          ensure_ascii=False) + "\n")
        first = False

    for row in cursor:
        key = (row[0], row[1])
        if key != current:
            flush()
            current, rows = key, []
        rows.append(row[2:])
    flush()
    for kind in PAGE_KINDS:  # the list of every name of a kind, most posts first, written as read
        head, tail = page(f"全部{KIND_LABELS[kind]}", "\x00", root="../", site_title=site.title).split("\x00")
        with open(site.out / kind / "index.html", "w", encoding="utf-8") as fh:
            fh.write(head + f'<h1>全部{esc(KIND_LABELS[kind])}（{counts[kind]}）</h1><ol class="names">')
            for name, c in db.execute("SELECT name, COUNT(DISTINCT post) c FROM links WHERE kind = ? "
                                      "GROUP BY name ORDER BY c DESC, name", (kind,)):
                fh.write(f'<li><a href="{href(page_name(kind, name))}">{esc(name)}</a> <span class="count">{c}</span></li>')
            fh.write("</ol>" + tail)
        site.pages += 1
    return counts


def _write_post_list(site: _Site, db: sqlite3.Connection) -> None:
    """Every post, newest first, written as it is read from the index (the page can be megabytes)."""
    total = db.execute("SELECT COUNT(*) FROM posts").fetchone()[0]
    head, tail = page("全部文章", "\x00", root="../", site_title=site.title).split("\x00")
    with open(site.out / "posts" / "index.html", "w", encoding="utf-8") as fh:
        fh.write(head + f'<h1>全部文章（{total}）</h1><ul class="posts">')
        for row in db.execute("SELECT page, title, date, summary, source FROM posts ORDER BY date DESC, n"):
            fh.write(_post_row_html(row, "../"))
        fh.write("</ul>" + tail)
    site.pages += 1


def _write_errors(site: _Site, errors_path: Path | None) -> int:
    rows, failed = [], 0
    if errors_path is not None:
        with open(errors_path, "rb") as fh:
            for line in fh:
                if not line.strip():
                    continue
                try:
                    e = json.loads(line.decode("utf-8-sig"))
                except (UnicodeDecodeError, ValueError):
                    e = {"reason": "errors 文件中无法读取的一行", "error_type": "—"}
                if not isinstance(e, dict):
                    e = {"reason": _text(e)}
                failed += 1
                rows.append((esc(e.get("id")), esc(e.get("path")), f"<code>{esc(e.get('error_type'))}</code>", esc(e.get("reason"))))
    where = f"（{esc(errors_path)}）" if errors_path is not None else "（没有 errors 文件）"
    body = f'<h1>失败的文章：<span id="failed-count">{failed}</span></h1><p class="meta">{where}</p>'
    body += table(["id", "文件", "错误类型", "原因"], rows, cls="errors") if rows else '<p class="note">没有失败的文章。</p>'
    site.write("errors.html", "失败的文章", body)
    return failed


def _write_search(site: _Site) -> None:
    body = ('<h1>搜索</h1><form class="search big" action="search.html" method="get" role="search">'
            '<input id="q" type="search" name="q" placeholder="标题、摘要、机构、官员、项目、标签" aria-label="搜索">'
            '<button type="submit">搜索</button></form>'
            '<p id="search-status" class="note">输入词语后按回车。</p>'
            '<h2 id="entity-heading" hidden>名称</h2><ul id="entity-results" class="names"></ul>'
            '<h2 id="post-heading" hidden>文章</h2><ul id="post-results" class="posts"></ul>')
    site.write("search.html", "搜索", body, search=True)


def _write_overview(site: _Site, db: sqlite3.Connection, s: ReportSummary, months: dict[str, dict[str, int]],
                    undated: int, top_k: int) -> None:
    date_range = f"{s.first_date} – {s.last_date}" if s.first_date else "无日期"
    stats = [
        ("posts", "已分析", s.posts, "posts/index.html"),
        ("failed", "失败", s.failed, "errors.html"),
        ("skipped", "跳过", s.skipped, None),
    ]
    cards = "".join(
        f'<div class="stat"><span class="n" id="count-{key}">{value}</span>'
        + (f'<a href="{link}">{label}</a>' if link else f"<span>{label}</span>") + "</div>"
        for key, label, value, link in stats
    )
    body = [f"<h1>{esc(site.title)}</h1>",
            f'<div class="stats">{cards}<div class="stat"><span class="n small" id="date-range">{esc(date_range)}</span><span>日期范围</span></div></div>']
    if s.skipped:
        body.append(f'<p class="note">跳过：JSONL 中 {s.unreadable} 行无法读取，{s.superseded} 条是同一 id 的旧记录（以最后一条为准）。</p>')
    if s.posts and s.texts < s.posts:
        body.append(f'<p class="note">{s.posts - s.texts} 篇文章找不到标注时的原文，正文中的提及未标出（见各文章页）。</p>')
    if months:
        ordered = month_range(min(months), max(months))
        series = {k: [months.get(m, {}).get(k, 0) for m in ordered] for k in CHART_KINDS}
        body.append("<h2>每月提及</h2>" + timeline_svg(ordered, series, title="每月机构、官员、项目的提及次数"))
        if undated:
            body.append(f'<p class="note">{undated} 篇文章没有日期，不在时间线中。</p>')
    else:
        body.append("<h2>每月提及</h2>" + timeline_svg([], {}, title=""))
    body.append('<div class="tops">')
    for kind in PAGE_KINDS:
        top = db.execute("SELECT name, COUNT(DISTINCT post) c FROM links WHERE kind = ? GROUP BY name "
                         "ORDER BY c DESC, name LIMIT ?", (kind, top_k)).fetchall()
        items = "".join(f'<li><a href="{kind}/{href(page_name(kind, name))}">{esc(name)}</a> <span class="count">{c}</span></li>'
                        for name, c in top)
        body.append(f'<section class="top" id="top-{kind}"><h2>{esc(KIND_LABELS[kind])}'
                    f'<small>（共 {s.counts.get(kind, 0)}，<a href="{kind}/index.html">全部</a>）</small></h2>'
                    f'<ol class="names">{items or "<li>无</li>"}</ol></section>')
    body.append("</div>")
    site.write("index.html", "概览", "".join(body))
