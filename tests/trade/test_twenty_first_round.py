"""The twenty-first round: OCR confusions read as slips (M0scow, Karnov for Kamov, DJl for DJI),
the generic words of organisation names in Greek, Polish, Czech, Belarusian, Ukrainian,
Armenian, Georgian, Vietnamese, Thai and Hindi, the Ukrainian, Belarusian and Kazakh legal forms
written out, and known names looked up in traditional characters too (台積電 TSMC)."""

from __future__ import annotations

import pytest

from trade.keyboard import ocr_key, ocr_slip, ocr_word
from trade.known_names import other_names
from trade.matching import score_pair
from trade.names import normalise_name
from trade.script_words import hindi, thai

pytestmark = pytest.mark.any_database  # no database: make test-postgres skips it


def test_ocr_confusions_are_slips():
    assert ocr_slip("m0scow", "moscow")
    assert ocr_slip("karnov", "kamov")
    assert ocr_slip("kamov", "karnov")
    assert ocr_slip("djl", "dji")
    assert ocr_slip("alr", "air")
    assert ocr_slip("clalian", "dalian") is False  # Dalian is pinyin, Clalian no slip of it
    assert ocr_key("karnov") == ocr_key("kamov")
    assert (
        score_pair(
            "M0scow Institute of Physics and Technology",
            "Moscow Institute of Physics and Technology",
        )
        >= 0.9
    )
    assert score_pair("Karnov Design Bureau", "Kamov Design Bureau") >= 0.9
    assert score_pair("SZ DJl Technology", "SZ DJI Technology") >= 0.85
    assert score_pair("Mahan Alr", "Mahan Air") >= 0.85
    assert score_pair("Tupo1ev", "Tupolev") >= 0.85


def test_ocr_confusions_in_common_words_are_read_when_normalising():
    assert ocr_word("techno1ogy") == "technology"
    assert ocr_word("e1ectronics") == "electronics"
    assert ocr_word("systerns") == "systems"
    assert ocr_word("lnstitute") == "institute"
    assert ocr_word("modern") is None
    assert ocr_word("a1") is None
    assert normalise_name("China E1ectronics Techno1ogy Group").words == (
        "china",
        "electronic",
        "technology",
    )
    assert score_pair("Elbit Systerns", "Elbit Systems") == 1.0


def test_ocr_confusions_keep_names_apart():
    # two pinyin words, one letter apart as a scanner confuses them, are two names
    assert not ocr_slip("hai", "hal")
    assert not ocr_slip("bili", "bill")
    # a confusion in the first letter of a short word is no slip (as a keyboard slip there)
    assert not ocr_slip("lran", "iran")
    # words of the word lists are two words (Clock, Dock)
    assert not ocr_slip("clock", "dock")
    assert score_pair("Rnikron", "Mikran") < 0.8


def test_known_names_in_traditional_characters():
    assert "TSMC" in other_names("台積電")
    assert "Evergreen Marine" in other_names("長榮海運")
    assert "CK Hutchison Holdings" in other_names("長江和記實業有限公司")
    assert "CAS" in other_names("中科院")
    assert "NORINCO" in other_names("北方工业")


def test_greek_words():
    assert normalise_name("Εθνικό Κέντρο Έρευνας").words == ("national", "center", "research")
    assert normalise_name("Κρατικό Πανεπιστήμιο").words == ("state", "university")
    assert normalise_name("Υπουργείο Άμυνας").words == ("ministry", "defense")
    assert score_pair("Πολεμικό Ναυτικό", "Navy") == 1.0


def test_polish_and_czech_words():
    assert score_pair("Politechnika Gdańska", "Gdansk University of Technology") >= 0.9
    assert score_pair("Polska Agencja Kosmiczna", "Polish Space Agency") >= 0.9
    assert score_pair("Wojskowe Zakłady Lotnicze", "Military Aviation Works") >= 0.9
    assert score_pair("Ústav jaderného výzkumu", "Nuclear Research Institute") >= 0.9
    assert score_pair("Vysoké učení technické v Brně", "Brno Technical University") >= 0.9
    assert score_pair("Akademie věd České republiky", "Czech Academy of Sciences") >= 0.85


def test_belarusian_and_ukrainian_words():
    assert score_pair("Беларуская чыгунка", "Belarusian Railway") >= 0.9
    assert score_pair("Гродзенскі завод", "Grodno Plant") >= 0.9
    assert score_pair("Мінскі трактарны завод", "Minsk Tractor Works") >= 0.9
    assert normalise_name("Беларускі металургічны завод").words[1] == "metallurgy"
    assert score_pair("Державне космічне агентство України", "State Space Agency of Ukraine") >= 0.9
    assert score_pair("Військово-морські сили України", "Ukrainian Navy") >= 0.9


def test_cyrillic_legal_forms_written_out():
    assert score_pair("Публічне акціонерне товариство «Мотор Січ»", "ПАТ Мотор Січ") == 1.0
    assert score_pair("Приватне акціонерне товариство «Азот»", "Azot") == 1.0
    assert score_pair("Таварыства з абмежаванай адказнасцю «Рамонт»", "ТАА Рамонт") == 1.0
    assert score_pair("Жауапкершілігі шектеулі серіктестік «Алтын Тау»", "ЖШС Алтын Тау") == 1.0


def test_armenian_and_georgian_words():
    assert score_pair("Երևանի պետական համալսարան", "Yerevan State University") >= 0.9
    assert score_pair("Հայաստանի ազգային ակադեմիա", "National Academy of Armenia") >= 0.9
    # the genitive in -ის, -ოს is its word (Tbilisis, Tbilisi; Sakartvelos, Georgia)
    assert normalise_name("თბილისის სახელმწიფო უნივერსიტეტი").words == (
        "tbilisi",
        "state",
        "university",
    )
    assert score_pair("საქართველოს ტექნიკური უნივერსიტეტი", "Georgian Technical University") >= 0.9
    assert score_pair("შპს «ქარხანა»", "Karkhana") == 1.0  # შპს, LLC, left out


def test_vietnamese_words_of_two_syllables():
    assert normalise_name("Đại học Quốc gia Hà Nội").words == ("university", "national", "hanoi")
    assert score_pair("Viện Nghiên cứu Hạt nhân", "Nuclear Research Institute") >= 0.9
    assert score_pair("Tập đoàn Hóa chất Việt Nam", "Vietnam Chemical Group") >= 0.9


def test_thai_is_cut_by_its_glossary():
    assert thai("การบินไทย") == "aviation thai"
    assert thai("จุฬาลงกรณ์มหาวิทยาลัย") == "จุฬาลงกรณ์ university"
    assert (
        score_pair("การไฟฟ้าฝ่ายผลิตแห่งประเทศไทย", "Electricity Generating Authority of Thailand")
        == 1.0
    )
    assert score_pair("บริษัท การบินไทย จำกัด (มหาชน)", "Thai Airways") >= 0.9


def test_hindi_words():
    assert score_pair("भारतीय अंतरिक्ष अनुसंधान संगठन", "Indian Space Research Organisation") == 1.0
    assert score_pair("भारत इलेक्ट्रॉनिक्स लिमिटेड", "Bharat Electronics Limited") == 1.0
    assert score_pair("आयुध निर्माणी बोर्ड", "Ordnance Factory Board") == 1.0


def test_technical_and_technology_stay_apart():
    # Tried and dropped: technical and technology as related words made the Kazan National
    # Research Technical University meet the Technological one (unseen17).
    technical = "Kazan National Research Technical University"
    assert score_pair(technical, "Kazan National Research Technological University") < 0.8


def test_devanagari_names_spelt_as_in_english():
    assert hindi("महिंद्रा") == "mahindra"
    assert hindi("गोदरेज") == "godrej"
    assert hindi("भारत") == "bharat"
    assert hindi("हिन्दुस्तान") == "hindustan"
    assert score_pair("अदाणी डिफेंस एंड एयरोस्पेस", "Adani Defence & Aerospace") == 1.0
    assert score_pair("कल्याणी स्ट्रेटेजिक सिस्टम्स", "Kalyani Strategic Systems") == 1.0


def test_words_of_other_languages_are_not_read_in_russian_cases():
    # [foreign_words] are read in any Russian ending (trade.russian_words): words whose stem is
    # another language's word are left out (German Technik, Spanish Armada, Russian Narodnyy)
    assert normalise_name("Nordwind Technik GmbH").words == ("nordwind", "technik")
    assert normalise_name("Armada Trading").words[0] == "armada"
