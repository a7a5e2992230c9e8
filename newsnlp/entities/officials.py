"""Officials: title chains -> (person, title, organisation).

:func:`title_candidates` finds the titles of a text, :func:`foreign_leader_candidates` the
``country + head-of-state title + name`` pattern (法国总统马克龙). :class:`TitleChainParser` reads, for each
person, the chain of ``[organisation][title]`` items before the name (宁波市人大常委会副主任、市总工会主席李谦),
in brackets after it (汤建民（市发改委主任）) or split around it (浙江省委袁家军书记), and names the
organisation through an :class:`~newsnlp.entities.organisations.OrgResolver`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .._util import CJK_RANGE, is_cjk
from ..types import Official
from .candidates import Candidate, last_suffix_end
from .organisations import OrgResolver, generic_org, org_subtype, short_form_of
from .rules import (
    CHAIN_STOP, COMPANY_ANAPHORA, COMPANY_TITLES, COUNTRIES, DEPARTMENT_ENDINGS, DROPPED_MODIFIERS, LEADER_TITLES,
    TITLE_MODIFIERS, UNIT_ENDINGS, UNNAMED_UNITS, WEAK_BARE_TITLES, RulePatterns,
)


_FOREIGN_LEADER = re.compile(
    "(?P<country>" + "|".join(re.escape(c) for c in sorted(COUNTRIES, key=len, reverse=True)) + ")"
    # 领导人 is a role, not an office a name follows (印度领导人继续…).
    "(?P<title>" + "|".join(sorted((t for t in LEADER_TITLES if t != "领导人"), key=len, reverse=True)) + ")"
    # The name does not start with a function word (外长就中国…, 领导人曾明确地表示) and ends before the
    # verb or time word that follows it (总统金大中开始访问, 克林顿即将).
    "(?![" + "".join(sorted(CHAIN_STOP)) + "曾继今昨近与和及驻])(?!日前|最近|目前|当天|今年|去年)"
    f"(?P<name>[{CJK_RANGE}]{{2,6}}?(?:·[{CJK_RANGE}]{{1,8}}?)?)"
    r"(?=表示|说|称|指出|强调|会见|会谈|举行|致电|致函|在|和|同|与|、|，|。|：|等|将|也|对|向|发表|宣布|邀请|夫妇|夫人|及|以及|的|）|\)|\s|率|转达|访华|来华|出席|主持|签署|特别|应邀|一行|再次|当选|随后|还|已|就|正式"
    r"|开始|即将|即|今天|今日|昨天|近日|日前|最近|访问|抵达|到达|会晤|通电话|接见|讲话|认为|希望|呼吁|提出|告诉|曾)"
)


def last_title_word(pattern: re.Pattern, title: str) -> str:
    """The longest lexicon title that ends ``title`` (副主任委员 for 外事委副主任委员)."""
    m = pattern.search(title)
    return m.group() if m else title


def title_candidates(patterns: RulePatterns, text: str) -> list[Candidate]:
    """Every title of the lexicon in ``text`` (and the shorter title inside one that overlaps an organisation)."""
    out = []
    for m in patterns.title_re.finditer(text):
        out.append(Candidate(m.start(), m.end(), "TITLE", None, "rule"))
        # 自治区党委 + 书记: when 党委书记 overlaps the organisation, 书记 alone is the title.
        inner = patterns.title_end_re.search(text, m.start() + 1, m.end())
        if inner is not None and inner.start() > m.start():
            out.append(Candidate(inner.start(), m.end(), "TITLE", None, "rule"))
    return out


def foreign_leader_candidates(text: str) -> list[Candidate]:
    """法国总统马克龙, 英国首相斯塔默: a country, a head-of-state title, then the name."""
    out = []
    for m in _FOREIGN_LEADER.finditer(text):
        out.append(Candidate(m.start("country"), m.end("country"), "LOC", None, "rule"))
        out.append(Candidate(m.start("name"), m.end("name"), "PERSON", None, "rule"))
    return out


@dataclass
class ChainSegment:
    """One ``[organisation][title]`` item of a title chain."""

    start: int  # where the segment's text in the title starts
    title_start: int
    org: tuple[int, int] | None = None
    place: str | None = None
    junk: bool = False  # the chain was cut before this segment at something unreadable


class TitleChainParser:
    """The officials of one text, from its resolved mentions (see the module docs).

    Args:
        text: the text the mentions index.
        mentions: the resolved candidates.
        resolver: the text's :class:`~newsnlp.entities.organisations.OrgResolver` (organisations found
            inside titles are added to it).
        patterns: the extractor's :class:`~newsnlp.entities.rules.RulePatterns`.
    """

    def __init__(self, text: str, mentions: list[Candidate], resolver: OrgResolver, patterns: RulePatterns) -> None:
        self.text = text
        self.resolver = resolver
        self.patterns = patterns
        self.by_start = {c.start: c for c in mentions}
        self.by_end = {c.end: c for c in mentions}

    def _title_end_at(self, pos: int, lo: int) -> int | None:
        """Start of a title ending exactly at ``pos`` (not before ``lo``)."""
        c = self.by_end.get(pos)
        # Occupations the model reads as positions (司机, 骑手) do not make officials: the
        # title must end with a word of the title lexicon.
        if c is not None and c.label == "TITLE" and c.start >= lo and self.patterns.title_end_re.search(self.text, c.start, c.end):
            return c.start
        return None

    def _run_start(self, end: int) -> int:
        """Start of the run of title-chain material that ends at ``end``."""
        text = self.text
        j = end
        limit = max(0, end - 60)
        while j > limit:
            c = self.by_end.get(j)
            if c is not None and c.label in ("ORG", "TITLE", "LOC"):
                j = c.start
                continue
            if c is not None:  # a person or a programme
                break
            ch = text[j - 1]
            if ch == "、" or ((is_cjk(ch) or ch.isalnum()) and ch not in CHAIN_STOP):
                j -= 1
                continue
            break
        return j

    def _chain_left(self, end: int) -> list[ChainSegment] | None:
        """Parse ``[org][title]、[org][title]`` ending at ``end``; None when no title ends there."""
        text = self.text
        run_start = self._run_start(end)
        bounds: list[tuple[int, int]] = []
        seg_start = k = run_start
        while k < end:
            c = self.by_start.get(k)
            if c is not None and c.label in ("ORG", "TITLE", "LOC") and c.end <= end:
                k = c.end
                continue
            if text[k] in "、兼":  # 副总经理兼董事会秘书: two titles
                bounds.append((seg_start, k))
                seg_start = k + 1
            k += 1
        bounds.append((seg_start, end))
        segments: list[ChainSegment] = []
        for a, b in reversed(bounds):
            title_start = self._title_end_at(b, a)
            if title_start is None:
                break
            seg = self._segment(a, title_start)
            if seg is None:
                # Something before the title that is neither organisation nor place: the chain starts at the title.
                segments.append(ChainSegment(title_start, title_start, junk=True))
                break
            segments.append(seg)
            if seg.org is not None and seg.org[0] > a or seg.start > a and seg.junk:  # words before it end the chain
                break
        if not segments:
            return None
        segments.reverse()
        return segments

    def _segment(self, start: int, title_start: int) -> ChainSegment | None:
        """Read what stands before a title: an organisation, a place, a unit, or nothing."""
        text = self.text
        part = text[start:title_start]
        if not part:
            return ChainSegment(start, title_start)
        for mod in DROPPED_MODIFIERS:
            if part.endswith(mod):
                return ChainSegment(title_start, title_start, junk=start < title_start - len(mod))
        for mod in TITLE_MODIFIERS:
            if part.endswith(mod) and len(part) > len(mod):
                inner = self._segment(start, title_start - len(mod))
                if inner is None:
                    return ChainSegment(title_start - len(mod), title_start, junk=True)
                inner.title_start = title_start
                return inner
        if part in TITLE_MODIFIERS:
            return ChainSegment(start, title_start)
        if part in COMPANY_ANAPHORA:  # 公司董事长任志强: the article's company, dropped from the title
            return ChainSegment(title_start, title_start)
        c = self.by_start.get(start)
        if c is not None and c.label == "ORG" and c.end <= title_start:
            return ChainSegment(start, title_start, org=(start, self._extend_department(c.end, title_start)))
        if any(not (is_cjk(ch) or ch.isalnum()) for ch in part):
            return None
        if c is not None and c.label == "LOC" and c.end == title_start or re.fullmatch(
            rf"[{CJK_RANGE}]{{2,4}}[省市县区]", part
        ):
            return ChainSegment(start, title_start, place=part)
        end = last_suffix_end(self.patterns.free_org_suffix_re, part)
        cut = max((part.find(mod) + len(mod) for mod in DROPPED_MODIFIERS if 0 < part.find(mod) < end), default=0)
        if cut and end - cut >= 3 and not generic_org(part[cut:end]):
            # 俄罗斯新任国家税务局局长: the organisation starts after 新任 (the words before end the chain)
            return ChainSegment(start + cut, title_start, org=(start + cut, self._extend_department(start + end, title_start)),
                                junk=True)
        if end >= 3 and not generic_org(part[:end]):
            # 突然联名提出法国中央银行行长, 访韩国原三美集团副会长: when an organisation mention ends the
            # name, the words before it are not part of it; the segment starts at the mention.
            inner = self.by_end.get(start + end)
            if inner is not None and inner.label == "ORG" and start < inner.start:
                return ChainSegment(inner.start, title_start, org=(inner.start, self._extend_department(inner.end, title_start)),
                                    junk=True)
            return ChainSegment(start, title_start, org=(start, self._extend_department(start + end, title_start)))
        if len(part) >= 2 and not generic_org(part) and (
            part in self.resolver.org_names or any(short_form_of(part, f) for f in self.resolver.org_names)
        ):
            return ChainSegment(start, title_start, org=(start, title_start))
        if part.endswith(UNIT_ENDINGS):  # 综合审判一庭庭长: a unit of the organisation before
            return ChainSegment(start, title_start)
        return None

    def _extend_department(self, org_end: int, title_start: int) -> int:
        """浙江大学 + 民营经济研究中心 + 研究员: named departments belong to the organisation."""
        rest = self.text[org_end:title_start]
        if rest and all(is_cjk(ch) for ch in rest) and rest.endswith(DEPARTMENT_ENDINGS) and len(rest) <= 12:
            return title_start
        return org_end

    def _chain_org(self, segments: list[ChainSegment], extra: list[Candidate]) -> str | None:
        text = self.text
        hint = None
        last = None
        for seg in segments:
            if seg.place and hint is None:
                hint = seg.place
            if seg.org is None:
                continue
            start, end = seg.org
            name = text[start:end]
            c = self.by_start.get(start)
            if c is None or c.label != "ORG" or c.end != end:
                extra.append(Candidate(start, end, "ORG", org_subtype(name), "rule"))
                self.resolver.note_name(name)
            if hint is None:
                hint = name
            last = (start, name)
        if last is None:
            return None
        start, name = last
        full = self.resolver.resolve(name, hint if hint != name else None)
        self.resolver.mention_names[start] = full
        return full

    def officials(self, persons: list[Candidate]) -> tuple[list[Official], list[Candidate]]:
        text = self.text
        found: dict[str, tuple[str, str]] = {}
        orgless: dict[str, str] = {}
        bare: dict[str, str] = {}  # an office with no organisation named (习近平总书记, 法国总统马克龙)
        extra: list[Candidate] = []  # organisations found only inside titles

        def add(name: str, title: str, org: str | None, clean: bool = True) -> None:
            if org is None:
                if title.endswith(COMPANY_TITLES):
                    if clean and len(title) > len(orgless.get(name, "")):
                        orgless[name] = title
                elif (
                    last_title_word(self.patterns.title_end_re, title) not in WEAK_BARE_TITLES
                    and not title.startswith(UNNAMED_UNITS)
                    and len(title) > len(bare.get(name, ""))
                ):
                    bare[name] = title
                return
            cur = found.get(name)
            if cur is None or len(title) > len(cur[0]):
                found[name] = (title, org)

        last: tuple[int, str, str | None, bool] | None = None  # (end, title, org, clean) of a chain-left official
        for p in persons:
            name = text[p.start : p.end]
            # 0. one title for a list of names: 大会执行主席于伟国、王宁、王伟中
            if last is not None and text[last[0] : p.start] == "、" and self.by_start.get(p.end, p).label != "TITLE":
                add(name, last[1], last[2], last[3])
                last = (p.end, *last[1:])
                continue
            last = None
            # 1. titles before the name: 宁波市人大常委会副主任、市总工会主席李谦
            chain = self._chain_left(p.start)
            if chain is not None:
                title, org, clean = text[chain[0].start : p.start], self._chain_org(chain, extra), not chain[0].junk
                add(name, title, org, clean)
                last = (p.end, title, org, clean)
                continue
            # 2. in brackets after the name: 汤建民（市发改委主任）
            if p.end < len(text) and text[p.end] in "（(":
                close = -1
                for k in range(p.end + 1, min(len(text), p.end + 40)):
                    if text[k] in "）)":
                        close = k
                        break
                if close > p.end + 1:
                    chain = self._chain_left(close)
                    if chain is not None and chain[0].start == p.end + 1:
                        add(name, text[p.end + 1 : close], self._chain_org(chain, extra))
                        continue
            # 3. split around the name: 浙江省委袁家军书记 -> title 书记, organisation 浙江省委
            after = self.by_start.get(p.end)
            if after is not None and after.label == "TITLE":
                title = text[after.start : after.end]
                before = self.by_end.get(p.start)
                if before is not None and before.label == "ORG":
                    add(name, title, self.resolver.resolve(text[before.start : before.end]))
                else:
                    add(name, title, None)
        officials = [Official(name, title, org) for name, (title, org) in found.items()]
        officials += [Official(name, title, None) for name, title in bare.items() if name not in found and name not in orgless]
        missing = [name for name in orgless if name not in found]
        if missing:
            company = self.resolver.main_company()
            if company is not None:
                officials += [Official(name, orgless[name], company) for name in missing]
        return officials, extra
