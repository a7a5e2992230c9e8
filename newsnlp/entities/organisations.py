"""Organisations: what is (not) a name, short forms and their full names, attributions.

- name checks: :func:`generic_org` (公司, 该公司, 某局 are not names), :func:`not_an_organisation`,
  :func:`is_attribution` (（中证网）, 据上海证券报报道: sources, not the story's organisations);
- short forms: :func:`level_split` (市发改委 -> 市 + 发改委), :func:`short_form_of`;
- :class:`OrganisationFinder`: the rule candidates of a text (gazetteer, known bodies, anchored names,
  declared short names);
- :class:`OrgResolver`: the canonical name of each mention of one text.

Example:
    >>> short_form_of("市总工会", "宁波市总工会"), generic_org("该公司"), level_split("市发改委")
    (True, True, ('市', '发改委'))
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from .._util import CJK_RANGE, is_cjk
from ..text.news import MEDIA_NAME_END, MEDIA_NAMES
from .candidates import Candidate, last_suffix_end
from .rules import (
    BARE_BODIES, COMPANY_ENDINGS, GOV_ENDINGS, KNOWN_BODIES, LEVEL_CHARS, NATIONAL, NOT_ORG_NAMES, NOT_PLACE,
    ORG_SUFFIXES, CHAIN_STOP, RulePatterns,
)


# A publication named in 《》 acts as an organisation when its editors publish, select or
# announce something (《求是》杂志发表…); a bare 《求是》 is a title, and 据…报道 an attribution.
# Its editors (编辑部, 杂志社, 报社, 出版社) are an organisation whatever they do; a bare 杂志 only when it
# publishes an article (CLUENER reads 《商业周刊》杂志评选出… as a book title).
_ACTING_PUBLICATION = re.compile(
    rf"《[{CJK_RANGE}A-Za-z0-9]{{1,12}}》(?:(?:杂志社|编辑部|报社|出版社)(?=[^，。；\n]{{0,12}}?(?:发表|刊发|刊登|发布|公布|评选|推出))"
    rf"|杂志(?=[^，。；\n]{{0,12}}?(?:发表|刊发|刊登)))"
)

# A name does not hold these: 珠海成立一合资公司, 长沙各大快递公司.
_BODY_VERBS = re.compile(r"各|兼|新任|成立|设立|组建|代表|宣布|举行|召开|发布|表示|认为|指示")


_GENERIC_ORG = re.compile(
    r"^(?:[该本此其我各某子母分总村]|上市|创业|科技|互联网|这家|一家|相关|有关|地方|各地|当地|基层|监管|人事|监察|主管|职能|"
    r"行业|政府|人社|执法|金融|司法|行政)?"
    r"(?:公司|企业|集团|银行|证券|股份|单位|机构|部门|政府|法院|董事会|监事会|股东大会|党支部|工会干部|工会组织|"
    rf"协会|商会|工会|联合会|机关)$|^党和政府$|^党委政府$|^[{CJK_RANGE}]{{0,4}}(?:机关|部门)$"
)


def generic_org(name: str) -> bool:
    """公司, 该公司, 创业公司, 某局, 杭州两级法院, 一家…企业 are not organisation names."""
    return (
        any(w in name for w in ("某", "一家", "两级", "各级", "多家", "有关"))
        or bool(_GENERIC_ORG.match(name))
        or name in ORG_SUFFIXES
    )


def bare_place_court(name: str) -> bool:
    """杭州法院 is the city's courts collectively, not one court."""
    return bool(re.fullmatch(rf"[{CJK_RANGE}]{{2,3}}[市]?法院", name))


def plausible_place_start(text: str, start: int) -> bool:
    """Reject two-character 'places' made of function characters (全市, 各区)."""
    return not any(c in NOT_PLACE for c in text[start : start + 2])


def anonymised_before(text: str, start: int) -> bool:
    """某配送服务公司, 一家文化传媒公司, 同级党委组织部: the tail of an unnamed organisation."""
    if text[max(0, start - 2) : start] in ("同级", "各级", "上级", "下级", "基层", "当地", "本级"):
        return True
    k = start
    while k > 0 and start - k < 6 and is_cjk(text[k - 1]):
        k -= 1
        if text[k] == "某" or text[k : k + 2] == "一家":
            return True
    return False


def org_subtype(name: str) -> str:
    if name.endswith(COMPANY_ENDINGS):
        return "company"
    if name.endswith(GOV_ENDINGS):
        return "gov"
    return "organisation"


# Names ending like an organisation (…局) that are situations, not bodies: 服务大局, 国际格局.
_NOT_ORG_END = re.compile(r"(?:大局|格局|开局|布局|全局|变局|时局|结局|新局)$")


def not_an_organisation(name: str) -> bool:
    return name in NOT_ORG_NAMES or bool(_NOT_ORG_END.search(name))


# 以北约２５０公里: "north of, about 250 km", not NATO.
_NORTH_ABOUT = re.compile(r"(?:[以往向偏东西正]北约|北约(?=[0-9０-９一二三四五六七八九十百千]))")

#: Known bodies whose subtype their ending does not tell (CLUENER reads the army as government).
_KNOWN_SUBTYPES = {"联合国": "organisation", "解放军": "gov", "中国人民解放军": "gov"}

# Not inside a longer word: 公安部门 is not 公安部.
KNOWN_BODIES_RE = re.compile("(?:" + "|".join(re.escape(b) for b in sorted(KNOWN_BODIES, key=len, reverse=True)) + ")(?![门长])")


def level_split(name: str) -> tuple[str, str] | None:
    """Split a short form ``市发改委`` into (``市``, ``发改委``)."""
    if len(name) >= 2 and name[0] in LEVEL_CHARS:
        return name[0], name[1:]
    return None


def _is_subsequence(short: str, full: str) -> bool:
    it = iter(full)
    return all(c in it for c in short)


def _suffix_compatible(short: str, full: str) -> bool:
    if short[-1] == full[-1]:
        return True
    # 发改委 ~ 发展和改革委员会, 卫健委 ~ 卫生健康委员会
    return short.endswith("委") and full.endswith("委员会")


def _abbreviates(short_body: str, full_body: str) -> bool:
    if not short_body or not full_body or len(short_body) > len(full_body):
        return False
    if short_body == full_body:
        return True
    if short_body in ("法院", "检察院", "政府") and full_body.endswith(short_body):
        return True  # 江宁区法院 ~ 江宁区人民法院
    return short_body[0] == full_body[0] and _suffix_compatible(short_body, full_body) and _is_subsequence(
        short_body, full_body
    )


def place_prefix(name: str, level: str) -> str | None:
    """``宁波市总工会`` with level ``市`` -> ``宁波市``; None when the name has no such prefix.

    A district or county may follow its city: ``温州市鹿城区人民法院`` with ``区`` -> ``温州市鹿城区``.
    """
    stripped = name[2:] if name.startswith("中共") else name
    i = stripped.find(level)
    if 2 <= i <= 4:
        return stripped[: i + 1]
    city = stripped.find("市")
    if level in "县区" and 2 <= city <= 4 and city + 3 <= i <= city + 5:
        return stripped[: i + 1]
    return None


def company_core(name: str) -> str:
    core = name
    for suffix in ("股份", "集团", "控股", "公司"):
        if core.endswith(suffix) and len(core) - len(suffix) >= 2:
            core = core[: -len(suffix)]
    return core


def place_of(name: str) -> str | None:
    """The place prefix of an organisation name ending in 省/市/县/区 (``浙江省``), if any."""
    stripped = name[2:] if name.startswith("中共") else name
    for i in range(2, min(5, len(stripped) - 1)):
        if stripped[i] in LEVEL_CHARS:
            return stripped[: i + 1]
    return None


def common_place(a: str, b: str) -> int:
    """Length of a shared place prefix ending in 省/市/县/区 (``杭州市``), 0 if none."""
    for i in range(2, min(len(a), len(b), 6)):
        if a[i] != b[i]:
            break
        if a[i] in LEVEL_CHARS and a[: i + 1] == b[: i + 1]:
            return i + 1
    return 0


def short_form_of(short: str, full: str) -> bool:
    """True when ``short`` is a short form of the organisation ``full``.

    Level-prefixed forms (``市发改委``) must abbreviate the part of ``full`` after its place
    (``宁波市|发展和改革委员会``): same first character, same ending, characters in order.
    Company short names (``恒川股份``) must appear in a full company name. A name ending an
    organisation that is at least four characters long is a short form of any longer name
    ending with it (``行业工会联合会``).

    Args:
        short: the name as written.
        full: a longer organisation name from the same article.

    Returns:
        Whether ``short`` may stand for ``full``.

    Example:
        >>> short_form_of("省发改委", "浙江省发展和改革委员会")
        True
    """
    if short == full or len(short) >= len(full) or generic_org(short):
        return False
    split = level_split(short)
    if split is not None:
        level, body = split
        prefix = place_prefix(full, level)
        if prefix is None:
            return False
        return _abbreviates(body, full[full.index(prefix) + len(prefix) :])
    place = place_of(full)
    if place and short.startswith(place[:-1]) and not short.startswith(place):
        # 杭州中院 ~ 杭州市中级人民法院: the place without its level character.
        if _abbreviates(short[len(place) - 1 :], full[len(place) :]):
            return True
    if place and len(short) >= 3 and short[0] not in LEVEL_CHARS and not place_of(short):
        # 发改委 ~ 浙江省发展和改革委员会: an abbreviation with no place at all.
        if _abbreviates(short, full[len(place) :]):
            return True
    own = place_of(short)
    if own and own in full and not full.startswith(own):
        # 江宁区法院 ~ 南京市江宁区人民法院: the district written without its city.
        k = full.index(own) + len(own)
        if _abbreviates(short[len(own) :], full[k:]):
            return True
    common = common_place(short, full)
    if common:
        # 杭州市经信局 ~ 杭州市经济和信息化局: same place, abbreviated body.
        return _abbreviates(short[common:], full[common:])
    if full.endswith(("公司", "集团")):
        core = company_core(short)
        if len(core) < 2:
            return False
        # 恒川股份 ~ 宁波恒川汽车零部件股份有限公司; 合肥轨道交通集团 ~ 合肥市轨道交通集团有限公司
        return core in full or (core[:2] == full[:2] and _is_subsequence(core, full))
    return len(short) >= 4 and full.endswith(short)


def company_preference(short: str, full: str) -> int:
    if short.endswith("股份") and "股份" in full:
        return 0
    if short.endswith("集团") and "集团" in full:
        return 0
    return 1


def gazetteer_short(gazetteer: Any, short: str, full: str) -> bool:
    """茅台 for 贵州茅台 (a listed name of the article): a part of it, not a listed name itself."""
    if len(short) < 2 or len(short) >= len(full) or short in gazetteer or generic_org(short):
        return False
    return full in gazetteer and short in full and gazetteer.entries[full].kind != "full"


_ATTRIBUTION_AFTER = re.compile(
    r"(?:消息|讯|报道|记者|援引|获悉|了解到|注意到|发布(?:的)?数据|数据显示|统计|调查显示|[：:]|微信公众号|公众号|客户端|官网|官方微博)"
)


_ATTRIBUTION_BEFORE = re.compile(r"(?:据|来源[：:]|来源于|转自|综合|转载自|编辑[：:]|文章来源[：:]|本文来源[：:])\s*$")


def is_attribution(text: str, start: int, end: int) -> bool:
    """Is the organisation mention ``text[start:end]`` a source or media attribution?

    Media names (a list, or a name ending like a medium: …报, …网, …社, …财经) count when
    they fill a bracket at the end of a paragraph (（央视财经）), follow 据 / 来源： or precede
    消息 / 报道 / 讯 / 记者 / 数据显示. Any name filling such a closing bracket counts too.
    """
    name = text[start:end]
    close = -1
    if start > 0 and text[start - 1] in "（(":
        for k in range(end, min(len(text), end + 8)):
            if text[k] in "）)":
                close = k
                break
            if not (is_cjk(text[k]) or text[k].isalnum()):
                break
    if close >= 0:
        rest = text[close + 1 : close + 3]
        if not rest.strip() or rest[:1] in "\n" or rest.startswith(("\n", "。")):
            return True
    media = name in MEDIA_NAMES or bool(MEDIA_NAME_END.search(name)) or any(name.startswith(m) for m in ("央视", "新华社"))
    if not media:
        return False
    if _ATTRIBUTION_AFTER.match(text, end) or _ATTRIBUTION_BEFORE.search(text, max(0, start - 6), start):
        return True
    return name in MEDIA_NAMES


class OrganisationFinder:
    """Organisation candidates the rules find in a text: gazetteer names and stock codes, known national
    bodies, place- or level-anchored names (宁波市总工会, 市发改委) and declared short names (以下简称“X”).

    Args:
        patterns: the extractor's :class:`~newsnlp.entities.rules.RulePatterns`.
        gazetteer: a :class:`~newsnlp.entities.gazetteer.Gazetteer`.
    """

    def __init__(self, patterns: RulePatterns, gazetteer: Any) -> None:
        self.patterns = patterns
        self.gazetteer = gazetteer

    def gazetteer_candidates(self, text: str, cands: list[Candidate]) -> list[Candidate]:
        """Company names of the gazetteer and the stock-code patterns (``中国石化（600028）``).

        A model span running over a stock code is cut before it, and a model "person" inside
        a company name found here (韵达 in 韵达股份) is dropped.
        """
        from .gazetteer import STOCK_CODE

        found = self.gazetteer.find(text)
        codes = [m.span() for m in STOCK_CODE.finditer(text)]
        out: list[Candidate] = []
        for c in cands:
            if c.label in ("ORG", "PERSON", "LOC"):
                cut = next((a for a, b in codes if c.start < a < c.end), None)
                if cut is not None:
                    if cut - c.start < 2:
                        continue
                    c = Candidate(c.start, cut, c.label, c.subtype, c.source)
                if c.label == "PERSON" and any(m.start <= c.start and c.end <= m.end for m in found):
                    continue
            out.append(c)
        for m in found:
            out.append(Candidate(m.start, m.end, "ORG", "company", "gazetteer"))
        return out

    def known_body_candidates(self, text: str) -> list[Candidate]:
        """National and international bodies of :data:`~newsnlp.entities.rules.KNOWN_BODIES` (国务院, 联合国),
        and a publication's editors where they act (《求是》杂志发表…, 《咬文嚼字》编辑部发布…)."""
        out = [Candidate(m.start(), m.end(), "ORG", _KNOWN_SUBTYPES.get(m.group()) or org_subtype(m.group()), "rule")
               for m in KNOWN_BODIES_RE.finditer(text) if not _NORTH_ABOUT.match(text, max(0, m.start() - 1))]
        out += [Candidate(m.start(), m.end(), "ORG", "organisation", "rule") for m in _ACTING_PUBLICATION.finditer(text)]
        return out

    def rule_candidates(self, text: str, model: list[Candidate]) -> list[Candidate]:
        """Names anchored by a place or a national prefix (宁波市总工会, 中共浙江省委, 国家发展改革委) and level
        short forms (市发改委); ``model`` (the candidates so far) vouches for two-character places."""
        out: list[Candidate] = []
        model_starts = {c.start for c in model if c.label in ("LOC", "ORG")}
        for m in self.patterns.org_full_re.finditer(text):
            start, end = m.span("org")
            if text[end - 1] == "委" and text[end : end + 1] == "会" and text[end + 1 : end + 2] != "议":
                end += 1  # 国际奥委会, not 国际奥委 + 会
            if text[end - 1] == "委" and text[end : end + 1] == "托":
                continue  # 受国务院委托: the verb 委托, not a 委
            name = text[start:end]
            # 上海大学生 (students), 某中学校长 (a head teacher): the ending belongs to the next word.
            if name.endswith(("大学", "学院")) and text[end : end + 1] == "生" or name.endswith("学校") and text[end : end + 1] == "长":
                continue
            if end - start < 4 or generic_org(name) or bare_place_court(name):
                continue
            body = m.group("body")
            # 中国公司 / 全国性商业银行 / 国家和政府 are descriptions; 中国移动董事长…和苹果公司
            # runs across a title, so it is two things, not one name.
            if not body and m.group("suffix") in ("公司", "企业", "集团", "大学") and (
                m.group("suffix") != "大学" or m.group("place") in NATIONAL
            ):
                continue
            if body[:1] in ("性", "和", "与", "及") or body[-1:] in ("和", "与", "及") or _BODY_VERBS.search(body):
                continue  # 国家短期债券和公司(债券): the ending is another word's
            # 罗马市中心, 纽约市中心: the city centre; 日本第三大证券公司: a ranking describes, not names.
            if not body and m.group("suffix") == "中心" and text[end - 3 : end - 2] == "市" or re.search(
                "第[一二三四五六七八九十]{1,2}大", body
            ):
                continue
            if self.patterns.title_re.search(text, start, end):
                continue
            # 全国妇联和国家环保总局: two names joined, not one (the model or a shorter match has each).
            if any(last_suffix_end(self.patterns.org_suffix_end_re, name[:k]) == k or self.patterns.org_full_re.fullmatch(name, k + 1)
                   for k in (j.start() for j in re.finditer("[和与及、]", name)) if k >= 2):
                continue
            # A two-character 'place' the gazetteer does not know (嘉善县) must start a model
            # span: 今年市…, 联合市…, 依托市… are not places.
            if m.group("gen") is not None and not (plausible_place_start(text, start) and start in model_starts):
                continue
            out.append(Candidate(start, end, "ORG", org_subtype(text[start:end]), "rule"))
        for m in self.patterns.org_short_re.finditer(text):
            start, end = m.span("org")
            prev = text[start - 1] if start else ""
            # 全市/上市公司/社区/园区 are not short forms: the level character must start a
            # phrase (after punctuation, a function word or a time word).
            if prev and (is_cjk(prev) or prev.isalnum()) and prev not in CHAIN_STOP and prev not in "年月日后前时间与和及":
                continue
            # 区域, 市场, 市民, 县域 … are words, not a level prefix.
            if end - start > 1 and text[start + 1] in "域场民级内外镇辖属直":
                continue
            if text[start + 1 : end] == "中心":  # 市中心 is the city centre
                continue
            if end - start >= 2:
                out.append(Candidate(start, end, "ORG", org_subtype(text[start:end]), "rule"))
        return out

    def aliases(self, text: str, cands: list[Candidate]) -> dict[str, str]:
        """``X公司（以下简称“X”）``: the declared short name of an organisation."""
        ends: dict[int, Candidate] = {}
        for c in cands:
            if c.label == "ORG" and (c.end not in ends or c.end - c.start > ends[c.end].end - ends[c.end].start):
                ends[c.end] = c
        aliases: dict[str, str] = {}
        for m in self.patterns.alias_re.finditer(text):
            org = ends.get(m.start())
            if org is not None:
                aliases.setdefault(m.group("alias"), text[org.start : org.end])
        return aliases

    def alias_candidates(self, text: str, aliases: dict[str, str]) -> list[Candidate]:
        """Every occurrence of a declared short name, as an organisation of its full name's subtype."""
        out = []
        for alias in aliases:
            for m in re.finditer(re.escape(alias), text):
                out.append(Candidate(m.start(), m.end(), "ORG", org_subtype(aliases[alias]), "rule"))
        return out


class OrgResolver:
    """The canonical name of each organisation mention of one text.

    Declared aliases first, then a longer name of the same text that the mention abbreviates
    (:func:`short_form_of`, or a gazetteer short name), then, for a level short form (市总工会), the place
    of its title chain or the text's one city or province.

    Args:
        text: the text the mentions index.
        mentions: the resolved (non-overlapping) candidates; :attr:`mentions` may be replaced later
            (organisations found inside titles), and names found since are added with :meth:`note_name`.
        aliases: declared short name -> full name.
        gazetteer: a :class:`~newsnlp.entities.gazetteer.Gazetteer` (its short -> full links).

    Example:
        >>> text = "宁波市总工会召开会议。市总工会主席讲话。"
        >>> from newsnlp.entities.gazetteer import Gazetteer
        >>> mentions = [Candidate(0, 6, "ORG", "gov", "rule"), Candidate(11, 15, "ORG", "gov", "rule")]
        >>> r = OrgResolver(text, mentions, {}, Gazetteer([]))
        >>> r.resolve("市总工会")
        '宁波市总工会'
    """

    def __init__(self, text: str, mentions: list[Candidate], aliases: dict[str, str], gazetteer: Any) -> None:
        self.text = text
        self.mentions = mentions
        self.aliases = aliases
        self.gazetteer = gazetteer
        self.org_names: list[str] = []  # distinct ORG surfaces in order of first mention
        for c in mentions:
            if c.label == "ORG":
                self.add_name(text[c.start : c.end])
        self.canonical: dict[tuple[str, str | None], str] = {}
        self.mention_names: dict[int, str] = {}  # ORG mention start -> name decided in a title chain

    def add_name(self, name: str) -> None:
        if name not in self.org_names:
            self.org_names.append(name)

    def note_name(self, name: str) -> None:
        """A name found after the mentions (inside a title chain): a new candidate full name, so what was
        resolved before is resolved again."""
        self.add_name(name)
        self.canonical.clear()

    def name_of(self, start: int, surface: str) -> str:
        """The canonical name of the mention at ``start``: the one its title chain decided, else :meth:`resolve`."""
        return self.mention_names.get(start) or self.resolve(surface)

    def _dominant_place(self, level: str) -> str | None:
        counts: Counter[str] = Counter()
        for name in self.org_names:
            if level_split(name) is None:
                p = place_prefix(name, level)
                if p:
                    counts[p] += 1
        for c in self.mentions:
            if c.label == "LOC":
                s = self.text[c.start : c.end]
                if s.endswith(level) and 3 <= len(s) <= 5:
                    counts[s] += 1
        if not counts:
            return None
        ranked = counts.most_common(2)
        if len(ranked) == 2 and ranked[1][1] == ranked[0][1]:
            return None
        return ranked[0][0]

    def _full_names_of(self, name: str) -> list[str]:
        # The gazetteer links a listed short name to its full name when the article has both
        # (贵州茅台 / 贵州茅台酒股份有限公司), and a shorter form to a listed name (茅台 / 贵州茅台).
        gaz = self.gazetteer
        full = gaz.full_of.get(name)
        if full is not None and full in self.org_names:
            return [full]
        fulls = [f for f in self.org_names if short_form_of(name, f) or gazetteer_short(gaz, name, f)]
        # A full name may itself be a short form of a longer one: keep the longest forms.
        longest = [f for f in fulls if not any(short_form_of(f, g) for g in self.org_names)]
        fulls = longest or fulls
        counts = Counter(self.text[c.start : c.end] for c in self.mentions if c.label == "ORG")
        fulls.sort(key=lambda f: (company_preference(name, f), -counts[f], self.org_names.index(f)))
        return fulls

    def resolve(self, name: str, place_hint: str | None = None) -> str:
        """Canonical name of an organisation mention.

        Declared aliases (以下简称“…”) first, then a longer name of the article that the
        mention abbreviates, then, for level short forms (市总工会), the place of the title
        chain or the article's one city / province.
        """
        key = (name, place_hint)
        if key in self.canonical:
            return self.canonical[key]
        full = self.aliases.get(name)
        if full is None:
            fulls = self._full_names_of(name)
            full = fulls[0] if fulls else None
        if full is None:
            full = name
            split = level_split(name)
            if split is not None:
                level = split[0]
                place = None
                if place_hint:
                    place = place_prefix(place_hint, level)
                    if place is None and place_hint.endswith(level) and len(place_hint) <= 6:
                        place = place_hint
                if place is None and split[1] not in BARE_BODIES:
                    place = self._dominant_place(level)
                if place:
                    full = place + name[1:]
        self.canonical[key] = full
        return full

    def main_company(self) -> str | None:
        counts: Counter[str] = Counter()
        for c in self.mentions:
            if c.label == "ORG":
                full = self.resolve(self.text[c.start : c.end])
                if org_subtype(full) == "company" or c.subtype == "company":
                    counts[full] += 1
        return counts.most_common(1)[0][0] if counts else None
