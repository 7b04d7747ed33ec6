"""The twenty-third round: the scripts of South and Southeast Asia and Ethiopia read to Latin
with their common words of organisation names (Bengali, Gurmukhi, Gujarati, Tamil, Telugu and
the other Brahmic scripts of India through Devanagari; Sinhala, Amharic; Burmese, Khmer and Lao
cut by their longest words); Korean words of state and North Korean names in Hangul and both
romanisations; Arabic and Persian words of state names, the Persian ezafe; Central Asian words
in Latin letters and the Uzbek apostrophe letters; Turkish words; atomic and nuclear; (株) and
私人有限公司 as legal forms; known names of Singapore and Malaysian Chinese firms and Japanese
shipping lines and trading houses."""

from __future__ import annotations

import pytest

from trade.asian_scripts import to_devanagari
from trade.known_names import other_names
from trade.matching import score_pair
from trade.names import normalise_name

pytestmark = pytest.mark.any_database  # no database: make test-postgres skips it


def test_brahmic_scripts_of_india_and_bangladesh():
    assert normalise_name("বাংলাদেশ ব্যাংক").words == ("bangladesh", "bank")
    assert score_pair("বাংলাদেশ পরমাণু শক্তি কমিশন", "Bangladesh Atomic Energy Commission") >= 0.9
    assert score_pair("ਪੰਜਾਬ ਨੈਸ਼ਨਲ ਬੈਂਕ", "Punjab National Bank") >= 0.9
    # a word not in the tables is read through Devanagari (Bengali ব is Devanagari ब)
    assert to_devanagari("ভারত") == "भारत"
    assert score_pair("বাংলাদেশ ব্যাংক", "Sonali Bank") < 0.8


def test_sinhala_amharic_burmese_khmer_lao():
    assert score_pair("ශ්‍රී ලංකා මහ බැංකුව", "Central Bank of Sri Lanka") >= 0.9
    assert score_pair("የኢትዮጵያ ንግድ ባንክ", "Commercial Bank of Ethiopia") >= 0.9
    assert score_pair("မြန်မာ့စီးပွားရေးဘဏ်", "Myanma Economic Bank") >= 0.9
    assert score_pair("ធនាគារជាតិនៃកម្ពុជា", "National Bank of Cambodia") >= 0.9
    assert normalise_name("ທະນາຄານແຫ່ງຊາດ").words == ("bank", "national")
    assert score_pair("ធនាគារជាតិនៃកម្ពុជា", "National Bank of Ethiopia") < 0.8


def test_korean_words_in_hangul_and_romanised():
    assert score_pair("Tanchon Commercial Bank", "단천상업은행") >= 0.85
    assert score_pair("Hanguk Jeollyeok Gongsa", "Korea Electric Power Corporation") >= 0.85
    assert score_pair("한국전력공사", "Korea Electric Power Corporation") >= 0.85


def test_arabic_and_persian_words_and_the_ezafe():
    assert score_pair("شركة الزيت العربية السعودية", "Saudi Arabian Oil Company") >= 0.85
    assert (
        score_pair("الشركة السعودية للصناعات الأساسية", "Saudi Basic Industries Corporation")
        >= 0.85
    )
    assert score_pair("Bank Melli Iran", "بانک ملی ایران") >= 0.9
    assert (
        score_pair(
            "Sherkat-e Kashtirani-ye Jomhuri-ye Eslami-ye Iran",
            "Islamic Republic of Iran Shipping Lines",
        )
        >= 0.8
    )
    # the ezafe, -e and -ye, is no word of the name
    assert normalise_name("Sazman-e Energy-ye Atomi").words == ("organization", "energy", "atomic")
    # naft stays a name's word
    assert normalise_name("Kala Naft Tehran").words[1] == "naft"


def test_central_asian_and_turkish_words():
    assert normalise_name("Oʻzbekiston temir yoʻllari").words == ("uzbekistan", "railway")
    assert (
        score_pair(
            "Oʻzbekiston Respublikasi Markaziy banki", "Central Bank of the Republic of Uzbekistan"
        )
        >= 0.9
    )
    assert (
        score_pair("Кыргыз Республикасынын Улуттук банкы", "National Bank of the Kyrgyz Republic")
        >= 0.9
    )
    assert score_pair("Бонки миллии Тоҷикистон", "National Bank of Tajikistan") >= 0.9
    assert score_pair("Orta Doğu Teknik Üniversitesi", "Middle East Technical University") >= 0.9
    assert score_pair("Бонки миллии Тоҷикистон", "National Bank of Uzbekistan") < 0.8


def test_russian_phrases_and_atomic_nuclear():
    assert (
        score_pair(
            "Moskovsky fiziko-tekhnichesky institut", "Moscow Institute of Physics and Technology"
        )
        >= 0.85
    )
    assert score_pair("Armenian Nuclear Power Plant", "Հայկական ատոմային էլեկտրակայան") >= 0.85


def test_legal_forms_and_known_names():
    assert score_pair("ルネサスエレクトロニクス株式会社", "ルネサス エレクトロニクス(株)") >= 0.95
    assert "Oversea-Chinese Banking Corporation" in other_names("華僑銀行")
    assert score_pair("United Overseas Bank", "大華銀行") >= 0.9
    assert score_pair("川崎汽船", "Kawasaki Kisen Kaisha") >= 0.9
    assert score_pair("United Overseas Bank", "華僑銀行") < 0.8


def test_armenian_greek_and_hebrew_words_of_state_names():
    assert (
        score_pair(
            "Հայաստանի Հանրապետության Կենտրոնական բանկ", "Central Bank of the Republic of Armenia"
        )
        >= 0.9
    )
    assert score_pair("בנק ישראל", "Bank of Israel") >= 0.9
    assert score_pair("Δημόσια Επιχείρηση Ηλεκτρισμού", "Public Power Corporation") > 0.6
    assert score_pair("בנק ישראל", "Bank Leumi") < 0.8
