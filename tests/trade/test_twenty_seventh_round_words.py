"""Round 27c (developed on unseen23 to unseen27, by class): the words of loose official
translations of national bodies' names. The polytechnic family of other languages (Politecnico,
Politécnica, Politehnica, Technische Universiteit, Tekniska högskolan, Műszaki Egyetem,
Tehnikaülikool) read as one kind, polytechnicum ([foreign_kinds]), that meets technical,
technology and polytechnic in an English name, while English names keep their words (the
Beijing Institute and University of Technology stay two); a run with a foreign word is not
pinyin, so its stop words go (Politecnico di Milano); Persian دانشگاه صنعتی, a University of
Technology; Romanian din after a school's kind; banks, national, electricity and commission in
more languages (Suomen Pankki, Nationalbank, Seðlabanki, Národní, Electricidad); Turkish
Anonim Ortaklığı and Petrolleri; Greek Epicheirisi, a Corporation; Swahili Umeme; Japanese
shinjitai read as simplified characters (鉄 铁, 気 气), the kanji words of companies (製作所,
製鉄, 商事) and the romanised words of national bodies (Genshiryoku, Kenkyū, Kikō, Kokuritsu);
Hellenic and Ελλάδος read as Greece and the Greek articles (της, του) dropped; more railway,
atomic energy and revenue words (Államvasutak, Căi Ferate, Atomistyki, Mamlaka ya Mapato).
"""

from __future__ import annotations

import pytest

from trade.matching import score_pair
from trade.names import normalise_name

pytestmark = pytest.mark.any_database  # no database: make test-postgres skips it

POLYTECHNICS = (
    "Politecnico di Milano",
    "Universidad Politécnica de Madrid",
    "Technische Universiteit Delft",
    "Chalmers tekniska högskola",
    "Vysoké učení technické v Brně",
    "Universitatea Politehnica din București",
    "Technische Universität München",
)


def test_the_polytechnic_family_meets_its_english_names():
    # the reading itself: most of these schools are known names too (round 27a), which
    # would score them without it
    for name in POLYTECHNICS:
        assert "polytechnicum" in normalise_name(name).words, name
    assert score_pair("Politecnico di Milano", "Polytechnic University of Milan") >= 0.8
    assert score_pair("Universidad Politécnica de Madrid", "Technical University of Madrid") >= 0.8
    assert score_pair("Technische Universiteit Delft", "Delft University of Technology") >= 0.8
    assert score_pair("Chalmers tekniska högskola", "Chalmers University of Technology") >= 0.8
    assert score_pair("Vysoké učení technické v Brně", "Brno University of Technology") >= 0.8
    assert (
        score_pair("Universitatea Politehnica din București", "Politehnica University of Bucharest")
        >= 0.8
    )
    assert score_pair("Technische Universität München", "Technical University of Munich") >= 0.8


def test_the_polytechnic_family_keeps_schools_apart():
    assert score_pair("Politecnico di Milano", "Politecnico di Torino") < 0.8
    assert score_pair("Technische Universiteit Delft", "Technische Universiteit Eindhoven") < 0.8
    # English names keep their words: the kind is read only from another language
    assert score_pair("Beijing Institute of Technology", "Beijing University of Technology") < 0.8
    assert (
        score_pair(
            "Kazan National Research Technical University",
            "Kazan National Research Technological University",
        )
        < 0.8
    )


def test_persian_industrial_university_is_of_technology():
    assert normalise_name("دانشگاه صنعتی اصفهان").words == ("university", "technology", "isfahan")
    assert score_pair("دانشگاه صنعتی اصفهان", "Isfahan University of Technology") >= 0.8
    assert score_pair("دانشگاه صنعتی شریف", "Isfahan University of Technology") < 0.8


def test_banks_national_and_electricity_in_more_languages():
    assert normalise_name("Suomen Pankki").words == ("finland", "bank")
    assert normalise_name("Danmarks Nationalbank").words == ("denmark", "national", "bank")
    assert normalise_name("Česká národní banka").words == ("czech", "national", "bank")
    assert score_pair("Suomen Pankki", "Bank of Finland") >= 0.8
    assert score_pair("Suomen Pankki", "Bank of Estonia") < 0.8
    assert normalise_name("Comisión Federal de Electricidad").words == (
        "commission",
        "federal",
        "electricity",
    )
    assert score_pair("Comisión Federal de Electricidad", "Federal Electricity Commission") >= 0.8


def test_turkish_greek_and_swahili_corporations():
    # the words themselves (these three are known names too, since round 27a)
    assert normalise_name("Türkiye Petrolleri Anonim Ortaklığı").words == ("turkey", "petroleum")
    assert normalise_name("Dimosia Epicheirisi Ilektrismou").words == ("public", "power")
    assert normalise_name("Shirika la Umeme Tanzania").words == ("electric", "supply", "tanzania")
    assert score_pair("Türkiye Petrolleri Anonim Ortaklığı", "Turkish Petroleum Corporation") >= 0.8
    assert score_pair("Dimosia Epicheirisi Ilektrismou", "Public Power Corporation") >= 0.8
    assert score_pair("Shirika la Umeme Tanzania", "Tanzania Electric Supply Company") >= 0.8
    assert score_pair("Shirika la Umeme Tanzania", "Kenya Electric Supply Company") < 0.8


def test_japanese_shinjitai_and_words_of_national_bodies():
    # 鉄 and 製 read as 铁 and 制: 製鉄 is steel, as Seitetsu is
    assert normalise_name("日本製鉄株式会社").words == ("japan", "steel")
    assert score_pair("神戸製鋼所", "Kobe Steel Works") >= 0.8
    assert score_pair("Nihon Genshiryoku Kenkyū Kaihatsu Kikō", "日本原子力研究開発機構") >= 0.8
    assert (
        normalise_name("国立研究開発法人理化学研究所").words == normalise_name("理化学研究所").words
    )
    assert score_pair("日本製鉄", "Kobe Steel") < 0.8


def test_more_words_of_national_bodies():
    assert score_pair("Magyar Államvasutak", "Hungarian State Railways") >= 0.8
    assert score_pair("Compania Națională de Căi Ferate", "National Railway Company") >= 0.8
    assert score_pair("Państwowa Agencja Atomistyki", "National Atomic Energy Agency") >= 0.8
    assert score_pair("Mamlaka ya Mapato Tanzania", "Tanzania Revenue Authority") >= 0.8
    assert score_pair("Mamlaka ya Mapato Tanzania", "Kenya Revenue Authority") < 0.8


def test_greece_and_the_greek_articles():
    assert normalise_name("Τράπεζα της Ελλάδος").words == ("bank", "greece")
    assert score_pair("Hellenic Aerospace Industry", "Ελληνική Αεροπορική Βιομηχανία") >= 0.8
    assert score_pair("Hellenic Aerospace Industry", "Hellenic Petroleum") < 0.8
