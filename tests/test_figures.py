"""Figure extraction and amount parsing, on small snippets written for these tests."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.figures import Amount, amount_matches, find_figures, parse_amount
from store.sources import Paragraph
from store.text import fold


def figs(text: str):
    return find_figures([Paragraph(1, text, fold(text))])


def one(text: str, raw_part: str):
    """The figure whose raw contains raw_part (exactly one)."""
    found = [f for f in figs(text) if raw_part in f.raw]
    assert len(found) == 1, (text, [f.raw for f in figs(text)])
    return found[0]


def close(a, b):
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-3)


# --- money ------------------------------------------------------------------

@pytest.mark.parametrize("text, part, value, vmax, unit, qual", [
    ("据了解，模型训练成本仅为560万美元。", "560万美元", 5.6e6, None, "USD", "exact"),
    ("據了解，模型訓練成本僅爲560萬美元。", "560萬美元", 5.6e6, None, "USD", "exact"),
    ("它只花了 560 万美元的计算能力。", "560 万美元", 5.6e6, None, "USD", "exact"),
    ("市值缩水超过五千亿美元。", "五千亿美元", 5e11, None, "USD", "over"),
    ("法國要在AI領域投資1090億歐元。", "1090億歐元", 1.09e11, None, "EUR", "exact"),
    ("将共同投资最高5000亿美元。", "5000亿美元", 5e11, None, "USD", "under"),
    ("成本低至600万美元以下。", "600万美元以下", 6e6, None, "USD", "under"),
    ("仅用不到600万美元开发其模型。", "600万美元", 6e6, None, "USD", "under"),
    ("投入了区区數百萬美元。", "數百萬美元", 2e6, 9e6, "USD", "range"),
    ("投入的数亿美元乃至数十亿美元。", "数亿美元", 2e8, 9e8, "USD", "range"),
    ("投入的数亿美元乃至数十亿美元。", "数十亿美元", 2e9, 9e9, "USD", "range"),
    ("金额在5000万到1亿美元之间。", "5000万到1亿美元", 5e7, 1e8, "USD", "range"),
    ("融资5-10亿美元。", "5-10亿美元", 5e8, 1e9, "USD", "range"),
    ("估值约合人民币40亿元。", "人民币40亿元", 4e9, None, "CNY", "approx"),
    ("这款手机售价3999元。", "3999元", 3999, None, "CNY", "exact"),
    ("耗资12亿港元。", "12亿港元", 1.2e9, None, "HKD", "exact"),
    ("日本将投入10万亿日元。", "10万亿日元", 1e13, None, "JPY", "exact"),
    ("The deal was worth $5.6 million in total.", "$5.6 million", 5.6e6, None, "USD", "exact"),
    ("新台幣3000億元的預算。", "新台幣3000億元", 3e11, None, "TWD", "exact"),
    ("市值蒸發6000億美元( 約新臺幣19.7兆元)。", "19.7兆元", 1.97e13, None, "TWD", "approx"),
    ("首家市值達到5兆美元的公司。", "5兆美元", 5e12, None, "USD", "exact"),
    ("全日市值蒸發 5,890 億美元(約 4.59 萬億港元)。", "5,890 億美元", 5.89e11, None, "USD", "exact"),
    ("营收为两千多万元。", "两千多万元", 2e7, None, "CNY", "over"),
    ("融资300亿至500亿美元。", "300亿至500亿美元", 3e10, 5e10, "USD", "range"),
])
def test_money(text, part, value, vmax, unit, qual):
    f = one(text, part)
    assert f.kind == "money"
    assert close(f.value, value) and close(f.value_max, vmax)
    assert f.unit == unit and f.qualifier == qual


# --- percents, ratios, multiples --------------------------------------------

@pytest.mark.parametrize("text, part, kind, value, vmax, unit, qual", [
    ("英伟达首当其冲，股价爆跌17%。", "17%", "percent", 17, None, "%", "exact"),
    ("股价下跌１６．９７％。", "１６．９７％", "percent", 16.97, None, "%", "exact"),
    ("没有哪个行业是百分之百安全的。", "百分之百", "percent", 100, None, "%", "exact"),
    ("功耗降低了百分之三十左右。", "百分之三十左右", "percent", 30, None, "%", "approx"),
    ("成本降低了90%以上。", "90%以上", "percent", 90, None, "%", "over"),
    ("芯片股普遍下跌10%至20%。", "10%至20%", "percent", 10, 20, "%", "range"),
    ("比去年同期增长了35个百分点。", "35个百分点", "percent", 35, None, "个百分点", "exact"),
    ("股价在一个月内下跌了近三成。", "三成", "percent", 30, None, "%", "approx"),
    ("我百分百确定。", "百分百", "percent", 100, None, "%", "exact"),
    ("R1模型的价格仅为o1的三十分之一。", "三十分之一", "ratio", 1 / 30, None, None, "exact"),
    ("花费的算力大概省1/6到1/10。", "1/6到1/10", "ratio", 0.1, 1 / 6, None, "range"),
    ("约1/3的企业已经部署了大模型。", "1/3", "ratio", 1 / 3, None, None, "approx"),
    ("推理成本仅为后者的几十分之一。", "几十分之一", "ratio", 1 / 90, 1 / 20, None, "range"),
    ("人数是前五个西方国家总数的两倍。", "两倍", "multiple", 2, None, "倍", "exact"),
    ("比美國多出一倍。", "一倍", "multiple", 1, None, "倍", "exact"),
    ("速度是去年的2至3倍。", "2至3倍", "multiple", 2, 3, "倍", "range"),
    ("上半年净利润翻了一番。", "翻了一番", "multiple", 2, None, "倍", "exact"),
    ("超过半数企业计划部署大模型。", "半数", "ratio", 0.5, None, None, "over"),
])
def test_percent_ratio_multiple(text, part, kind, value, vmax, unit, qual):
    f = one(text, part)
    assert f.kind == kind
    assert close(f.value, value) and close(f.value_max, vmax)
    assert f.unit == unit and f.qualifier == qual


# --- counts, durations, ages, lengths ---------------------------------------

@pytest.mark.parametrize("text, part, kind, value, vmax, unit, qual", [
    ("中國每年有7萬多名理工科博士生畢業。", "7萬多名", "count", 70000, None, "名", "over"),
    ("美国AI系统所需的1.6万余块。", "1.6万余块", "count", 16000, None, "块", "over"),
    ("研发只需约2000块英伟达专用芯片。", "2000块", "count", 2000, None, "块", "approx"),
    ("试图限制150个国家发展。", "150个国家", "count", 150, None, "个国家", "exact"),
    ("迄今有三个具有里程碑意义的创新。", "三个", "count", 3, None, "个创新", "exact"),
    ("网络留言多达數百條。", "數百條", "count", 200, 900, "条", "range"),
    ("十几家公司参与了融资。", "十几家", "count", 11, 19, "家", "range"),
    ("服务了上百万家企业。", "上百万家", "count", 1e6, None, "家", "over"),
    ("两位专家表示同意。", "两位", "count", 2, None, "位", "exact"),
    ("目前约有150名员工。", "150名", "count", 150, None, "名", "approx"),
    ("该模型拥有6710亿个参数。", "6710亿个参数", "count", 6.71e11, None, "个参数", "exact"),
    ("下载量突破3000万。", "3000万", "quantity", 3e7, None, None, "exact"),
    ("用户数在500到1000万之间。", "500到1000万", "quantity", 5e6, 1e7, None, "range"),
    ("已接近ChatGPT 7.49億的20%。", "7.49億", "quantity", 7.49e8, None, None, "exact"),
    ("研发耗时两个月。", "两个月", "duration", 2, None, "个月", "exact"),
    ("领先中国的优势仅3至6个月。", "3至6个月", "duration", 3, 6, "个月", "range"),
    ("正如三四年前GPT-3也曾受到困扰。", "三四年", "duration", 3, 4, "年", "range"),
    ("这比我过去30多年中见过的都明显。", "30多年", "duration", 30, None, "年", "over"),
    ("一些产品已落后数年。", "数年", "duration", 2, 9, "年", "range"),
    ("比一周前更加具有生存意义。", "一周", "duration", 1, None, "周", "exact"),
    ("会议持续了一个半小时。", "一个半小时", "duration", 1.5, None, "小时", "exact"),
    ("上线不到半年，上半年营收增长。", "半年", "duration", 0.5, None, "年", "under"),
    ("一年半以后再看。", "一年半", "duration", 1.5, None, "年", "exact"),
    ("6成民众支持。", "6成", "percent", 60, None, "%", "exact"),
    ("中国大部分地区将关闭七天。", "七天", "duration", 7, None, "天", "exact"),
    ("加夫今年五十岁。", "五十岁", "age", 50, None, "岁", "exact"),
    ("你建一道十英尺高的墙。", "十英尺", "length", 10, None, "英尺", "exact"),
    ("我会建一道十一英尺长的梯子。", "十一英尺", "length", 11, None, "英尺", "exact"),
    ("这种芯片的制程为7纳米。", "7纳米", "length", 7, None, "纳米", "exact"),
    ("纳斯达克100期货暴跌1100點。", "1100點", "quantity", 1100, None, "点", "exact"),
    ("該電廠裝機容量為300兆瓦。", "300兆瓦", "quantity", 300, None, "兆瓦", "exact"),
])
def test_counts_and_measures(text, part, kind, value, vmax, unit, qual):
    f = one(text, part)
    assert f.kind == kind
    assert close(f.value, value) and close(f.value_max, vmax)
    assert f.unit == unit and f.qualifier == qual


# --- not figures --------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "摄于2025年1月28日。",
    "2012年杰弗里·辛顿团队开发了Alex Net。",
    "他于 1997 年移居香港。",
    "CNBC 2月11日发表文章，28日又报道。",
    "上世紀50-70年代、80年代和本世纪第二个十年以来。",
    "拜登于2023年10月签署行政令，12月生效。",
    "中宏论坛第五十八场在线研讨会今天召开。",
    "第一，DeepSeek是开源的；第二，成本低。",
    "一是中国政府大力推动科技进步；二是人才培养。",
    "DeepSeek V3和R1优于Llama 3.1、GPT-4o、Claude Sonnet 3.5和o1。",
    "英伟达H800芯片，GPT-5和GPT-3，以及DALL-E 3。",
    "这是一个计划，一种方法，一项技术，一家公司，一场风暴，一篇文章，一部手机，一道墙。",
    "统一部署，千万不要掉以轻心，百家争鸣。",
    "十字路口有三门峡的车，大多数人都同意。",
    "周一，英伟达股价下跌；周三，阿里巴巴发布新模型。",
    "二〇二五年春节前夕。",
    "德国哲学家在《致闵明我的两封信》中说。",
    "美國政府近幾年試圖建立包圍圈，未来几年竞争激烈。",
    "该公司一成不变，24/7全天候运营。",
    "零部件实现零关税，一季度营收增长，三季度利润下降。",
    "这一年，同一天，每一天都很忙，环顾四周。",
    "大多数年轻人认为，十字路口有车。",
    "英伟达A100、H20和B200芯片，5G网络，4K视频，Qwen2.5模型。",
    "双11期间，下午3点，3号楼。",
    "这一举措一石二鸟，可谓一举两得，三人成虎，三番五次，千方百计，百年大计。",
    "两会期间，两岸关系、中美两国、三大运营商、二次元文化备受关注。",
    "三星电子、九章量子计算机、天宫二号、神舟十八号、一带一路、十四五规划。",
    "DeepSeek 在 24 年 12 月 26 日推出V3，Llama3 70B 和 Claude 3.5 随后跟进。",
])
def test_not_figures(text):
    assert figs(text) == [], [f.raw for f in figs(text)]


def test_offsets_raw_and_context():
    text = "據了解，DeepSeek-R1模型訓練成本僅爲560萬美元，遠遠低於美國。另一句話。"
    f = one(text, "560萬美元")
    assert text[f.start : f.end] == f.raw
    assert f.raw in f.context and "另一句" not in f.context
    assert "训练成本" in f.subject
    assert f.core


def test_subject_leaves_out_dates_and_spaces_do_not_cut_clauses():
    f = one("美国的 OpenAI 在 2024 年花费了 30 亿美元来训练其模型。", "30 亿美元")
    assert "OpenAI" in f.subject and "2024" not in f.subject


def test_subject_of_a_bracketed_conversion_comes_from_the_clause_before():
    f = one("全日市值蒸發 5,890 億美元(約 4.59 萬億港元)。", "4.59")
    assert f.subject == "全日市值蒸发" and f.unit == "HKD" and f.qualifier == "approx"


def test_subject_says_what_is_measured():
    assert "股价" in one("英伟达首当其冲，股价爆跌17%。", "17%").subject
    assert "投资" in one("美國宣佈投資5000億美元用於打造基礎設施。", "5000億美元").subject
    f = one("“中国每年有7万多名理工科博士生毕业”，比美国多出一倍。", "7万多名")
    assert "理工科博士" in f.subject + f.context


def test_caption_duplicates_are_dropped():
    paras = [
        Paragraph(1, "尽管深度求索声称其研发只需约2000块英伟达专用芯片，但外界存疑。", ""),
        Paragraph(2, "深度求索声称其研发只需约2000块英伟达专用芯片。", ""),
        Paragraph(3, "英伟达专用芯片 深度求索声称其研发只需约2000块英伟达专用芯片。", ""),
    ]
    for p in paras:
        p.folded = fold(p.text)
    found = [f for f in find_figures(paras) if f.value == 2000]
    assert len(found) == 1 and found[0].paragraph == 1


def test_core_heuristic():
    assert one("研发耗时两个月、成本低至600万美元以下。", "600万美元").core
    assert not one("加夫今年五十岁。", "五十岁").core
    assert not one("两位专家表示同意。", "两位").core


# --- parse_amount -------------------------------------------------------------

@pytest.mark.parametrize("text, value, vmax, unit", [
    ("560万美元", 5.6e6, None, "USD"),
    ("560 万美元", 5.6e6, None, "USD"),
    ("$5.6M", 5.6e6, None, "USD"),
    ("$5.6 million", 5.6e6, None, "USD"),
    ("5.6 million dollars", 5.6e6, None, "USD"),
    ("US$5.6m", 5.6e6, None, "USD"),
    ("五千亿美元", 5e11, None, "USD"),
    ("5000亿美元", 5e11, None, "USD"),
    ("1090亿欧元", 1.09e11, None, "EUR"),
    ("1090億歐元", 1.09e11, None, "EUR"),
    ("€109bn", 1.09e11, None, "EUR"),
    ("17%", 17, None, "%"),
    ("百分之十七", 17, None, "%"),
    ("三十分之一", 1 / 30, None, None),
    ("1/30", 1 / 30, None, None),
    ("2000块", 2000, None, "块"),
    ("7万", 70000, None, None),
    ("约2000块", 2000, None, "块"),
    ("数百万美元", 2e6, 9e6, "USD"),
    ("3至6个月", 3, 6, "个月"),
    ("$5-10 million", 5e6, 1e7, "USD"),
    ("150个", 150, None, None),
    ("10-20%", 10, 20, "%"),
    ("人民币5000万元", 5e7, None, "CNY"),
    ("¥1000", 1000, None, "CNY"),
    # shorthands people type and articles do not write
    ("17 percent", 17, None, "%"),
    ("17 per cent", 17, None, "%"),
    ("5.6M", 5.6e6, None, None),
    ("5.6m USD", 5.6e6, None, "USD"),
    ("5.6 bn", 5.6e9, None, None),
    ("5.6e6", 5.6e6, None, None),
    ("5.6M美元", 5.6e6, None, "USD"),
    # a fall, as typed: minus signs of every width
    ("-5%", -5, None, "%"),
    ("−5%", -5, None, "%"),
    ("－5%", -5, None, "%"),
])
def test_parse_amount(text, value, vmax, unit):
    a = parse_amount(text)
    assert a is not None, text
    assert close(a.value, value) and close(a.value_max, vmax) and a.unit == unit


@pytest.mark.parametrize("text", ["训练成本", "英伟达 股价", "R1 价格", "GPT-4o", "2025年", "H800", "2月11日",
                                  "", "   ", "一些", "第一", "560万美元的训练成本", "5 m", "M5",
                                  "-", "- 5%", "-3至6个月"])
def test_parse_amount_rejects_non_amounts(text):
    assert parse_amount(text) is None


def test_amount_matches_ranks_exact_then_range_then_close():
    a = Amount(5.6e6, None, "USD")
    exact = amount_matches(5.6e6, None, "USD", a)
    in_range = amount_matches(2e6, 9e6, "USD", a)
    near = amount_matches(5.5e6, None, "USD", a)
    far = amount_matches(6.5e6, None, "USD", a)
    assert exact == 1.0 and exact > in_range > near > far == 0.0
    assert amount_matches(5.6e6, None, "EUR", a) == 0.0
    assert amount_matches(17, None, "%", Amount(17, None, "%")) == 1.0
    assert amount_matches(17, None, "块", Amount(17, None, "%")) == 0.0
    assert amount_matches(70000, None, "名", Amount(70000, None, None)) == 1.0


# --- never raise ---------------------------------------------------------------

_ALPHABET = st.sampled_from(list(
    "0123456789.,/%$€£¥-~ 至到约近超过不到以下以上左右多余来数几上第个名块年月日周天岁倍元美欧亿万千百十"
    "零〇一二两三四五六七八九分之点成半人民币億萬兩個歲ab mk，。：“”《》\n"
))


@settings(max_examples=300, deadline=None)
@given(st.text(_ALPHABET, max_size=40))
def test_never_raises_on_number_soup(text):
    for f in find_figures([Paragraph(1, text, fold(text))]):
        assert text[f.start : f.end] == f.raw
        assert math.isfinite(f.value)
    parse_amount(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_never_raises_on_any_text(text):
    find_figures([Paragraph(1, text, fold(text))])
    parse_amount(text)


def _article(*texts: str):
    return find_figures([Paragraph(i, s, fold(s)) for i, s in enumerate(texts)])


def test_bare_yuan_follows_the_article():
    hk = _article("富瑞目標價172元，維持「買入」投資評級。", "阿里巴巴市值蒸發500億港元。")
    assert [f.unit for f in hk] == ["HKD", "HKD"]
    tw = _article("台積電營收達1,000億元。", "約合新台幣3000億元。")
    assert [f.unit for f in tw] == ["TWD", "TWD"]
    cn = _article("富瑞目标价172元，维持买入。", "阿里巴巴市值蒸发500亿港元。")
    assert [f.unit for f in cn] == ["CNY", "HKD"]
    mixed = _article("營收達1,000億元，約合人民幣900億元。", "股價報50港元。")
    assert [f.unit for f in mixed] == ["CNY", "CNY", "HKD"]
