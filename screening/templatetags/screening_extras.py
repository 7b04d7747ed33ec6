"""Display filters: codes to translated words, numbers to text. No logic beyond lookups."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html

from rules.catalogue import Catalogue
from rules.labels import OUTCOME_LABELS
from rules.spec_parameters import format_cell
from rules.vocabulary import DERIVATIONS, PARAMETERS
from screening import labels

register = template.Library()


@register.filter
def category_label(code: str) -> str:
    return labels.category_label(code)


@register.filter
def subtype_label(code: str) -> str:
    return labels.subtype_label(code)


@register.filter
def parameter_label(name: str) -> str:
    return labels.parameter_label(name)


register.filter("regime_label", labels.regime_label)
register.filter("cell_type_label", labels.cell_type_label)


@register.filter
def parameter_unit(name: str) -> str:
    parameter = PARAMETERS.get(name)
    return parameter.unit if parameter else ""


@register.filter
def outcome_label(code: str) -> str:
    return str(OUTCOME_LABELS.get(code, code))


@register.filter
def outcome_explanation(code: str) -> str:
    return str(labels.OUTCOME_EXPLANATIONS.get(code, ""))


@register.filter
def status_label(code: str) -> str:
    return str(labels.STATUS_LABELS.get(code, code))


register.filter("entry_result_label", labels.entry_result_label)


@register.filter
def criterion_result_label(code: str) -> str:
    return str(labels.CRITERION_RESULT_LABELS.get(code, code))


@register.filter
def reason_label(code: str) -> str:
    return str(labels.REASON_LABELS.get(code, code))


@register.filter
def level_label(code: str) -> str:
    return str(labels.LEVEL_DESCRIPTIONS.get(code, code))


@register.filter
def licence_label(code: str) -> str:
    return str(labels.LICENCE_LABELS.get(code, code))


@register.filter
def num(value: Any) -> str:
    """A number as entered-style text (no float noise, no trailing .0); '—' when missing."""
    if value is None or value == "":
        return "—"
    try:
        return format_cell(float(value))
    except (TypeError, ValueError):
        return str(value)


@register.filter
def measured(value: Any, threshold: Any = None) -> str:
    """A measured or derived value for reading: 4 significant digits (308.3, not
    308.333333333), with the full value on hover. Beside a threshold, never rounded onto or
    across it: 299.96 against 300 shows in full, or the reader would see "300" fail "≥ 300"."""
    if value is None or value == "":
        return "—"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    exact = format_cell(number)
    short = labels.significant(number)
    if threshold not in (None, "") and short != exact:
        limit = float(threshold)
        rounded = float(short.replace(",", ""))
        if (rounded == limit) or ((rounded > limit) != (number > limit)):
            short = exact
    if short == exact:
        return exact
    return format_html('<span title="{}">{}</span>', exact, short)


@register.filter
def basis_label(basis: str, catalogue: Catalogue) -> str:
    """A status window's basis: the instrument's name when it is a measure of the catalogue."""
    measure = catalogue.measures_by_key.get(basis) if catalogue else None
    if measure is None:
        return basis
    return labels.bilingual(measure.instrument_en, measure.instrument_zh)


@register.filter
def bilingual_title(item: Any) -> str:
    return labels.bilingual(item.title_en, item.title_zh)


@register.filter
def short_hash(value: str) -> str:
    return (value or "")[:12]


@register.simple_tag
def status_sentence(measure: Any, as_of: Any, catalogue: Catalogue) -> str:
    return labels.status_sentence(measure, as_of, catalogue)


@register.simple_tag
def assumption_sentence(assumption: Any, catalogue: Catalogue, result: bool = True) -> str:
    return labels.assumption_sentence(assumption, catalogue, result=result)


@register.filter
def derivation_formula(parameter: str) -> str:
    for derivation in DERIVATIONS:
        if derivation.target == parameter:
            return derivation.formula
    return ""


@register.filter
def operator_symbol(operator: str) -> str:
    return labels.OPERATOR_SYMBOLS.get(operator, operator)


@register.filter
def country_name(code: str) -> str:
    return labels.country_name(code)
