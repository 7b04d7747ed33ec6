"""The twenty-sixth round (developed on unseen26, by class): the adjectives of nationality of the
Middle East, South Asia, Africa and the Commonwealth read as their country (Iranian, Iraqi,
Pakistani, Nigerian), as the European ones were; a directorate in the Romance languages
(Direction générale, Dirección, Direzione); Persian naftkesh (tanker) and keshtirani
(shipping); Swahili chuo kikuu, a university; and an English plural a foreign word is read as
(Armenian ցանցեր, networks) read as its word, as English names' plurals are."""

from __future__ import annotations

import pytest

from trade.matching import score_pair
from trade.names import normalise_name

pytestmark = pytest.mark.any_database  # no database: make test-postgres skips it


def test_adjectives_of_nationality_read_as_their_country():
    assert normalise_name("Iranian").words == ("iran",)
    assert normalise_name("Pakistani Nigerian Kenyan").words == ("pakistan", "nigeria", "kenya")
    assert (
        score_pair("Sherkat-e Melli-ye Naftkesh-e Iran", "National Iranian Tanker Company") >= 0.8
    )
    # a country is still a name's word: another country's company is not the same one
    assert score_pair("Iraqi State Oil Company", "Syrian State Oil Company") < 0.8


def test_directorate_in_the_romance_languages():
    assert normalise_name("Direccion General").words == ("directorate", "general")
    assert score_pair("Directorate General of Armaments", "Direction générale de l'armement") >= 0.8
    assert score_pair("Direction générale de l'armement", "Direction générale des douanes") < 0.8


def test_persian_shipping_and_swahili_university():
    assert normalise_name("Keshtirani").words == ("shipping",)
    assert score_pair("University of Dar es Salaam", "Chuo Kikuu cha Dar es Salaam") >= 0.8
    assert score_pair("University of Dar es Salaam", "University of Nairobi") < 0.8


def test_foreign_words_english_plurals_read_as_their_word():
    assert score_pair("Electric Networks of Armenia", "Հայաստանի էլեկտրական ցանցեր") >= 0.8
    assert score_pair("Electric Networks of Armenia", "Հայաստանի ատոմային էլեկտրակայան") < 0.8


def test_development_space_and_defence_in_more_languages():
    assert normalise_name("Sviluppo Desarrollo Entwicklung").words == ("development",) * 3
    assert score_pair("Agencia Espacial Mexicana", "Mexican Space Agency") >= 0.8
    assert normalise_name("Puolustusvoimat").words == ("defense", "forces")
    assert score_pair("Agencia Espacial Mexicana", "Agencia Espacial Civil Ecuatoriana") < 0.8
