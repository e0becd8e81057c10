"""Watchlist forms: compound names joined or apart, proximity, and light suffix forms.

Every case is a sentence as a newsroom would write it; look-alikes are real words that start
with a term's letters and must not match.
"""
from __future__ import annotations

import pytest

from rasd.digest.highlight import highlight
from rasd.text.watchlist import Term, Topic, Watchlist, term_from_text


def count(term: Term | str, text: str) -> int:
    """Hits of one term in `text`."""
    found = Watchlist({"t": [term]}).match(text)
    return sum(m.count for m in found)


# ---- compound names, joined or apart ------------------------------------------------------

# (rule, term, text, expected hits)
COMPOUND = [
    ("apart term, joined text", "عبد السلام الزوبي",
     "اجتمع الوفد بوكيل وزارة الدفاع عبدالسلام الزوبي في طرابلس", 1),
    ("joined term, apart text", "عبدالسلام الزوبي",
     "التقى وكيل وزارة الدفاع عبد السلام الزوبي قائد أفريكوم", 1),
    ("both ways in one text", "عبد الحميد الدبيبة",
     "قال عبد الحميد الدبيبة إن حكومة عبدالحميد الدبيبة باقية", 2),
    ("joined with proclitics", "عبد الحميد الدبيبة",
     "في رسالة وجهها لعبدالحميد الدبيبة وللحكومة", 1),
    ("abu, joined text", "أبو بكر البغدادي", "أعلن التنظيم مقتل زعيمه أبوبكر البغدادي", 1),
    ("abu in the genitive (أبي)", "أبو بكر البغدادي",
     "بعد مقتل أبي بكر البغدادي في إدلب", 1),
    ("abu in the accusative (أبا)", "أبو بكر البغدادي",
     "إن أبا بكر البغدادي قتل في غارة", 1),
    ("joined place name, apart text", "أبوظبي", "وصل الوفد الليبي إلى أبو ظبي مساء الأحد", 1),
    ("apart place name, joined text", "أبو ظبي", "وصل الوفد الليبي إلى أبوظبي مساء الأحد", 1),
    ("bin, joined text", "عبد الإله بن كيران",
     "انتقد رئيس الحكومة السابق عبد الإله بنكيران القرار", 1),
    ("bin written ibn", "أسامة بن لادن", "قال نجل أسامة ابن لادن في مقابلة", 1),
    ("ibn written bin", "أسامة ابن لادن", "قال نجل أسامة بن لادن في مقابلة", 1),
    ("a glued bin is not split (Benghazi)", "بنغازي", "التقى محمد بن غازي بوفد من طرابلس", 0),
    ("another name after the prefix", "عبد السلام الزوبي",
     "قال عبد الرزاق الزوبي إن الاجتماع انتهى", 0),
    ("no joined form inside a longer word", "عبد الله",
     "فاز فريق العبداللهية بالمباراة", 0),
]


@pytest.mark.parametrize("rule,term,text,expected", COMPOUND, ids=[c[0] for c in COMPOUND])
def test_compound_names_match_joined_or_apart(rule, term, text, expected):
    assert count(term, text) == expected


def test_joined_false_keeps_the_spelling_and_true_makes_every_space_optional():
    assert count(Term("عبد السلام الزوبي", joined=False), "عبدالسلام الزوبي") == 0
    assert count(Term("عبد السلام الزوبي", joined=False), "عبد السلام الزوبي") == 1
    assert count("بني وليد", "وصلت القافلة إلى بنيوليد") == 0   # not a name prefix
    assert count(Term("بني وليد", joined=True), "وصلت القافلة إلى بنيوليد") == 1
    assert count(Term("بني وليد", joined=True), "وصلت القافلة إلى بني وليد") == 1


def test_a_joined_form_points_at_the_original_characters():
    text = "قال وكيل الوزارة عبـدُالسَّلام\u200c الزوبي إن الاجتماع"
    match, = Watchlist({"zubi": ["عبد السلام الزوبي"]}).match(text)
    assert match.form == "عبـدُالسَّلام\u200c الزوبي"
    assert text[match.position:].startswith(match.form)
    assert match.form in match.snippet


# ---- proximity ----------------------------------------------------------------------------

COMMAND = Term("القيادة الأمريكية في أفريقيا", near=2)
BETWEEN = ["", "العسكرية ", "العسكرية العليا ", "العسكرية العليا الموحدة "]


@pytest.mark.parametrize("words", range(4))
def test_proximity_allows_up_to_near_words_between(words):
    text = f"زار نائب قائد القيادة {BETWEEN[words]}الأمريكية في أفريقيا طرابلس أمس"
    assert count(COMMAND, text) == (1 if words <= 2 else 0)


@pytest.mark.parametrize("near", range(4))
def test_near_is_the_boundary(near):
    text = "وقال قائد القيادة العسكرية العليا الأمريكية في أفريقيا إن"   # two words between
    assert count(Term(COMMAND.text, near=near), text) == (1 if near >= 2 else 0)


# (rule, text, expected hits of COMMAND)
PROXIMITY = [
    ("words in several gaps count together",
     "القيادة العسكرية الأمريكية العليا في أفريقيا", 1),
    ("three words in all, spread over gaps",
     "القيادة العسكرية الأمريكية العليا في شمال أفريقيا", 0),
    ("proclitics on the first word", "وللقيادة العسكرية الأمريكية في أفريقيا", 1),
    ("punctuation after the last word", "قائد القيادة العسكرية الأمريكية في أفريقيا، الجنرال", 1),
    ("across a line break", "القيادة العسكرية\nالأمريكية في\r\nأفريقيا", 1),
    ("a comma between the words", "القيادة، الأمريكية في أفريقيا", 0),
    ("a sentence ends between the words", "القيادة العسكرية. الأمريكية في أفريقيا", 0),
    ("a bracketed word between", "القيادة (العسكرية) الأمريكية في أفريقيا", 0),
    ("words out of order", "الأمريكية القيادة في أفريقيا", 0),
    ("a proclitic on an inner word", "القيادة الأمريكية وفي أفريقيا", 0),
    ("the first word twice is one hit", "القيادة القيادة الأمريكية في أفريقيا", 1),
    ("two mentions", "القيادة الأمريكية في أفريقيا ثم القيادة العسكرية الأمريكية في أفريقيا", 2),
]


@pytest.mark.parametrize("rule,text,expected", PROXIMITY, ids=[c[0] for c in PROXIMITY])
def test_proximity_rule(rule, text, expected):
    assert count(COMMAND, text) == expected


def test_proximity_form_snippet_and_highlight_cover_the_whole_phrase():
    text = "زار نائب قائد القيادة العسكرية الأمريكية في أفريقيا طرابلس أمس"
    match, = Watchlist({"africom": [COMMAND]}).match(text)
    assert match.term == "القيادة الأمريكية في أفريقيا ~2"
    assert match.form == "القيادة العسكرية الأمريكية في أفريقيا"
    assert highlight(match.snippet, [match.term]) == [
        ("زار نائب قائد ", False), ("القيادة العسكرية الأمريكية في أفريقيا", True),
        (" طرابلس أمس", False)]


def test_proximity_also_in_excludes():
    topic = Topic("sirte", (Term("سرت"),), (Term("سرت الهدنة", near=1),))
    assert count_topic(topic, "وقد سرت أمس الهدنة في البلاد") == 0
    assert count_topic(topic, "وقد سرت أمس الهدنة في مدينة سرت") == 1


def count_topic(topic: Topic, text: str) -> int:
    return sum(m.count for m in Watchlist({topic.slug: topic}).match(text))


# ---- suffix forms -------------------------------------------------------------------------

# (term, sentence, expected hits): forms that must match, then look-alikes that must not.
SUFFIXES = [
    ("مرتزق*", "وطالب المجلس بخروج المرتزقة الأجانب من البلاد دون تأخير", 1),
    ("مرتزق*", "تقدر الأمم المتحدة عدد مرتزقة فاغنر في ليبيا بنحو ألفي مقاتل", 1),
    ("مرتزق*", "وقال إن كل مرتزق يدخل البلاد سيحاسب", 1),
    ("مسيرة*", "أسقطت الدفاعات الجوية المسيرات التركية فوق قاعدة الوطية", 1),
    ("مسيرة*", "استهدف الجيش مواقع المسلحين بمسيرتين مساء الأحد", 1),
    ("مسيرة*", "نفذت مسيرات مجهولة غارات على مطار معيتيقة", 1),
    ("مسيرة*", "وقال إن مسيرته السياسية بدأت في بنغازي", 1),
    ("حفتر*", "وتتهم حكومة طرابلس القوات الحفترية بخرق الهدنة", 1),
    ("حفتر*", "وقال قيادي حفتري سابق إن الهجوم كان متوقعا", 1),
    ("حفتر*", "التقى حفتر وفدا أمريكيا في بنغازي", 1),
    ("ليبيا*", "وأكد المسؤولون الليبيون التزامهم بوقف إطلاق النار", 1),
    ("ليبيا*", "دعا البيان جميع الأطراف الليبية إلى الحوار", 1),
    ("ليبيا*", "عاد آلاف الليبيين إلى منازلهم في ترهونة", 1),
    ("قاعدة*", "سيطرت القوات على القاعدتين الجويتين في الجنوب", 1),
    ("قاعدة*", "وتملك روسيا قواعد عدة، وقاعدتها الأهم في الجفرة", 1),
    ("غارة*", "شنت طائرات مجهولة ثلاث غارات على مواقع في الجنوب", 1),
    ("هدنة*", "انهارت الهدنتان السابقتان خلال أسابيع", 1),
    ("مطار*", "أعيد فتح مطارات المنطقة الشرقية أمام الرحلات الداخلية", 1),
    ("مطار*", "هبطت الطائرة في مطاره الخاص قرب الحدود", 1),
    ("دورية*", "اعترضت دوريات خفر السواحل قاربا يقل مهاجرين", 1),
    ("أمريكا*", "التقى الوفد المسؤولين الأمريكيين في واشنطن", 1),
    ("أمريكا*", "وصلت مدمرة أمريكية إلى ميناء طرابلس", 1),
    ("ميليشيا*", "تسيطر الميليشيات المسلحة على أحياء في العاصمة", 1),
    ("ميليشيا*", "وحذر من تنامي النفوذ الميليشياوي في الغرب الليبي", 1),
    ("مسؤول*", "التقى الوفد عددا من مسؤوليها في بنغازي", 1),
    ("صاروخ*", "أطلقت القوات صاروخين على المعسكر فجر اليوم", 1),
    ("جماعة*", "صنفت الحكومة جماعات مسلحة منظمات إرهابية", 1),
    ("طائرة مسيرة*", "أسقطت الدفاعات الطائرات المسيرة التركية", 1),
    ("طائرة مسيرة*", "رصد الجيش طائرتين مسيرتين فوق القاعدة", 1),
    # look-alikes and other words
    ("مطار*", "واصلت الشرطة مطاردة المهربين في الصحراء", 0),
    ("مطار*", "استخدم المحتجون مطارق حديدية لتحطيم الأبواب", 0),
    ("ليبيا*", "وصل وفد من ليبيريا إلى أبوجا للمشاركة في القمة", 0),
    ("ليبيا*", "قال الرئيس الليبيري إن بلاده تدعم الحل السلمي", 0),
    ("دورية*", "تأجلت مباريات الدوري الليبي الممتاز إلى الأسبوع المقبل", 0),
    ("دورية*", "يصدر التقرير بشكل دوري كل ثلاثة أشهر", 0),
    ("قاعدة*", "قال ضابط متقاعد إن القوات انسحبت", 0),
    ("قاعدة*", "ظل قاعدا في منزله طوال فترة الاشتباكات", 0),
    ("غارة*", "اختبأ المقاتلون في غار قرب الجبل", 0),
    ("تركيا*", "ركزت الخطة على تركيب منظومة دفاع جوي", 0),
    ("تركيا*", "وأكد على ضرورة تركيز الجهود على الحل السياسي", 0),
    ("تركيا*", "قال إن الوزير تركه ينتظر ساعتين", 0),
    ("أمن*", "قالت إن أمنا كانت تنتظر عودته من الجبهة", 0),
    ("مسيرة*", "اتهمت النيابة مسيري الرحلة بالإهمال", 0),
    ("مسيرة*", "والطائرة من نوع مسير عن بعد", 0),
    ("جماعة*", "قررت الهيئة الاستقالة الجماعية لأعضائها", 0),
    ("صاروخ*", "سقطت صواريخ على الحي السكني", 0),   # a broken plural is another word
    ("مسيرة", "أسقطت الدفاعات الجوية المسيرات التركية", 0),   # forms are opt-in
]


@pytest.mark.parametrize("term,text,expected", SUFFIXES,
                         ids=[f"{n}-{c[0]}" for n, c in enumerate(SUFFIXES)])
def test_suffix_forms(term, text, expected):
    assert count(term, text) == expected


def test_suffix_forms_are_whole_words_in_form_snippet_and_highlight():
    text = "وقالت مصادر إن الدفاعات أسقطت المسيراتِ التركيةَ فوق القاعدة"
    match, = Watchlist({"drones": ["مسيرة*"]}).match(text)
    assert (match.term, match.form) == ("مسيرة*", "المسيراتِ")
    assert text[match.position:match.position + len(match.form)] == match.form
    assert ("المسيراتِ", True) in highlight(match.snippet, [match.term])


def test_topic_forms_apply_to_arabic_words_only():
    topic = Topic("haftar", (Term("حفتر", inflect=True), Term("Haftar", inflect=True)))
    found = {m.term: m.count for m in Watchlist({"haftar": topic}).match(
        "القوات الحفترية وHaftar وHaftars")}
    assert found == {"حفتر*": 1, "Haftar*": 1}


def test_a_stem_shorter_than_three_letters_is_not_inflected():
    assert count("شر*", "وقع الشريك في الفخ") == 0
    assert count("شر*", "هذا شر كبير") == 1


def test_term_labels_read_back():
    for term in (Term("مسيرة", inflect=True), Term("القيادة في أفريقيا", near=2),
                 Term("طائرة مسيرة", near=1, inflect=True), Term("5+5")):
        assert term_from_text(term.label) == term
    assert term_from_text("مسيرة*").label == "مسيرة*"
