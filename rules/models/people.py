"""What a person chose for themselves: the language of their pages and of their e-mails."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Profile(models.Model):
    """One per user who chose something (rules.people reads and writes it)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name=_("user"),
    )
    # A code of settings.LANGUAGES ("" until the person chooses): set by the header's language
    # switch, used for their pages on any browser and for every e-mail sent to them.
    language = models.CharField(_("language"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return f"{self.user} ({self.language or '-'})"
