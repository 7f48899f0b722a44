"""find_people on small hand-written snippets (not the seed articles)."""

from __future__ import annotations

from store.people import _standalone, find_people
from store.sources import Paragraph
from store.text import fold


def paras(*lines: str) -> list[Paragraph]:
    return [Paragraph(i, ln, fold(ln)) for i, ln in enumerate(lines, 1)]


def by_name(people, name):
    for p in people:
        if name in {p.name, p.full_name, *p.aliases}:
            return p
    return None


def test_transliterated_name_with_role_and_english():
    ps = find_people(paras("微软首席执行官萨提亚·纳德拉(Satya Nadella)在论坛上表示,这很重要。"))
    p = by_name(ps, "萨提亚·纳德拉")
    assert p is not None
    assert p.name_en == "Satya Nadella"
    assert p.role == "微软首席执行官"
    assert "纳德拉" in {p.name, *p.aliases}  # the surname part is an alias


def test_short_form_used_most_is_the_name():
    ps = find_people(paras("研究员林赛·戈曼警告说,风险很大。", "戈曼还认为,合作有限。", "戈曼指出,竞争激烈。"))
    p = by_name(ps, "戈曼")
    assert p.name == "戈曼" and p.full_name == "林赛·戈曼"


def test_bracketed_english_name_trims_the_role():
    ps = find_people(paras("英国AI框架设计者钱伯斯(Steve Chambers)第一时间试用了这个模型。"))
    p = by_name(ps, "钱伯斯")
    assert p is not None and p.name == "钱伯斯"
    assert p.role == "英国AI框架设计者"
    assert "Steve Chambers" in p.aliases


def test_organisations_with_english_are_not_people():
    ps = find_people(paras("据美国消费者新闻与商业频道(CNBC)报道,基于深度学习(Deep Learning)的模型和软银(SoftBank)都受关注。"))
    assert ps == []


def test_role_then_name_and_traditional_alias():
    ps = find_people(paras("法國總統馬克龍日前宣佈了一個計劃。"))
    p = by_name(ps, "马克龙")
    assert p is not None and p.role == "法国总统"
    assert "馬克龍" in p.aliases


def test_header_line_and_byline():
    ps = find_people(paras("王建斌:北京外国语大学教授", "【文/观察者网 刘程辉】今天的新闻。"))
    assert by_name(ps, "王建斌").role == "北京外国语大学教授"
    assert by_name(ps, "刘程辉").role == "观察者网作者"
    assert not by_name(ps, "刘程辉").minor


def test_credits_are_minor():
    ps = find_people(paras("会场外景。 (Andy Wong/美联社)", "责编:李青 网编:何足"))
    assert by_name(ps, "Andy Wong").minor
    assert by_name(ps, "李青").minor and by_name(ps, "何足").minor


def test_recurring_chinese_name():
    ps = find_people(paras("而梁文锋团队的模型可以视为创新。", "略微看一下梁文锋的创业史就知道了。"))
    assert by_name(ps, "梁文锋") is not None


def test_misspellings_link_to_the_known_person():
    ps = find_people(paras(
        "我与路易斯-文森特·加夫(Louis-Vincent Gave)进行了通话。",
        "“这种信念也被打破了,”Grave 补充道。",
        "盖夫提到的这场斗争始于2018年。",
    ))
    p = by_name(ps, "加夫")
    assert p is not None
    assert "Grave" in p.aliases and "盖夫" in p.aliases
    assert len([x for x in ps if not x.minor]) == 1


def test_transliterated_name_is_kept_only_as_a_speaker():
    ps = find_people(paras("特朗普表示,这是一个好消息。", "会议在达沃斯举行。达沃斯是一个小镇。"))
    assert by_name(ps, "特朗普") is not None
    assert by_name(ps, "达沃斯") is None


def test_common_words_tagged_as_names_are_not_people():
    ps = find_people(paras("易用性很重要。易用性问题仍存在。", "市值蒸发高达5900亿美元,跌幅高达17%。", "欧阳娜娜说她很喜欢。"))
    assert [p.name for p in ps] == ["欧阳娜娜"]


def test_dateline_reporter_is_minor():
    ps = find_people(paras("新华社北京2月3日电(记者张三)春节期间,下载量登顶。"))
    assert by_name(ps, "张三").minor


def test_homophone_typo_links_but_other_names_stay_apart():
    ps = find_people(paras("深度求索创始人梁文锋很少露面。", "梁文峰表示,公司不急于融资。", "清华大学教授梁文东说,这很正常。"))
    p = by_name(ps, "梁文锋")
    assert "梁文峰" in p.aliases
    assert by_name(ps, "梁文东") is not None and by_name(ps, "梁文东") is not p


def test_role_in_apposition_after_the_first_mention():
    ps = find_people(paras("我与约翰·史密斯(John Smith)通了电话,他是伦敦一家投资银行的首席经济学家。史密斯说:“市场很平静。”"))
    assert by_name(ps, "史密斯").role == "伦敦一家投资银行的首席经济学家"


def test_apposition_that_is_not_a_role_is_left_alone():
    ps = find_people(paras("我与约翰·史密斯(John Smith)通了电话,他是这件事的见证。史密斯说:“市场很平静。”"))
    assert by_name(ps, "史密斯").role is None


def test_a_speech_verb_is_not_swallowed_into_a_name():
    ps = find_people(paras("英伟达研究员汉斯·罗德坦言,这项技术还不成熟。", "咨询公司合伙人卢卡·贝里说:“市场会奖励耐心。”",
                           "独立分析师赖克说:“这不奇怪。”"))
    assert by_name(ps, "汉斯·罗德") is not None and by_name(ps, "罗德坦") is None
    assert by_name(ps, "赖克") is not None and by_name(ps, "赖克说") is None


def test_role_and_chinese_name_before_a_speech_verb():
    ps = find_people(paras("3月2日,清华大学经济管理学院副院长梁华国补充说:“合作才是出路。”",
                           "研究机构副教授萧露琳指出,市场反应有些过度。",
                           "北辰股份董事长梁强俊在接受电视台采访时分析指出,监管过严。", "该中心主任周一表示,计划不变。"))
    assert by_name(ps, "周一") is None
    for name, role in (("梁华国", "清华大学经济管理学院副院长"), ("萧露琳", "研究机构副教授"), ("梁强俊", "北辰股份董事长")):
        p = by_name(ps, name)
        assert p is not None and p.role == role, (name, p)
    assert by_name(ps, "梁强") is None


def test_a_role_word_is_not_part_of_the_name():
    ps = find_people(paras("甲骨文首席技术官罗馨(Luo Xin)强调,竞争是好事。"))
    p = by_name(ps, "罗馨")
    assert p is not None and p.role == "甲骨文首席技术官" and by_name(ps, "官罗馨") is None


def test_common_transliteration_characters_and_word_boundaries():
    ps = find_people(paras("比亚迪董事长彼得·克罗姆表示,产能还会扩大。", "埃隆·马斯克可能会反对这个说法。",
                           "研究员塞缪尔·肯利说,这需要时间。"))
    assert by_name(ps, "彼得·克罗姆") is not None
    assert by_name(ps, "埃隆·马斯克") is not None and by_name(ps, "埃隆·马斯克可") is None
    assert by_name(ps, "塞缪尔·肯利") is not None


def test_given_name_ends_where_the_speakers_words_begin():
    ps = find_people(paras("百度合伙人付泽在一篇博客文章中补充说:“我们看到的只是冰山一角。”",
                           "电子工程系教授高芳月表示:“工业软件不是零和游戏。”"))
    assert by_name(ps, "付泽") is not None and by_name(ps, "付泽在") is None
    assert by_name(ps, "高芳月") is not None and by_name(ps, "高芳") is None


def test_a_transliteration_is_not_cut_at_a_word_jieba_invents():
    ps = find_people(paras("法学院首席经济学家阿什兰在一篇博客文章中认为,监管过严。", "阿什兰还坦言,差距正在缩小。"))
    assert by_name(ps, "阿什兰") is not None and by_name(ps, "阿什") is None


def test_organisation_names_and_rarer_name_shapes():
    ps = find_people(paras("研究员汉斯·罗德还分析指出,与安澜机器人股份合作的有900家企业。", "安澜机器人股份的股价上涨。",
                           "软银总裁向伟航指出,竞争激烈。", "研究所讲师肯利强调,限制供应无法阻止追赶。",
                           "“真正的门槛是工程能力”,巴兰表示。", "欧盟委员会部长田远泽在接受英国广播公司采访时强调,前景很好。",
                           "他向记者表示,这不奇怪。"))
    assert by_name(ps, "安澜") is None and by_name(ps, "向记者") is None
    for name in ("向伟航", "肯利", "巴兰", "田远泽"):
        assert by_name(ps, name) is not None, name
    assert by_name(ps, "田远泽在") is None


def test_a_transliteration_jieba_cut_in_pieces_and_a_second_name_that_is_no_slip():
    ps = find_people(paras("9月18日,菲茨内维茨补充说:“你无法用一堵墙挡住知识的流动。”", "菲茨内维茨还坦言,合作机会依然存在。",
                           "研究员彭斯(Karen Penez)写道,投资者需要耐心。", "斯坦斯表示:“人才回流正在改变竞争版图。”",
                           "斯坦斯今年59岁,长期关注半导体产业。"))
    assert by_name(ps, "菲茨内维茨") is not None and by_name(ps, "维茨") is None
    p = by_name(ps, "斯坦斯")
    assert p is not None and p.name == "斯坦斯"


def test_names_jieba_tags_as_places_or_splits_at_a_clause_start():
    ps = find_people(paras("外界习惯于用固有的眼光看待这个产业。徐洋磊上周写道:“没有哪个行业能够置身事外。”",
                           "然而,单纯依靠限制措施很难跟上。兰内斯坦认为,短期内限制供应或许会减缓对手的进展。",
                           "高层表示,计划不变。许多人说,这不奇怪。", "欧方称,谈判仍在进行。高管表示,不予置评。万家说,好的。"))
    assert by_name(ps, "徐洋磊") is not None and by_name(ps, "兰内斯坦") is not None
    for word in ("高层", "许多人", "许多", "欧方", "高管", "万家"):
        assert by_name(ps, word) is None, word


def test_brands_and_quoted_terms_are_not_people():
    ps = find_people(paras("谷歌创始人郑俊军表示,竞争激烈。谷歌称其模型的训练成本很低。", "谷歌的成功表明巨额投资并非唯一路径。",
                           "备受关注的“罗盘启航计划”由泰和公司牵头。", "“罗盘启航计划”的可行性仍有待观察。",
                           "基金会客座教授武康强分析指出,合作空间有限。武康强表示,限制措施无效。"))
    assert by_name(ps, "谷歌") is None and by_name(ps, "罗盘") is None and by_name(ps, "康强") is None
    assert by_name(ps, "郑俊军") is not None and by_name(ps, "武康强") is not None


def test_a_function_word_surname_right_after_a_role_before_an_english_name():
    ps = find_people(paras("墨子光电研究院合伙人向雪(Xiang Xue)告诉本报记者时指出,技术扩散的速度很快。"))
    p = by_name(ps, "向雪")
    assert p is not None and p.name_en == "Xiang Xue" and p.role == "墨子光电研究院合伙人"


def test_two_people_who_share_only_a_surname_stay_apart():
    # 陆茜兰 is found by jieba's name tag alone; every character of it also spells foreign names,
    # and one shared character (the surname) is no slip of 陆峰勇's name
    lines = ("新美国安全中心首席分析师陆峰勇认为,以色列需要更加认真地对待这一风险。",
             "陆茜兰在接受路透社采访时强调,天工网络技术公司的成功表明巨额投资并非唯一的路径。陆茜兰指出,成本在下降。",
             "陆峰勇表示:“我们需要的是更聪明的监管。”")
    ps = find_people(paras(*lines))
    names = {p.name: p for p in ps}
    assert {"陆峰勇", "陆茜兰"} <= set(names)
    assert "陆茜兰" not in names["陆峰勇"].aliases

    from store.extract import extract

    speakers = {q.text: q.speaker for q in extract(paras(*lines)).quotes}
    assert speakers["天工网络技术公司的成功表明巨额投资并非唯一的路径"] == "陆茜兰"


def test_a_name_jieba_made_a_word_of_before_a_speech_verb():
    # jieba's model reads 万然航 as one unknown word it tags as a noun (万 is also ten thousand)
    ps = find_people(paras("万然航还指出,开源模型与闭源模型之间的差距正在迅速缩小。万然航认为,对手低估了工程能力。"))
    assert by_name(ps, "万然航") is not None


def test_a_role_word_jieba_tags_as_a_name_is_not_part_of_the_name():
    # jieba tags 顾问 (adviser) as a name here, and 顾 is a surname: the name is 詹顿
    ps = find_people(paras("工业和信息化部顾问詹顿(Hugo Jenton)在接受本台采访时表示:“开放合作才是出路。”",
                           "詹顿上周坦言,营收同比增长。"))
    p = by_name(ps, "詹顿")
    assert p is not None and p.name == "詹顿" and p.name_en == "Hugo Jenton"
    assert by_name(ps, "顾问詹顿") is None


def test_a_two_character_name_whose_surname_is_also_a_preposition_after_a_role():
    # 向 is "towards" as often as a surname: right after a role word it is the surname
    ps = find_people(paras("清华大学经济学院首席经济学家向雪警告说:“人才回流正在改变竞争版图。”",
                           "向雪认为,融资规模在扩大。发言人向记者表示,计划不变。"))
    p = by_name(ps, "向雪")
    assert p is not None and p.role == "清华大学经济学院首席经济学家"
    assert by_name(ps, "向记") is None and by_name(ps, "向记者") is None


def test_a_name_written_three_times_is_nobody_elses_slip():
    # 多兰 shares a character with 兰森 and is found by jieba alone: written once it could be a
    # slip of his name (as 盖文 is of 加夫 in the seeds); written three times it is her own
    lines = ("英国剑桥大学教授威廉·兰森(William Ransen)表示,合作机会依然存在。",
             "12月17日,多兰强调,领先优势正在缩小。", "多兰认为,合作机会依然存在。多兰警告说,风险在上升。")
    ps = find_people(paras(*lines))
    assert by_name(ps, "多兰") is not None and by_name(ps, "多兰") is not by_name(ps, "兰森")


def test_a_name_that_has_a_companys_accounts_is_no_person():
    ps = find_people(paras("谷歌称其模型的训练成本仅240万美元。", "谷歌的年度营收达到大约一千亿元。高通的毛利率为52%。",
                           "高通表示,计划不变。"))
    assert by_name(ps, "谷歌") is None and by_name(ps, "高通") is None


def test_a_homophone_typo_written_three_times_still_links():
    ps = find_people(paras("深度求索创始人梁文锋很少露面。", "梁文峰表示,公司不急于融资。梁文峰说,团队很小。",
                           "梁文峰指出,成本在下降。"))
    p = by_name(ps, "梁文锋")
    assert "梁文峰" in p.aliases and len(ps) == 1


def test_a_transliteration_jieba_took_for_a_place_and_cut_short_before_a_speech_verb():
    # jieba reads 加里 as a place and leaves 利 on its own (加里|利 表示): the whole run speaks
    lines = ("德國經濟部顧問加里利在一篇博客文章中強調,基因編輯領域的創新越來越依賴跨國合作。",
             "“我們正處在基因編輯產業格局重塑的關鍵時刻。”加里利表示。")
    ps = find_people(paras(*lines))
    assert by_name(ps, "加里利") is not None
    assert by_name(ps, "加里") is None and by_name(ps, "德国经济部") is None


def test_a_name_found_in_one_article_is_no_name_in_the_next():
    # 苏黎世 speaks in the first text, so there it is taken for a person; in the next text a
    # process reads it is the city of a university, as it would be had it been read first
    assert by_name(find_people(paras("苏黎世表示,合作机会依然存在。")), "苏黎世") is not None
    after = find_people(paras("“人才回流正在改变竞争版图。”苏黎世联邦理工学院管理学院副教授黛安娜·布兰里克说。"))
    assert by_name(after, "苏黎世") is None and by_name(after, "布兰里克") is not None


def test_a_role_before_a_name_the_scan_did_not_take_there():
    """加里利 is found where he speaks; his first occurrence, after his role, was no mention
    (jieba reads 加里 as a place and 利在 as a verb), and its role is still his."""
    ps = find_people(paras("德國經濟部顧問加里利在柏林的一場論壇上指出，歐洲需要自己的算力。",
                           "加里利表示：「我們不能只依賴美國的雲服務。」"))
    assert [(p.name, p.role) for p in ps] == [("加里利", "德国经济部顾问")]


def test_an_organisation_jieba_took_for_a_name_does_not_cut_a_role_short():
    """谷歌 recurs, and jieba tags it as a name, but it heads an organisation (谷歌联合创始人): it is
    no person, and the role before 王兰芳 runs through it."""
    ps = find_people(paras("谷歌联合创始人王兰芳表示：“我们会继续投入。”", "谷歌的研发投入为三十亿元。",
                           "谷歌计划在数据中心上投资。", "王兰芳还说，竞争是好事。"))
    assert [(p.name, p.role) for p in ps] == [("王兰芳", "谷歌联合创始人")]


def test_a_company_jieba_reads_as_a_name_is_no_person():
    """A name jieba guesses that the article uses as an organisation's, the first word of its
    name (祝融数据技术公司) or before what companies have (高通的业务, 高通的持股比例), is no person,
    and a role before another name runs through it."""
    ps = find_people(paras("10月16日，祝融数据技术公司董事长曹彬晨认为，短期内限制供应或许会减缓对手的进展。",
                           "分析师莫埃莫尔还表示，祝融数据技术公司低估了对手的工程能力。",
                           "曹彬晨指出：“真正的门槛是工程能力。”"))
    assert [(p.name, p.role) for p in ps] == [("曹彬晨", "祝融数据技术公司董事长"), ("莫埃莫尔", "分析师")]
    ps = find_people(paras("克拉利里斯坦言，高通的业务已覆盖四十个国家。", "彭伊因还表示，高通低估了对手的工程能力。",
                           "高通的持股比例为45.5%。", "分析师彭伊因认为，竞争才刚开始。"))
    assert [p.name for p in ps] == ["克拉利里斯", "彭伊因"]


def test_a_chinese_name_jieba_splits_into_surname_and_a_word_opens_a_clause():
    """王|文峰 表示: jieba reads the given name as a word of its own (文峰, a place); a surname
    and a rare word that is all the rest of the name, before a speech verb, is a person, while
    a common word after a surname character is not (高管, 王|医生)."""
    for text, want in [("王文峰表示，这很好。", ["王文峰"]), ("夏文峰说：“为什么我们总是感到意外。”", ["夏文峰"]),
                       ("高管表示，这很好。", []), ("王医生说，这很好。", [])]:
        assert [p.name for p in find_people(paras(text))] == want, text


def test_a_surname_counts_where_it_stands_alone():
    """As the regex (?<![a-z-])ma(?![a-z]) counts it: not inside mama or a longer word, not after
    a hyphen, but before one (ma-yun) or a Han character (ma表示)."""
    assert _standalone("ma", "ma said, jack ma-yun and mama ma表示") == 3
    assert _standalone("nadella", "nadellas and x-nadella") == 0
    assert _standalone("nadella", "") == 0
    assert _standalone("", "anything") == 0
