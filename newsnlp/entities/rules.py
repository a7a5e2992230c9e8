"""The rule tables of the entity stage, as data, and the patterns built from them.

Plain tuples and sets, documented in docs/entities.md: titles (:data:`TITLE_LEXICON`), organisation
endings and short forms (:data:`ORG_SUFFIXES`, :data:`ORG_SHORT_SUFFIXES`), programme heads and scheme
cues, places, surnames, media names, known bodies and countries. :class:`RulePatterns` compiles the
regular expressions one :class:`~newsnlp.entities.EntityExtractor` needs from its tables (the title
lexicon, programme heads and scheme cues can be replaced per extractor).

Example:
    >>> "市长" in TITLE_LEXICON, "总工会" in ORG_SUFFIXES
    (True, True)
    >>> RulePatterns.compile(title_words(TITLE_LEXICON), PROGRAMME_HEADS, SCHEME_CUES).title_re.search("副市长").group()
    '副市长'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from .._util import CJK_RANGE
from ..text.news import MEDIA_NAMES  # media names are news boilerplate: one home, shared with the other stages

__all__ = [
    # titles
    "TITLE_LEXICON", "DEPUTY_TITLES", "WEAK_BARE_TITLES", "COMPANY_TITLES", "TITLE_MODIFIERS", "DROPPED_MODIFIERS",
    "LEADER_TITLES",
    # organisations
    "ORG_SUFFIXES", "ORG_SHORT_SUFFIXES", "COMPANY_SHORT_SUFFIXES", "ORG_SUBUNITS", "GOV_ENDINGS", "COMPANY_ENDINGS",
    "KNOWN_BODIES", "NOT_ORG_NAMES", "MEDIA_NAMES", "UNNAMED_UNITS", "DEPARTMENT_ENDINGS", "UNIT_ENDINGS",
    "COMPANY_ANAPHORA", "BARE_BODIES",
    # programmes
    "PROGRAMME_HEADS", "SCHEME_CUES", "DOCUMENT_HEADS", "KNOWN_PROGRAMMES",
    # places and names
    "PROVINCES", "LONG_PLACES", "CITIES", "NATIONAL", "COUNTRIES", "NOT_PLACE", "LEVEL_CHARS", "SURNAMES",
    "COMPOUND_SURNAMES",
    # where a name or a chain stops
    "BODY_STOP", "CHAIN_STOP",
    # building patterns
    "alternation", "title_words", "RulePatterns",
]


# --------------------------------------------------------------------------- titles, organisations, programmes

#: Titles an official can hold. ``副X`` and ``常务副X`` are added for the entries in
#: :data:`DEPUTY_TITLES`; matching prefers the longest title.
TITLE_LEXICON: tuple[str, ...] = (
    # party and state
    "总书记", "书记", "党组书记", "党委书记", "党工委书记", "党组成员", "党委委员", "常委", "委员",
    "主任", "主席", "主任委员", "秘书长", "市长", "省长", "县长", "区长", "州长", "镇长", "乡长", "村主任",
    "总理", "部长", "司长", "厅长", "局长", "处长", "科长", "署长", "主任科员", "巡视员", "调研员",
    "一级巡视员", "二级巡视员", "督察长", "新闻发言人", "发言人", "大使", "领事",
    # courts and procuratorates
    "院长", "庭长", "法官", "审判员", "检察长", "检察官",
    # companies and finance
    "董事长", "董事", "独立董事", "监事长", "监事会主席", "董事会主席", "总经理", "总裁", "首席执行官", "首席财务官",
    "首席技术官", "首席运营官", "首席经济学家", "首席分析师", "首席策略师", "首席投资官", "分析师",
    "董事会秘书", "董秘", "财务总监", "总监", "总会计师", "总工程师", "行长", "创始人", "合伙人",
    "CEO", "CFO", "COO", "CTO",
    # universities, institutes, associations
    "校长", "所长", "研究员", "教授", "讲师", "博导", "会长", "理事长", "执行会长", "组长", "经理",
    "控股股东", "实际控制人", "专职委员",
    # heads of state and government, parliaments, diplomats (foreign leaders and ambassadors)
    # (国王, 女王, 总领事, 特命全权大使 are left out: CLUENER's position spans disagree with them)
    "国家主席", "国家副主席", "总统", "副总统", "首相", "王储", "埃米尔", "元首", "总督",
    "委员长", "议长", "参议员", "众议员", "外长", "外交部长", "特使", "新闻秘书", "领导人",
    "政治局常委", "政治局委员", "书记处书记", "执行主席", "常务主席", "政委", "司令员",
    "总干事", "首席代表",
    # executives and experts with an institutional title
    "法定代表人", "首席科学家", "首席风险官", "首席信息官", "首席战略官", "首席宏观经济学家", "首席研究员",
    "主任医师", "副主任医师", "主治医师", "首席专家", "院士",
)
DEPUTY_TITLES = (
    "书记", "党组书记", "党委书记", "主任", "主席", "秘书长", "市长", "省长", "县长", "区长", "州长",
    "镇长", "乡长", "总理", "部长", "司长", "厅长", "局长", "处长", "科长", "署长", "院长", "庭长",
    "检察长", "董事长", "总经理", "总裁", "行长", "校长", "所长", "研究员", "教授", "会长", "理事长",
    "总监", "组长", "主任委员", "委员长", "议长", "总统", "司令员", "政委", "总干事",
)

#: Endings of organisation names (longest tried first). ``ORG_SHORT_SUFFIXES`` is the subset
#: a level prefix (``市``/``省``/``县``/``区``) may carry in a short form such as ``市发改委``.
ORG_SUFFIXES: tuple[str, ...] = (
    "人大常委会", "人民代表大会常务委员会", "人民政府", "政府", "办公厅", "办公室", "委员会", "常委会", "领导小组",
    "工会联合会", "总工会", "工会", "联合会", "协会", "商会", "学会", "基金会", "促进会",
    "局", "厅", "委", "总署", "信息署", "管理署", "统计署", "政协",
    "人民法院", "法院", "检察院", "仲裁院", "仲裁委", "研究院", "科学院", "设计院", "医院",
    "大学", "学院", "学校", "研究所", "研究中心", "中心", "交易所",
    "福利院", "林场",
    "股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "公司", "集团", "银行", "分行",
)
ORG_SHORT_SUFFIXES: tuple[str, ...] = (
    "人大常委会", "人民政府", "政府", "办公厅", "办公室", "委员会", "常委会", "总工会", "工会联合会",
    "局", "厅", "委", "政协", "人民法院", "法院", "检察院", "仲裁院", "中心", "领导小组",
)
#: Endings a company's short name may have (``恒川股份``, ``东曜证券``) when it precedes a title.
COMPANY_SHORT_SUFFIXES: tuple[str, ...] = ("股份", "集团", "控股", "科技", "证券", "银行", "基金", "保险")
#: Sub-units that extend an organisation name: ``中国人民银行浙江省分行``, ``宁波大学商学院``.
ORG_SUBUNITS: tuple[str, ...] = (
    "办公厅", "办公室", "学院", "研究院", "研究所", "研究中心", "分行", "支行", "分院", "监管局", "分局",
)

#: Head nouns that make a quoted name a programme: “金蓝领”培育计划 -> 金蓝领培育计划.
PROGRAMME_HEADS: tuple[str, ...] = (
    "规划建议", "规划纲要", "规划", "倡议", "战略", "攻坚战", "负面清单", "专项行动", "行动计划", "行动方案", "实施方案", "行动", "工程", "计划", "项目", "活动", "示范区",
    "工作法", "平台", "制度", "竞赛", "大赛", "专项", "改革", "场景", "APP", "App",
)
#: Endings that make a quoted name a scheme or product on its own: “工惠保”, “鲁担惠农贷”.
#: Generic heads (工程, 行动) are left out on purpose: “头号工程” is a figure of speech.
SCHEME_CUES: tuple[str, ...] = ("保", "贷", "券", "驿站", "宝", "险")
#: Endings of the 《》 titles that are programmes: policy documents, plans and regulations
#: (a year range in brackets at the end is ignored). Books, films and newspapers are not.
DOCUMENT_HEADS: tuple[str, ...] = (
    "办法", "规定", "条例", "意见", "通知", "方案", "规划", "计划", "措施", "决定", "纲要", "细则", "指引",
    "指南", "清单", "法", "准则", "标准", "目录", "公告", "通告", "决议", "协议", "规则", "章程", "制度",
    "政策", "战略", "工程", "行动", "倡议", "公约", "要点", "任务", "举措", "条款", "批复", "函", "白皮书", "蓝皮书",
    "协定", "条约", "宪章", "法典", "公报", "声明", "工作报告", "解释", "建议",
)

# --------------------------------------------------------------------------- places and characters

PROVINCES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建",
    "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海",
    "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门",
)
# Cities whose names are not two characters, or that the two-character rule would miss.
LONG_PLACES = (
    "连云港", "石家庄", "哈尔滨", "呼和浩特", "乌鲁木齐", "齐齐哈尔", "牡丹江", "张家口", "秦皇岛",
    "张家界", "景德镇", "平顶山", "驻马店", "马鞍山", "攀枝花", "葫芦岛", "佳木斯", "鄂尔多斯",
    "克拉玛依", "日喀则", "西双版纳", "青白江", "嘉峪关", "防城港", "六盘水", "满洲里",
)
# Prefecture-level cities that company names carry without 市 (宁波恒川…, 杭州云岫…).
CITIES = (
    "杭州", "宁波", "温州", "嘉兴", "湖州", "绍兴", "金华", "衢州", "舟山", "台州", "丽水", "义乌",
    "南京", "苏州", "无锡", "常州", "徐州", "南通", "淮安", "盐城", "扬州", "镇江", "泰州", "宿迁", "昆山",
    "合肥", "芜湖", "蚌埠", "淮南", "安庆", "黄山", "滁州", "阜阳", "宿州", "六安", "亳州", "宣城", "铜陵",
    "福州", "厦门", "泉州", "漳州", "莆田", "三明", "南平", "龙岩", "宁德",
    "广州", "深圳", "珠海", "汕头", "佛山", "东莞", "中山", "惠州", "江门", "湛江", "茂名", "肇庆", "清远",
    "青岛", "济南", "烟台", "潍坊", "淄博", "临沂", "济宁", "威海", "日照", "泰安", "德州", "聊城", "滨州",
    "菏泽", "枣庄", "东营", "寿光",
    "武汉", "宜昌", "襄阳", "十堰", "荆州", "黄石", "孝感", "长沙", "株洲", "湘潭", "岳阳", "衡阳", "常德",
    "郑州", "洛阳", "开封", "新乡", "南阳", "许昌", "安阳",
    "成都", "绵阳", "宜宾", "泸州", "德阳", "南充", "乐山", "自贡",
    "昆明", "贵阳", "遵义", "南宁", "桂林", "柳州", "海口", "三亚", "西安", "宝鸡", "咸阳", "兰州", "西宁",
    "银川", "拉萨", "包头", "太原", "大同", "晋中", "长治", "唐山", "保定", "邯郸", "廊坊", "沧州",
    "沈阳", "大连", "鞍山", "长春", "南昌", "九江", "赣州", "上饶", "贵安", "雄安", "浦东", "滨海",
)
NATIONAL = (
    "中华全国", "中国", "国家", "全国", "中共中央", "中央", "国务院",
    "美国", "英国", "法国", "德国", "日本", "韩国", "俄罗斯", "欧盟", "欧洲", "国际",
)
# Characters that cannot be part of a generic two-character place before 市/县/区/省.
NOT_PLACE = set("全本该各我两每此这那前后上下内外城超股门都夜集菜地的了在是和与及等到从向对将把被让为已也都就还又今明去年月日时会同近")
# Characters that end an organisation body or a title chain when outside a mention.
BODY_STOP = set("的了在是对向将把被让从为与及或等也都已还要就于以并但而且又个这那其每些本我你他她它着过给到说称由仍")
CHAIN_STOP = set("的了在是对向将把被让从为等也都已还要就于以并但而又这那其我你他她它着过给到说称据由经即请邀同")
LEVEL_CHARS = "省市县区"

# --------------------------------------------------------------------------- persons and officials

# The common Chinese surnames (about nine in ten people carry one of these).
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季"
    "裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦"
    "戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻"
    "苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练"
    "廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿"
    "鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "夏侯", "令狐", "端木")

#: Titles that do not make an official when no organisation is named with them (a 教授 or
#: a 委员 of nothing named); offices such as 总书记, 国家主席, 总统, 委员长 do.
WEAK_BARE_TITLES = (
    "委员", "董事", "经理", "分析师", "讲师", "教授", "研究员", "合伙人", "组长", "博导", "法官", "检察官", "审判员",
    "调研员", "主任科员", "巡视员", "领事", "专职委员", "党委委员", "党组成员", "常委", "主任医师", "主治医师",
    "首席专家", "院士", "参议员", "众议员", "首席研究员",
)

# A title of an unnamed unit (村党支部书记, 该公司…) is not an office of anything named.
UNNAMED_UNITS = ("村", "社区", "小区", "街道", "该", "当地", "某", "一名", "一位", "其")
DEPARTMENT_ENDINGS = ("系", "学院", "研究所", "研究院", "研究中心", "中心", "实验室")
UNIT_ENDINGS = ("庭", "部", "处", "科", "室", "办", "系", "所", "中心", "委员会", "组")
#: Words before a title that stay in it (时任董事长) or are dropped from it (新任董事长 -> 董事长).
TITLE_MODIFIERS = ("时任", "原", "前")
DROPPED_MODIFIERS = ("新任", "现任")
COMPANY_ANAPHORA = ("公司", "该公司", "本公司")
# 市委、市政府 with no full name in the article stay unresolved (not listed): too generic to
# complete from the article's city, unlike 市大数据中心.
BARE_BODIES = ("委", "政府", "人民政府", "党委")
#: Titles that belong to a company: an official named with one of these and no organisation
#: works for the article's main company (首席财务官Grace Lin).
COMPANY_TITLES = (
    "董事长", "副董事长", "董事", "独立董事", "总经理", "副总经理", "总裁", "副总裁", "首席执行官",
    "首席财务官", "首席技术官", "首席运营官", "董事会秘书", "董秘", "财务总监", "总监", "总会计师",
    "总工程师", "监事长", "监事会主席", "控股股东", "实际控制人", "创始人", "CEO", "CFO", "COO", "CTO",
)

# --------------------------------------------------------------------------- kinds of organisation

GOV_ENDINGS = ("人大常委会", "人民政府", "政府", "办公厅", "委员会", "常委会", "局", "厅", "委", "署", "政协",
                "法院", "检察院", "仲裁院", "办公室")
COMPANY_ENDINGS = ("公司", "集团", "银行", "分行", "支行", "证券", "股份", "控股", "基金", "保险")
# (部队 and 民生 are left out: CLUENER tags them as organisations.)
NOT_ORG_NAMES = {"中央", "人大", "建军", "党组织", "中华人民共和国", "中国共产党员"}

#: National and international bodies news names without anything that marks them as one.
KNOWN_BODIES: tuple[str, ...] = (
    "联合国安理会", "联合国", "二十国集团", "世界贸易组织", "世界卫生组织", "国际货币基金组织", "世界银行", "上海合作组织",
    "东盟", "欧盟委员会", "国务院", "党中央", "中共中央政治局", "中央书记处", "全国人大常委会", "全国人大",
    "应急管理部", "外交部", "商务部", "财政部", "教育部", "科技部", "工业和信息化部", "公安部", "民政部", "司法部",
    "人力资源和社会保障部", "自然资源部", "生态环境部", "住房和城乡建设部", "交通运输部", "水利部", "农业农村部",
    "文化和旅游部", "国家卫生健康委员会", "退役军人事务部", "审计署", "国家发展改革委", "国家发展和改革委员会",
    "北大西洋公约组织", "北约", "石油输出国组织", "欧佩克", "亚太经合组织", "国际奥委会", "国际原子能机构", "世贸组织",
    "中国人民解放军", "解放军",
)

#: Well-known laws and named initiatives that news writes bare or only in quotes.
KNOWN_PROGRAMMES: tuple[str, ...] = ("宪法", "民法典", "一带一路")

#: Countries and regions whose leaders news names with their title (法国总统马克龙).
COUNTRIES: tuple[str, ...] = (
    "美国", "英国", "法国", "德国", "意大利", "西班牙", "葡萄牙", "荷兰", "比利时", "瑞士", "奥地利", "瑞典", "挪威", "丹麦", "芬兰",
    "冰岛", "爱尔兰", "希腊", "波兰", "捷克", "斯洛伐克", "匈牙利", "罗马尼亚", "保加利亚", "塞尔维亚", "克罗地亚", "斯洛文尼亚",
    "波黑", "黑山", "北马其顿", "阿尔巴尼亚", "乌克兰", "白俄罗斯", "摩尔多瓦", "立陶宛", "拉脱维亚", "爱沙尼亚", "俄罗斯",
    "格鲁吉亚", "亚美尼亚", "阿塞拜疆", "土耳其", "哈萨克斯坦", "乌兹别克斯坦", "吉尔吉斯斯坦", "塔吉克斯坦", "土库曼斯坦",
    "蒙古", "朝鲜", "韩国", "日本", "越南", "老挝", "柬埔寨", "泰国", "缅甸", "马来西亚", "新加坡", "印度尼西亚", "印尼", "菲律宾",
    "文莱", "东帝汶", "印度", "巴基斯坦", "孟加拉国", "斯里兰卡", "尼泊尔", "不丹", "马尔代夫", "阿富汗", "伊朗", "伊拉克",
    "叙利亚", "约旦", "黎巴嫩", "以色列", "巴勒斯坦", "沙特", "沙特阿拉伯", "阿联酋", "卡塔尔", "科威特", "巴林", "阿曼", "也门",
    "埃及", "利比亚", "突尼斯", "阿尔及利亚", "摩洛哥", "苏丹", "南苏丹", "埃塞俄比亚", "厄立特里亚", "吉布提", "索马里", "肯尼亚",
    "乌干达", "坦桑尼亚", "卢旺达", "布隆迪", "刚果（金）", "刚果（布）", "刚果民主共和国", "加蓬", "喀麦隆", "尼日利亚", "加纳",
    "科特迪瓦", "塞内加尔", "马里", "尼日尔", "乍得", "布基纳法索", "几内亚", "塞拉利昂", "利比里亚", "多哥", "贝宁", "毛里塔尼亚",
    "冈比亚", "佛得角", "安哥拉", "赞比亚", "津巴布韦", "莫桑比克", "马拉维", "纳米比亚", "博茨瓦纳", "南非", "莱索托", "斯威士兰",
    "马达加斯加", "毛里求斯", "塞舌尔", "科摩罗", "赤道几内亚", "中非", "加拿大", "墨西哥", "古巴", "牙买加", "海地", "多米尼加",
    "危地马拉", "洪都拉斯", "萨尔瓦多", "尼加拉瓜", "哥斯达黎加", "巴拿马", "哥伦比亚", "委内瑞拉", "厄瓜多尔", "秘鲁", "玻利维亚",
    "巴西", "智利", "阿根廷", "乌拉圭", "巴拉圭", "圭亚那", "苏里南", "特立尼达和多巴哥", "巴巴多斯", "格林纳达", "安提瓜和巴布达",
    "澳大利亚", "新西兰", "巴布亚新几内亚", "斐济", "所罗门群岛", "瓦努阿图", "萨摩亚", "汤加", "基里巴斯", "欧盟", "联合国",
)
LEADER_TITLES = ("总统", "副总统", "首相", "总理", "副总理", "王储", "总督", "外长", "外交部长", "议长",
                  "驻华大使", "大使", "元首", "领导人", "国家元首")


# --------------------------------------------------------------------------- patterns


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, longest first (so the longest match wins).

    >>> alternation(["局", "公安局"])
    '公安局|局'
    """
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def title_words(lexicon: Iterable[str]) -> list[str]:
    """The titles of ``lexicon`` with their deputy forms (副X, 常务副X, 执行副X for :data:`DEPUTY_TITLES`), longest first.

    >>> words = title_words(["市长"])
    >>> words[-1], sorted(words)
    ('市长', ['副市长', '市长', '常务副市长', '执行副市长'])
    """
    words = set(lexicon)
    for base in DEPUTY_TITLES:
        if base in words:
            words.update({"副" + base, "常务副" + base, "执行副" + base})
    return sorted(words, key=len, reverse=True)


@dataclass(frozen=True)
class RulePatterns:
    """The regular expressions of one extractor, compiled once from its tables."""

    title_re: re.Pattern  # a title (委员/常委 not inside 委员会/常委会)
    title_end_re: re.Pattern  # a title ending the string searched
    org_full_re: re.Pattern  # place + body + organisation ending (宁波市总工会)
    alias_re: re.Pattern  # （以下简称“X”）
    org_short_re: re.Pattern  # level short form (市发改委)
    org_suffix_end_re: re.Pattern  # an organisation or company-short-name ending
    free_org_suffix_re: re.Pattern  # the same without a bare 公司 (before a title)
    quote_head_re: re.Pattern  # “name” + head noun (“十件实事”项目)
    quote_re: re.Pattern  # “name”
    cue_end_re: re.Pattern  # a scheme cue ending a quoted name (“工惠保”)
    book_re: re.Pattern  # 《title》

    @classmethod
    def compile(cls, title_words: Iterable[str], programme_heads: Iterable[str], scheme_cues: Iterable[str]) -> "RulePatterns":
        """Build the patterns from a title word list (:func:`title_words`), programme heads and scheme cues."""
        title_words = list(title_words)
        programme_heads = tuple(programme_heads)
        scheme_cues = tuple(scheme_cues)
        cjk = CJK_RANGE
        titles = alternation(title_words)
        # 委员/常委 must not be read inside 委员会/常委会.
        title_re = re.compile(rf"(?:{titles})(?!会)")
        title_end_re = re.compile(rf"(?:{titles})$")
        body_char = f"[{cjk}A-Za-z]"
        body_stop = "".join(sorted(BODY_STOP))
        body = f"(?:(?![{body_stop}]){body_char})"
        places = alternation(PROVINCES + LONG_PLACES + CITIES)
        suffixes = alternation(ORG_SUFFIXES)
        subunits = alternation(ORG_SUBUNITS)
        short_suffixes = alternation(ORG_SHORT_SUFFIXES)
        national = alternation(NATIONAL)
        place = (
            rf"(?:中共)?(?:(?:{places})(?:省|市|自治区|特别行政区)?|(?P<gen>[{cjk}]{{2}})[市县区]|(?:{national}))"
            rf"(?:[{cjk}]{{2,3}}?[市县区州])?"
        )
        org_full_re = re.compile(
            rf"(?P<org>(?P<place>{place})(?P<body>{body}{{0,14}}?)(?P<suffix>{suffixes})(?:有限责任公司|股份有限公司|有限公司)?"
            rf"(?:{body}{{0,8}}?(?:{subunits}))?)"
        )
        alias_re = re.compile(
            r"[（(](?:[^（()）]{0,24}?[，,；;])?(?:以下)?简称[“\"]?(?P<alias>[^“”\"（()）,，、]{2,12})[”\"]?[）)，,]"
        )
        org_short_re = re.compile(rf"(?P<org>[{LEVEL_CHARS}]{body}{{0,10}}?(?:{short_suffixes}))")
        org_suffix_end_re = re.compile(rf"(?:{suffixes}|{alternation(COMPANY_SHORT_SUFFIXES)})")
        # Before a title, a bare 公司 is not a name ending (公司控股股东…).
        free = [x for x in ORG_SUFFIXES if x not in ("公司",)] + list(COMPANY_SHORT_SUFFIXES)
        free_org_suffix_re = re.compile(rf"(?:{alternation(free)})")
        heads = alternation(programme_heads)
        cues = alternation(scheme_cues)
        quote_head_re = re.compile(rf"“(?P<q>[^“”\n]{{1,24}})”(?P<mid>{body}{{0,8}}?)(?P<head>{heads})")
        quote_re = re.compile(r"“(?P<q>[^“”\n]{1,24})”")
        cue_end_re = re.compile(rf"(?:{cues})$")
        book_re = re.compile(r"《(?P<q>[^《》\n]{2,80})》")
        return cls(title_re, title_end_re, org_full_re, alias_re, org_short_re, org_suffix_end_re, free_org_suffix_re,
                   quote_head_re, quote_re, cue_end_re, book_re)
