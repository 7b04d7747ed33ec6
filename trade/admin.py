"""Django admin for the export side. Administrators keep the reference data here: licence
kinds, the applicants (the company's exporting entities) and China's working-day calendar (a
year with its holidays and the weekend days worked in exchange). Everything else is a record
the application writes through its own rules, and admin only shows it: list versions (loaded
and published maker-checker), licences and their ledgers (append-only), applications,
shipments with their lines and checks, parties and their candidate matches.

Changes made here are audit events ("trade.admin.add", "trade.admin.change",
"trade.admin.delete") with the row before and after. Codes are shown by their labels.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import admin
from django.forms.models import model_to_dict
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from rules import audit
from trade import reasons, workdays
from trade.models import (
    Applicant,
    CalendarDay,
    CalendarYear,
    LedgerEntry,
    Licence,
    LicenceApplication,
    LicenceKind,
    LicenceVersion,
    ListEntryRow,
    ListVersion,
    Party,
    PartyMatch,
    Shipment,
    ShipmentCheck,
    ShipmentLine,
)
from trade.models.parties import LIST_KINDS
from trade.quantities import text

ROLE_LABELS = dict(Party.Role.choices)
LIST_LABELS = dict(LIST_KINDS)
RESULT_LABELS = {"release": _("Release"), "hold": _("Hold"), "": "—"}


def _row(obj: Any) -> dict[str, Any] | None:
    return None if obj is None else {**model_to_dict(obj), "id": obj.pk}


class AuditedAdmin(admin.ModelAdmin):
    """Reference data: every add, change and delete is an audit event with the row."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = _row(type(obj).objects.filter(pk=obj.pk).first()) if change else None
        super().save_model(request, obj, form, change)
        audit.record(
            f"trade.admin.{'change' if change else 'add'}",
            actor=request.user,
            obj=obj,
            before=before,
            after=_row(obj),
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audit.record("trade.admin.delete", actor=request.user, obj=obj, before=_row(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            self.delete_model(request, obj)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        befores = {o.pk: _row(o) for o in formset.queryset if o.pk}
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            audit.record("trade.admin.add", actor=request.user, obj=obj, after=_row(obj))
        for obj, _fields in formset.changed_objects:
            audit.record(
                "trade.admin.change",
                actor=request.user,
                obj=obj,
                before=befores.get(obj.pk),
                after=_row(obj),
            )
        for obj in formset.deleted_objects:
            audit.record(
                "trade.admin.delete",
                actor=request.user,
                object_type=obj._meta.label_lower,
                object_id=str((befores.get(obj.pk) or {}).get("id", "")),
                object_repr=str(obj),
                before=befores.get(obj.pk),
            )


class RecordAdmin(admin.ModelAdmin):
    """A record the application writes: shown, never added, changed or deleted here."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RecordInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# --- reference data ------------------------------------------------------------------------------


@admin.register(LicenceKind)
class LicenceKindAdmin(AuditedAdmin):
    list_display = (
        "name_en",
        "name_zh",
        "code",
        "covers",
        "max_validity_days",
        "one_contract",
        "needs_compliance_programme",
        "decision_working_days",
        "level",
        "active",
    )
    list_filter = ("covers", "active", "one_contract")
    search_fields = ("code", "name_en", "name_zh")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Licences and applications name their kind: retire a kind (active off) instead.
        return False


@admin.register(Applicant)
class ApplicantAdmin(AuditedAdmin):
    list_display = ("name_zh", "name_en", "credit_code", "customs_code", "compliance_programme")
    search_fields = ("name_zh", "name_en", "credit_code")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CalendarDayForm(forms.ModelForm):
    """A day in its year; only a Saturday or Sunday can be worked in exchange."""

    class Meta:
        model = CalendarDay
        fields = ("year", "date", "kind", "name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, kind, year = data.get("date"), data.get("kind"), data.get("year")
        if day and year and day.year != year.year:
            self.add_error("date", _("The date is not in the year %(year)s.") % {"year": year})
        if day and kind == CalendarDay.Kind.WORKDAY and day.weekday() < 5:
            self.add_error(
                "kind", _("Only a Saturday or a Sunday can be a weekend day worked in exchange.")
            )
        return data


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    form = CalendarDayForm
    extra = 1
    fields = ("date", "kind", "name")


@admin.register(CalendarYear)
class CalendarYearAdmin(AuditedAdmin):
    """A year of the State Council's holiday arrangement: its public holidays and the weekend
    days worked in exchange. Applications' decision dates count working days with it."""

    list_display = ("year", "holidays", "workdays", "working_days", "level")
    inlines = (CalendarDayInline,)

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).prefetch_related("days")

    @admin.display(description=_("public holidays"))
    def holidays(self, year: CalendarYear) -> int:
        return sum(1 for d in year.days.all() if d.kind == CalendarDay.Kind.HOLIDAY)

    @admin.display(description=_("weekend days worked"))
    def workdays(self, year: CalendarYear) -> int:
        return sum(1 for d in year.days.all() if d.kind == CalendarDay.Kind.WORKDAY)

    @admin.display(description=_("working days in the year"))
    def working_days(self, year: CalendarYear) -> int | str:
        try:
            calendar = workdays.calendar_from_days(
                [year.year],
                [workdays.Day(d.date, d.kind, d.name) for d in year.days.all()],
            )
        except workdays.CalendarError:
            return "—"
        return workdays.working_days_between(
            calendar, dt.date(year.year, 1, 1) - dt.timedelta(days=1), dt.date(year.year, 12, 31)
        )


@admin.register(CalendarDay)
class CalendarDayAdmin(AuditedAdmin):
    form = CalendarDayForm
    list_display = ("date", "kind", "name", "year")
    list_filter = ("kind", "year")
    date_hierarchy = "date"
    search_fields = ("name",)


# --- lists ---------------------------------------------------------------------------------------


@admin.register(ListVersion)
class ListVersionAdmin(RecordAdmin):
    """Loaded from a file and published maker-checker on the pages; admin only shows them."""

    list_display = (
        "__str__",
        "kind",
        "number",
        "status",
        "entries_count",
        "latest_listed_on",
        "confirmed_current_on",
        "loaded_at",
        "published_at",
    )
    list_filter = ("kind", "status")
    readonly_fields = ("short_sha256",)
    exclude = ("sha256", "diff")
    list_select_related = ("loaded_by", "published_by")

    @admin.display(description=_("SHA-256"))
    def short_sha256(self, version: ListVersion) -> str:
        return version.sha256


@admin.register(ListEntryRow)
class ListEntryAdmin(RecordAdmin):
    list_display = ("entry_ref", "name", "country", "listed_on", "delisted_on", "list_version")
    list_filter = ("version__kind", "level")
    search_fields = ("entry_ref", "name", "announcement")
    list_select_related = ("version",)

    @admin.display(description=_("list version"), ordering="version")
    def list_version(self, entry: ListEntryRow) -> str:
        return str(entry.version)


@admin.register(PartyMatch)
class PartyMatchAdmin(RecordAdmin):
    list_display = ("party", "list_kind", "entry_ref", "score", "state", "decided_by")
    list_filter = ("list_kind", "state")
    search_fields = ("party__name", "party__name_zh", "entry_ref")
    list_select_related = ("party", "decided_by")


class PartyMatchInline(RecordInline):
    model = PartyMatch
    fields = ("list_kind", "entry_ref", "score", "state", "reason")
    readonly_fields = fields


@admin.register(Party)
class PartyAdmin(RecordAdmin):
    list_display = (
        "display_name",
        "reference",
        "country",
        "role_labels",
        "military_end_user",
        "version",
    )
    list_filter = ("country", "military_end_user")
    search_fields = ("reference", "name", "name_zh")
    inlines = (PartyMatchInline,)

    @admin.display(description=_("name"), ordering="name")
    def display_name(self, party: Party) -> str:
        return party.display_name

    @admin.display(description=_("roles"))
    def role_labels(self, party: Party) -> str:
        return ", ".join(str(ROLE_LABELS.get(r, r)) for r in party.roles) or "—"


# --- licences and their ledgers ------------------------------------------------------------------


@admin.register(LedgerEntry)
class LedgerEntryAdmin(RecordAdmin):
    """The append-only ledger of every licence: rows are added by releases, cancellations and
    confirmed exports, never changed or deleted (here neither)."""

    list_display = (
        "at",
        "licence",
        "line",
        "kind",
        "amount",
        "shipment",
        "as_shipped",
        "actor",
        "note",
    )
    list_filter = ("kind",)
    search_fields = ("licence__number", "shipment_line__shipment__reference", "note")
    list_select_related = ("licence", "shipment_line__shipment", "actor")
    date_hierarchy = "at"
    actions = None

    @admin.display(description=_("quantity"), ordering="quantity")
    def amount(self, entry: LedgerEntry) -> str:
        return f"{text(entry.quantity)} {entry.unit}"

    @admin.display(description=_("shipment"))
    def shipment(self, entry: LedgerEntry) -> str:
        return str(entry.shipment_line.shipment)

    @admin.display(description=_("quantity as shipped"))
    def as_shipped(self, entry: LedgerEntry) -> str:
        return f"{text(entry.shipment_quantity)} {entry.shipment_unit}"


class LedgerInline(RecordInline):
    model = LedgerEntry
    fields = ("at", "line", "kind", "quantity", "unit", "note")
    readonly_fields = fields


class LicenceVersionInline(RecordInline):
    model = LicenceVersion
    fields = ("number", "valid_from", "valid_until", "destination_country", "reason")
    readonly_fields = fields


@admin.register(Licence)
class LicenceAdmin(RecordAdmin):
    list_display = ("number", "kind", "holder", "status", "valid_until", "recorded_at")
    list_filter = ("status", "kind")
    search_fields = ("number",)
    list_select_related = ("kind", "holder", "current")
    inlines = (LicenceVersionInline, LedgerInline)

    @admin.display(description=_("valid until (inclusive)"), ordering="current__valid_until")
    def valid_until(self, licence: Licence) -> Any:
        return licence.current.valid_until if licence.current else None


@admin.register(LicenceApplication)
class LicenceApplicationAdmin(RecordAdmin):
    list_display = (
        "__str__",
        "kind",
        "state",
        "contract_reference",
        "destination_country",
        "filed_on",
        "decision_due",
        "prepared_by",
    )
    list_filter = ("state", "kind")
    search_fields = ("contract_reference", "authority_reference")
    list_select_related = ("kind", "prepared_by")


# --- shipments -----------------------------------------------------------------------------------


def _reason_labels(stored: list[dict[str, Any]]) -> str:
    return "; ".join(dict.fromkeys(reasons.label(r["code"]) for r in stored)) or "—"


class ShipmentLineInline(RecordInline):
    model = ShipmentLine
    fields = ("position", "product", "amount", "result_label", "reason_labels", "licence")
    readonly_fields = fields

    @admin.display(description=_("quantity"))
    def amount(self, line: ShipmentLine) -> str:
        return f"{text(line.quantity)} {line.unit}"

    @admin.display(description=_("result"))
    def result_label(self, line: ShipmentLine) -> str:
        return str(RESULT_LABELS.get(line.result, line.result))

    @admin.display(description=_("reasons"))
    def reason_labels(self, line: ShipmentLine) -> str:
        return _reason_labels(line.reasons)


class ShipmentCheckInline(RecordInline):
    model = ShipmentCheck
    fields = ("at", "as_of", "result_label", "reason_labels", "rule_set_version", "trigger")
    readonly_fields = fields

    @admin.display(description=_("result"))
    def result_label(self, check: ShipmentCheck) -> str:
        return str(RESULT_LABELS.get(check.result, check.result))

    @admin.display(description=_("reasons"))
    def reason_labels(self, check: ShipmentCheck) -> str:
        every = check.reasons + [r for line in check.lines for r in line["reasons"]]
        return _reason_labels(every)


@admin.register(Shipment)
class ShipmentAdmin(RecordAdmin):
    """Export orders with their lines and checks, as the release gate left them."""

    list_display = (
        "reference",
        "state",
        "hold_reasons",
        "planned_ship_date",
        "destination_country",
        "consignee",
        "end_user",
        "source",
    )
    list_filter = ("state", "destination_country", "source")
    search_fields = ("reference", "consignee__name", "end_user__name")
    list_select_related = ("consignee", "end_user", "entered_by", "last_check")
    date_hierarchy = "planned_ship_date"
    inlines = (ShipmentLineInline, ShipmentCheckInline)

    @admin.display(description=_("hold reasons"))
    def hold_reasons(self, shipment: Shipment) -> str:
        check = shipment.last_check
        if check is None or check.result != "hold":
            return "—"
        return _reason_labels(check.reasons + [r for line in check.lines for r in line["reasons"]])
