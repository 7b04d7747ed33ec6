"""Words shown to users for the codes of the catalogue and the evaluator (translated)."""

from __future__ import annotations

import datetime as dt
import gettext as gettext_module
from functools import cache

import pycountry
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from rules.catalogue import Catalogue, Measure
from rules.vocabulary import CATEGORY_LABELS, PARAMETERS, SUBTYPE_LABELS

OUTCOME_LABELS = {
    "invalid": gettext_lazy("Invalid input"),
    "licence_required": gettext_lazy("Licence required"),
    "indeterminate": gettext_lazy("Indeterminate: data missing"),
    "not_in_force": gettext_lazy("Listed, but not in force on this date"),
    "near_threshold": gettext_lazy("Not controlled, near a threshold"),
    "not_controlled": gettext_lazy("Not controlled"),
}

OUTCOME_EXPLANATIONS = {
    "invalid": gettext_lazy(
        "The spec has errors, so nothing was screened. Correct the fields marked below."
    ),
    "licence_required": gettext_lazy(
        "An entry of a measure in force on this date matches: exporting needs a licence."
    ),
    "indeterminate": gettext_lazy(
        "An entry of a measure in force on this date may apply, but data needed to decide is "
        "missing or was measured under other test conditions. Supply it, or a reviewer decides."
    ),
    "not_in_force": gettext_lazy(
        "The product matches (or may match) an entry, but only of measures that are suspended "
        "or not yet effective on this date. Check again when their status changes."
    ),
    "near_threshold": gettext_lazy(
        "No entry in force matches, but the product is within the near band below a threshold. "
        "Declare it to customs as not controlled, with its actual parameters."
    ),
    "not_controlled": gettext_lazy("No entry of a measure in force on this date matches."),
}

ENTRY_RESULT_LABELS = {
    "match": gettext_lazy("Matches"),
    "unknown": gettext_lazy("Unknown"),
    "near": gettext_lazy("Near threshold"),
    "no_match": gettext_lazy("Not met"),
}

CRITERION_RESULT_LABELS = {
    "true": gettext_lazy("met"),
    "false": gettext_lazy("not met"),
    "unknown": gettext_lazy("unknown"),
}

STATUS_LABELS = {
    "in_force": gettext_lazy("in force"),
    "suspended": gettext_lazy("suspended"),
    "not_yet_effective": gettext_lazy("not yet effective"),
    "repealed": gettext_lazy("no longer in force"),
}

REASON_LABELS = {
    "missing_value": gettext_lazy("no value given"),
    "missing_condition": gettext_lazy("the test condition was not recorded"),
    "condition_mismatch": gettext_lazy(
        "measured under another test condition than the criterion states"
    ),
    "unverified_criterion_fails": gettext_lazy(
        "fails a criterion that could not be verified: a reviewer decides"
    ),
    "criteria_unconfirmed": gettext_lazy(
        "what this entry covers could not be confirmed: a reviewer decides"
    ),
}

LEVEL_DESCRIPTIONS = {
    "V1": gettext_lazy("V1: read in the official text"),
    "V2": gettext_lazy("V2: read in reputable secondary sources"),
    "UNVERIFIED": gettext_lazy("Unverified: known to exist, code or parameters not confirmed"),
}

LICENCE_LABELS = {
    "dual_use": gettext_lazy("dual-use items export licence (single or general)"),
    "technology": gettext_lazy("technology export licence"),
    "none": gettext_lazy("none"),
}


def _pick(pair: tuple[str, str]) -> str:
    english, chinese = pair
    return chinese if (get_language() or "").startswith("zh") else english


def outcome_label(code: str) -> str:
    return str(OUTCOME_LABELS.get(code, code))


def category_label(code: str) -> str:
    return _pick(CATEGORY_LABELS[code]) if code in CATEGORY_LABELS else code


def subtype_label(code: str) -> str:
    return _pick(SUBTYPE_LABELS[code]) if code in SUBTYPE_LABELS else code


def entry_result_label(code: str) -> str:
    """How an entry result (match, unknown, near, …) reads in the current language."""
    return str(ENTRY_RESULT_LABELS.get(code, code))


def parameter_label(name: str) -> str:
    parameter = PARAMETERS.get(name)
    if parameter is None:
        return name
    return _pick((parameter.label_en, parameter.label_zh))


def bilingual(english: str, chinese: str) -> str:
    """The text in the reader's language (both are always shown where it matters)."""
    return _pick((english, chinese))


def status_sentence(measure: Measure, as_of: dt.date, catalogue: Catalogue) -> str:
    """The status of a measure on a date, with its basis, as one sentence."""
    status = measure.status_on(as_of)
    window = measure.window_on(as_of)
    basis = ""
    if window is not None and window.basis:
        basis_measure = catalogue.measures_by_key.get(window.basis)
        basis = (
            bilingual(basis_measure.instrument_en, basis_measure.instrument_zh)
            if basis_measure
            else window.basis
        )
    if status == "suspended" and window is not None:
        if window.end:
            return _("Suspended by %(basis)s from %(start)s until %(end)s (inclusive).") % {
                "basis": basis or _("a recorded decision"),
                "start": window.start.isoformat(),
                "end": window.end.isoformat(),
            }
        return _("Suspended by %(basis)s since %(start)s.") % {
            "basis": basis or _("a recorded decision"),
            "start": window.start.isoformat(),
        }
    if status == "not_yet_effective":
        return _("Not yet effective: takes effect on %(date)s.") % {
            "date": measure.effective.isoformat()
        }
    if status == "repealed" and window is not None:
        return _("No longer in force from %(start)s (%(basis)s).") % {
            "start": window.start.isoformat(),
            "basis": basis,
        }
    ended = [w for w in measure.windows if w.end is not None and w.end < as_of]
    if window is None and ended:
        last = max(ended, key=lambda w: w.end)  # type: ignore[arg-type,return-value]
        return _(
            "In force: effective since %(effective)s; the last status window (%(status)s) ended "
            "on %(end)s and no later window is recorded."
        ) % {
            "effective": measure.effective.isoformat(),
            "status": STATUS_LABELS.get(last.status, last.status),
            "end": last.end.isoformat(),  # type: ignore[union-attr]
        }
    if basis:
        return _("In force since %(start)s (%(basis)s).") % {
            "start": (window.start if window else measure.effective).isoformat(),
            "basis": basis,
        }
    return _("In force since %(date)s.") % {"date": measure.effective.isoformat()}


OPERATOR_SYMBOLS = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}


def country_name(code: str) -> str:
    """The country's name in the reader's language (ISO 3166 names, via pycountry)."""
    country = pycountry.countries.get(alpha_2=code) if code else None
    if country is None:
        return code or ""
    name = getattr(country, "common_name", None) or country.name
    if (get_language() or "").startswith("zh"):
        return _chinese_names().gettext(name)
    return name


@cache
def _chinese_names() -> gettext_module.NullTranslations:
    return gettext_module.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"], fallback=True
    )
