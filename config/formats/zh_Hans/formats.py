"""Django's Simplified Chinese formats, with thousands separators: amounts and counts read
"250,000" in Chinese as in English (Django's own leave them ungrouped). Dates are formatted
explicitly (ISO) by the templates."""

# Every format of Django's, then two changed (Django ships no types for its locale modules).
from django.conf.locale.zh_Hans.formats import *  # type: ignore[import-untyped]  # noqa: F403

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
