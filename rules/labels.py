"""Words shown to users for the catalogue's codes, translated: categories, subtypes, cell types,
parameters, outcomes, entry and criterion results, measure statuses, reasons, verification
levels, licences and regimes; the status and assumption sentences; country names. Models, admin,
forms and pages of every app find them here (rules is the lower layer); the template filters
that show them are in rules/templatetags/rules_extras.py."""

from __future__ import annotations

import datetime as dt
import gettext as gettext_module
import tomllib
from collections.abc import Mapping
from functools import cache

import pycountry
from django.utils.functional import lazy
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

# The modules that define message templates (rules.messages), imported so that a stored code
# is known wherever a message is shown: specs (cells, units, parameters), spec files (CSV,
# XLSX, JSON), the catalogue's data, the results.
from rules import catalogue_data, references, results, specfiles, specs  # noqa: F401 (templates)
from rules.catalogue import TRANSLATIONS, Catalogue, Measure, Window
from rules.certainty import Assumption
from rules.messages import TEMPLATES, Message, Words, message_from_json
from rules.results import OUTCOME_WORDS
from rules.vocabulary import CATEGORY_LABELS, CELL_TYPE_LABELS, PARAMETERS, SUBTYPE_LABELS

# The words are rules.results.OUTCOME_WORDS (messages say outcomes with them too).
OUTCOME_LABELS = {code: gettext_lazy(words.english) for code, words in OUTCOME_WORDS.items()}

OUTCOME_CHOICES = list(OUTCOME_LABELS.items())

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
    "expired": gettext_lazy("expired"),
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
    "scope_unknown": gettext_lazy(
        "whether this entry applies depends on data that is not given (see Missing data)"
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


def cell_type_label(code: str) -> str:
    return _pick(CELL_TYPE_LABELS[code]) if code in CELL_TYPE_LABELS else code


def entry_result_label(code: str) -> str:
    """How an entry result (match, unknown, near, …) reads in the current language."""
    return str(ENTRY_RESULT_LABELS.get(code, code))


def outcome_explanation(code: str) -> str:
    return str(OUTCOME_EXPLANATIONS.get(code, ""))


def criterion_result_label(code: str) -> str:
    return str(CRITERION_RESULT_LABELS.get(code, code))


def status_label(code: str) -> str:
    """A measure status (in_force, suspended, …) in the current language."""
    return str(STATUS_LABELS.get(code, code))


def reason_label(code: str) -> str:
    return str(REASON_LABELS.get(code, code))


def level_label(code: str) -> str:
    return str(LEVEL_DESCRIPTIONS.get(code, code))


def licence_label(code: str) -> str:
    return str(LICENCE_LABELS.get(code, code))


# Scope attributes that can be missing data too (rules.vocabulary SCOPE_ATTRIBUTES).
ATTRIBUTE_LABELS = {
    "subtype": gettext_lazy("Subtype"),
    "cell_type": gettext_lazy("Cell type (primary or secondary)"),
}

REGIME_LABELS = {
    "CN": gettext_lazy("China (MOFCOM/GAC)"),
    "EU": gettext_lazy("EU Regulation 2021/821"),
}


def regime_label(code: str) -> str:
    return str(REGIME_LABELS.get(code, code))


def parameter_label(name: str) -> str:
    parameter = PARAMETERS.get(name)
    if parameter is None:
        return str(ATTRIBUTE_LABELS.get(name, name))
    return _pick((parameter.label_en, parameter.label_zh))


def _parameter_verbose_name(name: str) -> str:
    return f"{parameter_label(name)} ({PARAMETERS[name].unit})"


_lazy_parameter_verbose_name = lazy(_parameter_verbose_name, str)


def parameter_verbose_name(name: str) -> str:
    """A parameter's name and unit in the reader's language, evaluated when shown: the
    verbose_name of the model fields that hold it ("重量能量密度 (Wh/kg)" in the admin)."""
    return _lazy_parameter_verbose_name(name)


def bilingual(english: str, chinese: str) -> str:
    """The text in the reader's language (both are always shown where it matters); the English
    where there is no Chinese."""
    return _pick((english, chinese or english))


def rule_words(english: str, chinese: str = "") -> str:
    """Explanatory words of the rule data (a source, a note, a basis) in the reader's language:
    their own Chinese (the `_zh` fields), or for rule sets stored before they had it, the
    shipped catalogue's Chinese of the same English words."""
    if not english or not (get_language() or "").startswith("zh"):
        return english
    return chinese or _shipped_words().get(english, english)


@cache
def _shipped_words() -> dict[str, str]:
    words: dict[str, str] = {}

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for key, chinese in value.items():
                if key in TRANSLATIONS and chinese and value.get(key[:-3]):
                    words.setdefault(value[key[:-3]], chinese)
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(catalogue_data.load_shipped().to_dict())
    # The catalogue's title and the reference products' names, outside the rules.
    with (catalogue_data.DATA_DIR / "manifest.toml").open("rb") as fh:
        manifest = tomllib.load(fh)
    if manifest.get("title_zh"):
        words.setdefault(manifest["title"], manifest["title_zh"])
    for product in references.shipped_references():
        if product.get("name_zh"):
            words.setdefault(product["name"], product["name_zh"])
    return words


def basis_label(basis: str, catalogue: Catalogue | None, chinese: str = "") -> str:
    """A status window's basis: the instrument's name when it is a measure of the catalogue,
    else its words (and their Chinese)."""
    measure = catalogue.measures_by_key.get(basis) if catalogue else None
    if measure is None:
        return rule_words(basis, chinese)
    return bilingual(measure.instrument_en, measure.instrument_zh)


def window_basis(window: Window, catalogue: Catalogue | None) -> str:
    return basis_label(window.basis, catalogue, window.basis_zh) if window.basis else ""


def _basis_name(window: Window | None, catalogue: Catalogue) -> str:
    if window is None or not window.basis:
        return ""
    return window_basis(window, catalogue)


def assumption_sentence(assumption: Assumption, catalogue: Catalogue, result: bool = True) -> str:
    """An assumed status in words that state facts (CONTROL_CATALOGUE.md §5); `result`: said
    of one result ("This result assumes…") or of every result (the banner)."""
    measure = assumption.measure
    values = {
        "name": bilingual(measure.instrument_en, measure.instrument_zh),
        "basis": _basis_name(assumption.ended, catalogue) or _("a recorded decision"),
        "end": assumption.ended.end.isoformat() if assumption.ended.end else "",
        "status": STATUS_LABELS.get(assumption.status, assumption.status),
    }
    if assumption.status == "expired":
        facts = _("%(name)s: its stated term ended on %(end)s; no extension is recorded.")
    elif assumption.ended.status == "suspended" and assumption.never_applied:
        facts = _(
            "%(name)s has never applied in practice: its suspension by %(basis)s ended on "
            "%(end)s; what followed is not recorded."
        )
    elif assumption.ended.status == "suspended":
        facts = _(
            "%(name)s was suspended by %(basis)s until %(end)s; what followed is not recorded."
        )
    else:
        facts = _("%(name)s: its status window ended on %(end)s; what followed is not recorded.")
    if assumption.status == "expired" and result:
        claim = _("This result assumes it has expired.")
    elif assumption.status == "expired":
        claim = _("Results assume it has expired until a rules administrator confirms it.")
    elif result:
        claim = _("This result assumes it is %(status)s.")
    else:
        claim = _("Results assume it is %(status)s until a rules administrator confirms it.")
    # Chinese sentences follow each other without a space.
    space = "" if (get_language() or "").startswith("zh") else " "
    return f"{facts % values}{space}{claim % values}"


def status_sentence(measure: Measure, as_of: dt.date, catalogue: Catalogue) -> str:
    """The status of a measure on a date, with its basis, as one sentence (for a status that
    is an assumption on that date, `assumption_sentence` says so instead)."""
    status = measure.status_on(as_of)
    window = measure.window_on(as_of)
    basis = _basis_name(window, catalogue)
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
    last = measure.ended_window(as_of)
    if status == "expired" and last is not None and last.end is not None:
        return _("Expired: its stated term ended on %(end)s.") % {"end": last.end.isoformat()}
    if last is not None and last.end is not None:
        values = {
            "start": (last.end + dt.timedelta(days=1)).isoformat(),
            "end": last.end.isoformat(),
            "basis": _basis_name(last, catalogue) or _("a recorded decision"),
        }
        if last.status == "suspended" and measure.never_applied_before == last.end:
            return (
                _(
                    "In force from %(start)s: its suspension by %(basis)s ended on %(end)s; it "
                    "had never applied before."
                )
                % values
            )
        if last.status == "suspended":
            return (
                _("In force again from %(start)s: its suspension by %(basis)s ended on %(end)s.")
                % values
            )
        return _("In force from %(start)s.") % values
    if basis:
        return _("In force since %(start)s (%(basis)s).") % {
            "start": (window.start if window else measure.effective).isoformat(),
            "basis": basis,
        }
    return _("In force since %(date)s.") % {"date": measure.effective.isoformat()}


OPERATOR_SYMBOLS = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}


def operator_symbol(operator: str) -> str:
    return OPERATOR_SYMBOLS.get(operator, operator)


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


def message_text(message: object) -> str:
    """A message in the reader's language: a Message (rules.messages), a stored one
    ({"message": its English, "code", "params"}: a row's error, a timeline entry), or text,
    shown as it was written (what people typed; rows stored before messages had codes)."""
    if isinstance(message, Message):
        return _said(message)
    if isinstance(message, Mapping):
        if message.get("message_zh"):  # stored in both languages (decision assumptions)
            return bilingual(str(message.get("message", "")), str(message["message_zh"]))
        if message.get("code"):
            found = message_from_json(message)
            if found is not None:
                return _said(found)
        return str(message.get("message", ""))
    return "" if message is None else str(message)


def _said(message: Message) -> str:
    values = {
        key: _said(value)
        if isinstance(value, Message)
        else bilingual(str(value), value.zh)
        if isinstance(value, Words)
        else str(value)
        for key, value in message.params.items()
    }
    return _(TEMPLATES[message.code]) % values
