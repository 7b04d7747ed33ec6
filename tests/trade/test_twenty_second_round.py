"""The twenty-second round: the generic words of organisation names in Azerbaijani (ə read as
e), Turkish, Indonesian and Malay, Hungarian, Romanian, Serbian, Croatian and Bulgarian, the
Nordic languages, Dutch, Spanish, Italian, Kazakh, Belarusian and North Korean romanisation;
Urdu words in Urdu letters and the Arabic words of banks with the Arab countries' adjectives; a
scanner's slip in a legal form; known names of Hong Kong and Taiwan firms and universities."""

from __future__ import annotations

import pytest

from trade.keyboard import ocr_word
from trade.known_names import other_names
from trade.matching import score_pair
from trade.names import normalise_name

pytestmark = pytest.mark.any_database  # no database: make test-postgres skips it


def test_azerbaijani_schwa_is_e_and_its_words():
    assert normalise_name("Azərbaycan Respublikası Dövlət Neft Şirkəti").words == (
        "azerbaijan",
        "republic",
        "state",
        "oil",
    )
    assert (
        score_pair(
            "Azərbaycan Respublikası Dövlət Neft Şirkəti",
            "State Oil Company of the Azerbaijan Republic",
        )
        >= 0.9
    )
    # Neft alone stays a name's word (Gazprom Neft is not Gazprom Oil)
    assert normalise_name("Gazprom Neft").words == ("gazprom", "neft")


def test_turkish_and_indonesian_words():
    assert (
        score_pair(
            "Makina ve Kimya Endüstrisi Kurumu", "Mechanical and Chemical Industry Corporation"
        )
        >= 0.85
    )
    assert score_pair("Ege Hassas Makina Sanayi", "Aegean Precision Machinery Industry") >= 0.85
    assert normalise_name("Lembaga Ilmu Pengetahuan Indonesia").words[0] == "institute"
    assert (
        score_pair("Lembaga Ilmu Pengetahuan Indonesia", "Indonesian Institute of Sciences") >= 0.85
    )
    assert normalise_name("Universiti Teknologi Malaysia").words == (
        "university",
        "technology",
        "malaysia",
    )


def test_central_and_eastern_european_words():
    # Romanian din (of) stays a word: it is the Arabic Din too (Salah al-Din)
    assert (
        score_pair("Universitatea Politehnica din București", "Politehnica University of Bucharest")
        >= 0.8
    )
    assert (
        score_pair("Институт за нуклеарне науке Винча", "Vinča Institute of Nuclear Sciences")
        >= 0.85
    )
    assert normalise_name("Magyar Tudományos Akadémia").words == ("hungary", "science", "academy")
    assert normalise_name("Sveučilište u Zagrebu").words[0] == "university"
    assert normalise_name("Budapesti Egyetem").words == ("budapest", "university")


def test_nordic_dutch_spanish_and_italian_words():
    assert normalise_name("Forsvarets forskningsinstitutt").words == (
        "defense",
        "research",
        "institute",
    )
    assert normalise_name("Teknologian tutkimuskeskus").words[-2:] == ("research", "center")
    # (round 27c: the polytechnic family of other languages is read as polytechnicum)
    assert normalise_name("Technische Universiteit Delft").words == (
        "polytechnicum",
        "university",
        "delft",
    )
    assert normalise_name("Consejo Superior de Investigaciones Científicas").words[0] == "council"
    assert score_pair("Consiglio Nazionale delle Ricerche", "National Research Council") >= 0.9


def test_kazakh_belarusian_and_russian_words():
    assert score_pair("Павлодар механикалық зауыты", "Pavlodar Mechanical Plant") >= 0.9
    assert score_pair("Мінскі завод колавых цягачоў", "Minsk Wheel Tractor Plant") >= 0.9
    assert normalise_name("Всероссийский научно-исследовательский институт").words[:2] == (
        "all",
        "russia",
    )
    # a kombinat is a Combine or a Complex
    assert (
        score_pair("Olmaliq kon-metallurgiya kombinati", "Almalyk Mining and Metallurgical Complex")
        >= 0.85
    )


def test_north_korean_romanisation():
    assert score_pair("Choson Ryonbong Chonghoesa", "Korea Ryonbong General Corporation") >= 0.85
    assert score_pair("Choson Kwangson Banking Corp", "Chosun Kwangson Banking Corporation") >= 0.9
    assert score_pair("Chosun Shipbuilding Co", "Joseon Shipbuilding Co., Ltd.") >= 0.9


def test_urdu_and_arabic_words():
    assert score_pair("پاکستان اٹامک انرجی کمیشن", "Pakistan Atomic Energy Commission") >= 0.9
    assert score_pair("خان ریسرچ لیبارٹریز", "Khan Research Laboratories") >= 0.9
    assert normalise_name("المصرف التجاري السوري").words == ("bank", "commercial", "syria")
    assert score_pair("المصرف التجاري السوري", "Commercial Bank of Syria") >= 0.9
    assert normalise_name("البنك العراقي").words == ("bank", "iraq")


def test_scanner_slips_in_legal_forms():
    assert ocr_word("cornpany") == "company"
    assert score_pair("Sukhoi Company", "Sukhoi Cornpany") >= 0.9


def test_japanese_words_and_known_names():
    assert normalise_name("理化学研究所").words[:2] == ("physical", "chemical")
    assert "Tokyo Institute of Technology" in other_names("東京工業大学")
    assert "RIKEN" in other_names("理化学研究所")
    assert "Kazatomprom" in other_names("Қазатомөнеркәсіп")


def test_known_names_of_hong_kong_and_taiwan():
    assert "National Chiao Tung University" in other_names("國立交通大學")
    assert "Orient Overseas Container Line" in other_names("東方海外貨櫃航運公司")
    assert "Dah Chong Hong Holdings" in other_names("大昌行集團有限公司")
    assert "Sun Hung Kai Properties" in other_names("新鴻基地產")
    assert "China Airlines" in other_names("中華航空")
    # the national university is not the mainland's of the same words
    assert "Shanghai Jiao Tong University" not in other_names("國立交通大學")


def test_the_class_beyond_the_names_seen():
    # Baltic, Portuguese, Slovak, Albanian and North Korean words no pair of the round had
    assert normalise_name("Tallinna Tehnikaülikool").words == (
        "tallinn",
        "polytechnicum",
        "university",
    )
    assert normalise_name("Lietuvos mokslų akademija").words == ("lithuania", "science", "academy")
    assert normalise_name("Instituto Nacional de Pesquisas Espaciais").words[:3] == (
        "institute",
        "national",
        "research",
    )
    assert normalise_name("Akademia e Shkencave").words == ("academy", "science")
    assert score_pair("Choson Kwangmyong Kongsa", "Korea Kwangmyong Company") >= 0.9


def test_a_school_of_another_field_is_another_school():
    assert score_pair("Tbilisi State University", "Tbilisi State Medical University") < 0.8
    assert score_pair("Beijing Normal University", "Beijing University") < 0.8
    assert score_pair("Kazan State Medical University", "Kazan Medical University") >= 0.9
    # a field both names have is no other school
    assert score_pair("Tbilisi State Medical University", "Tbilisi Medical University") >= 0.85
