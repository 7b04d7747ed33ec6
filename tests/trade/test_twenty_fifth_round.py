"""The twenty-fifth round (developed on unseen25, by class): the generic words of organisation
names in Hindi romanised (Raksha Anusandhan evam Vikas Sangathan) and its and (evam), more of
Malay's, Mongolian romanised from Cyrillic (төмөр зам, a railway), Serbian and Croatian
utilities, Arabic romanised, a bank in the Romance and Nordic languages, Korean uju (space);
the nations of Latin America as adjectives in English and Spanish; the countries of Europe and
the cities of Western and Southern Europe in their own languages; Saudi Arabia as Arabic writes
it (السعودية, Saudi); the European company and Venezuela's Compañía Anónima as legal forms."""

from __future__ import annotations

import pytest

from trade.matching import score_pair
from trade.names import normalise_name

pytestmark = pytest.mark.any_database  # no database: make test-postgres skips it


def test_hindi_romanised_words():
    assert score_pair("रक्षा अनुसंधान एवं विकास संगठन", "Raksha Anusandhan evam Vikas Sangathan") >= 0.9
    assert normalise_name("Rashtriya Ispat Nigam").words == ("national", "steel")
    # Bharat is a name's word (Bharat Electronics), not read as India
    assert score_pair("Bharat Heavy Electricals", "Bharat Electronics") < 0.8


def test_malay_and_mongolian_words():
    assert normalise_name("Lembaga Kemajuan Tanah Persekutuan").words[1:] == (
        "development",
        "land",
        "federal",
    )
    assert score_pair("Улаанбаатар төмөр зам", "Ulaanbaatar Railway") >= 0.9
    assert normalise_name("Монгол улсын их сургууль").words[-1] == "university"


def test_korean_space_and_arabic_romanised_words():
    assert score_pair("한국항공우주산업", "Hanguk Hanggong Uju Saneop") >= 0.9
    assert (
        score_pair("Al-Hay'ah al-Arabiyah lil-Tasni", "Arab Organization for Industrialization")
        >= 0.9
    )


def test_nations_countries_and_cities_in_their_own_languages():
    assert (
        score_pair(
            "Venezuelan Military Industries Company",
            "Compañía Anónima Venezolana de Industrias Militares",
        )
        >= 0.9
    )
    assert score_pair("Banca di Roma", "Bank of Rome") >= 0.9
    assert score_pair("Electric Power Industry of Serbia", "Elektroprivreda Srbije") >= 0.9
    assert (
        score_pair(
            "Sofia University St. Kliment Ohridski", "Софийски университет „Св. Климент Охридски“"
        )
        >= 0.9
    )
    assert normalise_name("Sveriges Riksbank").words[0] == "sweden"
    # neighbouring cities and banks stay apart
    assert score_pair("Banca di Roma", "Banca di Milano") < 0.8


def test_saudi_arabia_and_legal_forms():
    assert (
        score_pair("Saudi Arabian Military Industries", "الشركة السعودية للصناعات العسكرية") >= 0.9
    )
    assert score_pair("Saudi Arabian Airlines", "Saudi Arabian Mining Company") < 0.8
    assert score_pair("Airbus Societas Europaea", "Airbus SE") >= 0.95


def test_russian_air_and_space():
    assert (
        score_pair(
            "Almaz-Antey Air and Space Defence Corporation",
            "Концерн воздушно-космической обороны «Алмаз — Антей»",
        )
        >= 0.9
    )
