"""Display filters for the catalogue: the words of rules.labels for its codes, numbers as
entered, rule-set hashes shortened. No logic beyond lookups."""

from __future__ import annotations

from typing import Any

from django import template

from rules import labels
from rules.spec_parameters import format_cell
from rules.vocabulary import DERIVATIONS, PARAMETERS

register = template.Library()

register.filter("category_label", labels.category_label)
register.filter("subtype_label", labels.subtype_label)
register.filter("cell_type_label", labels.cell_type_label)
register.filter("parameter_label", labels.parameter_label)
register.filter("regime_label", labels.regime_label)
register.filter("outcome_label", labels.outcome_label)
register.filter("outcome_explanation", labels.outcome_explanation)
register.filter("entry_result_label", labels.entry_result_label)
register.filter("criterion_result_label", labels.criterion_result_label)
register.filter("status_label", labels.status_label)
register.filter("reason_label", labels.reason_label)
register.filter("level_label", labels.level_label)
register.filter("licence_label", labels.licence_label)
register.filter("operator_symbol", labels.operator_symbol)
register.filter("basis_label", labels.basis_label)
register.filter("window_basis", labels.window_basis)
register.filter("rule_words", labels.rule_words)
register.filter("country_name", labels.country_name)
register.filter("say", labels.message_text)
register.simple_tag(labels.status_sentence, name="status_sentence")
register.simple_tag(labels.assumption_sentence, name="assumption_sentence")


@register.filter
def parameter_unit(name: str) -> str:
    parameter = PARAMETERS.get(name)
    return parameter.unit if parameter else ""


@register.filter
def derivation_formula(parameter: str) -> str:
    for derivation in DERIVATIONS:
        if derivation.target == parameter:
            return derivation.formula
    return ""


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
def short_hash(value: str) -> str:
    return (value or "")[:12]
