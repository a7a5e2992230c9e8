"""Labelled sets for ``newsnlp evaluate``: readers for every supported shape, one record type.

A set is read into :class:`Record` objects, each remembering where it came from (``line 7`` of a
JSONL file, ``row 7`` of a Parquet file or dataset) so that every complaint names its place.
The format is the ``newsdev`` one (docs/evaluate.md): ``text``, optional ``title`` / ``id``, and
any of ``summary``, ``keywords`` (``tags`` is read as keywords), ``organisations``, ``officials``,
``programmes``, ``persons``, ``places`` and span-level ``entities``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping

from ..article import Article, read_article
from ..errors import NewsNLPError
from .splits import role_of, split_part

__all__ = ["DataError", "Record", "PublicSet", "PUBLIC_SETS", "BUILTIN_SETS", "load_records", "sample_dir",
           "public_path", "load_public"]

LABEL_FIELDS = ("summary", "keywords", "organisations", "officials", "programmes", "persons", "places", "entities")
LIST_FIELDS = ("organisations", "officials", "programmes", "persons", "places")
LABEL_FILES = ("labels.jsonl", "labels.json", "labels.parquet")


class DataError(NewsNLPError, ValueError):
    """A labelled set that cannot be read or scored; the message names the record's line."""


@dataclass
class Record:
    """One labelled article: the input given to every system and its gold labels."""

    where: str
    article: Article
    labels: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.article.text

    @property
    def id(self) -> str | None:
        return self.article.id


# --------------------------------------------------------------------------- public sets


@dataclass(frozen=True)
class PublicSet:
    """Where a public evaluation set is (under ``--data-dir``) and which of its records are evaluated."""

    name: str
    folder: str
    description: str
    keep: Callable[[dict[str, Any]], bool]
    split_label: str




def msra_is_eval(record: dict[str, Any]) -> bool:
    """The MSRA evaluation third: the NER trainer's own split (numeric id ``% 3 == 2``)."""
    return role_of("msra", record) == "eval:msra_eval"


def _split_part():
    return split_part


def keyword_set_is_eval(record: dict[str, Any]) -> bool:
    """TNEWS / CSL: the dev records of the half the keyword weights were *not* tuned on."""
    if record.get("split") != "dev":
        return False
    split_part = _split_part()
    return split_part is None or split_part(record["id"]) == "report"


def keyword_split_label() -> str:
    if _split_part() is None:
        return "dev split (all of it)"
    return "dev split, 'report' half (newsnlp.train.idf.split_part; the 'tune' half tuned the keyword weights)"


PUBLIC_SETS: dict[str, PublicSet] = {
    "lcsts": PublicSet("LCSTS", "lcsts", "Weibo posts of news outlets with one-line human summaries",
                       lambda r: r.get("split") == "val", "val split"),
    "cluener": PublicSet("CLUENER2020", "cluener2020", "Sina News sentences, 10 entity labels",
                         lambda r: r.get("split") == "dev", "dev split"),
    "msra": PublicSet("MSRA NER", "msra_ner", "People's Daily sentences (validation part), PER/LOC/ORG",
                      msra_is_eval, "evaluation third (numeric id % 3 == 2, held out of training)"),
    "resume": PublicSet("Resume NER", "resume_ner", "Sina Finance executive resumes",
                        lambda r: r.get("split") == "test", "test split"),
    "csl": PublicSet("CSL", "csl_keywords", "Chinese scientific abstracts (title + abstract) with author keywords",
                     keyword_set_is_eval, "see keyword_split_label()"),
    "tnews": PublicSet("TNEWS", "tnews_keywords", "Toutiao headlines (title only) with Toutiao's keywords",
                       keyword_set_is_eval, "see keyword_split_label()"),
}
# Built-in names --data accepts: the shipped sample corpus, newsdev and the public sets (with --data-dir).
BUILTIN_SETS = ("sample", "newsdev", *PUBLIC_SETS)


def public_path(data_dir: str | os.PathLike, key: str) -> Path:
    spec = PUBLIC_SETS[key]
    return Path(data_dir) / spec.folder / f"{spec.folder}.jsonl"


def load_public(data_dir: str | os.PathLike, key: str, *, limit: int | None = None) -> list[dict[str, Any]]:
    """The evaluation records of one public set, read with ``datasets``, at most ``limit`` of them.

    Raises:
        FileNotFoundError: the corpus file is missing.
    """
    path = public_path(data_dir, key)
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found; --data-dir must hold {PUBLIC_SETS[key].folder}/")
    import datasets

    datasets.disable_progress_bars()
    datasets.logging.set_verbosity_error()
    table = datasets.load_dataset("json", data_files=str(path), split="train")
    spec = PUBLIC_SETS[key]
    records: list[dict[str, Any]] = []
    for record in table:
        if spec.keep(record):
            records.append(record)
            if limit is not None and len(records) >= limit:
                break
    return records


# --------------------------------------------------------------------------- the sample corpus

_PACKAGE_DIR = Path(__file__).resolve().parent


def sample_dir() -> Path:
    """The shipped sample corpus: ``newsnlp/evaluation/sample`` in a wheel, ``benchmarks/data`` in a checkout."""
    for candidate in (_PACKAGE_DIR / "sample", _PACKAGE_DIR.parents[1] / "benchmarks" / "data"):
        if (candidate / "labels.jsonl").is_file():
            return candidate
    raise DataError(f"the sample corpus was not found in {_PACKAGE_DIR / 'sample'} (reinstall newsnlp: the wheel "
                    "carries it) or in benchmarks/data of a checkout")


# --------------------------------------------------------------------------- readers


def _iter_jsonl(path: Path) -> Iterator[tuple[str, Any]]:
    with path.open(encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                yield f"line {number}", json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataError(f"{path} line {number}: not valid JSON ({exc.msg} at column {exc.colno}); each line "
                                "must be one JSON object such as {\"text\": \"...\", \"summary\": \"...\"}") from None


def _iter_json(path: Path) -> Iterator[tuple[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno}); write a JSON list of records "
                        "or JSONL (one record per line)") from None
    if not isinstance(data, list):
        raise DataError(f"{path}: expected a JSON list of records, got a {type(data).__name__}")
    for number, item in enumerate(data, 1):
        yield f"record {number}", item


def _iter_parquet(path: Path) -> Iterator[tuple[str, Any]]:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise DataError(f"reading {path} needs pyarrow: pip install pyarrow (or 'newsnlp[bench]')") from None
    for number, row in enumerate(pq.read_table(path).to_pylist(), 1):
        yield f"row {number}", row


def _iter_saved_dataset(path: Path) -> Iterator[tuple[str, Any]]:
    import datasets

    loaded = datasets.load_from_disk(str(path))
    if isinstance(loaded, datasets.DatasetDict):
        splits = list(loaded)
        split = next((s for s in ("test", "validation", "dev", "val") if s in loaded), splits[0] if len(splits) == 1 else None)
        if split is None:
            raise DataError(f"{path} is a DatasetDict with splits {', '.join(splits)} and none is test/validation/dev; "
                            f"save the split to score with dataset['{splits[0]}'].save_to_disk(...)")
        loaded = loaded[split]
    for number, row in enumerate(loaded, 1):
        yield f"row {number}", row


def _is_saved_dataset(path: Path) -> bool:
    return path.is_dir() and ((path / "dataset_info.json").is_file() or (path / "dataset_dict.json").is_file()
                              or (path / "state.json").is_file())


def _labels_file(folder: Path) -> Path | None:
    return next((folder / name for name in LABEL_FILES if (folder / name).is_file()), None)


def _rows_of(path: Path) -> Iterator[tuple[str, Any]]:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return _iter_jsonl(path)
    if suffix == ".json":
        return _iter_json(path)
    if suffix in (".parquet", ".pq"):
        return _iter_parquet(path)
    raise DataError(f"{path}: unknown file type {suffix or '(none)'}; --data takes .jsonl, .json or .parquet, a saved "
                    f"datasets folder, a folder of posts with {LABEL_FILES[0]}, or one of {', '.join(BUILTIN_SETS)}")


def _post_of(folder: Path, row: Mapping[str, Any]) -> Path | None:
    """The post file a labels row names: its ``path``, else ``posts/<id>`` or ``<id>`` when that file exists."""
    if isinstance(row.get("path"), str):
        return folder / row["path"]
    for key in ("file", "id"):
        name = row.get(key)
        if isinstance(name, str) and name:
            for candidate in (folder / "posts" / name, folder / name):
                if candidate.is_file():
                    return candidate
    return None


# --------------------------------------------------------------------------- one record


def _check_str_list(value: Any, name: str, where: str, *, allow_dicts: bool = False) -> list[Any]:
    if not isinstance(value, (list, tuple)) or any(
        not (isinstance(v, str) or (allow_dicts and isinstance(v, Mapping) and isinstance(v.get("name"), str)))
        for v in value
    ):
        shape = "names or {\"name\", \"title\"} objects" if allow_dicts else "strings"
        raise DataError(f"{where}: {name!r} must be a list of {shape}, got {json.dumps(value, ensure_ascii=False, default=str)[:80]}")
    return list(value)


def _check_entities(value: Any, text: str, where: str) -> list[dict[str, Any]]:
    if not isinstance(value, (list, tuple)):
        raise DataError(f"{where}: 'entities' must be a list of {{\"type\", \"start\", \"end\"}} objects")
    out = []
    for i, e in enumerate(value):
        if not isinstance(e, Mapping) or not isinstance(e.get("type"), str) or not all(
            isinstance(e.get(k), int) and not isinstance(e.get(k), bool) for k in ("start", "end")
        ):
            raise DataError(f"{where}: entity {i} must have a str 'type' and int 'start' / 'end', got "
                            f"{json.dumps(e, ensure_ascii=False, default=str)[:80]}")
        start, end = e["start"], e["end"]
        if not 0 <= start < end <= len(text):
            raise DataError(f"{where}: entity {i} ({e['type']}) has offsets {start}:{end} outside the text "
                            f"({len(text)} characters); offsets are characters, start inclusive, end exclusive")
        if isinstance(e.get("text"), str) and text[start:end] != e["text"]:
            raise DataError(f"{where}: entity {i} says {e['text']!r} but text[{start}:{end}] is {text[start:end]!r}; "
                            "offsets must index the record's text")
        out.append({"type": e["type"], "start": start, "end": end, "text": text[start:end]})
    return out


def make_record(row: Any, where: str, *, folder: Path | None = None) -> Record:
    """Check one row of a labelled set and turn it into a :class:`Record`.

    Raises:
        DataError: a field has the wrong type; the message starts with ``where``.
    """
    if not isinstance(row, Mapping):
        raise DataError(f"{where}: a record must be a JSON object, got {type(row).__name__}")
    article: Article | None = None
    if folder is not None:
        post = _post_of(folder, row)
        if post is not None:
            if not post.is_file():
                raise DataError(f"{where}: the post {post} named by the labels file does not exist")
            article = read_article(post)
    if article is None:
        text, title = row.get("text"), row.get("title")
        if text is None and not title:
            raise DataError(f"{where}: no 'text' (every record needs the article text{', or a post file' if folder else ''})")
        if text is not None and not isinstance(text, str):
            raise DataError(f"{where}: 'text' must be a string, got {type(text).__name__}")
        if title is not None and not isinstance(title, str):
            raise DataError(f"{where}: 'title' must be a string, got {type(title).__name__}")
        rid = row.get("id")
        article = Article(text=text or "", title=title or None, id=None if rid is None else str(rid))
    elif article.id is None and row.get("id") is not None:
        article = Article(text=article.text, title=article.title, id=str(row["id"]))
    labels: dict[str, Any] = {}
    summary = row.get("summary")
    if summary is not None:
        if not isinstance(summary, str):
            raise DataError(f"{where}: 'summary' must be a string, got {type(summary).__name__}")
        labels["summary"] = summary
    keywords = row.get("keywords", row.get("tags"))
    if keywords is not None:
        labels["keywords"] = _check_str_list(keywords, "keywords", where)
    for name in LIST_FIELDS:
        if row.get(name) is not None:
            labels[name] = _check_str_list(row[name], name, where, allow_dicts=True)
    if row.get("entities") is not None:
        labels["entities"] = _check_entities(row["entities"], article.text, where)
    return Record(where, article, labels)


def _records(rows: Iterable[tuple[str, Any]], prefix: str, *, folder: Path | None = None,
             limit: int | None = None) -> list[Record]:
    out = []
    for where, row in rows:
        out.append(make_record(row, f"{prefix} {where}", folder=folder))
        if limit is not None and len(out) >= limit:
            break
    return out


def _public_records(data_dir: Path, key: str, limit: int | None) -> list[Record]:
    if not public_path(data_dir, key).is_file():
        raise DataError(f"{public_path(data_dir, key)} not found: --data-dir must be the folder holding "
                        f"{PUBLIC_SETS[key].folder}/ (e.g. --data-dir ../shared/data)")
    rows = load_public(data_dir, key, limit=limit)
    if key == "tnews":  # a headline is all there is
        rows = [{"id": r["id"], "title": r["title"], "text": "", "keywords": r["keywords"]} for r in rows]
    elif key == "csl":
        rows = [{"id": r["id"], "title": r["title"], "text": r["text"] or "", "keywords": r["keywords"]} for r in rows]
    name = PUBLIC_SETS[key].folder
    return [make_record(r, f"{name} record {i}") for i, r in enumerate(rows, 1)]


def load_records(data: Any, *, data_dir: str | os.PathLike | None = None, limit: int | None = None) -> tuple[str, list[Record]]:
    """Read a labelled set; returns its display name and the records, at most ``limit`` of them.

    Args:
        data: a ``.jsonl`` / ``.json`` / ``.parquet`` file, a saved ``datasets`` folder, a folder
            with ``labels.jsonl`` (rows name their post by ``path``, or by ``id`` = a file in
            ``posts/``), a list of dicts, or a built-in name (``sample``; ``newsdev``, ``lcsts``,
            ``cluener``, ``msra``, ``resume``, ``csl``, ``tnews`` with ``data_dir``).
        data_dir: the folder of the public sets (``../shared/data``).
        limit: the first ``limit`` records only.

    Raises:
        DataError: the set is missing, of an unknown kind, or a record is malformed (the message
            names its line).
    """
    if isinstance(data, (list, tuple)):
        return "records", _records(((f"record {i}", r) for i, r in enumerate(data, 1)), "", limit=limit)
    name = os.fspath(data)
    path = Path(name)
    if name in BUILTIN_SETS and not path.exists():
        if name == "sample":
            folder = sample_dir()
            return "sample corpus", _records(_iter_jsonl(folder / "labels.jsonl"), "sample labels.jsonl", folder=folder,
                                             limit=limit)
        if data_dir is None:
            raise DataError(f"--data {name} is a public set: say where the public sets are with --data-dir "
                            "(e.g. --data-dir ../shared/data); only 'sample' ships with newsnlp")
        if name == "newsdev":
            folder = Path(data_dir) / "newsdev"
            if _labels_file(folder) is None:
                raise DataError(f"{folder}/labels.jsonl not found: --data-dir must hold newsdev/")
            return "newsdev", _records(_iter_jsonl(folder / "labels.jsonl"), "newsdev labels.jsonl", folder=folder,
                                       limit=limit)
        return PUBLIC_SETS[name].name, _public_records(Path(data_dir), name, limit)
    if not path.exists():
        raise DataError(f"--data {name!r}: no such file or folder, and not a built-in set ({', '.join(BUILTIN_SETS)})")
    if path.is_dir():
        if _is_saved_dataset(path):
            return path.name, _records(_iter_saved_dataset(path), str(path), limit=limit)
        labels = _labels_file(path)
        if labels is None:
            raise DataError(f"{path} is a folder without {' / '.join(LABEL_FILES)}: a folder of posts needs a labels "
                            "file with one row per post (see docs/evaluate.md), and a saved dataset has dataset_info.json")
        return path.name, _records(_rows_of(labels), str(labels), folder=path, limit=limit)
    return path.name, _records(_rows_of(path), str(path), limit=limit)
