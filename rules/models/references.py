"""Reference products: specs with the outcomes they must have, rows of a rule set
(rules.references checks a catalogue against them)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from rules.labels import OUTCOME_CHOICES
from rules.models.rulesets import RuleRowQuerySet, RuleSet


class ReferenceRowQuerySet(RuleRowQuerySet):
    """Reference products: rows of a rule set, frozen with it once published."""

    status_lookup = "rule_set__status"


class ExpectationRowQuerySet(RuleRowQuerySet):
    """Expected outcomes: rows of a reference product."""

    status_lookup = "reference__rule_set__status"


class ReferenceProduct(models.Model):
    """A spec with the outcomes it must have. Reference products belong to a rule set: a draft
    copies those of the rule set it is based on, its administrators edit them with its rules
    (they count as its authors), the diff shows their changes, and the draft is published only
    if every active one holds. Published, they are frozen with the rules."""

    rule_set = models.ForeignKey(
        RuleSet,
        on_delete=models.CASCADE,
        related_name="references",
        verbose_name=_("rule set"),
    )
    name = models.CharField(_("name"), max_length=200)
    cells = models.JSONField(
        _("spec cells"),
        help_text=_(
            'Template columns and cell texts, e.g. {"category": "battery_cell", "subtype": '
            '"li_ion", "energy_density_wh_per_kg": "310"}.'
        ),
    )
    note = models.TextField(_("why it matters"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    objects = ReferenceRowQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reference product")
        verbose_name_plural = _("reference products")
        ordering = ["rule_set", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule_set", "name"], name="unique_reference_per_rule_set"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def as_dict(self) -> dict[str, Any]:
        """The reference as rules/data/reference_products.toml writes one."""
        return {
            "name": self.name,
            "note": self.note,
            "active": self.active,
            "cells": dict(self.cells),
            "expect": [
                {"as_of": e.as_of, "regimes": list(e.regimes or []), "outcome": e.outcome}
                for e in sorted(self.expectations.all(), key=lambda e: (e.as_of, e.pk))
            ],
        }


class ReferenceExpectation(models.Model):
    reference = models.ForeignKey(
        ReferenceProduct,
        on_delete=models.CASCADE,
        related_name="expectations",
        verbose_name=_("reference product"),
    )
    as_of = models.DateField(_("as of"))
    regimes = models.JSONField(_("regimes"), default=list, blank=True, help_text=_('e.g. ["CN"]'))
    outcome = models.CharField(_("expected outcome"), max_length=20, choices=OUTCOME_CHOICES)
    objects = ExpectationRowQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("expected outcome")
        verbose_name_plural = _("expected outcomes")
        ordering = ["reference", "as_of"]

    def __str__(self) -> str:
        return f"{self.reference} as of {self.as_of}: {self.outcome}"
