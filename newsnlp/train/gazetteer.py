"""Build the company gazetteer (``models/gazetteer/companies.tsv``) from the shared name lists.

Sources (``--data-dir``, ``../shared/data`` by default):

* ``listed_companies_cn``: Shenzhen and Shanghai A/B listings: the short name without its
  trading-status prefix (``short_name_base``: ``*ST国华`` -> ``国华``), the extended short name
  (Shanghai), the Chinese full name (Shenzhen) and the stock code;
* ``foreign_companies_zh``: Chinese names of foreign (and some Chinese) companies with tickers.

Each row is ``name, kind, code, full_name, free``. ``kind`` is ``short``, ``extended``, ``full``
or ``foreign``. ``free`` says whether the name may be matched anywhere in a text; a name that
is not free is matched only where the text itself marks it as a company (a stock code after
it, or 股份 / 集团 / 控股 / 公司 right after it). A name is not free when it has fewer than three
characters, or when jieba's dictionary lists it as a frequent common word (frequency ≥
``--common-freq`` with a tag other than nt/nz/j: 农产品, 太阳能, 陆家嘴, 苹果).

Usage::

    python -m newsnlp.train.gazetteer --data-dir ../shared/data --out models/gazetteer
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path
from typing import Iterable, Iterator

FILE_NAME = "companies.tsv"
HEADER = ("name", "kind", "code", "full_name", "free")
_NAME_TAGS = {"nt", "nz", "j"}
_STATUS_PREFIX = re.compile(r"^(?:\*ST|ST|S\*ST|SST|S|C|N|XD|XR|DR)(?=[\u4e00-\u9fff])")
_SHARE_LETTER = re.compile(r"(?<=[\u4e00-\u9fff])[AB]$")
# Foreign-list "tickers" that are notes, not codes.
_TICKER = re.compile(r"^[A-Z]{1,5}(?:\.[A-Z]{1,2})?$|^\d{4,6}(?:\.[A-Z]{2})?$")


def _read_jsonl(path: Path) -> Iterator[dict]:
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found; --data-dir must hold listed_companies_cn/ and foreign_companies_zh/")
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def jieba_common_words(min_freq: int) -> dict[str, tuple[int, str]]:
    """Words of jieba's dictionary with frequency ≥ ``min_freq`` (word -> (freq, tag))."""
    import jieba

    path = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")
    out: dict[str, tuple[int, str]] = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) == 3 and int(parts[1]) >= min_freq:
                out[parts[0]] = (int(parts[1]), parts[2])
    return out


def clean_short_name(name: str) -> str:
    """``*ST国华`` -> ``国华``, ``万科A`` -> ``万科``, ``万  科Ａ`` -> ``万科``."""
    import unicodedata

    name = re.sub(r"\s+", "", unicodedata.normalize("NFKC", name or ""))
    name = _STATUS_PREFIX.sub("", name)
    return _SHARE_LETTER.sub("", name)


def is_free(name: str, common: dict[str, tuple[int, str]]) -> bool:
    """May ``name`` be matched without a stock code or company ending beside it?"""
    if len(name) < 3:
        return False
    hit = common.get(name)
    return hit is None or hit[1] in _NAME_TAGS


def build_rows(data_dir: Path, *, common_freq: int = 20) -> list[tuple[str, str, str, str, str]]:
    """The gazetteer rows, sorted by name then kind (the first row of a name wins when loading)."""
    common = jieba_common_words(common_freq)
    rows: dict[tuple[str, str], tuple[str, str, str, str, str]] = {}

    def add(name: str, kind: str, code: str, full: str) -> None:
        name = name.strip()
        if len(name) < 2 or not re.search(r"[\u4e00-\u9fff]", name):
            return
        key = (name, kind)
        if key not in rows:
            rows[key] = (name, kind, code, full, "1" if is_free(name, common) else "0")

    data_dir = Path(data_dir)
    for r in _read_jsonl(data_dir / "listed_companies_cn" / "listed_companies_cn.jsonl"):
        code = str(r.get("code") or "")
        full = (r.get("full_name") or "").strip()
        base = clean_short_name(r.get("short_name_base") or r.get("short_name") or "")
        add(base, "short", code, full)
        extended = clean_short_name(r.get("extended_short_name") or "")
        if extended and extended != base:
            add(extended, "extended", code, full)
        if full:
            add(full, "full", code, full)
    for r in _read_jsonl(data_dir / "foreign_companies_zh" / "foreign_companies_zh.jsonl"):
        code = str(r.get("code") or "")
        code = code if _TICKER.match(code) else ""
        for name in [r.get("short_name") or "", *(r.get("alt_names") or [])]:
            add(name.strip(), "foreign", code, (r.get("full_name") or "").strip())
    order = {"full": 0, "short": 1, "extended": 2, "foreign": 3}
    return sorted(rows.values(), key=lambda row: (row[0], order[row[1]]))


def write(rows: Iterable[tuple[str, ...]], out_dir: Path) -> Path:
    """Write ``companies.tsv`` atomically; returns its path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / FILE_NAME
    tmp = path.with_suffix(".tsv.tmp")
    with tmp.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write("\t".join(HEADER) + "\n")
        for row in rows:
            if any("\t" in cell or "\n" in cell for cell in row):
                continue
            handle.write("\t".join(row) + "\n")
    os.replace(tmp, path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the company gazetteer from the shared name lists.")
    parser.add_argument("--data-dir", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=Path("models/gazetteer"))
    parser.add_argument("--common-freq", type=int, default=20,
                        help="jieba frequency from which a common word is not matched freely (default 20)")
    args = parser.parse_args(argv)
    try:
        rows = build_rows(args.data_dir, common_freq=args.common_freq)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    path = write(rows, args.out)
    kinds: dict[str, int] = {}
    for row in rows:
        kinds[row[1]] = kinds.get(row[1], 0) + 1
    free = sum(row[4] == "1" for row in rows)
    print(f"wrote {path}: {len(rows)} names ({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))}; free {free}), "
          f"{path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
