"""Words shown to users for the catalogue's codes, translated: where models, admin and pages
of both apps find them (rules is the lower layer)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

OUTCOME_LABELS = {
    "invalid": gettext_lazy("Invalid input"),
    "licence_required": gettext_lazy("Licence required"),
    "indeterminate": gettext_lazy("Indeterminate: data missing"),
    "not_in_force": gettext_lazy("Listed, but not in force on this date"),
    "near_threshold": gettext_lazy("Not controlled, near a threshold"),
    "not_controlled": gettext_lazy("Not controlled"),
}

OUTCOME_CHOICES = list(OUTCOME_LABELS.items())
