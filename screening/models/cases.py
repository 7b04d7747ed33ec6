"""Cases: a screening that a compliance team works and a manager decides, with its record."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from rules.access import can
from rules.labels import OUTCOME_CHOICES, message_text
from screening.permissions import may_close, may_decide, may_prepare, may_review, may_take_over
from screening.states import OPEN_STATES, EventKind, State


class LicencePath(models.TextChoices):
    SINGLE = "single", _("Single licence (one export, up to 1 year)")
    GENERAL = (
        "general",
        _("General licence (up to 3 years; needs an internal compliance programme)"),
    )
    TECHNOLOGY = "technology", _("Technology export licence")


class Determination(models.TextChoices):
    LICENCE_REQUIRED = "licence_required", _("Licence required")
    NOT_CONTROLLED = "not_controlled", _("Not controlled")
    NEAR_THRESHOLD = "near_threshold", _("Not controlled, near a threshold (declare parameters)")
    NOT_IN_FORCE = "not_in_force", _("Listed, but not in force on the as-of date")


class CaseQuerySet(models.QuerySet["Case"]):
    def visible_to(self, user: User | AnonymousUser) -> CaseQuerySet:
        """Cases a user may see: reviewers all but others' drafts; analysts their own.

        An analyst's own cases are those they prepared: nobody else can reach a case to submit
        or answer it without seeing it first, so "prepared" is the whole of it."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(self._visible(user))

    def hidden_from(self, user: User | AnonymousUser) -> CaseQuerySet:
        """The cases of this set that `user` may not see: the rest of visible_to."""
        if not user.is_authenticated or not user.is_active:
            return self
        if user.is_superuser:
            return self.none()
        return self.exclude(self._visible(user))

    @staticmethod
    def _visible(user: User) -> Q:
        visible = Q(pk__in=[])
        if can(user, "review_cases"):
            visible |= ~Q(state=State.DRAFT)
        if can(user, "prepare_cases"):
            visible |= Q(prepared_by=user)
        return visible

    def visibility_key(self, user: User | AnonymousUser | None) -> str:
        """A name for the set of cases `visible_to(user)` selects, the same for users who see
        the same cases: "all", "none", or its parts. Row-level lists cached per viewer (the
        dashboard's change list) are cached under it. Kept beside visible_to: same branches."""
        if user is None or not user.is_authenticated or not user.is_active:
            return "none"
        if user.is_superuser:
            return "all"
        parts = []
        if can(user, "review_cases"):
            parts.append("submitted")
        if can(user, "prepare_cases"):
            parts.append(f"prepared-by-{user.pk}")
        return "+".join(parts) or "none"

    def for_list(self) -> CaseQuerySet:
        """The case list's rows with only the columns it shows (screening/_case_rows.html):
        building 25 cases with every column of their spec, screening and people costs more
        than the query."""
        return self.select_related("product", "spec", "screening", "reviewer").only(
            "created_at",
            "state",
            "state_changed_at",
            "legal_hold",
            "rules_changed",
            "automated_outcome",
            "determination",
            "destination_country",
            "product__sku",
            "spec__name",
            "screening__result",
            "reviewer__username",
        )


class Case(models.Model):
    product = models.ForeignKey(
        "screening.Product",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("product"),
    )
    spec = models.ForeignKey(
        "screening.SpecVersion",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("spec version"),
    )
    screening = models.ForeignKey(
        "screening.Screening",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("screening"),
    )
    automated_outcome = models.CharField(
        _("automated outcome"), max_length=20, choices=OUTCOME_CHOICES
    )
    # Copied from the frozen spec so that lists and charts group without joining specs.
    category = models.CharField(_("category"), max_length=30)
    subtype = models.CharField(_("subtype"), max_length=40)
    # The (state, last_activity_at) index serves filters and groups on the state alone.
    state = FSMField(_("state"), default=State.DRAFT, choices=State.choices, protected=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    # Shipment context
    destination_country = models.CharField(_("destination country"), max_length=2, blank=True)
    end_user = models.CharField(_("end user"), max_length=300, blank=True)
    end_use = models.TextField(_("end use"), blank=True)
    expected_value_usd = models.DecimalField(
        _("expected value (USD)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    licence_path = models.CharField(
        _("licence path"), max_length=12, choices=LicencePath.choices, blank=True
    )

    # People
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # the (prepared_by, last_activity_at) index serves it,
        verbose_name=_("prepared by"),
    )
    # Indexes cost every import of 100,000 cases; only columns that lists, filters and joins
    # use have one (submitted_by, approved_by, rescreening and actor are read through their
    # case; the reviewer's index is partial, since drafts have none).
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        db_index=False,
        verbose_name=_("submitted by"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        db_index=False,
        verbose_name=_("reviewer"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        db_index=False,
        verbose_name=_("approved by"),
    )

    # Determination
    determination = models.CharField(
        _("determination"), max_length=20, choices=Determination.choices, blank=True
    )
    determination_entries = models.JSONField(_("entries it rests on"), default=list, blank=True)
    rationale = models.TextField(_("rationale"), blank=True)
    departure_reason = models.TextField(
        _("reason for departing from the automated outcome"), blank=True
    )
    decided_at = models.DateTimeField(_("decided"), null=True)
    # The measure statuses the decision rested on that were assumptions, not confirmed facts
    # (rules.certainty), as they stood when it was approved: [{"measure", "message"}]. The
    # decision record says so forever, whatever is confirmed later.
    decision_assumptions = models.JSONField(
        _("statuses assumed at the decision"), default=list, blank=True, editable=False
    )

    # Set when a newly published rule set would change this open case's outcome: the new
    # screening (same spec, same as-of date, new rules) waits for a reviewer's look.
    rules_changed = models.BooleanField(_("rules changed: re-review"), default=False)
    rescreening = models.ForeignKey(
        "screening.Screening",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name=_("screening under the new rules"),
    )

    # Records
    legal_hold = models.BooleanField(_("legal hold"), default=False)
    legal_hold_reason = models.TextField(_("legal hold reason"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now, db_index=True)
    state_changed_at = models.DateTimeField(_("in this state since"), default=timezone.now)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-last_activity_at", "-pk"]
        constraints = [
            # Four-eyes, backed by the database: whoever prepared or submitted a case never
            # approves it (the domain function says so first, with a clear message).
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True)
                | (~Q(approved_by=F("prepared_by")) & ~Q(approved_by=F("submitted_by"))),
                name="case_four_eyes",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=[State.APPROVED, State.CLOSED])
                | (Q(approved_by__isnull=False) & ~Q(determination="") & ~Q(rationale="")),
                name="case_decision_recorded",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "last_activity_at"]),
            # An analyst's own cases, newest activity first (their list and queue).
            models.Index(fields=["prepared_by", "last_activity_at"], name="case_preparer_activity"),
            models.Index(fields=["destination_country"]),
            # Category and outcome as Meta indexes rather than db_index=True: PostgreSQL would
            # get a second, varchar_pattern_ops index of each for LIKE, which no query runs and
            # every insert maintains. With a filter on one of these three, SQLite (without
            # statistics) reads the matching cases through its index rather than scanning the
            # covering index below, which measured faster at 1.1 million cases: the workflow
            # section's p95 715 ms with all three, 1.83 s without category's and outcome's,
            # 2.02 s without any (2026-11-27, `bench.run --only dashboard_uncached_1m`).
            models.Index(fields=["category"], name="case_category"),
            models.Index(fields=["automated_outcome"], name="case_automated_outcome"),
            # The dashboard's workflow and workload sections for any filter set: their grouping
            # (state), days in state, reviewer, value and every filter column, so that a scan
            # of this index in state order answers them without reading a case row.
            # The key after the state's time is the case's: an import's drafts share state and
            # time, so they go in at the end of the index in key order, not each at a random
            # place among its own by value, category …: 100,000 drafts, 0.4 → 0.1 s CPU. No
            # query orders by what follows; the scans read it.
            models.Index(
                fields=[
                    "state",
                    "state_changed_at",
                    "id",
                    "reviewer",
                    "expected_value_usd",
                    "category",
                    "automated_outcome",
                    "destination_country",
                    "created_at",
                ],
                name="case_dashboard_cover",
            ),
            models.Index(fields=["created_at"]),
            # Partial: only the rows these filters look for.
            models.Index(
                fields=["decided_at"], condition=Q(decided_at__isnull=False), name="case_decided_at"
            ),
            models.Index(
                fields=["rules_changed"], condition=Q(rules_changed=True), name="case_rules_changed"
            ),
            models.Index(
                fields=["reviewer"], condition=Q(reviewer__isnull=False), name="case_reviewer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} · {self.product}"

    def get_absolute_url(self) -> str:
        return reverse("case_detail", args=[self.pk])

    def refresh_from_db(
        self,
        using: str | None = None,
        fields: Iterable[str] | None = None,
        from_queryset: models.QuerySet | None = None,
    ) -> None:
        """Reload from the database, the protected state included, safely in threads.

        Not django-fsm-2's FSMModelMixin.refresh_from_db: it switches the state field's
        protection off and on again on the field itself, which every thread of a server process
        shares, so a request refreshing a case while another finished its own refresh found the
        protection back on halfway ("Direct state modification is not allowed": 500s on submit
        under load, PostgreSQL benchmark). The protection applies only to a state already set
        on the instance, so here the state leaves the instance for the reload; the fields are
        named so that Django does not take the absent state for a deferred one."""
        if fields is None:
            self._prefetched_objects_cache: dict[str, Any] = {}
            deferred = self.get_deferred_fields()
            fields = [f.attname for f in self._meta.concrete_fields if f.attname not in deferred]
            every_relation = True
        else:
            fields, every_relation = list(fields), False
        kept = (
            self.__dict__.pop("state") if "state" in fields and "state" in self.__dict__ else None
        )
        try:
            super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        finally:
            if kept is not None:
                self.__dict__.setdefault("state", kept)
        if every_relation:  # as Django does when reloading every field
            for relation in self._meta.related_objects:
                if relation.is_cached(self):
                    relation.delete_cached_value(self)

    @property
    def reference(self) -> str:
        year = (self.created_at or timezone.now()).year
        return f"EC-{year}-{self.pk:06d}" if self.pk else "EC-new"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def departs_from_automated(self) -> bool:
        return bool(self.determination) and self.determination != self.automated_outcome

    @property
    def days_in_state(self) -> int:
        return (timezone.now() - self.state_changed_at).days

    def retention_ends(self) -> dt.date:
        """Records are kept at least 5 years after the last activity (Regulations Art. 27)."""
        years = settings.RECORDS_RETENTION_YEARS
        last = timezone.localdate(self.last_activity_at)
        try:
            return last.replace(year=last.year + years)
        except ValueError:  # 29 February
            return last.replace(year=last.year + years, day=28)

    def deletion_blocked_because(self) -> str:
        """Why this case may not be deleted now ("" when it may)."""
        if self.legal_hold:
            return str(_("a legal hold is set"))
        if self.is_open:
            return str(_("the case is still open"))
        if timezone.localdate() < self.retention_ends():
            return str(_("records are kept until %(date)s (5 years after the last activity)")) % {
                "date": self.retention_ends().isoformat()
            }
        return ""

    # Transitions: the graph and who may take each edge. screening.workflow performs them with
    # a guarded write on (state, version) and records the event and the audit entry.

    @transition(field=state, source=State.DRAFT, target=State.SUBMITTED, permission=may_prepare)
    def submit(self) -> None:
        """Send the case to the reviewers' queue."""

    @transition(field=state, source=State.SUBMITTED, target=State.IN_REVIEW, permission=may_review)
    def start_review(self) -> None:
        """A reviewer takes the case."""

    @transition(
        field=state, source=State.IN_REVIEW, target=State.IN_REVIEW, permission=may_take_over
    )
    def take_over(self) -> None:
        """Another reviewer takes over the review, explicitly (the timeline names both)."""

    @transition(field=state, source=State.IN_REVIEW, target=State.RETURNED, permission=may_decide)
    def request_information(self) -> None:
        """Return the case to the analyst with questions."""

    @transition(field=state, source=State.RETURNED, target=State.SUBMITTED, permission=may_prepare)
    def answer(self) -> None:
        """Answer the questions and send the case back to the queue."""

    @transition(field=state, source=State.IN_REVIEW, target=State.APPROVED, permission=may_decide)
    def approve(self) -> None:
        """Record the determination (four-eyes)."""

    @transition(field=state, source=State.APPROVED, target=State.CLOSED, permission=may_close)
    def close(self) -> None:
        """Close a decided case."""

    @transition(
        field=state,
        source=[State.DRAFT, State.SUBMITTED, State.RETURNED, State.IN_REVIEW],
        target=State.WITHDRAWN,
        permission=may_prepare,
    )
    def withdraw(self) -> None:
        """Withdraw a case that will not be decided."""


class CaseEvent(models.Model):
    """The case timeline: transitions, comments, requests for information and their answers."""

    Kind = EventKind

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="events", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        db_index=False,
        verbose_name=_("actor"),
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    # What the actor wrote (a comment, a rationale), or what the application said in English,
    # with its code and parameters (rules.messages) so that each reader reads it in their
    # language. Entries written before codes existed show their text as it was stored.
    message = models.TextField(_("message"), blank=True)
    message_code = models.CharField(_("message code"), max_length=60, blank=True)
    message_params = models.JSONField(_("message parameters"), default=dict, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.case.reference} {self.kind}"

    @property
    def message_shown(self) -> str:
        """The message in the reader's language (what a person wrote stays as written)."""
        return message_text(
            {"message": self.message, "code": self.message_code, "params": self.message_params}
        )


def evidence_path(instance: Evidence, filename: str) -> str:
    """Stored under a generated name: the original name is metadata, never a path."""
    return f"evidence/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class Evidence(models.Model):
    """A datasheet, test report or similar attached to a case."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("case")
    )
    file = models.FileField(verbose_name=_("file"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    description = models.CharField(_("description"), max_length=300, blank=True)
    parameters = models.JSONField(_("parameters it supports"), default=list, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("evidence_download", args=[self.case_id, self.pk])
