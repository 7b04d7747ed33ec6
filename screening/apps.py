from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "screening"
    verbose_name = _("Screening")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the background tasks by name (rules.background): the domain queues them
        # without importing the task module, which stays a leaf.
        from screening import tasks  # noqa: F401 -- imported for its registrations
        from screening.imports import screened

        # The fingerprint of the code this process runs, taken before anything can change it.
        screened.code_fingerprint()
