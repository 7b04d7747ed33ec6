"""Django admin for the catalogue. Drafts are edited here; published rule sets are read-only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from rules import audit, tokens
from rules.access import signed_in
from rules.models import (
    ApiToken,
    AuditEvent,
    Criterion,
    Entry,
    EntryScope,
    Measure,
    ReferenceExpectation,
    ReferenceProduct,
    RuleSet,
    StatusConfirmation,
    StatusWindow,
)
from rules.publishing import create_draft


def _rule_set_of(obj: Any) -> RuleSet | None:
    if obj is None:
        return None
    if isinstance(obj, RuleSet):
        return obj
    if isinstance(obj, Measure):
        return obj.rule_set
    if isinstance(obj, Entry):
        return obj.measure.rule_set
    if isinstance(obj, ReferenceProduct):
        return obj.rule_set
    return None


class AuditedAdmin:
    """Every change made in admin writes an audit event with the row before and after."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = _row(type(obj).objects.filter(pk=obj.pk).first()) if change else None
        super().save_model(request, obj, form, change)  # type: ignore[misc]  # a mixin of ModelAdmin
        audit.record(
            f"rules.{'change' if change else 'add'}",
            actor=request.user,
            obj=obj,
            before=before,
            after=_row(obj),
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audit.record("rules.delete", actor=request.user, obj=obj, before=_row(obj))
        super().delete_model(request, obj)  # type: ignore[misc]  # a mixin of ModelAdmin

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        befores = {
            o.pk: _row(type(o).objects.filter(pk=o.pk).first()) for o in formset.queryset if o.pk
        }
        super().save_formset(request, form, formset, change)  # type: ignore[misc]  # a mixin of ModelAdmin
        for obj in formset.new_objects:
            audit.record("rules.add", actor=request.user, obj=obj, after=_row(obj))
        for obj, _fields in formset.changed_objects:
            audit.record(
                "rules.change",
                actor=request.user,
                obj=obj,
                before=befores.get(obj.pk),
                after=_row(obj),
            )
        for obj in formset.deleted_objects:
            audit.record(
                "rules.delete",
                actor=request.user,
                object_type=obj._meta.label_lower,
                object_id=str((befores.get(obj.pk) or {}).get("id", "")),
                object_repr=str(obj),
                before=befores.get(obj.pk),
            )


def _row(obj: Any) -> dict[str, Any] | None:
    return None if obj is None else {**model_to_dict(obj), "id": obj.pk}


class FrozenWhenPublished:
    """Rows of a published rule set cannot be changed or deleted, from any admin page."""

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        rule_set = _rule_set_of(obj)
        if rule_set is not None and rule_set.is_published:
            return False
        return super().has_change_permission(request, obj)  # type: ignore[misc]  # a mixin of ModelAdmin

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        rule_set = _rule_set_of(obj)
        if rule_set is not None and rule_set.is_published:
            return False
        return super().has_delete_permission(request, obj)  # type: ignore[misc]  # a mixin of ModelAdmin

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        rule_set = _rule_set_of(obj)
        if rule_set is not None and rule_set.is_published:
            return False
        if obj is None and not isinstance(self, admin.options.InlineModelAdmin):
            return super().has_add_permission(request)  # type: ignore[misc]  # a mixin of ModelAdmin
        return super().has_add_permission(request, obj)  # type: ignore[misc]  # a mixin of ModelAdmin


class ListField(forms.CharField):
    """A JSON list edited as comma-separated text."""

    def prepare_value(self, value: Any) -> str:
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        return value or ""

    # The field's value is the list, not the text.
    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [part.strip() for part in text.split(",") if part.strip()]


class EntryForm(forms.ModelForm):
    hs_codes = ListField(label=_("Reference HS codes"), required=False)

    class Meta:
        model = Entry
        fields = (
            "measure",
            "position",
            "code",
            "title_zh",
            "title_en",
            "hs_codes",
            "level",
            "level_note",
            "level_note_zh",
            "source",
            "source_zh",
            "criteria_confirmed",
            "code_confirmed",
        )


class MeasureForm(forms.ModelForm):
    source_url = forms.URLField(
        label=_("source URL"), max_length=500, required=False, assume_scheme="https"
    )
    overlay_destinations = ListField(label=_("Overlay destinations"), required=False)
    overlay_on_measures = ListField(label=_("Overlay applies to measures"), required=False)

    class Meta:
        model = Measure
        fields = (
            "rule_set",
            "position",
            "key",
            "regime",
            "kind",
            "instrument_zh",
            "instrument_en",
            "title_zh",
            "title_en",
            "published",
            "effective",
            "level",
            "level_note",
            "level_note_zh",
            "source",
            "source_zh",
            "source_url",
            "licence_kind",
            "overlay_destinations",
            "overlay_on_measures",
            "overlay_advice_en",
            "overlay_advice_zh",
        )


class StatusWindowInline(FrozenWhenPublished, admin.TabularInline):
    model = StatusWindow
    extra = 0


class EntryScopeInline(FrozenWhenPublished, admin.TabularInline):
    model = EntryScope
    extra = 0


class CriterionInline(FrozenWhenPublished, admin.StackedInline):
    # Stacked: eleven columns side by side made the entry page thousands of pixels wide.
    model = Criterion
    extra = 0
    fields = (
        "position",
        "parameter",
        "operator",
        "threshold",
        "unit",
        "condition_parameter",
        "condition_value",
        "condition_unit",
        "condition_tolerance_pct",
        "verified",
        "note",
        "note_zh",
    )


@admin.register(RuleSet)
class RuleSetAdmin(AuditedAdmin, FrozenWhenPublished, SimpleHistoryAdmin):
    """Drafts are made here ("Copy as a new draft") and edited through their measures and
    entries. Publishing happens on the Rule sets page of the application, where a second
    rules administrator sees the changes, the reference checks and the impact first."""

    list_display = ("version", "status", "published_at", "published_by", "short_hash", "created_by")
    list_filter = ("status",)
    readonly_fields = (
        "status",
        "content_hash",
        "based_on",
        "created_at",
        "created_by",
        "published_at",
        "published_by",
        "publish_rationale",
        "publish_source",
    )
    actions = ("make_draft",)

    @admin.display(description=_("content hash"))
    def short_hash(self, obj: RuleSet) -> str:
        return obj.content_hash[:12]

    def save_model(self, request: HttpRequest, obj: RuleSet, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = signed_in(request)
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Copy as a new draft"))
    def make_draft(self, request: HttpRequest, queryset: QuerySet[RuleSet]) -> None:
        for rule_set in queryset:
            draft = create_draft(rule_set, user=signed_in(request))
            self.message_user(request, _("Draft %s created.") % draft.version, messages.SUCCESS)


@admin.register(Measure)
class MeasureAdmin(AuditedAdmin, FrozenWhenPublished, SimpleHistoryAdmin):
    form = MeasureForm
    list_display = ("key", "instrument_en", "rule_set", "kind", "effective", "level")
    list_filter = ("rule_set", "kind", "level")
    search_fields = ("key", "instrument_en", "instrument_zh", "title_en", "title_zh")
    inlines = (StatusWindowInline,)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "rule_set":
            kwargs["queryset"] = RuleSet.objects.filter(status=RuleSet.Status.DRAFT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Entry)
class EntryAdmin(AuditedAdmin, FrozenWhenPublished, SimpleHistoryAdmin):
    form = EntryForm
    list_display = (
        "__str__",
        "title_en",
        "title_zh",
        "level",
        "code_confirmed",
        "criteria_confirmed",
        "rule_set",
    )
    list_filter = (
        "measure__rule_set",
        "level",
        "code_confirmed",
        "criteria_confirmed",
        "measure__key",
    )
    search_fields = ("code", "title_en", "title_zh")
    inlines = (EntryScopeInline, CriterionInline)
    list_select_related = ("measure__rule_set",)

    @admin.display(description=_("rule set"))
    def rule_set(self, obj: Entry) -> RuleSet:
        return obj.measure.rule_set

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "measure":
            kwargs["queryset"] = Measure.objects.filter(rule_set__status=RuleSet.Status.DRAFT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit trail, read-only for everyone (the database refuses changes too)."""

    list_display = ("seq", "when", "actor_name", "action", "object_type", "object_repr")
    list_filter = ("action", "object_type")
    search_fields = ("object_repr", "actor_name", "object_id", "hash")
    ordering = ("-seq",)
    readonly_fields = ("when",)

    @admin.display(description=_("time"), ordering="at")
    def when(self, obj: AuditEvent) -> str:
        return audit.moment_with_zone(obj.at)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReferenceExpectationInline(FrozenWhenPublished, admin.TabularInline):
    model = ReferenceExpectation
    extra = 1


@admin.register(ReferenceProduct)
class ReferenceProductAdmin(AuditedAdmin, FrozenWhenPublished, SimpleHistoryAdmin):
    """Reference products belong to a rule set: edited with a draft's rules (the edit makes
    the editor one of its authors), frozen once it is published."""

    list_display = ("name", "rule_set", "active", "note")
    list_filter = ("rule_set", "active")
    search_fields = ("name", "note")
    inlines = (ReferenceExpectationInline,)
    list_select_related = ("rule_set",)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "rule_set":
            kwargs["queryset"] = RuleSet.objects.filter(status=RuleSet.Status.DRAFT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(StatusConfirmation)
class StatusConfirmationAdmin(admin.ModelAdmin):
    """Confirmations are recorded on the catalogue page; here they are read."""

    list_display = ("measure_key", "status", "confirmed_at", "confirmed_by", "source")
    list_filter = ("measure_key", "status")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# --- the API's service accounts -------------------------------------------------------------------


class ApiTokenForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("scopes"),
        choices=ApiToken.Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What the token may do at all; its role decides the rest."),
    )

    class Meta:
        model = ApiToken
        fields = ("name", "role", "scopes", "expires_at")

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        username = tokens.service_username(name)
        if get_user_model().objects.filter(username=username).exists():
            raise forms.ValidationError(
                _("A user named %(username)s exists already; choose another name."),
                params={"username": username},
            )
        return name

    def clean_expires_at(self) -> dt.datetime:
        expires_at = self.cleaned_data["expires_at"]
        if expires_at <= timezone.now():
            raise forms.ValidationError(_("Choose a moment in the future."))
        return expires_at


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are made here and shown once; after that they can be read and revoked, never
    changed (a token with other rights is a new token)."""

    form = ApiTokenForm
    list_display = (
        "name",
        "role",
        "scope_list",
        "prefix",
        "expires_at",
        "state",
        "last_used_at",
    )
    list_filter = ("role",)
    search_fields = ("name", "prefix")
    actions = ("revoke_tokens",)
    readonly_fields = (
        "name",
        "role",
        "scope_list",
        "expires_at",
        "state",
        "prefix",
        "user",
        "created_at",
        "created_by",
        "revoked_at",
        "revoked_by",
        "last_used_at",
    )

    def get_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> Any:
        if obj is None:
            return ApiTokenForm.Meta.fields
        return self.readonly_fields

    def get_readonly_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> Any:
        return () if obj is None else self.readonly_fields

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        days = settings.API_TOKEN_DEFAULT_DAYS
        return {"expires_at": timezone.now() + dt.timedelta(days=days), "scopes": []}

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # The change list (obj None) stays open for the revoke action; a token itself is read.
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # revoked, never deleted: the audit trail names it

    @admin.display(description=_("scopes"))
    def scope_list(self, obj: ApiToken) -> str:
        return ", ".join(obj.scopes)

    @admin.display(description=_("state"))
    def state(self, obj: ApiToken) -> str:
        if obj.revoked_at is not None:
            return str(_("revoked"))
        if obj.expires_at <= timezone.now():
            return str(_("expired"))
        return str(_("active"))

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        # Only additions come here (tokens are never changed); the secret goes to response_add.
        secret = tokens.issue(obj, created_by=signed_in(request))
        request._api_token_secret = secret  # type: ignore[attr-defined]  # read by response_add

    def response_add(
        self, request: HttpRequest, obj: ApiToken, post_url_continue: str | None = None
    ) -> HttpResponse:
        """The secret, this once: on the page that answers the form, never stored or redirected
        through a message."""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "token": obj,
            "secret": request._api_token_secret,  # type: ignore[attr-defined]  # set by save_model
            "title": _("API token created"),
        }
        return TemplateResponse(request, "admin/rules/apitoken/issued.html", context)

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke_tokens(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        now = timezone.now()
        user = signed_in(request)
        revoked = sum(tokens.revoke(token=t, user=user, now=now) for t in queryset)
        self.message_user(
            request,
            ngettext("%(n)d token revoked.", "%(n)d tokens revoked.", revoked) % {"n": revoked},
            messages.SUCCESS,
        )
