"""The API's service accounts and the requests sent with an idempotency key (rules.tokens)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rules.access import ROLE_LABELS


class ApiToken(models.Model):
    """A service account's key to the API: made by an administrator in Django admin, shown
    once, kept only as its SHA-256. It carries the rights of a role (a Django group,
    rules.access) through a user of its own that cannot log in, narrowed by its scopes, until
    it expires or is revoked. rules.tokens issues, checks, counts and revokes them."""

    class Scope(models.TextChoices):
        SCREEN = "screen", _("screen: screen specs without storing them")
        READ = "read", _("read: determinations, decision records, changed cases")
        WRITE_SPECS = "write_specs", _("write_specs: submit specs to store")
        WRITE_SHIPMENTS = (
            "write_shipments",
            _("write_shipments: enter, confirm and cancel shipments; save parties"),
        )

    name = models.SlugField(
        _("name"),
        max_length=60,
        unique=True,
        help_text=_("Says which program uses it, e.g. sap-erp. Recorded with every call."),
    )
    role = models.CharField(
        _("role"),
        max_length=40,
        choices=list(ROLE_LABELS.items()),
        help_text=_("The token has this role's rights, as far as its scopes allow."),
    )
    scopes = models.JSONField(_("scopes"), default=list)
    expires_at = models.DateTimeField(_("expires"))
    # The service account whose rights the token carries: in the role's group, no password.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_token",
        editable=False,
        verbose_name=_("service account"),
    )
    # The start of the token, to recognise it; the rest is never stored.
    prefix = models.CharField(_("starts with"), max_length=16, editable=False)
    digest = models.CharField(
        verbose_name=_("SHA-256 of the token"), max_length=64, unique=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
        verbose_name=_("created by"),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("revoked by"),
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, editable=False)
    # The rate limit's current window and the calls counted in it (rules.tokens.count_call).
    window_start = models.DateTimeField(
        verbose_name=_("rate window start"), null=True, editable=False
    )
    window_calls = models.PositiveIntegerField(
        verbose_name=_("calls in the rate window"), default=0, editable=False
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes


class ApiIdempotentRequest(models.Model):
    """A request sent with an Idempotency-Key header: a retry with the same key gets the first
    answer again, and nothing is done twice (rules.tokens.claim_key)."""

    token = models.ForeignKey(
        ApiToken, on_delete=models.CASCADE, related_name="+", verbose_name=_("API token")
    )
    key = models.CharField(verbose_name=_("idempotency key"), max_length=200)
    method = models.CharField(verbose_name=_("HTTP method"), max_length=10)
    path = models.CharField(verbose_name=_("path"), max_length=300)
    request_sha256 = models.CharField(verbose_name=_("SHA-256 of the request"), max_length=64)
    # None while the first request is still running.
    status = models.PositiveSmallIntegerField(verbose_name=_("response status"), null=True)
    content_type = models.CharField(verbose_name=_("content type"), max_length=100, blank=True)
    body = models.TextField(verbose_name=_("response body"), blank=True)
    created_at = models.DateTimeField(verbose_name=_("created"), db_index=True)

    class Meta:
        verbose_name = _("idempotent API request")
        verbose_name_plural = _("idempotent API requests")
        constraints = [
            models.UniqueConstraint(fields=["token", "key"], name="unique_idempotency_key")
        ]

    def __str__(self) -> str:
        return f"{self.token_id}:{self.key}"
