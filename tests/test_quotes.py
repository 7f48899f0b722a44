"""find_quotes on small hand-written snippets (not the seed articles)."""

from __future__ import annotations

from store.people import find_people
from store.quotes import find_quotes
from store.sources import Paragraph
from store.text import fold


def run(*lines: str):
    ps = [Paragraph(i, ln, fold(ln)) for i, ln in enumerate(lines, 1)]
    qs = find_quotes(ps, find_people(ps))
    for q in qs:  # offsets point at the text in the original paragraph
        assert ps[q.paragraph - 1].text[q.start:q.end] == q.text
    return qs


def direct(qs):
    return [(q.speaker, q.text) for q in qs if q.kind == "direct"]


def test_speaker_before_the_marks():
    qs = run("美国总统特朗普(Donald Trump)上周讲话。", "特朗普说:“我们需要全神贯注于竞争才能取胜。”")
    assert direct(qs) == [("特朗普", "我们需要全神贯注于竞争才能取胜")]


def test_speaker_after_the_marks_and_continuation():
    qs = run("研究员马丁·乔泽帕(Martin Chorzempa)接受了采访。",
             "“我担心管控会大幅加强,”乔泽帕说。“这不是好消息。”")
    assert [t for _s, t in direct(qs)] == ["我担心管控会大幅加强", "这不是好消息"]
    assert {s for s, _t in direct(qs)} <= {"乔泽帕", "马丁·乔泽帕"}


def test_pronoun_is_the_subject_not_a_modifier():
    qs = run("设计者钱伯斯(Steve Chambers)用上了新模型。他告诉本台,科学家杨立昆(Yann LeCun)所倡导的开源策略起了作用。"
             "他说:“新模型站在巨人的肩膀上。”")
    assert direct(qs) == [("钱伯斯", "新模型站在巨人的肩膀上")]


def test_scare_quotes_titles_and_anonymous_speakers_are_not_quotes():
    qs = run("设计者钱伯斯(Steve Chambers)认为,这不是一场“军备竞赛”。",
             "他发表了一篇题为“又一个斯普特尼克时刻”的评论文章。",
             "有业内人士指出,“限制措施并非赢得竞争的有效手段”。")
    assert direct(qs) == []


def test_quote_in_clause_after_speaker_and_verb():
    qs = run("OpenAI 表示它正在“审查可能不当提炼我们模型的迹象”。")
    assert direct(qs) == [("OpenAI", "审查可能不当提炼我们模型的迹象")]
    assert qs[0].speaker_type == "org"


def test_named_group_and_group_reference():
    qs = run("首席分析师汉纳斯(William Hannas)与高级专家张惠美(Huey-Meei Chang)分析指出,成本并不透明。",
             "“我们希望看到更多细节以验证这一数字。”两位专家表示。")
    d = [q for q in qs if q.kind == "direct"]
    assert len(d) == 1 and d[0].speaker_type == "group"
    assert sorted(d[0].speaker.split("、")) == ["张惠美", "汉纳斯"]


def test_ascii_quotes_and_media_reference():
    qs = run('英国《金融时报》同日也撰文指出,中国早已成为软件大国。文章认为,这可能造就"中国创新、美国模仿"的全新局面。')
    assert ("金融时报", "中国创新、美国模仿") in direct(qs)


def test_indirect_quote_and_bylined_author():
    qs = run("浙江大学首席教授赵伟出席论坛。", "以下是赵伟的发言。", "我认为,这是具有里程碑意义的一个创新。",
             "设计者钱伯斯(Steve Chambers)认为,真正的竞争在于商业化应用的关键阶段。")
    ind = [(q.speaker, q.text) for q in qs if q.kind == "indirect"]
    assert ("赵伟", "这是具有里程碑意义的一个创新") in ind
    assert ("钱伯斯", "真正的竞争在于商业化应用的关键阶段") in ind


def test_pronoun_skips_an_object_and_credits():
    qs = run("美国总统特朗普(Donald Trump)周三会见了法国总统马克龙。 (Evan Vucci/美联社)",
             "他说:“我们之间的关系非常好。”")
    assert direct(qs) == [("特朗普", "我们之间的关系非常好")]


def test_role_between_quote_and_speaker():
    qs = run("「這是一個重要的突破,」台積電董事長魏哲家在法說會上說。")
    assert direct(qs) == [("魏哲家", "這是一個重要的突破")]


def test_interview_outlet_is_not_the_speaker():
    qs = run("英伟达首席执行官黄仁勋在接受《纽约时报》采访时表示:“这是一个了不起的创新。”")
    assert direct(qs) == [("黄仁勋", "这是一个了不起的创新")]


def test_odd_input_never_breaks_offsets():
    for s in ["", "“", "”他说", '"""', "他说:“", "「」他說。", "“" * 20 + "”" * 20, "说" * 200]:
        run(s, s + "他说:“这是一个很好的消息。”")


def test_byline_author_owns_first_person_opinions():
    qs = run("【文/观察者网 刘程辉】人工智能的竞争正在加剧。", "我认为,开源模型的能力正越来越接近闭源模型。")
    assert [(q.speaker, q.text) for q in qs if q.kind == "indirect"] == [("刘程辉", "开源模型的能力正越来越接近闭源模型")]


def test_header_sections_attribute_first_person_to_their_author():
    qs = run("吕本富:中国科学院大学教授", "王建斌:北京外国语大学教授", "吕本富", "在笔者看来,中欧可以展开更大范围的合作。",
             "王建斌", "我认为,应鼓励更多的中德各界人士增进了解。")
    ind = [(q.speaker, q.text) for q in qs if q.kind == "indirect"]
    assert ind == [("吕本富", "中欧可以展开更大范围的合作"), ("王建斌", "应鼓励更多的中德各界人士增进了解")]


def test_quoted_words_in_a_sentence_about_an_article():
    qs = run("德国《时代周刊》刊发了一篇报道。该文的特别之处在于,它聚焦“我们为什么感到意外?”这个问题。",
             "他们发现了“小院高墙”。")
    assert direct(qs) == [("时代周刊", "我们为什么感到意外?")]


def test_company_reference_needs_a_company_nearby():
    qs = run("中国科技巨头阿里巴巴发布了新模型,该公司声称该模型“几乎在各个方面都优于竞争产品”。",
             "《华尔街日报》评论称,这是一次警醒。", "市场反应平淡。", "该公司在官网上发布公告称:“暂停API充值服务。”")
    assert direct(qs) == [("阿里巴巴", "几乎在各个方面都优于竞争产品")]


def test_colon_after_a_name():
    qs = run("美国总统特朗普(Donald Trump)在社交媒体上发文。特朗普:“这是对我们行业的一记警钟。”")
    assert direct(qs) == [("特朗普", "这是对我们行业的一记警钟")]


def test_the_object_of_a_verb_is_not_the_speaker():
    qs = run("特斯拉首席执行官埃隆·马斯克(Elon Musk)与OpenAI首席执行官萨姆·奥尔特曼(Sam Altman)素有恩怨。"
             "马斯克回应奥尔特曼说:“你根本不懂人工智能。”")
    assert [t for _s, t in direct(qs)] == ["你根本不懂人工智能"]
    assert direct(qs)[0][0] in {"马斯克", "埃隆·马斯克"}


def test_listed_names_make_a_group():
    qs = run("王小明、李华两位专家在联合撰写的文章中说:“中国在人工智能领域的进步是系统性的。”他们还表示,美国需要重新评估其战略。")
    assert direct(qs) == [("王小明、李华", "中国在人工智能领域的进步是系统性的")]
    assert ("王小明、李华", "美国需要重新评估其战略") in [(q.speaker, q.text) for q in qs if q.kind == "indirect"]


def test_speaker_after_the_marks_behind_an_organisation_and_role():
    qs = run("5月3日,“我们不能把未来押在一条技术路线上”,南京大学电子工程系博士后研究员黎波军说。",
             "12月27日，「你無法用一堵牆擋住知識的流動，這不是終點」，哥倫比亞大學產業發展研究中心首席經濟學家彼得·查利利表示。")
    assert direct(qs) == [("黎波军", "我们不能把未来押在一条技术路线上"),
                          ("彼得·查利利", "你無法用一堵牆擋住知識的流動，這不是終點")]


def test_role_ending_in_a_verb_character_and_the_setting_of_the_speech():
    qs = run("法國財政部顧問達斯坦(Ingrid Dalstein)強調:“你無法用一堵牆擋住知識的流動。”",
             "美国财政部特使亨利·沃因(Henry Walin)指出:“我们会继续投入。”",
             "研究所高级研究员罗伯特·肯尼尼(Robert Kenini)在接受哥伦比亚广播公司采访时指出:“投资者需要更多耐心。”",
             "市场反应强烈。曹艳梅在社交媒体上补充说:“开放合作才是出路。”",
             "有媒体称:“这是好事情,大家都知道。”")
    assert direct(qs) == [("达斯坦", "你無法用一堵牆擋住知識的流動"), ("亨利·沃因", "我们会继续投入"),
                          ("罗伯特·肯尼尼", "投资者需要更多耐心"), ("曹艳梅", "开放合作才是出路")]


def test_a_quoted_programme_name_is_not_a_quote():
    qs = run("研究员汉斯·罗德表示,这很重要。",
             "稀土领域近来备受关注的“脉冲破晓计划”由长风医药集团牵头。罗德说:“我们看好“星河平台”的前景。”",
             "罗德称其目标是“以开源方式开发出一个推理计算高效且计算成本低的模型”。")
    assert direct(qs) == [("罗德", "我们看好“星河平台”的前景"),
                          ("罗德", "以开源方式开发出一个推理计算高效且计算成本低的模型")]


def test_an_organisation_starting_with_a_name_word_after_a_spoken_quote():
    qs = run('"我们对此保持乐观。"战略与国际研究中心首席经济学家韦斯(Stefan Verez)表示。',
             "“星际之门”计划由三家公司牵头。")
    assert direct(qs) == [("韦斯", "我们对此保持乐观")]


def test_an_english_surname_right_before_a_han_word_is_the_person():
    """Chinese text written in Taiwan or Hong Kong often names a person by their English
    surname once introduced: 'Nadella还表示' is 纳德拉 speaking (a Han character after a Latin
    name is no part of it; before, it made 'Nadella' an organisation)."""
    qs = run("微软首席执行官萨提亚·纳德拉（Satya Nadella）表示：“云是未来。”",
             "腾讯创始人马化腾（Pony Ma）表示：“产业互联网是下半场。”",
             "Nadella还表示：“我们会继续投入人工智能。”",
             "Ma补充说：“我们会保持耐心。”")
    assert direct(qs) == [("萨提亚·纳德拉", "云是未来"), ("马化腾", "产业互联网是下半场"),
                          ("萨提亚·纳德拉", "我们会继续投入人工智能"), ("马化腾", "我们会保持耐心")]


def test_what_someone_told_someone_is_their_indirect_quote():
    """塞克斯告诉福克斯新闻,……: the claim after the comma is his, not the listener's."""
    qs = run("美国白宫AI与加密货币负责人塞克斯(David Sacks)日前告诉福克斯新闻(Fox News),美国仍主导AI领域,"
             "但领先中国的优势仅3至6个月。",
             "设计者钱伯斯(Steve Chambers)用上了新模型。他告诉本台,开源策略可能间接促成了这样的项目落地。")
    ind = [(q.speaker, q.text) for q in qs if q.kind == "indirect"]
    assert ("塞克斯", "美国仍主导AI领域,但领先中国的优势仅3至6个月") in ind
    assert ("钱伯斯", "开源策略可能间接促成了这样的项目落地") in ind
    assert not [s for s, _t in ind if s in ("福克斯新闻", "本台")]
    # told without a claim after it, or a listener told nothing we can quote: no quote
    assert not [q for q in run("王小明没有告诉任何人。") if q.kind == "indirect"]
