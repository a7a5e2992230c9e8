"""Person-name rules: what a model "person" must look like, names the model split or missed.

Example:
    >>> plausible_name("王小明"), plausible_name("智能化")
    (True, False)
"""

from __future__ import annotations

import re

from .._util import CJK_RANGE, is_cjk
from .candidates import Candidate
from .rules import CITIES, COUNTRIES, LONG_PLACES, PROVINCES, SURNAMES

_KNOWN_PLACES = frozenset((*COUNTRIES, *CITIES, *LONG_PLACES, *PROVINCES))


_NOT_NAME_END = re.compile(r"[化型性率券图书]$")
#: Words a surname-like first character can precede (白皮书, 蓝图): not given names.
_NOT_GIVEN_NAMES = frozenset("皮书 图书 证书 文书 全书 丛书 秘书 明书 知书 划书 议书 请书 诺书 地图 蓝图 意图 版图 插图 附图 草图 构图 宏图 企图 试图 力图".split())


# 王某, 张某某: anonymised parties in court and labour stories (not 某公司, 某局).
ANONYMISED_PERSON = re.compile(
    "[" + "".join(sorted(SURNAMES)) + f"]某某?(?!(?:(?!某)[{CJK_RANGE}]){{0,2}}(?:公司|企业|集团|单位|局|厅|委|院|所|校|厂|店|银行|平台|"
    "网络|科技|有限|村|镇|县|市|区|省|地|部|处|社|中心|机构|小区|医院))(?![一种些个项类件次样])"
)
#: Words whose last character is a surname followed by 某: 中国某种产品, 北方某机场, 出于某种需要.
_NOT_ANONYMISED_AFTER = frozenset(
    "中国 美国 英国 法国 德国 韩国 俄国 泰国 各国 全国 本国 该国 外国 两国 他国 北方 南方 东方 西方 地方 对方 双方 一方 各方 "
    "官方 多方 我方 警方 军方 校方 出于 由于 对于 关于 基于 至于 属于 等于 在于 用于 处于 终于 过于 急于 忠于".split()
)


def anonymised_persons(text: str) -> list[tuple[int, int]]:
    """The 王某 / 张某某 spans of ``text`` (not 中国某种…, 北方某机场: a word ending in a surname)."""
    # 和 is the conjunction far more often than the surname (文物和某业务领域).
    return [m.span() for m in ANONYMISED_PERSON.finditer(text)
            if text[m.start()] != "和" and text[max(0, m.start() - 1) : m.start() + 1] not in _NOT_ANONYMISED_AFTER]


def join_latin_names(text: str, cands: list[Candidate]) -> list[Candidate]:
    """Emily + Carter -> Emily Carter; a romanisation in brackets after a Chinese name is dropped."""
    persons = sorted((c for c in cands if c.label == "PERSON"), key=lambda c: c.start)
    merged: dict[int, Candidate] = {}
    drop: set[int] = set()
    i = 0
    while i < len(persons):
        c = persons[i]
        j = i
        while (
            j + 1 < len(persons)
            and text[persons[j].end : persons[j + 1].start] in (" ", "·", "-")
            and _LATIN_WORD.fullmatch(text[persons[j].start : persons[j].end])
            and _LATIN_WORD.fullmatch(text[persons[j + 1].start : persons[j + 1].end])
        ):
            j += 1
        if j > i:
            merged[id(c)] = Candidate(c.start, persons[j].end, "PERSON", None, "model")
            drop.update(id(p) for p in persons[i + 1 : j + 1])
        i = j + 1
    out = []
    for c in cands:
        if id(c) in drop:
            continue
        c = merged.get(id(c), c)
        if c.label == "PERSON" and _LATIN_WORD.match(text, c.start):
            # 沈立刚（Shen Ligang）: the romanisation of the name before, not another person.
            before = text[max(0, c.start - 24) : c.start]
            opened = max(before.rfind("（"), before.rfind("("))
            if opened >= 0 and not any(ch in before[opened:] for ch in "）)") and re.match(
                r"[A-Za-z .'\-]*[）)]", text[c.end : c.end + 24]
            ):
                continue
            if text[c.start : c.end].isupper():  # EIA, LPR: acronyms are not names
                continue
        out.append(c)
    return out


_LATIN_WORD = re.compile(r"[A-Z][A-Za-z.'\-]*(?: [A-Z][A-Za-z.'\-]*)*")


#: Currencies the model reads as foreign names (卢布, 林吉特); 马克 is left out (also a given name).
CURRENCIES = frozenset("卢布 林吉特 里拉 万里拉 卢比 兰特 比索 法郎 英镑 日元 欧元 美元 泰铢 韩元 克朗 第纳尔 里亚尔 兹罗提 福林".split())


def person_relabel(name: str) -> str | None:
    """What a model "person" is when its form says it is no person: ``"LOC"`` for a country
    (黎巴嫩, 莫桑比克), ``"ORG"`` for a party (梅雷茨党), ``""`` to drop it (a currency: 卢布), else ``None``.

    Example:
        >>> person_relabel("尼泊尔"), person_relabel("梅雷茨党"), person_relabel("卢布"), person_relabel("王芳")
        ('LOC', 'ORG', '', None)
    """
    # Two-character countries may be names (苏丹, 马里, 约旦; measured: CLUENER dev name drops with
    # them), 萨尔瓦多 a given name (Salvador): countries of three or more characters only.
    if name in COUNTRIES and name not in ("欧盟", "联合国", "萨尔瓦多") and len(name) >= 3:
        return "LOC"
    if len(name) >= 3 and name.endswith("党") and all(is_cjk(c) for c in name):
        return "ORG"
    if name in CURRENCIES:
        return ""
    return None


def plausible_name(name: str) -> bool:
    """Reject what the model sometimes reads as a person (智能化, 员会): cheap checks only.

    Two-character Chinese names must start with a common surname (or 小/老); names ending
    like an adjective or a document (…化, …型, …券) are not names. Latin names and longer
    names (transliterations) pass.
    """
    if len(name) < 2:
        return False
    if not all(is_cjk(c) or c == "·" for c in name):
        return any(c.isalpha() for c in name)
    if _NOT_NAME_END.search(name) and not (
        # 龙永图, 钟书: a surname and a given name ending in 图/书 (not 白皮书, 说明书)
        len(name) == 3 and name[0] in SURNAMES and name[-1] in "图书" and name[1:] not in _NOT_GIVEN_NAMES
    ):
        return False
    if len(name) == 2:
        if name[1] in "家氏老":
            return False
        return name[0] in SURNAMES or name[0] in "小老"
    return True


# What follows a person's name and nothing else: 布朗先生, 冈田教授, 墨菲市长一行, 威曼女士说.
_PERSON_AFTER = re.compile(
    r"(?:先生|女士|小姐|夫人|教授|博士|同志|老师|夫妇|一行|总统|首相|市长|议员|大使|主教练|会长|副会长|部长|副部长|主席|副主席|"
    r"总理|副总理|书记|主任|社长|局长|院长|校长|总经理|董事长|委员长|议长|外长|总裁|将军)"
)
#: What precedes a person's name and nothing else (社长旺久, 作者铁凝, 首席执行官威尔, 歌星恰克).
_PERSON_BEFORE = re.compile(
    r"(?:总统|首相|总理|主席|部长|社长|作者|记者|编辑|教授|执行官|代表|会长|总经理|董事长|书记|主任|市长|局长|院长|校长|"
    r"导演|歌星|歌手|演员|选手|名将|运动员|队员|教练|主教练|大使|议员|外长|画家|作家|诗人|学者|烈士|老人|同学)$"
)
#: Characters of transliterated foreign names (约翰, 布朗, 贝利, 托蒂, 耶茨): a two-character model
#: name made only of these is a transliteration, not a word such as 市民 or 嘉兴.
TRANSLITERATION_CHARS = frozenset(
    "阿艾安奥巴拜班邦贝本比彼波伯博布查达戴丹道德迪蒂丁杜多厄恩法菲费芬弗福夫盖戈格古哈海汉豪赫亨胡霍基吉加贾杰金卡凯坎"
    "康考柯科克库奎拉莱赖兰朗劳勒雷蕾里利丽莉列林琳隆卢鲁伦罗洛马玛迈麦曼梅蒙米密缪摩莫墨默穆纳娜内尼妮涅纽努诺欧帕佩"
    "彭皮普奇契乔切萨塞桑瑟森沙莎什施斯松苏索塔泰坦汤特提托瓦威韦维温沃乌西希锡谢辛休雅亚扬耶伊因英尤约詹兹佐泽茨"
)


def person_in_context(text: str, start: int, end: int) -> bool:
    """Does the text around ``text[start:end]`` say it is a person even though :func:`plausible_name`
    doubts it? A person word follows (布朗先生, 冈田教授), or the name is a two-character
    transliteration (约翰, 托蒂)."""
    name = text[start:end]
    if not name or not all(is_cjk(c) for c in name) or len(name) > 4:
        return False
    if _PERSON_AFTER.match(text, end) or _PERSON_BEFORE.search(text, max(0, start - 4), start):
        return True
    return len(name) == 2 and all(c in TRANSLITERATION_CHARS for c in name)


# Words only a person stands next to (no 市长 or 书记: 上海市长 is a place and a title).
_ONLY_PERSON_AFTER = re.compile(r"(?:先生|女士|小姐|夫人|教授|博士|夫妇|一行|秘书长)")
_ONLY_PERSON_BEFORE = re.compile(r"(?:总统|首相|总理|外长|作者|导演|歌星|歌手|演员|画家|作家|诗人|学者|指挥家|教授|秘书长)$")
_PLACE_END = re.compile(r"[省市县区镇乡村州岛山河湖江海路街港湾]$")


def place_is_person(text: str, start: int, end: int) -> bool:
    """A model "place" that the text says is a person: 安南秘书长, 大西教授, 总统亚辛 (not a known place,
    not ending like one, and a word only a person stands next to)."""
    name = text[start:end]
    if not 2 <= len(name) <= 4 or not all(is_cjk(c) for c in name) or _PLACE_END.search(name):
        return False
    if name in _KNOWN_PLACES:
        return False
    return bool(_ONLY_PERSON_AFTER.match(text, end) or _ONLY_PERSON_BEFORE.search(text, max(0, start - 4), start))


def listed_names(text: str, cands: list[Candidate]) -> list[Candidate]:
    """Names the model did not tag: 习近平、李克强、栗战书 (a name in a 、-list of names) and a reporter's
    name in a byline (记者于青报道, 记者王丽、张强摄)."""
    persons = sorted((c for c in cands if c.label == "PERSON"), key=lambda c: c.start)
    taken = {(c.start, c.end) for c in cands if c.label in ("PERSON", "ORG", "LOC")}
    starts = {c.start for c in cands if c.label in ("PERSON", "ORG", "LOC", "TITLE")}
    out: list[Candidate] = []
    covered = bytearray(len(text))
    for c in cands:
        if c.label in ("PERSON", "ORG", "LOC", "PROGRAMME"):
            covered[c.start : c.end] = b"\x01" * (c.end - c.start)
    for m in _BYLINE.finditer(text):
        k = m.end()
        while True:
            name = _BYLINE_NAME.match(text, k)
            if name is None:
                break
            if not any(covered[name.start() : name.end()]):
                out.append(Candidate(name.start(), name.end(), "PERSON", None, "rule"))
            k = name.end()
            if text[k : k + 1] != "、":
                break
            k += 1
    for p in persons:
        k = p.end
        while k < len(text) and text[k] == "、":
            m = _LIST_NAME.match(text, k + 1)
            if m is None or (k + 1) in starts and (m.start(), m.end()) not in taken:
                break
            if (m.start(), m.end()) not in taken:
                out.append(Candidate(m.start(), m.end(), "PERSON", None, "rule"))
            k = m.end()
    return out


# A Chinese name: a common surname (or one of the usual compound ones) and one or two more characters.
_SURNAME_NAME = "(?:" + "|".join(("欧阳", "司马", "上官", "诸葛")) + "|[" + "".join(sorted(SURNAMES)) + f"])[{CJK_RANGE}]{{1,2}}?"
# A name in a 、-list, then 、 or the list's end.
_LIST_NAME = re.compile(_SURNAME_NAME + "(?=、|等|，|。|出席|参加|同志|分别)")


# A byline: 记者 (or 通讯员, 实习生) and the reporters' names, then 报道 / 摄 / 电 or the end of the clause.
_BYLINE = re.compile(r"(?:特约记者|本报记者|记者|通讯员|实习生)")
_BYLINE_NAME = re.compile(_SURNAME_NAME + r"(?=报道|摄影?|、|电|）|\)|，|。|$)")
