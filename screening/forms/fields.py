"""Fields and form behaviour the screening forms share: the as-of date (and the confirmation an
implausible one needs), the regimes, and no silent truncation at maxlength."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rules.catalogue import Catalogue
from rules.forms import DateInput
from rules.labels import regime_label


def today() -> dt.date:
    return timezone.localdate()


class AsOfField(forms.DateField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Screen as of"))
        kwargs.setdefault("initial", today)
        kwargs.setdefault(
            "help_text", _("The date whose legal status applies (default: today, China time).")
        )
        kwargs.setdefault("widget", DateInput())
        super().__init__(**kwargs)


class NoSilentTruncation:
    """Browsers cut what is typed or pasted at an input's maxlength without a word; without the
    attribute the server's length check refuses over-long input with a message instead, and
    the input stays in the form for the user to shorten."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            field.widget.attrs.pop("maxlength", None)


def implausible_as_of(day: dt.date, catalogue: Catalogue | None) -> str:
    """Why an as-of date is probably a typo ("" when it is plausible): before the earliest
    measure of the catalogue was published, or more than SCREENING["AS_OF_YEARS_AHEAD"] years
    ahead of today."""
    if catalogue is not None and catalogue.measures:
        earliest = min(m.published for m in catalogue.measures)
        if day < earliest:
            return _(
                "%(day)s is before the earliest measure of the catalogue (%(earliest)s): nothing "
                "was controlled then. Check the date."
            ) % {"day": day.isoformat(), "earliest": earliest.isoformat()}
    years = settings.SCREENING["AS_OF_YEARS_AHEAD"]
    today_ = today()
    try:
        horizon = today_.replace(year=today_.year + years)
    except ValueError:  # 29 February
        horizon = today_.replace(year=today_.year + years, day=28)
    if day > horizon:
        return _(
            "%(day)s is more than %(years)s years ahead: the catalogue cannot know the law then. "
            "Check the date."
        ) % {"day": day.isoformat(), "years": years}
    return ""


class ConfirmAsOfMixin(forms.Form):
    """An implausible as-of date is refused until the user ticks that they mean it."""

    confirm_as_of = forms.BooleanField(
        label=_("Yes, screen as of this date"), required=False, widget=forms.CheckboxInput
    )
    as_of_needs_confirmation = False

    def as_of_catalogue(self) -> Catalogue | None:
        return getattr(self, "catalogue", None)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        day = cleaned.get("as_of")
        if day and not cleaned.get("confirm_as_of"):
            problem = implausible_as_of(day, self.as_of_catalogue())
            if problem:
                self.as_of_needs_confirmation = True
                self.add_error("as_of", problem)
        return cleaned


class RegimesField(forms.MultipleChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Regimes"))
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def configure(self, catalogue: Catalogue) -> None:
        self.choices = [(r, regime_label(r)) for r in catalogue.regimes]
        self.initial = [r for r in catalogue.regimes if r in settings.SCREENING["DEFAULT_REGIMES"]]

    def clean(self, value: Any) -> list[str]:
        """None chosen (or the field left out of a request) means the default regimes."""
        return super().clean(value) or list(self.initial)
