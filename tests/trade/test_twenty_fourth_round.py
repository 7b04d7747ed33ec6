"""The twenty-fourth round (Latin-script languages): the generic words of organisation names in
Indonesian and Malay, Swahili, Dutch, the Nordic languages, Finnish, the Romance languages,
Hungarian, Vietnamese, Tagalog and Afrikaans (a class per language, not a name's words); the
words and, for, of in more languages; German legal forms with the umlaut written out
(beschraenkter); a research establishment is a research institute; a list entry's name with
its slips read as meant (trade.entry_slips: a slip of a legal form or of a common word in the
entry's name, as a party's has been read since the sixteenth round)."""

from __future__ import annotations

import pytest

from trade.entry_slips import meant_names, meant_word
from trade.matching import score_pair
from trade.names import normalise_name

pytestmark = pytest.mark.any_database  # no database: make test-postgres skips it


def test_indonesian_and_malay_words():
    assert score_pair("Perusahaan Listrik Negara", "State Electricity Company") >= 0.9
    assert score_pair("Agensi Angkasa Malaysia", "Malaysian Space Agency") >= 0.9
    assert normalise_name("Perbadanan Perkapalan Minyak").words[-2:] == ("shipping", "oil")


def test_swahili_words():
    assert normalise_name("Shirika la Reli Tanzania").words[-2:] == ("railway", "tanzania")
    assert normalise_name("Benki Kuu").words == ("bank", "central")


def test_dutch_nordic_and_finnish_words():
    assert score_pair("Koninklijke Luchtvaart Maatschappij", "Royal Aviation Company") >= 0.9
    assert (
        score_pair(
            "Nederlandse Organisatie voor Toegepast Natuurwetenschappelijk Onderzoek",
            "Netherlands Organisation for Applied Scientific Research",
        )
        >= 0.9
    )
    assert normalise_name("Teknologian tutkimuskeskus").words == (
        "technology",
        "research",
        "center",
    )


def test_romance_words():
    assert score_pair("Petróleos Mexicanos", "Mexican Petroleum") >= 0.9
    assert (
        score_pair(
            "Instituto Nacional de Técnica Aeroespacial",
            "National Institute for Aerospace Technology",
        )
        >= 0.9
    )


def test_german_legal_forms_with_umlauts_written_out():
    assert score_pair("Siemens Gesellschaft mit beschraenkter Haftung", "Siemens GmbH") >= 0.95
    assert (
        score_pair("Robert Bosch GmbH", "Robert Bosch Gesellschaft mit beschränkter Haftung")
        >= 0.95
    )


def test_slips_in_the_entry_name_are_read_as_meant():
    assert meant_word("grpup") in ("group", "grupp")
    assert meant_word("heavvy") == "heavy"
    assert meant_names([("name", "Kawasaki Heavvy Industries")]) == [
        ("name", "Kawasaki heavy Industries")
    ]
    assert score_pair("Chengdu Aircraft Industry Group", "Chengdu Aircraft Industry Grpup") >= 0.9
    assert score_pair("Wuhan Steel Corporation", "Wuhan Steell Corporation") >= 0.9
    # a word of its own or a pinyin word is not a slip (Chint, Tower; Huaxin)
    assert meant_word("chint") is None
    assert meant_word("tower") is None
    assert meant_word("huaxin") is None
    assert score_pair("Tower Semiconductor", "Power Semiconductor") < 0.8
    assert score_pair("Chint Electric", "China Electric") < 0.8
