"""Company names: the shipped gazetteer and the stock-code patterns of Chinese financial news.

The gazetteer (``models/gazetteer/companies.tsv``, built by ``python -m newsnlp.train.gazetteer``)
holds listed A/B-share short names, extended short names and full names with their codes,
and the Chinese names of foreign companies. :meth:`Gazetteer.find` reads a text and returns
the company names it holds:

* ``名称(600028)``, ``名称（01797.HK）``, ``名称(NIO.N)``, ``名称（002007.SZ）``: a name right
  before a stock code is a company, whether or not the gazetteer knows it (its extent is the
  gazetteer's name for that code when the text ends with it, else the gazetteer name or the
  run of name characters that ends there);
* ``*ST宏图``, ``ST丹邦``: a trading-status prefix and the name after it;
* ``XX股份`` / ``XX集团`` / ``XX控股`` / ``XX公司`` where ``XX`` is a gazetteer name (``比亚迪股份``,
  ``苹果公司``);
* any name the gazetteer marks *free* (three characters or more and not a common word); a
  listed short name also needs a market or company word in its sentence (涨, 股, 公告,
  营收, 公司 …), so 新产业工人 or 京沪高铁等设施 are not read as listed companies.

Nothing is read at import time; :func:`default_gazetteer` loads the shipped file once.

Example:
    >>> g = Gazetteer([GazetteerEntry("中国石化", "short", "600028", "中国石油化工股份有限公司", True)])
    >>> [(m.text, m.reason) for m in g.find("中国石化（600028）涨停，*ST宏图跌停。")]
    [('中国石化', 'code'), ('*ST宏图', 'st')]
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from .._util import CJK_RANGE
from ..errors import ModelLoadError

__all__ = ["Gazetteer", "GazetteerEntry", "GazetteerMatch", "default_gazetteer", "STOCK_CODE"]

FILE_NAME = "companies.tsv"

#: A stock code in brackets as financial news writes it after a company name.
STOCK_CODE = re.compile(
    r"[（(]\s*(?P<code>(?:SH|SZ|sh|sz)?\d{6}(?:\.(?:SH|SZ|BJ|SS|sh|sz))?|\d{4,5}\.(?:HK|hk)"
    r"|[A-Z]{1,5}\.(?:N|O|OQ|US|HK|L|T|DE)|(?:NYSE|NASDAQ|Nasdaq|HK|US)[:：]\s?[A-Z0-9]{1,6})\s*[）)]"
)
_ST = re.compile(rf"(?<![A-Za-z])(?:\*ST|ST|S\*ST|SST)(?P<base>(?![股板类概系个公])[{CJK_RANGE}]{{2,4}})")
_COMPANY_TAIL = re.compile(r"(?:股份有限公司|集团有限公司|控股有限公司|有限公司|股份|集团|控股|公司)")
# Characters a name before a stock code is not made of (the run stops there).
_NAME_CHAR = re.compile(rf"[{CJK_RANGE}A-Za-z0-9*·&]")
_STOP = set("的了是对向将把被让从为与及或等也都已还就于以并但而且又这那每些我你他她它着过给到说称由仍和、")
#: Words that show a sentence is about companies or markets (a free short name needs one).
MARKET_CUES = re.compile(
    r"股|涨|跌|市值|公告|板块|证券|上市|营收|营业收入|净利|利润|业绩|投资|董事|公司|集团|收购|并购|融资|订单|财报|季度|"
    r"亿元|万元|控股|签约|产能|出货|客户|供应商|龙头|估值|评级|研报|交易所|停牌|复牌|减持|增持|回购|分红|募资|"
    r"机构|券商|基金|总裁|总经理|董事长|CEO"
)
_SENTENCE_END = re.compile(r"[。！？!?；;\n]")
_LEAD_WORDS = re.compile(r"^(?:其中|此外|另外|同时|据悉|公告称|消息称|龙头|个股|其|如|像|包括|例如|比如|而|但|因|受|今日|昨日|盘中|午后|早盘|尾盘)")


@dataclass(frozen=True)
class GazetteerEntry:
    """One name: ``kind`` is ``short``, ``extended``, ``full``, ``foreign`` or ``lexicon`` (an archive lexicon)."""

    name: str
    kind: str
    code: str = ""
    full_name: str = ""
    free: bool = True


@dataclass(frozen=True)
class GazetteerMatch:
    """A company name found in a text; ``reason`` is ``code``, ``st``, ``suffix`` or ``name``."""

    start: int
    end: int
    text: str
    reason: str
    entry: GazetteerEntry | None = None

    @property
    def full_name(self) -> str:
        """The gazetteer's full name for this company, ``""`` when it has none."""
        return self.entry.full_name if self.entry is not None else ""


class Gazetteer:
    """A company-name list with the stock-code patterns of financial news.

    Args:
        entries: the names; when a name occurs twice the first entry wins.

    Example:
        >>> g = Gazetteer([GazetteerEntry("比亚迪", "short", "002594", "比亚迪股份有限公司", True)])
        >>> [(m.text, m.reason) for m in g.find("比亚迪股份发布公告")]
        [('比亚迪股份', 'suffix')]
    """

    def __init__(self, entries: Iterable[GazetteerEntry]) -> None:
        self.entries: dict[str, GazetteerEntry] = {}
        self.by_code: dict[str, GazetteerEntry] = {}
        for e in entries:
            if not isinstance(e, GazetteerEntry):
                raise TypeError(f"gazetteer entries must be GazetteerEntry, got {type(e).__name__}")
            if len(e.name) < 2:
                continue
            self.entries.setdefault(e.name, e)
            if e.code and e.kind != "full":
                self.by_code.setdefault(e.code, e)
        self._lengths: dict[str, list[int]] = {}
        for name in self.entries:
            self._lengths.setdefault(name[0], []).append(len(name))
        for first, lengths in self._lengths.items():
            self._lengths[first] = sorted(set(lengths), reverse=True)
        # short name -> full name, and full name -> its short names (both from the lists)
        self.full_of: dict[str, str] = {}
        for e in self.entries.values():
            if e.kind != "full" and e.full_name and e.full_name != e.name:
                self.full_of.setdefault(e.name, e.full_name)

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, name: object) -> bool:
        return name in self.entries

    @classmethod
    def load(cls, path: str | Path | None = None) -> "Gazetteer":
        """Read a gazetteer folder or ``companies.tsv`` (``None``: the shipped one).

        Raises:
            ModelNotFoundError: the shipped gazetteer is missing.
            ModelLoadError: the file is not a gazetteer (wrong header).
        """
        if path is None:
            from ..resources import model_path

            path = model_path("gazetteer")
        path = Path(path)
        if path.is_dir():
            path = path / FILE_NAME
        if not path.is_file():
            from ..errors import ModelNotFoundError

            raise ModelNotFoundError(
                f"gazetteer file {str(path)!r} not found; build it with "
                "`python -m newsnlp.train.gazetteer --data-dir ../shared/data --out models/gazetteer`"
            )
        return cls(_read_tsv(path))

    # ---------------------------------------------------------------- matching
    def lookup_at(self, text: str, start: int, end: int | None = None) -> GazetteerEntry | None:
        """The longest gazetteer name starting at ``start`` (ending by ``end``)."""
        lengths = self._lengths.get(text[start : start + 1])
        if not lengths:
            return None
        limit = len(text) if end is None else end
        for n in lengths:
            if start + n <= limit:
                e = self.entries.get(text[start : start + n])
                if e is not None:
                    return e
        return None

    def _name_ending_at(self, text: str, end: int) -> tuple[int, GazetteerEntry | None]:
        """Start of the company name that ends at ``end`` (before a stock code)."""
        for start in range(max(0, end - 30), end - 1):
            e = self.entries.get(text[start:end])
            if e is not None:
                return start, e
        k = end
        while k > 0 and end - k < 12 and _NAME_CHAR.match(text[k - 1]) and text[k - 1] not in _STOP:
            k -= 1
        lead = _LEAD_WORDS.match(text, k, end)
        if lead is not None and end - lead.end() >= 2:
            k = lead.end()
        return k, None

    def find(self, text: str) -> list[GazetteerMatch]:
        """Company names in ``text``, without overlaps, in text order.

        Stock-code and ``*ST`` matches come first, then ``XX股份``-style names, then free
        names; a later match never overlaps an earlier one.

        Example:
            >>> g = Gazetteer([GazetteerEntry("新东方在线", "short", "", "", True)])
            >>> [(m.text, m.start) for m in g.find("新东方在线(01797.HK)收涨")]
            [('新东方在线', 0)]
        """
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, got {type(text).__name__}")
        taken = bytearray(len(text))
        out: list[GazetteerMatch] = []

        def add(start: int, end: int, reason: str, entry: GazetteerEntry | None) -> None:
            if end - start < 2 or any(taken[start:end]):
                return
            taken[start:end] = b"\x01" * (end - start)
            out.append(GazetteerMatch(start, end, text[start:end], reason, entry))

        for m in STOCK_CODE.finditer(text):
            end = m.start()
            code = re.sub(r"^(?:SH|SZ|sh|sz)|\.\w+$", "", m.group("code"))
            known = self.by_code.get(code)
            if known is not None and text.endswith(known.name, 0, end):
                add(end - len(known.name), end, "code", known)
                continue
            start, entry = self._name_ending_at(text, end)
            if end - start >= 2:
                add(start, end, "code", entry or known)
        for m in _ST.finditer(text):
            base_start = m.start("base")
            e = self.lookup_at(text, base_start)
            end = base_start + len(e.name) if e is not None else base_start + 2
            add(m.start(), end, "st", e)
        for i in range(len(text)):
            if taken[i]:
                continue
            e = self.lookup_at(text, i)
            if e is None:
                continue
            end = i + len(e.name)
            tail = _COMPANY_TAIL.match(text, end)
            if e.kind != "full" and tail is not None:
                add(i, tail.end(), "suffix", e)
            elif e.free and _starts_word(text, i) and not _continues_name(text, end) and (
                e.kind in ("full", "foreign", "lexicon") or _market_sentence(text, i, end)
            ):
                add(i, end, "name", e)
        out.sort(key=lambda m: m.start)
        return out


def _market_sentence(text: str, start: int, end: int) -> bool:
    """Does the sentence around ``text[start:end]`` speak of companies or markets?"""
    lo = start
    while lo > 0 and not _SENTENCE_END.match(text, lo - 1):
        lo -= 1
    m = _SENTENCE_END.search(text, end)
    hi = m.start() if m else len(text)
    return bool(MARKET_CUES.search(text[lo:start] + text[end:hi]))


def _starts_word(text: str, i: int) -> bool:
    """A Latin name (TCL中环) must not start inside a Latin word."""
    return not (i > 0 and text[i].isascii() and text[i].isalnum() and text[i - 1].isascii() and text[i - 1].isalnum())


def _continues_name(text: str, end: int) -> bool:
    """A name followed by Latin letters or digits (中国平安A) is part of something longer."""
    return end < len(text) and text[end].isascii() and text[end].isalnum() and text[end - 1].isascii()


def _read_tsv(path: Path) -> Iterator[GazetteerEntry]:
    with path.open(encoding="utf-8") as handle:
        header = handle.readline().rstrip("\n").split("\t")
        if header[:5] != ["name", "kind", "code", "full_name", "free"]:
            raise ModelLoadError(
                f"{path} is not a newsnlp gazetteer: its header is {header!r}, expected "
                "name, kind, code, full_name, free; rebuild it with `python -m newsnlp.train.gazetteer`"
            )
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 5:
                yield GazetteerEntry(parts[0], parts[1], parts[2], parts[3], parts[4] == "1")


_DEFAULT: list[Gazetteer] = []
_LOCK = threading.Lock()


def default_gazetteer() -> Gazetteer:
    """The shipped gazetteer, loaded on first use and kept."""
    if not _DEFAULT:
        with _LOCK:
            if not _DEFAULT:
                _DEFAULT.append(Gazetteer.load())
    return _DEFAULT[0]
