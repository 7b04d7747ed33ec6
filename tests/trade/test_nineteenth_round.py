"""The nineteenth round: the generic words of Italian, Spanish and Portuguese names of
institutes and companies (Istituto, Fisica, Aeroespacial, Tecnologia, Quimica), Russian and
Ukrainian words of plants' trades (radiodetaley, elektropryladiv, tytano-mahniievyi), the
English adjective Wheeled, and Persian and Urdu words of industrial and state names (گروه صنعتی,
جوہری توانائی کمیشن)."""

from __future__ import annotations

import pytest

from trade.matching import score_pair
from trade.names import normalise_name
from trade.other_scripts import arabic_word

pytestmark = pytest.mark.any_database  # no database: make test-postgres skips it


def test_italian_spanish_and_portuguese_generic_words():
    assert normalise_name("Istituto Nazionale di Fisica Nucleare").words == (
        "institute",
        "national",
        "physics",
        "nuclear",
    )
    assert normalise_name("Tecnologia Quimica").words == ("technology", "chemical")
    assert normalise_name("Fabbrica Elettrica").words == ("factory", "electric")
    assert normalise_name("Universidade Aeroespacial").words == ("university", "aerospace")
    italian = "Istituto Nazionale di Fisica Nucleare"
    assert score_pair(italian, "National Institute for Nuclear Physics") >= 0.9


def test_russian_and_ukrainian_words_of_plants_trades():
    assert normalise_name("zavod radiodetaley").words == ("plant", "radio", "component")
    assert normalise_name("zavod elektropryladiv").words == ("plant", "electric", "instrument")
    assert normalise_name("tytano-mahniievyi kombinat").words == (
        "titanium",
        "magnesium",
        "combine",
    )
    assert score_pair("Tomskiy zavod radiodetaley", "Tomsk Radio Components Plant") >= 0.9
    assert (
        score_pair("Kharkivskyi zavod elektropryladiv", "Kharkov Electrical Instruments Plant")
        >= 0.9
    )


def test_wheeled_is_wheel():
    assert normalise_name("Minsk Wheeled Tractor Plant").words == (
        "minsk",
        "wheel",
        "tractor",
        "plant",
    )
    assert score_pair("Minskiy zavod kolesnykh tyagachey", "Minsk Wheeled Tractor Plant") >= 0.9


def test_persian_and_urdu_words_of_industrial_and_state_names():
    assert arabic_word("گروه") == "group"
    assert arabic_word("صنعتی") == "industrial"
    assert arabic_word("جوہری") == "atomic"
    assert arabic_word("توانائی") == "energy"
    assert arabic_word("کمیشن") == "commission"
    assert score_pair("پاکستان جوہری توانائی کمیشن", "Pakistan Atomic Energy Commission") >= 0.9
    assert score_pair("Shahid Hemmat Industrial Group", "گروه صنعتی شهید همت") >= 0.85


def test_air_and_airline_stay_apart():
    # Tried and dropped: Airline read as Air would make Air China meet China Airlines.
    assert score_pair("Air China Limited", "China Airlines Ltd.") < 0.8
