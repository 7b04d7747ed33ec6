"""Django admin for products. Spec versions and screenings are records: read-only here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rules.access import ROLE_LABELS, signed_in
from screening.models import Case, Product, Screening, SpecVersion
from screening.retention import delete_case
from screening.workflow import WorkflowError


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Product)
class ProductAdmin(ReadOnlyAdmin):
    list_display = ("sku", "revision", "current_spec", "latest_screening", "created_at")
    search_fields = ("sku", "current_spec__name")
    list_select_related = ("current_spec", "latest_screening")


@admin.register(SpecVersion)
class SpecVersionAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "name", "category", "subtype", "source", "created_at", "created_by")
    list_filter = ("category", "source")
    search_fields = ("product__sku", "name", "manufacturer")
    list_select_related = ("product", "created_by")


@admin.register(Screening)
class ScreeningAdmin(ReadOnlyAdmin):
    list_display = ("product", "as_of", "outcome", "rule_set_version", "created_at", "created_by")
    list_filter = ("outcome", "rule_set_version")
    search_fields = ("product__sku",)
    list_select_related = ("product", "created_by")


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Cases in admin: read-only. States change only through the workflow; deletion follows the
    retention rules and legal holds (screening.retention.delete_case)."""

    list_display = (
        "__str__",
        "state",
        "automated_outcome",
        "determination",
        "prepared_by",
        "approved_by",
        "legal_hold",
        "last_activity_at",
    )
    list_filter = ("state", "automated_outcome", "determination", "legal_hold")
    search_fields = ("product__sku", "end_user")
    list_select_related = ("product", "prepared_by", "approved_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Superusers may ask; whether this case may go is the retention rule's answer, which
        # delete_view gives in words (not a bare "permission denied").
        return request.user.is_superuser

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        case = self.get_object(request, object_id)
        blocked = case.deletion_blocked_because() if case is not None else ""
        if case is not None and blocked:
            self.message_user(
                request,
                _("%(case)s cannot be deleted: %(why)s.") % {"case": case, "why": blocked},
                messages.ERROR,
            )
            return redirect(reverse("admin:screening_case_change", args=[case.pk]))
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request: HttpRequest, obj: Case) -> None:
        delete_case(case=obj, user=signed_in(request), reason="deleted in admin")

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for case in queryset:
            try:
                delete_case(case=case, user=signed_in(request), reason="deleted in admin")
            except WorkflowError as exc:
                self.message_user(request, f"{case}: {exc}", messages.ERROR)


admin.site.unregister(User)


@admin.register(User)
class PeopleAdmin(UserAdmin):
    """Users with their roles in the list, so an administrator sees who may do what."""

    list_display = ("username", "get_full_name", "email", "roles", "is_active", "last_login")
    list_filter = ("groups", "is_active", "is_superuser")

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=gettext_lazy("roles"))
    def roles(self, user: User) -> str:
        names = [str(ROLE_LABELS.get(g.name, g.name)) for g in user.groups.all()]
        if user.is_superuser:
            names.insert(0, str(gettext_lazy("superuser")))
        return ", ".join(names) or "—"
