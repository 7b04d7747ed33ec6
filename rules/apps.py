from typing import Any

from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.core import checks
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RulesConfig(AppConfig):
    name = "rules"
    verbose_name = _("Control catalogue")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # After auth's own handler, so that the permissions the roles need exist.
        post_migrate.connect(load_shipped_catalogue, sender=self)
        from rules.people import language_at_login
        from rules.tokens import check_rate_setting

        checks.register(check_rate_setting)
        # A person's own language, kept in their session from login on (rules.people).
        user_logged_in.connect(language_at_login, dispatch_uid="rules.people.language_at_login")


def load_shipped_catalogue(sender: AppConfig, **kwargs: Any) -> None:
    """After `migrate`, make sure the role groups and the shipped catalogue are in the database.

    This is how `manage.py migrate` alone leaves a database ready to screen, the same way
    Django creates permissions after migrating; unlike a data migration it uses the current
    models, so it keeps working as the models move on. It does nothing when the shipped
    version is already there.
    """
    from rules.access import ensure_roles
    from rules.publishing import ensure_shipped_catalogue

    ensure_roles()
    ensure_shipped_catalogue()
