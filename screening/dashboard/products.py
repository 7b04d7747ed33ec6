"""Products by their latest outcome: what the rules in force say today, where cases keep the
outcome they were opened with. Its bars open the product list, which every role may read."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pandas as pd
from django.db.models import Count, F, QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rules.labels import category_label
from rules.vocabulary import CATEGORIES, OUTCOMES
from screening.dashboard.charts import Chart, Table, cases_and_value, chart, rows
from screening.dashboard.filters import filtered_product_rollup, filtered_products
from screening.dashboard.section import Scope, Section, View, frame, sorted_by_outcome
from screening.dashboard.theme import CATEGORY_COLOURS, count, outcome_label, usd
from screening.models import Product, ProductRollup


def products_by_latest_outcome(
    products: QuerySet[Product], rollup: QuerySet[ProductRollup] | None = None
) -> pd.DataFrame:
    """Products and their annual export value by latest outcome and category: what the rules
    in force say today, where case outcomes stay as they were frozen. One query: the product
    summary's rows when the filters are on its dimensions (`rollup`), otherwise the products."""
    grouped: QuerySet[Any]
    if rollup is not None:
        grouped = (
            rollup.values("outcome", cat=F("category"))
            .annotate(n=Sum("product_count"), value_usd=Sum("value_sum_usd"))
            .filter(n__gt=0)  # rows emptied by later writes stay in the summary
            .order_by()
        )
    else:
        grouped = (
            products.values(outcome=F("latest_screening__outcome"), cat=F("current_spec__category"))
            .annotate(n=Count("pk"), value_usd=Sum("current_spec__annual_export_value_usd"))
            .order_by()
        )
    result = frame(grouped, ["outcome", "cat", "n", "value_usd"])
    result = result.rename(columns={"cat": "category", "n": "products"})
    return sorted_by_outcome(result, ["category"])


def compute(scope: Scope) -> dict[str, Any]:
    return {
        "products": products_by_latest_outcome(
            filtered_products(scope.filters), filtered_product_rollup(scope.filters)
        )
    }


def products_chart(products: pd.DataFrame, view: View) -> Chart:
    """Products by their latest outcome (the rules in force), beside the cases' frozen ones.
    Bars open the product list, which every role may read."""
    base = reverse("product_list")
    # The dashboard's filters that select products (filtered_products) go with the bar's own.
    kept = [(k, v) for k, v in view.links.params if k in ("destination", "entry")]

    def link(outcome: str, category: str) -> str:
        return f"{base}?{urlencode([*kept, ('category', category), ('outcome', outcome)])}"

    figure = cases_and_value(
        frame=products.rename(columns={"products": "cases"}),
        along="outcome",
        positions=[o for o in OUTCOMES if o in set(products["outcome"])],
        by="category",
        series=CATEGORIES,
        label=outcome_label,
        name=category_label,
        colour=CATEGORY_COLOURS.__getitem__,
        link=link,
        height=440,
        titles=(_("Products"), _("Annual export value (USD)")),
    )
    table = Table(
        [_("Latest outcome"), _("Category"), _("Products"), _("Annual export value (USD)")],
        ["text", "text", "int", "usd"],
        [
            [outcome_label(r.outcome), category_label(r.category), r.products, r.value_usd]
            for r in rows(products)
        ],
        [link(r.outcome, r.category) for r in rows(products)],
    )
    licensed = products[products["outcome"] == "licence_required"]
    screened = int(products["products"].sum())
    licensed_products = int(licensed["products"].sum())
    summary = _(
        "%(products)s; %(licensed)s, under the rules in force. Cases keep the outcome they were "
        "opened with; the date and state filters do not apply here."
    ) % {
        "products": ngettext(
            "%(n)s screened product worth %(value)s a year",
            "%(n)s screened products worth %(value)s a year",
            screened,
        )
        % {"n": count(screened), "value": usd(products["value_usd"].sum())},
        "licensed": ngettext(
            "%(n)s of them (%(value)s) needs a licence by its latest screening",
            "%(n)s of them (%(value)s) need a licence by their latest screening",
            licensed_products,
        )
        % {"n": count(licensed_products), "value": usd(licensed["value_usd"].sum())},
    }
    return chart(
        "products",
        _("Products by latest outcome"),
        summary,
        table,
        figure,
        view.today,
        csv="products",
        linked=True,
        wide=True,
    )


def charts(products: pd.DataFrame, view: View) -> list[Chart]:
    return [products_chart(products, view)]


SECTION = Section(
    name="products",
    place="exposure",
    fields=("products",),
    compute=compute,
    charts=charts,
    csv={"products": lambda products, view: products_chart(products, view).table},
)
