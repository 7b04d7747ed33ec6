"""Product and screening pages. Each view: access check → form → one domain call → render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rules.access import can, require, signed_in
from rules.responses import page_or_fragment
from screening import products
from screening.forms.specs import ProductSearchForm, ScreenForm, SpecForm, initial_from_spec
from screening.models import Case, Product, Screening, SpecVersion
from screening.paging import CappedPaginator

PAGE_SIZE = 25


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Each role starts where its work is: analysts at their queue, reviewers and managers at
    the dashboard, rules administrators at the rule sets."""
    user = request.user
    if can(user, "prepare_cases") and not user.is_superuser:
        return redirect(f"{reverse('case_list')}?queue=true")
    if can(user, "review_cases") or user.is_superuser:
        return redirect("dashboard")
    if can(user, "publish_rules"):
        return redirect("ruleset_list")
    return redirect("product_list")


@require_GET
@require("view")
def product_list(request: HttpRequest) -> HttpResponse:
    form = ProductSearchForm(request.GET)
    form.is_valid()
    query = form.cleaned_data if form.is_bound else {}
    chosen = {k: query.get(k) or "" for k in ("category", "destination", "outcome", "entry")}
    found = Product.objects.for_list().search(query.get("q") or "").matching(**chosen)
    page = CappedPaginator(found.order_by("sku", "revision"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"form": form, "page": page}
    return page_or_fragment(
        request, "screening/product_list.html", "screening/_product_rows.html", context
    )


def _spec_form(request: HttpRequest, product: Product | None) -> SpecForm:
    catalogue = products.current_rule_set().catalogue()
    initial = initial_from_spec(product.current_spec) if product and product.current_spec else {}
    data = request.POST if request.method == "POST" else None
    # For an existing product, sku and revision are disabled fields: they keep their initial.
    return SpecForm(data, initial=initial, catalogue=catalogue, product_fixed=product is not None)


@require_http_methods(["GET", "POST"])
@require("edit_specs")
def spec_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Enter a new product, or a new spec version of an existing one; then screen it."""
    user = signed_in(request)
    product = get_object_or_404(Product, pk=pk) if pk is not None else None
    form = _spec_form(request, product)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        row = form.parsed()
        with transaction.atomic():  # never a current spec without its screening
            spec, created = products.record_spec(
                sku=row["sku"],
                revision=row["revision"],
                fields=products.spec_fields(row, form.spec_warnings),
                user=user,
            )
            screening = products.screen_spec(
                spec=spec, as_of=data["as_of"], user=user, regimes=data["regimes"]
            )
        if not created:
            messages.info(request, _("The spec is unchanged; it was screened again."))
        return redirect(screening)
    return render(request, "screening/spec_form.html", {"form": form, "product": product})


@require_GET
@require("edit_specs")
def spec_fields(request: HttpRequest) -> HttpResponse:
    """The subtype and parameter fields for the chosen category (htmx fragment)."""
    catalogue = products.current_rule_set().catalogue()
    form = SpecForm(request.GET, catalogue=catalogue)
    return render(request, "screening/_spec_fields.html", {"form": form})


@require_GET
@require("view")
def product_detail(request: HttpRequest, pk: int) -> HttpResponse:
    product = get_object_or_404(Product.objects.select_related("current_spec"), pk=pk)
    form = ScreenForm(catalogue=products.current_rule_set().catalogue())
    return _product_page(request, product, form)


def _product_page(request: HttpRequest, product: Product, screen_form: ScreenForm) -> HttpResponse:
    """The product page, with the screen form as given (bound when it has errors)."""
    context = {
        "product": product,
        "spec": product.current_spec,
        "specs": product.specs.select_related("created_by").order_by("-number"),
        "screenings": product.screenings.select_related("spec", "created_by")[:50],
        "screen_form": screen_form,
    }
    return render(request, "screening/product_detail.html", context)


@require_POST
@require("screen")
def product_screen(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    product = get_object_or_404(Product.objects.select_related("current_spec"), pk=pk)
    form = ScreenForm(request.POST, catalogue=products.current_rule_set().catalogue())
    if product.current_spec is None:
        messages.error(request, _("This product has no spec to screen."))
        return redirect(product)
    if not form.is_valid():
        # Errors beside their fields, the input kept.
        return _product_page(request, product, form)
    screening = products.screen_spec(
        spec=product.current_spec,
        as_of=form.cleaned_data["as_of"],
        user=user,
        regimes=form.cleaned_data["regimes"],
    )
    return redirect(screening)


@require_GET
@require("view")
def screening_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    screening = get_object_or_404(
        Screening.objects.select_related("product", "spec", "rule_set", "created_by"), pk=pk
    )
    result = products.explain(screening)
    context = {
        "screening": screening,
        "product": screening.product,
        "spec": screening.spec,
        "result": result,
        "catalogue": screening.rule_set.catalogue(),
        "cases": Case.objects.visible_to(user).filter(screening=screening),
    }
    return render(request, "screening/screening_detail.html", context)


@require_GET
@require("view")
def spec_detail(request: HttpRequest, pk: int) -> HttpResponse:
    spec = get_object_or_404(SpecVersion.objects.select_related("product", "created_by"), pk=pk)
    return render(request, "screening/spec_detail.html", {"spec": spec, "product": spec.product})


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness and database check for load balancers (public)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
