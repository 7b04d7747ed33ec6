"""Names brought to a comparable form: width, case, punctuation, legal forms, both scripts."""

from __future__ import annotations

import tomllib

import pytest

from trade.name_words import DATA
from trade.names import normalise_name

pytestmark = pytest.mark.any_database  # no database: make test-postgres skips it


def words(text: str) -> tuple[str, ...]:
    return normalise_name(text).words


def test_full_width_case_and_punctuation_are_normalised():
    assert words("ＨＵＡＷＥＩ　ＴＥＣＨＮＯＬＯＧＩＥＳ　ＣＯ．，ＬＴＤ．") == (
        "huawei",
        "technology",
    )
    assert words("Huawei-Technologies, Co.,Ltd.") == ("huawei", "technology")


def test_accents_are_dropped():
    assert words("Société Générale S.A.") == ("societe", "general")


def test_latin_legal_forms_are_removed_wherever_they_stand():
    for name in (
        "Acme Inc.",
        "Acme Incorporated",
        "Acme LLC",
        "Acme L.L.C.",
        "Acme GmbH",
        "Acme Co., Ltd.",
        "Acme Corp.",
        "Acme S.A.",
        "Acme Kabushiki Kaisha",
        "Acme Limited Liability Company",
    ):
        assert words(name) == ("acme",), name


def test_chinese_legal_forms_are_removed():
    for name in (
        "华为技术有限公司",
        "华为技术股份有限公司",
        "华为技术有限责任公司",
        "华为技术集团",
        "华为技术（集团）",
    ):
        assert words(name) == ("huawei", "technology"), name


def test_legal_forms_are_data():
    data = tomllib.loads(DATA.read_text(encoding="utf-8"))
    assert {"有限公司", "股份有限公司", "有限责任公司", "集团"} <= set(data["legal_forms"]["cjk"])
    assert {"inc", "ltd", "llc", "gmbh", "co", "corp", "sa"} <= set(data["legal_forms"]["latin"])


def test_a_name_of_legal_forms_only_keeps_them():
    assert words("Group Limited") == ("group", "limited")


def test_chinese_is_romanised_with_known_words_translated():
    form = normalise_name("北京华为技术有限公司")
    assert form.words == ("beijing", "huawei", "technology")
    assert form.weights == (0.35, 1.0, 0.35)
    assert form.cjk == "北京华为技术"
    assert form.pinyin == {"huawei"}


def test_pinyin_written_word_by_word_is_read_as_the_word():
    assert words("Beijing Zhongguancun Keji Youxian Gongsi") == (
        "beijing",
        "zhongguancun",
        "technology",
    )


def test_traditional_characters_read_as_simplified():
    assert words("華為技術有限公司") == words("华为技术有限公司")


def test_old_spellings_of_places_read_as_pinyin():
    assert words("Peking University") == ("beijing", "university")
    assert words("Tsingtao Brewery")[0] == "qingdao"


def test_abbreviations_plurals_and_misspelt_common_words():
    assert words("Xinda Intl Tech Mfg") == ("xinda", "international", "technology", "manufacturing")
    assert words("Xinda Technolgies Limted") == ("xinda", "technology")


def test_numbers_in_either_script_are_one_distinctive_word():
    for name in (
        "中国电子科技集团公司第十四研究所",
        "The 14th Research Institute of China Electronics Technology Group Corporation",
        "China Electronics Technology Group Corporation No. 14 Research Institute",
    ):
        form = normalise_name(name)
        assert "14" in form.words, name
        assert form.weights[form.words.index("14")] == 1.0
    assert "203" in words("中国兵器工业第二〇三研究所")
    assert "718" in words("七一八研究所")
    assert words("China First Heavy Industries")[1] == words("中国第一重型机械")[1] == "1"


def test_pinyin_tone_marks_tone_numbers_and_u_umlaut():
    assert words("Zhōngguó Kējì") == words("Zhong1guo2 Ke1ji4") == words("中国科技")
    assert words("Lümeng") == words("绿盟") == ("lumeng",)


def test_wade_giles_written_with_hyphens_is_one_word():
    assert words("Shuang-liang Boiler")[0] == "shuangliang"
    assert words("Rolls-Royce") == ("rolls", "royce")
    assert words("Chiang-su Trading")[0] == "jiangsu"


def test_industry_words_are_translated_and_read_in_pinyin_too():
    assert (
        words("厦门钨业股份有限公司")
        == words("Xiamen Tungsten Co., Ltd.")
        == ("xiamen", "tungsten")
    )
    assert words("Zijin Kuangye") == ("zijin", "mining")
    assert words("Weichaidongli") == ("weichai", "power")
    # A brand is not read as the glossary word whose pinyin it shares (中兴, not 重型).
    assert words("Zhongxing Telecom") == words("中兴通讯") == ("zhongxing", "communication")


def test_more_traditional_characters_read_as_simplified():
    assert words("寶雞鈦業股份有限公司") == words("宝鸡钛业股份有限公司")
    assert normalise_name("寶雞鈦業").traditional
    assert not normalise_name("宝鸡钛业").traditional


def test_science_and_technology_is_technology():
    assert sorted(words("University of Science and Technology of China")) == sorted(
        words("中国科学技术大学")
    )


def test_chinese_runs_leave_the_fewest_characters_untranslated_and_alone():
    assert words("广州新光电气有限公司") == ("guangzhou", "xinguang", "electric")
    assert words("中科技术有限公司") == ("zhongke", "technology")


def test_stop_words_are_syllables_in_a_name_written_in_pinyin():
    assert words("Dà Jiāng Chuàngxīn Kējì") == ("da", "jiang", "innovation", "technology")
    # Syllables written apart that spell the pinyin of a glossary word are joined (qianxin, as
    # 铅锌 is spelt; its pinyin is not read as "lead zinc"): the stop word an is kept in it.
    assert words("Qi An Xin Technology Group Inc.") == ("qianxin", "technology")
    assert words("Qi An Da Technology") == ("qi", "an", "da", "technology")
    assert words("Banco do Brasil") == ("banco", "brasil")


def test_legal_forms_written_out():
    assert words("Dahua Technology Brasil Limitada") == words("Dahua Technology Brasil Ltda.")
    assert words("Hisense Gorenje Europe d.o.o.") == ("hisense", "gorenje", "europe")


def test_a_plural_reads_as_its_word_does():
    # electrical is read as electric; so is its plural (Bharat Heavy Electricals), which a slip
    # of it (Electricls) is read as too
    assert normalise_name("Bharat Heavy Electricals").words == ("bharat", "heavy", "electric")
    assert normalise_name("Bharat Heavy Electricls").words == ("bharat", "heavy", "electric")
    assert normalise_name("Zhongtian Batteries").words[-1] == "battery"


def test_a_known_firm_is_not_a_cut_off_common_word():
    # Intel is a firm of the known-names file, not "intelligent" cut off (as optoelec is)
    assert normalise_name("Intel Corporation").words == ("intel",)
    assert normalise_name("Shenzhen Optoelec Co").words[-1] == "optoelectronic"
