"""Span repair: the model's spans made into clean candidates, and resolved mentions trimmed.

:class:`ModelSpanRepair` turns NER spans into :class:`~newsnlp.entities.candidates.Candidate` objects:
it trims and cuts them at punctuation, drops implausible persons and generic organisations, splits a
title from the organisation it swallowed (宁波市总工会主席), cuts internal organs and sectors
(云岫科技董事会 -> 云岫科技), splits coordinated names and reads places out of development zones.
:func:`strip_session` and :func:`strip_channel` trim resolved organisation mentions.

Example:
    >>> from newsnlp.entities.rules import PROGRAMME_HEADS, SCHEME_CUES, TITLE_LEXICON, RulePatterns, title_words
    >>> from newsnlp.types import NERSpan
    >>> repair = ModelSpanRepair(RulePatterns.compile(title_words(TITLE_LEXICON), PROGRAMME_HEADS, SCHEME_CUES))
    >>> text = "宁波市总工会主席讲话。"
    >>> [(text[c.start:c.end], c.label) for c in repair.candidates(text, [NERSpan(0, 8, "ORG", None, text[:8])])]
    [('宁波市总工会', 'ORG'), ('主席', 'TITLE')]
"""

from __future__ import annotations

import re
from typing import Any, Iterable

from .._util import is_cjk
from .candidates import Candidate, cut_at_punctuation, last_suffix_end, trim
from .organisations import KNOWN_BODIES_RE, anonymised_before, bare_place_court, generic_org, org_subtype
from .persons import anonymised_persons, join_latin_names, person_in_context, person_relabel, place_is_person, plausible_name
from .rules import LEVEL_CHARS, RulePatterns


_ZONE_END = re.compile(r"(?:开发区|高新区|新区|保税区|自贸区|自由贸易试验区|工业园区|产业园区|园区)$")


# Organs inside an organisation: the parent is the organisation (labelling guidelines).
_INTERNAL_ORGAN = re.compile(
    r"(?:分公司|工作部|事业部|管理部|董事会|监事会|股东大会|审判委员会|战略委员会|专门委员会|党组|党委|部门|(?<!办事)处)$"
)


_VERB_PREFIX = re.compile(r"联合|依托|会同|通过|指导|协调|推动|要求|配合|牵头|委托|支持|邀请|督促|组织|召集|拟|由|经|向|对|与|和")


#: One-character city names news writes after 在/赴/来/抵 (在京, 赴沪).
_CITY_ONE_CHAR = frozenset("京沪津渝港澳")
_LOCATIVE_BEFORE = frozenset("在赴来抵离返驻")
#: 党政军 / 党政 at the end of a span: a collective (the region's party and government), not a body.
_COLLECTIVE_TAIL = re.compile(r"(?:党政军|党政|军政)$")
_SECTOR_TAIL = re.compile(r"(?:行业|板块|领域|系统)$")


_SESSION_PREFIX = re.compile(r"(?:第)?[一二三四五六七八九十]+届")


_CHANNEL_TAIL = re.compile(r"(?:微信公众号|公众号|官方微博|官微|客户端|官网)$")


def strip_session(text: str, c: Candidate) -> Candidate:
    """十四届全国人大常委会 -> 全国人大常委会: the session number is not part of the body's name.

    (MSRA spans keep it, CLUENER dev's do not: keeping it in the mention was measured, MSRA eval third
    ORG +0.2, CLUENER dev government -0.4, and left out.)
    """
    if c.label != "ORG":
        return c
    m = _SESSION_PREFIX.match(text, c.start, c.end)
    if m is None or c.end - m.end() < 3:
        return c
    return Candidate(m.end(), c.end, c.label, c.subtype, c.source, c.name)


def strip_channel(text: str, c: Candidate) -> Candidate:
    """天风国际微信公众号 -> 天风国际: a channel of an organisation is not part of its name."""
    if c.label != "ORG":
        return c
    m = _CHANNEL_TAIL.search(text, c.start, c.end)
    if m is None or m.start() - c.start < 2:
        return c
    return Candidate(c.start, m.start(), c.label, c.subtype, c.source, c.name)


class ModelSpanRepair:
    """Model NER spans -> repaired candidates (see the module docs).

    Args:
        patterns: the extractor's :class:`~newsnlp.entities.rules.RulePatterns`.
    """

    def __init__(self, patterns: RulePatterns) -> None:
        self.patterns = patterns

    def candidates(self, text: str, spans: Iterable[Any]) -> list[Candidate]:
        """The repaired candidates of the model's ``spans`` for ``text``, with 王某-style persons added.

        Organisations written unnamed (某配送服务公司, 中铁某局) are dropped, also where repeated without
        某, and so is a "person" inside one of the text's organisation names (金禾 in 内蒙古金禾乳业…).
        """
        spans = list(spans)
        cands = join_latin_names(text, self._repaired(text, spans))
        # An organisation written once as 某配送服务公司 stays unnamed when repeated without 某.
        unnamed = set()
        for sp in spans:
            if str(sp.label) == "ORG" and 0 <= int(sp.start) < int(sp.end) <= len(text):
                surface = text[int(sp.start) : int(sp.end)]
                bare = surface.lstrip("某")
                if bare != surface or anonymised_before(text, int(sp.start)) or "某" + bare in text:
                    unnamed.add(bare)
        orgs = [text[c.start : c.end] for c in cands if c.label == "ORG" and text[c.start : c.end] not in unnamed]
        out = []
        for c in cands:
            surface = text[c.start : c.end]
            if c.label == "ORG" and (surface in unnamed or text[c.end : c.end + 1] == "某"):
                continue  # 中铁某局: the model read only the part before 某
            # A "person" inside an organisation name of the article (金禾 in 内蒙古金禾乳业…) is not one.
            if c.label == "PERSON" and any(surface in o and surface != o for o in orgs):
                continue
            out.append(c)
        taken = [(c.start, c.end) for c in out if c.label == "PERSON"]
        for m_start, m_end in anonymised_persons(text):
            if not any(a < m_end and m_start < b for a, b in taken):
                out.append(Candidate(m_start, m_end, "PERSON", None, "rule"))
        return out

    def _repaired(self, text: str, spans: Iterable[Any]) -> list[Candidate]:
        """Each span trimmed, cut, checked and split (see the module docs), in order."""
        out: list[Candidate] = []
        for s in spans:
            start, end, label = int(s.start), int(s.end), str(s.label)
            if not (0 <= start < end <= len(text)) or label not in ("PERSON", "ORG", "TITLE", "LOC"):
                continue
            start, end = trim(text, start, end)
            if start >= end:
                continue
            subtype = getattr(s, "subtype", None)
            if label == "TITLE":
                # A model title often carries its organisation ("市总工会主席"): split it.
                out.extend(self._split_title(text, start, end))
                continue
            start, end = cut_at_punctuation(text, start, end, keep_quoted=label == "ORG")
            if label == "LOC" and place_is_person(text, start, end):  # 安南秘书长, 大西教授
                label, subtype = "PERSON", None
            if label == "PERSON" and end > start:
                other = person_relabel(text[start:end])  # 黎巴嫩 a place, 梅雷茨党 a party, 卢布 nothing
                if other == "":
                    continue
                if other is not None:
                    label, subtype = other, ("organisation" if other == "ORG" else None)
            if end - start < 1 or (label == "PERSON" and not plausible_name(text[start:end])
                                    and not person_in_context(text, start, end)):
                continue
            if label == "ORG":
                if _ZONE_END.search(text, start, end):  # 嘉兴经济技术开发区 is a place
                    out.append(Candidate(start, end, "LOC", None, "model"))
                    continue
                start = self._strip_verb(text, start, end)
                person = self._swallowed_person(text, start, end)
                if person is not None:  # 浙江省委袁家军 + 书记
                    out.append(Candidate(person, end, "PERSON", None, "rule"))
                    end = person
                parts = self._clean_model_org(text, start, end)
                if parts is None:
                    continue
                if len(parts) > 1 or parts[0] != (start, end):
                    out.extend(Candidate(a, b, "ORG", subtype, "model") for a, b in parts)
                    continue
                # An organisation span that swallowed the title after it (宁波市总工会主席).
                m = self.patterns.title_end_re.search(text, start, end)
                if m is not None and m.start() - start >= 2:
                    prefix = text[start : m.start()]
                    if last_suffix_end(self.patterns.org_suffix_end_re, prefix) == len(prefix):
                        out.append(Candidate(start, m.start(), "ORG", subtype, "model"))
                        out.append(Candidate(m.start(), end, "TITLE", None, "model"))
                        continue
            out.append(Candidate(start, end, label, subtype, "model"))
        return out

    def _strip_verb(self, text: str, start: int, end: int) -> int:
        """联合市财政局 -> 市财政局: a verb the model read as part of the name."""
        m = _VERB_PREFIX.match(text, start, end)
        if m is not None and end - m.end() >= 3:
            rest = text[m.end() : end]
            if rest[0] in LEVEL_CHARS or self.patterns.org_full_re.match(rest):
                return m.end()
        return start

    def _swallowed_person(self, text: str, start: int, end: int) -> int | None:
        """Start of a 2–3 character name at the end of an ORG span when a title follows it."""
        if last_suffix_end(self.patterns.org_suffix_end_re, text[start:end]) == end - start:
            return None  # the span ends like an organisation (…委员会): no name inside
        for size in (2, 3):
            cut = end - size
            if cut - start < 3 or not all(is_cjk(c) for c in text[cut:end]):
                continue
            head, tail = text[start:cut], text[cut:end]
            # Only after a party or government body (省委袁家军书记), never an organ (董事会主席).
            if (
                head.endswith(("委", "政府", "常委会", "政协"))
                and not self.patterns.org_suffix_end_re.search(tail)
                and self.patterns.title_re.match(text, end)
            ):
                return cut
        return None

    def _clean_model_org(self, text: str, start: int, end: int) -> list[tuple[int, int]] | None:
        """Repair a model organisation span; None drops it.

        Generic references (法院, 董事会, 监管部门, 某…公司) are dropped; internal organs and
        trailing sectors are cut off (云岫科技董事会 -> 云岫科技, 华屹证券汽车行业 -> 华屹证券);
        coordinated names are split (…行业工会与行业协会).
        """
        # 在京中共中央政治局委员: 在京 is "in Beijing", the name starts after it.
        if end - start >= 5 and text[start] in _CITY_ONE_CHAR and text[start - 1 : start] in _LOCATIVE_BEFORE:
            start += 1
        # 受国务院委托: 委 starts the verb 委托, it is no 委 ending.
        if text[end - 1] == "委" and text[end : end + 1] == "托" and end - start >= 3:
            end -= 1
        # 俄罗斯新任国家税务局: 新任 qualifies the head of the body; the name starts after it.
        m = re.search("新任|现任", text[start:end])
        if m is not None and end - (start + m.end()) >= 3:
            start += m.end()
        name = text[start:end]
        if generic_org(name) or bare_place_court(name) or anonymised_before(text, start):
            return None
        # 新疆维吾尔自治区党政军负责同志: the region's party, government and army, no one body.
        if _COLLECTIVE_TAIL.search(name):
            return None
        organ = _INTERNAL_ORGAN.search(name)
        # 团中央书记处: a known body that ends like an organ (中央书记处) is no organ of another.
        if organ is not None and not KNOWN_BODIES_RE.search(name[max(0, organ.start() - 6) :]):
            parent = last_suffix_end(self.patterns.free_org_suffix_re, name[: organ.start()])
            # The parent organisation, or nothing when the organ's owner is not named.
            return [(start, start + parent)] if parent >= 2 else None
        m = _SECTOR_TAIL.search(name)
        if m is not None:
            cut = last_suffix_end(self.patterns.free_org_suffix_re, name[: m.start()])
            if cut >= 3:
                return [(start, start + cut)]
        for m in re.finditer("[与及和]|会同|联合|携手", name):
            left = name[: m.start()]
            if len(left) >= 3 and len(name) - m.end() >= 2 and last_suffix_end(self.patterns.org_suffix_end_re, left) == len(left):
                parts = [(start, start + m.start())]
                if not generic_org(name[m.end() :]):
                    parts.append((start + m.end(), end))
                return parts
        return [(start, end)]

    def _split_title(self, text: str, start: int, end: int) -> list[Candidate]:
        """A model title that carries its organisation (市总工会主席) -> the organisation + the title."""
        surface = text[start:end]
        m = self.patterns.title_end_re.search(surface)
        if m is None or m.start() == 0:
            return [Candidate(start, end, "TITLE", None, "model")]
        org_end = last_suffix_end(self.patterns.org_suffix_end_re, surface[: m.start()])
        if org_end < 2:
            return [Candidate(start, end, "TITLE", None, "model")]
        org = surface[:org_end]
        return [
            Candidate(start, start + org_end, "ORG", org_subtype(org), "rule"),
            Candidate(start + org_end, end, "TITLE", None, "model"),
        ]
