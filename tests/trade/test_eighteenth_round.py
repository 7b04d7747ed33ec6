"""The eighteenth round: the common words of Arabic and Hebrew organisation names read after the
article and the prepositions written as their first letters (والبحوث, the research; המחקר), the
words of French, German, Italian, Turkish and Persian names in English, French articles elided
before a vowel (Centre d'Etudes), German für, compounds ending in a known word (Lasertechnik),
the countries and regions whose adjectives lead Russian names (Sibirskaya, Belorusskoye) and
Aviation and Space read as Aerospace."""

from __future__ import annotations

import pytest

from trade.foreign_spellings import compound
from trade.known_names import names_of_initials, other_names
from trade.matching import score_pair
from trade.names import normalise_name
from trade.other_scripts import arabic_word, hebrew_word, romanise

pytestmark = pytest.mark.any_database  # no database: make test-postgres skips it


def test_arabic_words_after_the_article_and_a_conjunction():
    assert arabic_word("مركز") == "center"
    assert arabic_word("العلمية") == "science"  # the article goes with a known word
    assert arabic_word("والبحوث") == "research"  # and the research
    assert arabic_word("للتقنيات") == "technology"  # for the technologies
    assert arabic_word("أبحاث") == arabic_word("ابحاث") == "research"  # with a hamza or not
    assert arabic_word("الرشيد") == "al rshyd"  # a name keeps its article
    assert romanise("شركة الخليج للتقنيات المتقدمة").split() == [
        "sharikat",
        "gulf",
        "technology",
        "advanced",
    ]
    assert (
        score_pair("مركز الدراسات والبحوث العلمية", "Scientific Studies and Research Center") >= 0.8
    )
    assert score_pair("شركة الخليج للتقنيات المتقدمة", "Gulf Advanced Technologies Company") >= 0.8


def test_hebrew_words_after_a_prefix_letter():
    assert hebrew_word("מתקדמות") == "advanced"
    assert hebrew_word("המחקר") == "research"  # the research
    assert hebrew_word("רפאל") == "rfl"  # a name as it was
    assert score_pair("רפאל מערכות לחימה מתקדמות", "Rafael Advanced Defense Systems") >= 0.8


def test_french_articles_elided_before_a_vowel():
    assert normalise_name("Centre d'Etudes et de Recherches Scientifiques").words == (
        "center",
        "studies",
        "research",
        "science",
    )
    assert normalise_name("Commissariat à l'énergie atomique").words == (
        "commission",
        "energy",
        "atomic",
    )
    assert normalise_name("Xi'an Aircraft").words == ("xian", "aircraft")  # not an article
    assert normalise_name("D'Long International").words[0] == "dlong"  # nor before a consonant
    assert (
        score_pair(
            "Centre d'Etudes et de Recherches Scientifiques",
            "Scientific Studies and Research Centre",
        )
        >= 0.8
    )


def test_german_compounds_and_fuer():
    assert compound("lasertechnik") == ("laser", "technology")
    assert compound("laserteknik") == ("laser", "technology")  # Swedish, Danish
    assert compound("forschungszentrum") == ("research", "center")  # the first part's English
    assert compound("technik") == ()  # a compound's last word alone is not read
    assert normalise_name("Nordwind Technik GmbH").words == ("nordwind", "technik")
    assert normalise_name("Fraunhofer-Institut für Lasertechnik").words == (
        "fraunhofer",
        "institute",
        "laser",
        "technology",
    )
    assert "fur" in normalise_name("Kowloon Fur Trading").words  # the English word stays
    assert score_pair("Deutsches Zentrum für Luft- und Raumfahrt", "German Aerospace Center") >= 0.8


def test_turkish_and_persian_words():
    assert normalise_name("Çelik Hassas Döküm Sanayi").words == (
        "steel",
        "precision",
        "casting",
        "industrial",
    )
    assert normalise_name("Türk Havacılık ve Uzay Sanayii").words == (
        "turkey",
        "aerospace",
        "industrial",
    )
    assert (
        normalise_name("Turkish Aerospace Industries").words
        == normalise_name("Türk Havacılık ve Uzay Sanayii").words
    )
    assert normalise_name("Pārs Tejārat-e Kish").words == normalise_name("Pars Tejarat Kish").words
    assert score_pair("Makina ve Kimya Endüstrisi", "Mechanical and Chemical Industry") >= 0.8


def test_russian_adjectives_of_countries_and_regions():
    assert normalise_name("Sibirskaya Pribornaya Kompaniya").words == ("siberia", "instrument")
    assert normalise_name("Siberian Instrument Company").words == ("siberia", "instrument")
    assert normalise_name("Belorusskoye Optiko-Mekhanicheskoye Obyedineniye").words[0] == "belarus"
    assert normalise_name("Belarusian Optical and Mechanical Association").words[0] == "belarus"
    assert normalise_name("Rossiyskaya Elektronika").words[0] == "russia"
    assert (
        score_pair("Moskovskiy Institut Teplotekhniki", "Moscow Institute of Thermal Technology")
        >= 0.8
    )


def test_known_names_of_the_round():
    assert names_of_initials()["CSIC"] == "China Shipbuilding Industry Corporation"
    assert (
        score_pair(
            "China Shipbuilding Industry Corporation 724th Research Institute",
            "724th Research Institute of CSIC",
        )
        >= 0.8
    )
    assert "Yuzhnoye State Design Office" in other_names("КБ «Південне»")
    assert (
        normalise_name("武汉光谷激光设备有限公司").words
        == normalise_name("Wuhan Optics Valley Laser Equipment Co., Ltd.").words
    )


def test_russian_quarters_of_the_compass_and_industrial_words():
    assert normalise_name("Severnaya Verf").words == normalise_name("Northern Shipyard").words
    assert normalise_name("Yuzhny Harkovsky").words[0] == "south"
    assert normalise_name("Yuzhnyy Kharkovskiy").words[0] == "south"
    assert normalise_name("Pivdenne").words == ("south",)  # Ukrainian
    assert normalise_name("Baltiyskiy Zavod").words == ("baltic", "plant")
    assert normalise_name("Zavod Splavov i Polimerov").words[-2:] == ("alloy", "polymer")


def test_more_french_german_italian_and_spanish_words():
    assert normalise_name("Cantieri Navali Italiani").words == ("shipbuilding", "naval", "italy")
    assert normalise_name("Italian Naval Shipyards").words == ("italy", "naval", "shipbuilding")
    assert normalise_name("Maschinenfabrik Augsburg").words == ("machinery", "factory", "augsburg")
    assert normalise_name("Forschungsanstalt").words == ("research", "institute")
    assert normalise_name("Siemens Aktiengesellschaft").words == ("siemens",)  # a legal form
    assert normalise_name("Chantiers de l'Atlantique").words == ("shipbuilding", "atlantic")


def test_english_words_written_in_katakana_and_hangul():
    assert romanise("ソニーグループ").split() == ["soni", "group"]  # not gurupu
    assert normalise_name("キヤノンマーケティングジャパン").words[-2:] == ("marketing", "japan")
    assert normalise_name("삼성디스플레이").words == ("samseong", "display")
    assert normalise_name("한국항공우주연구원").words == (
        "korea",
        "aerospace",
        "research",
        "institute",
    )
    assert score_pair("ソニーグループ株式会社", "Sony Group Corporation") >= 0.8
    assert score_pair("キヤノンマーケティングジャパン", "Canon Marketing Japan") >= 0.8
    assert score_pair("삼성디스플레이", "Samsung Display") >= 0.8
    assert score_pair("한국항공우주연구원", "Korea Aerospace Research Institute") >= 0.8
    assert score_pair("삼성디스플레이", "Samsung Electronics") < 0.8


def test_persian_and_arabic_words_romanised():
    assert "aerospace" in normalise_name("Sanaye Havafaza").words
    assert normalise_name("Sanaye-e Hava Faza").words == ("industrial", "aerospace")
    assert score_pair("Sazman Sanaye Hava Faza", "Aerospace Industries Organization") >= 0.8
    assert (
        score_pair("Sherkat Tolid Tajhizat Daryaei", "Marine Equipment Production Company") >= 0.8
    )
    assert normalise_name("Khadamat Askariya").words == ("service", "military")
