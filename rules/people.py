"""The language a person chose: remembered on their profile when they switch it in the header,
used for their pages on any browser they log in from, and for every e-mail sent to them
(translation.override per recipient: not the language of whoever's action sent it)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.i18n import set_language as django_set_language

from rules.models import Profile


def known(code: str | None) -> bool:
    return code in dict(settings.LANGUAGES)


def language_of(user: AbstractBaseUser | AnonymousUser | None) -> str:
    """The language a person chose, or the site's default."""
    if user is None or not user.is_authenticated:
        return settings.LANGUAGE_CODE
    return languages_of([user]).get(user.pk, settings.LANGUAGE_CODE)


def languages_of(users: Iterable[AbstractBaseUser]) -> dict[int, str]:
    """Each person's language by primary key (the default for those who chose none), in one
    query."""
    pks = [user.pk for user in users]
    chosen = dict(
        Profile.objects.filter(user_id__in=pks)
        .exclude(language="")
        .values_list("user_id", "language")
    )
    return {pk: chosen[pk] if known(chosen.get(pk)) else settings.LANGUAGE_CODE for pk in pks}


def in_language_of(user: AbstractBaseUser | None) -> AbstractContextManager[None]:
    """`with in_language_of(user):` words said to that person are in their language."""
    return translation.override(language_of(user))


def mail_in_their_language(
    recipients: Iterable[User | None],
    compose: Callable[[], tuple[str, str]],
    *,
    logger: logging.Logger,
) -> None:
    """After the transaction commits, one e-mail per language among the recipients (those with
    an address): `compose` gives (subject, body) and is called in each language. A mail outage
    is logged, never raised: it must not undo what the transaction recorded."""
    people = {user.pk: user for user in recipients if user is not None and user.email}
    if not people:
        return
    languages = languages_of(people.values())
    addresses: dict[str, set[str]] = {}
    for pk, user in people.items():
        addresses.setdefault(languages[pk], set()).add(user.email)
    mails = []
    for language, emails in sorted(addresses.items()):
        with translation.override(language):
            subject, body = compose()
        mails.append((subject, body, sorted(emails)))

    def deliver() -> None:
        for subject, body, emails in mails:
            try:
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, emails)
            except OSError:
                logger.exception("could not send notification %r", subject)

    transaction.on_commit(deliver)


def remember_language(user: AbstractBaseUser, code: str) -> None:
    if known(code):
        Profile.objects.update_or_create(user_id=user.pk, defaults={"language": code})


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch (the cookie), which also remembers a signed-in person's choice."""
    response = django_set_language(request)
    cookie = response.cookies.get(settings.LANGUAGE_COOKIE_NAME)
    if cookie is not None and request.user.is_authenticated:
        remember_language(request.user, cookie.value)
        request.session[SESSION_KEY] = cookie.value
    return response


SESSION_KEY = "preferred_language"


def remember_in_session(request: HttpRequest, user: AbstractBaseUser) -> None:
    """At login: the person's language, kept in their session so that pages need no query."""
    chosen = Profile.objects.filter(user_id=user.pk).values_list("language", flat=True).first()
    if chosen and known(chosen):
        request.session[SESSION_KEY] = chosen


def language_at_login(
    sender: object, request: HttpRequest | None, user: AbstractBaseUser, **kwargs: object
) -> None:
    """user_logged_in receiver (connected in RulesConfig.ready)."""
    if request is not None and hasattr(request, "session"):
        remember_in_session(request, user)


class PreferredLanguageMiddleware:
    """A signed-in person whose browser has no language cookie (another browser, a cleared one)
    reads the pages in the language they chose (kept in the session at login), and the browser
    is told so."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = None
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES and hasattr(request, "session"):
            chosen = request.session.get(SESSION_KEY)
        if not isinstance(chosen, str) or not known(chosen):
            return self.get_response(request)
        translation.activate(chosen)
        request.LANGUAGE_CODE = chosen
        response = self.get_response(request)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            chosen,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        return response
