"""Which cases the dashboard counts: the filter form, the filter set it gives, and the cases,
screenings and products that set selects.

The filters' names are the case list's GET parameters, so a view's URL can be shared and a
bar's link to the case list keeps them. Date filters are ranges of times on indexed columns.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any, TypeVar

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rules.forms import DateInput
from rules.labels import OUTCOME_LABELS, category_label, outcome_label
from rules.specs import country_codes
from rules.vocabulary import CATEGORIES, OUTCOMES
from screening.models import (
    Case,
    CaseRollup,
    EntryRollup,
    Product,
    ProductRollup,
    Screening,
    ScreeningEntry,
    ScreeningRollup,
)
from screening.states import State

M = TypeVar("M", CaseRollup, EntryRollup)


@dataclasses.dataclass(frozen=True)
class Filters:
    """Which cases the dashboard counts. The names are the case list's GET parameters."""

    created_after: dt.date | None = None
    created_before: dt.date | None = None
    category: str = ""
    entry: str = ""
    destination: str = ""
    states: tuple[str, ...] = ()
    outcome: str = ""

    def params(self) -> list[tuple[str, str]]:
        """The filters as (name, value) query parameters, understood by the case list too."""
        pairs: list[tuple[str, str]] = []
        if self.created_after:
            pairs.append(("created_after", self.created_after.isoformat()))
        if self.created_before:
            pairs.append(("created_before", self.created_before.isoformat()))
        for name in ("category", "entry", "destination", "outcome"):
            if getattr(self, name):
                pairs.append((name, getattr(self, name)))
        pairs.extend(("state", state) for state in self.states)
        return pairs


def described(filters: Filters) -> list[str]:
    """The filters in words ("Category: Battery cell"), for a reader of an exported chart."""
    words = []
    if filters.created_after:
        words.append(_("Opened from %(date)s") % {"date": filters.created_after.isoformat()})
    if filters.created_before:
        words.append(_("Opened until %(date)s") % {"date": filters.created_before.isoformat()})
    if filters.category:
        words.append(_("Category: %(value)s") % {"value": category_label(filters.category)})
    if filters.states:
        states = ", ".join(str(State(s).label) for s in filters.states if s in State.values)
        words.append(_("State: %(value)s") % {"value": states})
    if filters.outcome:
        words.append(_("Automated outcome: %(value)s") % {"value": outcome_label(filters.outcome)})
    if filters.entry:
        words.append(_("Entry: %(value)s") % {"value": filters.entry})
    if filters.destination:
        words.append(_("Destination: %(value)s") % {"value": filters.destination})
    return [str(w) for w in words]


def from_params(params: list[list[str]]) -> Filters:
    """The filters of Filters.params() again (as a task receives them)."""
    values: dict[str, Any] = {"states": ()}
    for name, value in params:
        if name in ("created_after", "created_before"):
            values[name] = dt.date.fromisoformat(value)
        elif name == "state":
            values["states"] = (*values["states"], value)
        else:
            values[name] = value
    return dataclasses.replace(Filters(), **values)


def _entry_hits(value: str) -> QuerySet[ScreeningEntry, Any]:
    """The screenings (ids) that hit an entry, by its code or key in any case: one scan of the
    hits, which the cases then meet by their screening index (a correlated EXISTS probed the
    hits once per case: seconds over a million cases)."""
    hits = ScreeningEntry.objects.filter(Q(code__iexact=value) | Q(key__iexact=value))
    return hits.order_by().values("screening_id")


def _day_range(filters: Filters) -> dict[str, dt.datetime]:
    """The date filters as a range of times (local days), which the created_at index serves;
    `created_at__date` would compute a date for every row instead."""
    bounds = {}
    if filters.created_after:
        bounds["gte"] = timezone.make_aware(dt.datetime.combine(filters.created_after, dt.time.min))
    if filters.created_before:
        next_day = filters.created_before + dt.timedelta(days=1)
        bounds["lt"] = timezone.make_aware(dt.datetime.combine(next_day, dt.time.min))
    return bounds


def filtered_cases(filters: Filters, cases: QuerySet[Case] | None = None) -> QuerySet[Case]:
    """The cases the filters select, all of them (not only those a user may open)."""
    cases = (Case.objects.all() if cases is None else cases).order_by()
    for lookup, moment in _day_range(filters).items():
        cases = cases.filter(**{f"created_at__{lookup}": moment})
    if filters.category:
        cases = cases.filter(category=filters.category)
    if filters.destination:
        cases = cases.filter(destination_country=filters.destination)
    if filters.states:
        cases = cases.filter(state__in=filters.states)
    if filters.outcome:
        cases = cases.filter(automated_outcome=filters.outcome)
    if filters.entry:
        # IN rather than a join: a case counts once however many entries its screening hit.
        cases = cases.filter(screening_id__in=_entry_hits(filters.entry))
    return cases


def _summary_rows(rows: QuerySet[Any], filters: Filters, *, outcome: str) -> QuerySet[Any]:
    """A summary's rows for the filters on its dimensions (its `created_on` day, category,
    destination, the outcome in `outcome`, and the state where it has one)."""
    if filters.created_after:
        rows = rows.filter(created_on__gte=filters.created_after)
    if filters.created_before:
        rows = rows.filter(created_on__lte=filters.created_before)
    if filters.category:
        rows = rows.filter(category=filters.category)
    if filters.destination:
        rows = rows.filter(destination_country=filters.destination)
    if filters.outcome:
        rows = rows.filter(**{outcome: filters.outcome})
    return rows


def _case_summary_rows(model: type[M], filters: Filters) -> QuerySet[M] | None:
    """A case summary's rows (cases or entry hits) for the cases the filters select, or None
    with an entry filter: the cases' screenings decide, and the cases must be asked."""
    if filters.entry:
        return None
    rows = _summary_rows(model.objects.order_by(), filters, outcome="automated_outcome")
    if filters.states:
        rows = rows.filter(state__in=filters.states)
    return rows


def filtered_rollup(filters: Filters) -> QuerySet[CaseRollup] | None:
    """The case summary's rows for the cases the filters select (None with an entry filter).
    Its days are the cases' local days of creation, as the date filters count them."""
    return _case_summary_rows(CaseRollup, filters)


def filtered_entry_rollup(filters: Filters) -> QuerySet[EntryRollup] | None:
    """The entry summary's rows for the cases the filters select (None with an entry filter:
    which other entries those cases hit is not in the summary)."""
    return _case_summary_rows(EntryRollup, filters)


def filtered_screening_rollup(filters: Filters) -> QuerySet[ScreeningRollup] | None:
    """The screening summary's rows for the screenings filtered_screenings selects (None with an
    entry filter: the screenings' entries decide; a screening has no state)."""
    if filters.entry:
        return None
    return _summary_rows(ScreeningRollup.objects.order_by(), filters, outcome="outcome")


def filtered_screenings(filters: Filters) -> QuerySet[Screening]:
    """Screenings the filters select: the date range applies to when they were made; the case
    state does not apply (a screening has none)."""
    screenings = Screening.objects.order_by()
    for lookup, moment in _day_range(filters).items():
        screenings = screenings.filter(**{f"created_at__{lookup}": moment})
    if filters.category:
        screenings = screenings.filter(spec__category=filters.category)
    if filters.destination:
        screenings = screenings.filter(spec__destination_country=filters.destination)
    if filters.outcome:
        screenings = screenings.filter(outcome=filters.outcome)
    if filters.entry:
        screenings = screenings.filter(pk__in=_entry_hits(filters.entry))
    return screenings


def filtered_products(filters: Filters) -> QuerySet[Product]:
    """Screened products the filters select, by their current spec and latest screening (the
    outcome filter is the latest outcome; the date and state filters are about cases)."""
    return (
        Product.objects.filter(latest_screening__isnull=False)
        .order_by()
        .matching(
            category=filters.category,
            destination=filters.destination,
            outcome=filters.outcome,
            entry=filters.entry,
        )
    )


def filtered_product_rollup(filters: Filters) -> QuerySet[ProductRollup] | None:
    """The product summary's rows for the products filtered_products selects (None with an
    entry filter: the latest screenings' entries decide)."""
    if filters.entry:
        return None
    rows = ProductRollup.objects.order_by()
    if filters.category:
        rows = rows.filter(category=filters.category)
    if filters.destination:
        rows = rows.filter(destination_country=filters.destination)
    if filters.outcome:
        rows = rows.filter(outcome=filters.outcome)
    return rows


# Called when the form is drawn, so the labels are in the reader's language.
def _category_choices() -> list[tuple[str, str]]:
    return [("", str(_("All categories")))] + [(c, category_label(c)) for c in CATEGORIES]


def _outcome_choices() -> list[tuple[str, str]]:
    return [("", str(_("Any outcome")))] + [(o, str(OUTCOME_LABELS[o])) for o in OUTCOMES]


class DashboardForm(forms.Form):
    """The dashboard's filters; the names are the case list's, so a view's URL can be shared
    and a bar's link keeps them. Invalid values are reported and ignored."""

    created_after = forms.DateField(label=_("Opened from"), required=False, widget=DateInput())
    created_before = forms.DateField(label=_("Opened until"), required=False, widget=DateInput())
    category = forms.ChoiceField(label=_("Category"), required=False, choices=_category_choices)
    entry = forms.CharField(
        label=_("Entry code"),
        required=False,
        max_length=80,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. 3A001")}),
    )
    destination = forms.CharField(
        label=_("Destination"),
        required=False,
        max_length=2,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. DE"), "size": 4}),
    )
    state = forms.MultipleChoiceField(
        label=_("State"),
        required=False,
        choices=State.choices,
        # Checkboxes, like the case list's: a list box needed Ctrl-click (issue 18, item 12).
        # The parameter stays `state`, repeated, so shared links keep working.
        widget=forms.CheckboxSelectMultiple,
    )
    outcome = forms.ChoiceField(
        label=_("Automated outcome"), required=False, choices=_outcome_choices
    )
    as_of = forms.DateField(label=_("Compare as of"), required=False, widget=DateInput())
    compare_to = forms.DateField(label=_("with as of"), required=False, widget=DateInput())

    def clean_destination(self) -> str:
        code = (self.cleaned_data.get("destination") or "").strip().upper()
        if code and code not in country_codes():
            raise forms.ValidationError(_("Not an ISO 3166-1 alpha-2 country code."))
        return code

    def clean_entry(self) -> str:
        return (self.cleaned_data.get("entry") or "").strip()

    def filters(self) -> Filters:
        self.is_valid()
        data = self.cleaned_data
        return Filters(
            created_after=data.get("created_after"),
            created_before=data.get("created_before"),
            category=data.get("category") or "",
            entry=data.get("entry") or "",
            destination=data.get("destination") or "",
            states=tuple(data.get("state") or ()),
            outcome=data.get("outcome") or "",
        )

    def dates(self) -> dict[str, Any]:
        return {
            "first": self.cleaned_data.get("as_of"),
            "second": self.cleaned_data.get("compare_to"),
        }
