"""The project's URLs plus a view that fails, to see the server-error page as a user would."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns

LEAK = "SELECT password FROM auth_user WHERE secret = 'django-insecure-local-development-only'"


def fail(request: HttpRequest) -> HttpResponse:
    raise RuntimeError(LEAK)


urlpatterns = [*project_urlpatterns, path("__fail__/", fail, name="fail")]
