"""Re-screening the portfolio: impact previews of rule changes, and re-screens after publishing."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rules.models import RuleSet


class Rescreen(models.Model):
    class Kind(models.TextChoices):
        PREVIEW = "preview", _("Impact preview")
        PUBLISHED = "published", _("Re-screen after publishing")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    baseline = models.ForeignKey(
        RuleSet, on_delete=models.PROTECT, related_name="+", verbose_name=_("baseline rule set")
    )
    baseline_as_of = models.DateField(_("baseline as of"))
    candidate = models.ForeignKey(
        RuleSet, on_delete=models.PROTECT, related_name="+", verbose_name=_("candidate rule set")
    )
    candidate_as_of = models.DateField(_("candidate as of"))
    # What the candidate said when the run started (rules.publishing.draft_fingerprint): a
    # preview of a draft that changed since no longer shows the draft's impact (it is stale).
    candidate_fingerprint = models.CharField(
        verbose_name=_("fingerprint of the candidate"), max_length=64, blank=True, editable=False
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    processed = models.PositiveIntegerField(verbose_name=_("rows processed"), default=0)
    total = models.PositiveIntegerField(verbose_name=_("rows"), default=0)
    stage = models.CharField(verbose_name=_("stage"), max_length=40, blank=True)
    message = models.TextField(verbose_name=_("message"), blank=True)
    # {"products": n, "changed": n, "by_category": {category: {"from→to": n}},
    #  "by_entry": {entry key: {"baseline": n, "candidate": n}}, "flagged_cases": n,
    #  "decided_cases": n, "written_screenings": n}
    summary = models.JSONField(verbose_name=_("summary"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True)

    class Meta:
        verbose_name = _("re-screen")
        verbose_name_plural = _("re-screens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.candidate.version} as of {self.candidate_as_of}"

    def get_absolute_url(self) -> str:
        return reverse("rescreen_detail", args=[self.pk])

    @property
    def busy(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def percent(self) -> int:
        return int(100 * self.processed / self.total) if self.total else 0


class RescreenChange(models.Model):
    """A product (case None), an open case or a decided case (`decided`) whose outcome differs
    between baseline and candidate."""

    rescreen = models.ForeignKey(
        Rescreen, on_delete=models.CASCADE, related_name="changes", verbose_name=_("re-screen")
    )
    product = models.ForeignKey(
        "screening.Product", on_delete=models.CASCADE, related_name="+", verbose_name=_("product")
    )
    case = models.ForeignKey(
        "screening.Case",
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
        verbose_name=_("case"),
    )
    category = models.CharField(verbose_name=_("category"), max_length=30)
    from_outcome = models.CharField(verbose_name=_("outcome before"), max_length=20)
    to_outcome = models.CharField(verbose_name=_("outcome after"), max_length=20)
    decided = models.BooleanField(verbose_name=_("decided case"), default=False)
    # The entries behind the change (keys, comma-separated): those whose result differs, or,
    # where only a measure's status changed, those that hit.
    entries = models.CharField(verbose_name=_("entries"), max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("re-screen change")
        verbose_name_plural = _("re-screen changes")
        ordering = ["rescreen", "pk"]
        indexes = [models.Index(fields=["rescreen", "decided"])]

    def __str__(self) -> str:
        return f"{self.product_id}: {self.from_outcome} → {self.to_outcome}"
