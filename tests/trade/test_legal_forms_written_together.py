"""Legal forms written one after the other in single letters (S.A., S.M.E.; S.A.B. de C.V.) and
the Mexican stock company's form written out; a Portuguese state university (estadual);
Malaysia and Singapore by their initial in brackets before their legal forms."""

from __future__ import annotations

import pytest

from trade.matching import score_pair
from trade.names import normalise_name

pytestmark = pytest.mark.any_database  # no database: make test-postgres skips it


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("Navantia S.A., S.M.E.", ("navantia",)),  # two forms, not the word "sasme"
        ("Grupo Bimbo, S.A.B. de C.V.", ("bimbo",)),
        ("CEMEX Sociedad Anónima Bursátil de Capital Variable", ("cemex",)),
        ("I.B.M.", ("ibm",)),  # letters that are no legal form stay one word
        ("Capital Variable Investments", ("capital", "variable", "investment")),
    ],
)
def test_letters_and_forms(name, words):
    assert normalise_name(name).words == words


def test_pairs_the_forms_kept_apart():
    assert score_pair("Navantia S.A., S.M.E.", "Navantia SA") >= 0.95
    assert (
        score_pair("Cemex, S.A.B. de C.V.", "CEMEX Sociedad Anónima Bursátil de Capital Variable")
        >= 0.95
    )
    assert score_pair("State University of Campinas", "Universidade Estadual de Campinas") >= 0.9


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("Intel Microelectronics (M) Sdn Bhd", ("intel", "microelectronic", "malaysia")),
        ("Keppel (S) Pte Ltd", ("keppel", "singapore")),
        ("ABC (M) Ltd", ("abc", "m")),  # only before the country's own legal form
    ],
)
def test_a_country_by_its_initial_before_its_legal_form(name, words):
    assert normalise_name(name).words == words
