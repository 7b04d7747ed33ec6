"""Django admin for products. Spec versions and screenings are records: read-only here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from screening.models import Product, Screening, SpecVersion


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
