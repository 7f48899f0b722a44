"""Generic word lists for finding people, organisations and quotes in Chinese news text.

Everything here is in Simplified script (extraction works on folded text). Nothing is
specific to any one article: these are the ordinary words of news writing.
"""

from __future__ import annotations

import re

HAN = r"\u3400-\u4dbf\u4e00-\u9fff"

# Common Chinese surnames (single-character), roughly the 150 most frequent.
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴"
    "霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑"
    "景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
    "习郁芮晋温湛储缪蓝鞠麦聂厉时阎祖茅鄢帅於官苑钮蔺扈郦璩寿伏眭滑荆危仝阙揭甘越楚厉冀郜鄂惠琚尉萧赖洪封丘粟庹"
)
COMPOUND_SURNAMES = {"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯"}

# Characters used in transliterating foreign names (Xinhua-style), Simplified.
TRANSLIT = set(
    "阿埃艾爱安昂奥澳巴拔白拜班邦保鲍贝本比彼毕宾波伯博布采查察柴达大戴丹当道德登邓迪蒂丁东杜多厄恩尔法凡"
    "范菲费芬丰佛弗福富盖甘冈高戈格葛根古瓜圭哈海汉豪赫亨洪胡华怀霍基吉加贾杰金津久卡凯坎康考柯科克肯库夸奎"
    "拉莱赖兰朗劳勒雷蕾黎里理利莉丽连林琳凌留卢鲁陆路伦罗洛吕马玛迈麦曼芒梅蒙米密明摩莫墨姆穆纳娜乃奈南内尼妮"
    "涅宁纽努诺欧帕潘庞佩彭皮普奇齐恰乔琼丘萨塞赛桑瑟森沙莎山尚舍申圣施什史舒斯松苏索塔泰坦汤唐特提田廷汀图托"
    "瓦万旺威韦维温沃乌伍西希锡夏谢辛休雅亚延扬耶伊因英尤于约泽扎詹珍朱卓兹宗佐顿龙茨赛昆娅琪蒂妮丝黛娃薇"
    "莎蕾菈贡尚戈柏朵莱蒂霍夫茜烈历易文隆罗杰弗里萨姆辛顿提亚林赛约翰马丁达奥山德克斯森帕安娜吉卡"
    "得可廉修缪果切雨内"
)

# A name never starts or ends on these (function words, time words).
STOP_CHARS = set("的了在与和及同由是为被把将对向从于据以其年月日时前后中上下等也都又还并而但却就说称")

# Words that end a role description before a name (总统, 首席执行官, 哲学家 …).
ROLE_SUFFIXES = (
    "首席执行官", "执行长", "执行官", "董事长", "总经理", "总裁", "主席", "总统", "总理", "首相", "部长", "局长",
    "司长", "处长", "院长", "校长", "所长", "会长", "社长", "行长", "市长", "州长", "省长", "议长", "秘书长",
    "书记", "大使", "发言人", "负责人", "创始人", "创办人", "合伙人", "主持人", "经理", "主管", "顾问", "官员",
    "议员", "研究员", "分析师", "工程师", "设计师", "律师", "教授", "讲师", "学者", "专家", "记者", "编辑", "作家",
    "作者", "科学家", "哲学家", "汉学家", "经济学家", "企业家", "投资家", "投资人", "评论员", "主任", "总监",
    "董事", "ceo", "cto", "cfo", "coo", "设计者", "研究者", "观察家", "历史学家", "政治家", "外交官", "法官",
    "首席", "高管", "博士", "院士", "先生", "女士", "总编辑", "主编", "副总裁", "副主席", "副会长", "成员",
    "创始合伙人", "联合创始人", "政客", "委员", "将军", "大臣", "国务卿", "参议员", "众议员", "领导人", "掌门人",
    "秘书", "新闻秘书", "主播", "教练", "导演", "演员", "歌手", "运动员", "候选人", "参谋长", "副总理", "副总统",
    "首席科学家", "首席分析师", "首席经济学家", "战略师", "策略师", "基金经理", "合伙人", "董事总经理",
    "特使", "特派员", "技术官", "财务官", "投资官", "运营官", "信息官", "营销官", "战略官", "法务官", "数据官",
)
_ROLE_CHARS = set("官长员家者师授统裁人管问席理任监士事")

# Speech verbs, longest first where one is a prefix of another.
SPEECH_VERBS = (
    "分析指出", "撰文指出", "撰文称", "补充说", "补充道", "解释说", "解释称", "警告说", "强调说", "回应说",
    "回答说", "表示说", "问道", "写道", "说道", "笑称", "直言", "坦言", "透露", "表示", "指出", "认为", "声称",
    "宣称", "称其为", "描述为", "形容为", "强调", "警告", "提醒", "承认", "重申", "回应", "告诉", "提到", "谈到",
    "补充", "预测", "预计", "相信", "主张", "说", "称",
)
_VERB_ALT = "|".join(sorted((v for v in SPEECH_VERBS if len(v) > 1), key=len, reverse=True))
# 说/称 alone are ambiguous: exclude common words that contain them.
SPEECH_VERB_RE = re.compile(
    rf"(?:{_VERB_ALT})|(?<![据可以小学传游听虽所都难不要再简堪号名俗总被人])(?:说|称)(?![明法服书客话题为呼号赞作字谓])"
)

PRONOUNS_PERSON = {"他": "m", "她": "f"}
PRONOUNS_GROUP = ("他们", "她们", "两人", "二人", "两位专家", "两位学者", "上述两位专家", "两名专家", "双方")
ORG_REFS = ("该公司", "这家公司", "该机构", "该报", "该刊", "该社", "该媒体", "该网站")
MEDIA_REFS = ("该文", "文章", "该文章", "这篇文章", "该报道", "报道")

ORG_SUFFIXES = (
    "学会", "协会", "研究所", "研究院", "研究会", "研究中心", "基金会", "委员会", "集团", "银行", "大学", "学院",
    "政府", "通讯社", "新闻社", "广播公司", "电视台", "电台", "日报", "时报", "周刊", "晚报", "杂志", "新闻",
    "社", "报", "台", "网", "公司", "部", "署", "局", "智库", "频道",
)
MEDIA_SUFFIXES = ("社", "报", "台", "网", "周刊", "杂志", "新闻", "频道", "客", "刊", "志")
MEDIA_WORDS = ("周刊", "杂志", "网站", "媒体", "报纸", "期刊", "日报", "报")


def is_role_word(w: str) -> bool:
    w = w.lower()
    return any(w.endswith(s) for s in ROLE_SUFFIXES) or (len(w) >= 2 and w[-1] in _ROLE_CHARS and w[-2:] not in
                                                           {"个人", "人人", "别人", "他人", "众人", "本人", "国人"})


def role_end(text: str) -> int:
    """Length of the longest prefix of text that ends on a role suffix (0 when none)."""
    low = text.lower()
    best = 0
    for s in ROLE_SUFFIXES:
        i = low.rfind(s)
        if i >= 0 and i + len(s) > best:
            best = i + len(s)
    return best
