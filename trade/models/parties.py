"""Parties (consignees, end users, intermediaries) and China's lists they are checked against.

A list (the export-control control list, the watch list, the Unreliable Entity List) arrives as
versions: a file an administrator uploads, stored with its SHA-256, diffed against the version
before, published by a second administrator (maker-checker). Parties are matched against the
published versions (trade.matching); each candidate match is a decision to take, and a decision
sticks until the party's or the list entry's data changes (their fingerprints).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

LIST_KINDS = (
    ("control_list", _("Export control list (出口管制管控名单)")),
    ("watch_list", _("Watch list (关注名单)")),
    ("unreliable_entity_list", _("Unreliable Entity List (不可靠实体清单)")),
)
# The note of the starter lists' versions: stored in English, shown in the reader's language.
STARTER_NOTE = gettext_noop(
    "Starter list shipped with the application (trade/data/starter_lists.csv)."
)
LEVEL_CHOICES = [("V1", "V1"), ("V2", "V2"), ("UNVERIFIED", "UNVERIFIED")]


def fingerprint(*parts: Any) -> str:
    """SHA-256 of the data a match decision rests on: when it changes, the decision re-fires."""
    text = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Party(models.Model):
    class Role(models.TextChoices):
        CONSIGNEE = "consignee", _("Consignee")
        END_USER = "end_user", _("End user")
        INTERMEDIARY = "intermediary", _("Intermediary")

    class Military(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        UNKNOWN = "unknown", _("Unknown")

    reference = models.CharField(_("party reference"), max_length=64, unique=True)
    name = models.CharField(_("name (Latin script)"), max_length=300, blank=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=300, blank=True)
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    country = models.CharField(_("country"), max_length=2)
    address = models.TextField(_("address"), blank=True)
    roles = models.JSONField(_("roles"), default=list, blank=True)
    end_use = models.TextField(_("end use stated"), blank=True)
    military_end_user = models.CharField(
        _("military end user"), max_length=8, choices=Military.choices, default=Military.UNKNOWN
    )
    # The data matching reads (names, aliases, country, address): a decision on a candidate
    # match holds while this is unchanged.
    match_fingerprint = models.CharField(_("matching fingerprint"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["name", "name_zh", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(name="") | ~Q(name_zh=""), name="party_has_a_name")
        ]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A derived column, kept with the row it is derived from (not business logic).
        self.match_fingerprint = self.compute_fingerprint()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("party_detail", args=[self.pk])

    @property
    def display_name(self) -> str:
        if self.name and self.name_zh:
            return f"{self.name} ({self.name_zh})"
        return self.name or self.name_zh

    def compute_fingerprint(self) -> str:
        return fingerprint(
            self.name, self.name_zh, sorted(self.aliases or []), self.country, self.address
        )


def list_file_path(instance: ListVersion, filename: str) -> str:
    """Stored under a generated name: the original name is metadata, never a path."""
    return f"lists/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class ListVersion(models.Model):
    """One loaded version of one list, from one uploaded file."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft: to be checked")
        PUBLISHED = "published", _("Published")
        SUPERSEDED = "superseded", _("Superseded")
        REJECTED = "rejected", _("Rejected")

    kind = models.CharField(_("list"), max_length=30, choices=LIST_KINDS)
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    file = models.FileField(_("file"), upload_to=list_file_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    entries_count = models.PositiveIntegerField(_("entries"), default=0)
    # The latest listing date in the file: how current the list is, by its own content.
    latest_listed_on = models.DateField(_("latest listing in the file"), null=True)
    # When someone last confirmed the published list is current (against MOFCOM's pages).
    confirmed_current_on = models.DateField(_("confirmed current on"), null=True, blank=True)
    diff = models.JSONField(_("changes against the previous version"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    loaded_at = models.DateTimeField(_("loaded"), auto_now_add=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("loaded by"),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("published by"),
    )

    class Meta:
        verbose_name = _("list version")
        verbose_name_plural = _("list versions")
        ordering = ["kind", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="unique_list_version"),
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(status="published"),
                name="one_published_version_per_list",
            ),
            # Maker-checker: whoever loaded a version never publishes it.
            models.CheckConstraint(
                condition=Q(published_by__isnull=True) | ~Q(published_by=models.F("loaded_by")),
                name="list_version_maker_checker",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("list_version_detail", args=[self.pk])

    def shown_note(self) -> str:
        """The note as the page shows it: the starter lists' own note in the reader's language."""
        return gettext(self.note) if self.note == STARTER_NOTE else self.note


class ListEntryRow(models.Model):
    """One entry of a list version, as the file gave it."""

    version = models.ForeignKey(
        ListVersion,
        on_delete=models.CASCADE,
        related_name="entries",
        verbose_name=_("list version"),
    )
    entry_ref = models.CharField(_("entry reference"), max_length=64)
    name = models.CharField(_("name"), max_length=500)
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    address = models.TextField(_("address"), blank=True)
    listed_on = models.DateField(_("listed on"))
    delisted_on = models.DateField(_("delisted on"), null=True, blank=True)
    announcement = models.CharField(_("announcement"), max_length=300)
    source = models.CharField(_("source address"), max_length=500, blank=True)
    level = models.CharField(_("verification level"), max_length=12, choices=LEVEL_CHOICES)
    notes = models.TextField(_("notes"), blank=True)
    # The entry's data a decision rests on (names, aliases, country, address, dates).
    match_fingerprint = models.CharField(_("matching fingerprint"), max_length=64)

    class Meta:
        verbose_name = _("list entry")
        verbose_name_plural = _("list entries")
        ordering = ["version", "entry_ref"]
        constraints = [
            models.UniqueConstraint(fields=["version", "entry_ref"], name="unique_entry_ref")
        ]

    def __str__(self) -> str:
        return f"{self.entry_ref} {self.name}"


class PartyMatch(models.Model):
    """A candidate match of a party with a list entry, and the decision on it.

    Decisions: a reviewer confirms it is the same party (every shipment to the party holds), or
    proposes "not the same party" with a rationale, which a second reviewer accepts (four-eyes).
    A decision holds while both fingerprints are unchanged; a changed name, alias or address (of
    the party or of the list entry) makes the candidate fire again.
    """

    class State(models.TextChoices):
        OPEN = "open", _("Open: to be decided")
        DISMISS_PROPOSED = "dismiss_proposed", _("Not the same party: waiting for a second review")
        DISMISSED = "dismissed", _("Not the same party")
        CONFIRMED = "confirmed", _("Same party: confirmed match")

    party = models.ForeignKey(
        Party, on_delete=models.CASCADE, related_name="matches", verbose_name=_("party")
    )
    list_kind = models.CharField(_("list"), max_length=30, choices=LIST_KINDS)
    entry_ref = models.CharField(_("entry reference"), max_length=64)
    entry = models.ForeignKey(
        ListEntryRow, on_delete=models.PROTECT, related_name="matches", verbose_name=_("entry")
    )
    score = models.FloatField(_("score"))
    reason = models.TextField(_("why it matched"))  # the matcher's sentence, in English
    # Its parts (trade.match_types.Candidate.evidence): the page says them in its language.
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.OPEN)
    party_fingerprint = models.CharField(_("party fingerprint"), max_length=64)
    entry_fingerprint = models.CharField(_("entry fingerprint"), max_length=64)
    found_at = models.DateTimeField(_("found"), auto_now_add=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    rationale = models.TextField(_("rationale"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("candidate match")
        verbose_name_plural = _("candidate matches")
        ordering = ["-score", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["party", "list_kind", "entry_ref"], name="one_match_per_party_and_entry"
            ),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("proposed_by")),
                name="party_match_four_eyes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party} ~ {self.entry_ref} ({self.score:.2f})"
