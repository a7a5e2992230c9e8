"""Programmes: policy documents in 《》, quoted names with their head noun, schemes, unquoted policies.

:class:`ProgrammeFinder` finds 《》 documents (《关于…的通知》), quoted names with their head noun
(“十件实事”项目 -> 十件实事项目) and later mentions of them, quoted schemes (“工惠保”), unquoted notices,
phased projects (引江济淮二期工程), laws under review, named initiatives and strategies
(:func:`policy_programmes`) and well-known laws (宪法, 民法典).

Example:
    >>> from newsnlp.entities.rules import PROGRAMME_HEADS, SCHEME_CUES, TITLE_LEXICON, RulePatterns, title_words
    >>> finder = ProgrammeFinder(RulePatterns.compile(title_words(TITLE_LEXICON), PROGRAMME_HEADS, SCHEME_CUES))
    >>> [(c.start, c.end, c.name) for c in finder.candidates("推出“工惠保”，开展“送清凉”活动。")]
    [(10, 17, '送清凉活动'), (2, 7, '工惠保'), (10, 15, '送清凉活动')]
"""

from __future__ import annotations

import re

from .._util import CJK_RANGE, is_cjk
from .candidates import Candidate, is_name_like, strip_quotes
from .rules import CHAIN_STOP, DOCUMENT_HEADS, KNOWN_PROGRAMMES, RulePatterns


#: Unquoted programme form: phased projects (引江济淮二期工程).
_UNQUOTED_PROGRAMME = re.compile(
    rf"(?P<name>[{CJK_RANGE}]{{2,14}}?[一二三四五六七八九十]期(?:工程|项目))"
)


_PROJECT_VERBS = re.compile(r"建设|提出|推进|实施|启动|开工|完成|参与|包括|开展|加快|推动|承建|投资|新建")


# Unquoted policy names (issue 13): laws under review (渔业法修订草案 -> 渔业法) and named
# initiatives, strategies, campaigns and negative lists (全球发展倡议, 乡村振兴战略, 脱贫攻坚战,
# 乡村建设行动, 外资准入负面清单). The name starts after the last function word, verb or
# punctuation before its head, and must say more than a generic word before the head.
_LAW_UNDER_REVIEW = re.compile(rf"(?P<name>[{CJK_RANGE}]{{1,16}}?法)(?=(?:修订|修正)?草案|修正案)")
_POLICY_HEAD = re.compile(rf"(?:倡议|战略|攻坚战|负面清单|规划建议|规划纲要)(?![{CJK_RANGE}]{{0,1}}(?:部署|对接|合作|目标|性|上|中|下))|(?:提升|培育|攻坚|建设|专项|振兴|整治)行动")
_POLICY_NAME_STOP = re.compile(
    r"关于|审议|提请|实施|推进|推动|落实|开展|加快|启动|提出|共建|参与|支持|加强|深化|全面|坚持|通过|贯彻|围绕|对接|发起|"
    r"响应|落地|打赢|打好|深入|纳入|进一步|作|愿|持续|保持|增进|赢得|构建|融入|根据|按照|依据|依照|版|和|与|及"
)
_LAW_STOP = set("的了和、及")
_UNQUOTED_NOTICE = re.compile(
    r"关于(?:做好|促进|加强|推进|进一步|加快|开展|支持|推动|完善|深化|规范|实施|印发)[^，。；：！？、\n《》“”]{4,40}?的"
    r"(?:通知|指导意见|实施意见|若干意见|意见|决定|办法|规定)"
)
# Characters that end a policy name's run to the left (lighter than CHAIN_STOP: 由, 对 and 经
# occur inside names such as 自由贸易试验区, 对外贸易法).
_POLICY_STOP = set("的了是在将把被让从为等也都已还要就于以并但而又这那其我你他她它着过给到说称据即请、和与及")
_GENERIC_POLICY_BODY = re.compile(r"^(?:发展|国家|重大|重要|各项|这一|该|此|一系列|新|总体|长期|中长期|相关|有关|我国|中国|全球性|地区|区域)$")


_DECLARED_SHORT = re.compile(r"[（(](?:以下简称|以下称|下称|简称)")

# Named actions listed before their count: 推进强功能、畅流通、提流量、广辐射、补短板五大行动.
# The count must equal the number of listed items, so 三大战略 after an unrelated list is not one.
_COUNTS = {c: i for i, c in enumerate("一二三四五六七八九十", 1)}
_ENUMERATED = re.compile(
    rf"(?P<items>[{CJK_RANGE}]{{2,6}}(?:、[{CJK_RANGE}]{{2,6}}){{1,9}})(?P<count>[两二三四五六七八九十])大"
    r"(?P<head>行动|工程|计划|战略|攻坚战|专项行动|举措|任务)"
)


def enumerated_programmes(text: str) -> list[Candidate]:
    """``A、B、C五大行动``: a list of named actions with their count (the count must match)."""
    out: list[Candidate] = []
    for m in _ENUMERATED.finditer(text):
        items = m.group("items").split("、")
        count = 2 if m.group("count") == "两" else _COUNTS[m.group("count")]
        if len(items) < count:
            continue
        kept = items[-count:]
        start = m.end("items") - len("、".join(kept))
        # The first item may carry the verb before the list (推进强功能 -> 强功能).
        verb = _POLICY_NAME_STOP.match(kept[0]) or _PROJECT_VERBS.match(kept[0])
        if verb is not None and len(kept[0]) - verb.end() >= 2:
            start += verb.end()
        out.append(Candidate(start, m.end(), "PROGRAMME", None, "rule", text[start : m.end()]))
    return out


# A country's named project: 公司几内亚博法项目 (a company's overseas mine or plant).
def foreign_projects(text: str) -> list[Candidate]:
    """``<country><name>项目``: a named project abroad (几内亚博法项目)."""
    from .rules import COUNTRIES

    out: list[Candidate] = []
    for m in _foreign_project_re(COUNTRIES).finditer(text):
        if m.group("country") in ("中国", "我国", "国内"):
            continue
        out.append(Candidate(m.start(), m.end(), "PROGRAMME", None, "rule", m.group()))
    return out


_FOREIGN_PROJECT_RE: list[re.Pattern] = []


def _foreign_project_re(countries) -> re.Pattern:
    if not _FOREIGN_PROJECT_RE:
        names = "|".join(sorted(map(re.escape, countries), key=len, reverse=True))
        _FOREIGN_PROJECT_RE.append(re.compile(rf"(?P<country>{names})(?P<name>[{CJK_RANGE}]{{2,4}}?)项目"))
    return _FOREIGN_PROJECT_RE[0]


def policy_start(text: str, head_start: int, limit: int, stops: set[str] = CHAIN_STOP) -> int | None:
    """Start of the name before ``head_start``; None when no boundary is found within ``limit``."""
    k = head_start
    while k > limit and text[k - 1] not in stops and (is_cjk(text[k - 1]) or text[k - 1].isdigit()):
        k -= 1
    verbs = list(_POLICY_NAME_STOP.finditer(text, k, head_start))
    if verbs:
        return verbs[-1].end()
    if k == limit and k > 0 and (is_cjk(text[k - 1]) or text[k - 1].isdigit()):
        return None  # ran out of room: the name's start is unknown
    return k


def policy_programmes(text: str) -> list[Candidate]:
    out: list[Candidate] = []
    for m in _LAW_UNDER_REVIEW.finditer(text):
        end = m.end("name")
        start = policy_start(text, end - 1, max(0, end - 17), _LAW_STOP)
        if start is not None and end - start >= 3:
            out.append(Candidate(start, end, "PROGRAMME", None, "rule", text[start:end]))
    for m in _POLICY_HEAD.finditer(text):
        start = policy_start(text, m.start(), max(0, m.start() - 14), _POLICY_STOP)
        if start is None:
            continue
        body = text[start : m.start()]
        # 战略 is the noisiest head (发展战略, 五大战略): it needs a longer, specific body.
        shortest = 4 if m.group().startswith("战略") else 2
        if len(body) < shortest or _GENERIC_POLICY_BODY.match(body) or not all(is_cjk(c) for c in body):
            continue
        if re.search(r"[多几两三四五六七八九十]大$|^[多几两三四五六七八九十]项|高水平|重点", body):
            continue
        out.append(Candidate(start, m.end(), "PROGRAMME", None, "rule", text[start : m.end()]))
    for name in KNOWN_PROGRAMMES:
        # 宪法委员会 / 宪法和法律委员会 / 宪法法律委 are bodies, not the constitution.
        for m in re.finditer(re.escape(name) + r"(?!委|和法律|法律委)", text):
            a, b = m.span()
            if text[a - 1 : a] == "“" and text[b : b + 1] == "”":
                a, b = a - 1, b + 1
            out.append(Candidate(a, b, "PROGRAMME", None, "rule", name))
    return out


class ProgrammeFinder:
    """Programme candidates of a text (see the module docs).

    Args:
        patterns: the extractor's :class:`~newsnlp.entities.rules.RulePatterns`.
    """

    def __init__(self, patterns: RulePatterns) -> None:
        self.patterns = patterns

    def candidates(self, text: str) -> list[Candidate]:
        """Every programme candidate of ``text``; ``name`` holds the programme's name (quotes dropped)."""
        out: list[Candidate] = []
        declared: dict[str, str] = {}
        for m in self.patterns.book_re.finditer(text):
            inner = m.group("q")
            if inner in declared:
                out.append(Candidate(m.start(), m.end(), "PROGRAMME", None, "rule", declared[inner]))
                continue
            # Policy documents only: books, films, songs and articles are not programmes.
            head = re.sub(r"[（(][^（()）]*[）)]$", "", inner)
            if len(head) < 4 or not head.endswith(DOCUMENT_HEADS):
                continue
            # 《…》(下称《指导意见》): the declared short title is another mention of the document before it.
            previous = out[-1] if out and out[-1].end <= m.start() else None
            if previous is not None and _DECLARED_SHORT.fullmatch(text, previous.end, m.start()):
                declared[inner] = previous.name
                out.append(Candidate(m.start(), m.end(), "PROGRAMME", None, "rule", previous.name))
                continue
            # (A draft's status in brackets stays in the name, as docs/labelling.md and the held-out
            # posts have it; newsdev's labels drop it: …指导意见 for 《…指导意见(征求意见稿)》.)
            out.append(Candidate(m.start(), m.end(), "PROGRAMME", None, "rule", strip_quotes(inner)))
        # Unquoted notices and opinions: 根据省能源局关于做好2022年电力市场年度交易工作的通知.
        for m in _UNQUOTED_NOTICE.finditer(text):
            if not any(c.start <= m.start() < c.end for c in out):
                out.append(Candidate(m.start(), m.end(), "PROGRAMME", None, "rule", m.group()))
        cores: dict[str, str] = {}
        for m in self.patterns.quote_head_re.finditer(text):
            q, mid, head = m.group("q"), m.group("mid"), m.group("head")
            if not is_name_like(q):
                continue
            name = strip_quotes(q) + mid + head
            cores.setdefault(q, name)
            out.append(Candidate(m.start(), m.end(), "PROGRAMME", None, "rule", name))
        for m in self.patterns.quote_re.finditer(text):
            q = m.group("q")
            if not is_name_like(q):
                continue
            if q in cores:  # “送清凉” after “送清凉”活动: another mention of it
                out.append(Candidate(m.start(), m.end(), "PROGRAMME", None, "rule", cores[q]))
            elif len(q) >= 3 and self.patterns.cue_end_re.search(q):
                out.append(Candidate(m.start(), m.end(), "PROGRAMME", None, "rule", q))
        for m in _UNQUOTED_PROGRAMME.finditer(text):
            start, end = m.span("name")
            # The name starts after the last function word or punctuation before it.
            k = end - 4
            while k > start and text[k - 1] not in CHAIN_STOP:
                k -= 1
            verbs = list(_PROJECT_VERBS.finditer(text, k, end - 4))
            if verbs:
                k = verbs[-1].end()
            start = k
            # 6号线一期工程 is a numbered stretch of a facility, not a named project.
            if end - start < 6 or (start > 0 and text[start - 1].isalnum() and not is_cjk(text[start - 1])):
                continue
            out.append(Candidate(start, end, "PROGRAMME", None, "rule", text[start:end]))
        out += policy_programmes(text)
        out += enumerated_programmes(text)
        out += foreign_projects(text)
        return out
