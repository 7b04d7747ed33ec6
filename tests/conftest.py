"""Personas for every access level, and helpers shared by the whole suite."""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import functools

import pytest
from django.contrib.auth.models import Group

from rules.access import ANALYST, REVIEWER, RULES_ADMIN, ensure_roles
from rules.catalogue_data import load_shipped
from rules.publishing import ensure_shipped_catalogue

PASSWORD = "correct-horse-battery-staple-42"
# What a publisher states besides the version label (rules.publishing.publish).
PUBLISHING = {
    "rationale": "The thresholds follow the announcement's text.",
    "source": "MOFCOM announcement, read on 2026-11-20",
}
SUSPENDED_DAY = dt.date(2026, 11, 1)  # No. 58 suspended by No. 70
IN_FORCE_DAY = dt.date(2026, 12, 1)  # after the suspension window ended


def pytest_collection_modifyitems(config, items):
    """The tests marked `heavy` first, then the others, each in the order collected; on
    PostgreSQL the ones that cannot differ there are skipped (_skip_on_postgres).

    make test's pytest-xdist hands each worker a whole module (or class) at a time in the order
    collected (Makefile: PYTEST_DIST): a long test collected last keeps one worker busy while
    the other has nothing left. Started first, the long ones run beside the many short ones,
    and the workers finish together."""
    items[:] = sorted(items, key=lambda item: item.get_closest_marker("heavy") is None)
    _skip_on_postgres(items)


def _skip_on_postgres(items):
    """On PostgreSQL (make test-postgres) the tests marked `any_database`, `layout` or
    `htmx_twin` are skipped; make test, which CI runs first, runs them.

    - `any_database`: they never touch the test database (rule evaluation, the matcher and its
      name pairs, file readers, children on a SQLite file of their own; _touches_no_database
      holds them to it), so their result is the same on either.
    - `layout`: what the browser alone decides (accessibility, words and long text wrapping,
      phone widths, the README's screenshots, what the content security policy lets run); the
      data on those pages come from views that the other tests, browser journeys among them,
      run on PostgreSQL too.
    - `htmx_twin`: an access-matrix test repeated with HX-Request. The view, its permission
      checks and its queries are the same as for the page (rules.responses.page_or_fragment
      only picks the template), and the page's test runs on PostgreSQL."""
    from django.conf import settings

    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        return
    skip = pytest.mark.skip(reason="the same on any database: make test runs it (SQLite)")
    for item in items:
        if any(item.get_closest_marker(m) for m in ("any_database", "layout", "htmx_twin")):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _touches_no_database(request):
    """A test marked `any_database` that used the test database after all (asked for it, even
    by request.getfixturevalue) fails: make test-postgres would skip what it checks there. So
    does a `heavy` one that flushed it (a transactional test): it runs before the tests that
    expect the migrated rows, which Django orders before every transactional test."""
    yield
    used = "django_db_setup" in request.fixturenames
    if request.node.get_closest_marker("any_database") and used:
        pytest.fail("marked any_database, but used the test database")
    flushed = {"transactional_db", "live_server"} & set(request.fixturenames)
    if request.node.get_closest_marker("heavy") and flushed:
        pytest.fail("marked heavy (run first), but flushes the test database")


@pytest.fixture(scope="session", autouse=True)
def _connections_close_after_each_request():
    """No persistent connections in tests.

    With CONN_MAX_AGE > 0 a live-server thread keeps its PostgreSQL connection open between the
    requests of a browser's keep-alive socket; a browser still holding such a socket when the
    session ends keeps a session on the test database and PostgreSQL refuses to drop it.
    """
    from django.db import connections

    for alias in connections:
        connections.settings[alias]["CONN_MAX_AGE"] = 0


# What every test runs with (the autouse fixtures below), and rows made once for a class of
# tests are made with (SharedRows.making).
FAST_PASSWORDS = {"PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"]}
NO_DASHBOARD_CACHE = {
    "DASHBOARD_FRESH_SECONDS": 0,
    "CACHES": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
}


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    for name, value in FAST_PASSWORDS.items():
        setattr(settings, name, value)


@pytest.fixture(autouse=True)
def _no_dashboard_cache(settings):
    """Tests see the figures as of their own data; tests of the cache turn it on."""
    for name, value in NO_DASHBOARD_CACHE.items():
        setattr(settings, name, value)


@pytest.fixture(autouse=True)
def _language_reset():
    """Each test starts in the default language: a request in Chinese leaves its language active
    in the thread (LocaleMiddleware activates it and nothing deactivates it in tests)."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(scope="session")
def shipped():
    """The shipped catalogue (no database)."""
    return load_shipped()


@pytest.fixture(scope="session")
def china(shipped):
    """The shipped catalogue as a default screening sees it: the Chinese regime."""
    return shipped.for_regimes(["CN"])


@pytest.fixture
def rule_set(db):
    """The published rule set, loaded as `migrate` loads it."""
    from rules.models import RuleSet

    ensure_roles()
    ensure_shipped_catalogue()
    return RuleSet.objects.current()


def make_user(django_user_model, username, role=None, **extra):
    user = django_user_model.objects.create_user(
        username=username, email=f"{username}@example.com", password=PASSWORD, **extra
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


# persona: (username, role, extra fields); "superuser" is made by create_superuser.
PERSONA_USERS = {
    "analyst": ("alice_analyst", ANALYST, {}),
    "analyst2": ("arthur_analyst", ANALYST, {}),
    "reviewer": ("rita_reviewer", REVIEWER, {}),
    "reviewer2": ("roger_reviewer", REVIEWER, {}),
    "rules_admin": ("rob_rules", RULES_ADMIN, {"is_staff": True}),
    "rules_admin2": ("ruth_rules", RULES_ADMIN, {"is_staff": True}),
    "outsider": ("olga_outsider", None, {}),  # logged in, but with no role
}


def make_persona(django_user_model, persona: str):
    if persona == "superuser":
        return django_user_model.objects.create_superuser("sam_super", "sam@example.com", PASSWORD)
    username, role, extra = PERSONA_USERS[persona]
    return make_user(django_user_model, username, role, **extra)


@pytest.fixture
def analyst(db, rule_set, django_user_model):
    return make_persona(django_user_model, "analyst")


@pytest.fixture
def analyst2(db, rule_set, django_user_model):
    return make_persona(django_user_model, "analyst2")


@pytest.fixture
def reviewer(db, rule_set, django_user_model):
    return make_persona(django_user_model, "reviewer")


@pytest.fixture
def reviewer2(db, rule_set, django_user_model):
    return make_persona(django_user_model, "reviewer2")


@pytest.fixture
def rules_admin(db, rule_set, django_user_model):
    return make_persona(django_user_model, "rules_admin")


@pytest.fixture
def rules_admin2(db, rule_set, django_user_model):
    return make_persona(django_user_model, "rules_admin2")


@pytest.fixture
def outsider(db, rule_set, django_user_model):
    """Logged in, but with no role."""
    return make_persona(django_user_model, "outsider")


@pytest.fixture
def superuser(db, rule_set, django_user_model):
    return make_persona(django_user_model, "superuser")


PERSONAS = ("analyst", "reviewer", "rules_admin", "outsider", "superuser")


@pytest.fixture
def persona(request):
    """Indirect parametrisation: the persona fixture named by the parameter."""
    return request.getfixturevalue(request.param)


def client_for(client, user):
    client.force_login(user)
    return client


TINY_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def screen_cell(user, sku="CELL-1", energy="310", as_of=IN_FORCE_DAY, destination="DE"):
    """Record and screen the li-ion cell `screened` makes, as `user`."""
    from screening import products

    sku_as_parsed, fields = _spec_fields(sku, energy, destination)
    spec, _ = products.record_spec(
        sku=sku_as_parsed, revision="", fields=copy.deepcopy(fields), user=user
    )
    return products.screen_spec(spec=spec, as_of=as_of, user=user)


@pytest.fixture
def screened(analyst):
    """A screened li-ion cell at 310 Wh/kg as of 2026-12-01: licence required under 3A001."""

    def make(sku="CELL-1", energy="310", as_of=IN_FORCE_DAY, user=None, destination="DE"):
        return screen_cell(user or analyst, sku, energy, as_of, destination)

    return make


@functools.cache
def _spec_fields(sku: str, energy: str, destination: str) -> tuple[str, dict]:
    """(sku as parsed, SpecVersion fields) of the cell `screened` makes: the same every time,
    and most tests ask for the same few, so parsed once a session (callers copy the fields)."""
    import pandas as pd

    from rules.specs import parse_specs
    from screening import products

    parsed = parse_specs(
        pd.DataFrame(
            [
                {
                    "sku": sku,
                    "name": f"Cell {sku}",
                    "category": "battery_cell",
                    "subtype": "li_ion",
                    "energy_density_wh_per_kg": energy,
                    "destination_country": destination,
                    "annual_export_value_usd": "250000",
                }
            ],
            dtype=object,
        )
    )
    row = parsed.specs.iloc[0]
    return row["sku"], products.spec_fields(row)


def case_of_cell(state, analyst, reviewer, sku, **cell):
    """A case of the cell screen_cell makes (`cell`: its energy, date, destination), prepared by
    `analyst` and reviewed by `reviewer`, brought to `state` through the workflow."""
    from screening.demo import bring_to

    screening = screen_cell(analyst, sku=sku, **cell)
    return bring_to(screening, state, {"analyst": analyst, "reviewer": reviewer})


@pytest.fixture
def case_in(analyst, reviewer):
    """A case prepared by `analyst` (and reviewed by `reviewer`) brought to a given state."""
    counter = iter(range(1, 10_000))

    def make(state, **cell):
        return case_of_cell(state, analyst, reviewer, f"CASE-{next(counter)}", **cell)

    return make


class SharedRows:
    """Rows made once for a class of tests, in one transaction around the class that is rolled
    back after its last test (see `class_transaction`)."""

    def __init__(self, blocker):
        self.blocker = blocker

    @contextlib.contextmanager
    def transaction(self):
        """A transaction (a savepoint when inside another) rolled back when the block ends."""
        from django.db import transaction

        with self.blocker.unblock():
            atomic = transaction.atomic()
            atomic._from_testcase = True  # as Django's TestCase marks its own
            atomic.__enter__()
        try:
            yield
        finally:
            with self.blocker.unblock():
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)

    @contextlib.contextmanager
    def making(self, **more_settings):
        """Database access, with the tests' settings and these, to make the shared rows."""
        from django.test import override_settings

        tests = {**FAST_PASSWORDS, **NO_DASHBOARD_CACHE}
        with self.blocker.unblock(), override_settings(**tests, **more_settings):
            yield


@pytest.fixture(scope="class")
def class_transaction(django_db_setup, django_db_blocker):
    """One transaction around a class of tests, rolled back after its last test: what the
    class's own fixtures make in it (`with class_transaction.making(): ...`) is made once and
    seen by every test of the class, while each test's own transaction, a savepoint inside this
    one, is rolled back after it as usual. Django's TestCase.setUpTestData, for pytest; the
    tests must ask for `db` (not transactional_db) and should read the shared rows afresh by
    primary key. A class-scoped fixture parametrised by what it makes (`indirect`, grouped by
    pytest) wraps its rows in `class_transaction.transaction()`, rolled back before the next
    parameter's."""
    shared = SharedRows(django_db_blocker)
    with shared.transaction():
        yield shared


@pytest.fixture(scope="class")
def class_personas(class_transaction):
    """Every persona's user, made once for a class of tests (see class_transaction)."""
    from django.contrib.auth import get_user_model

    with class_transaction.making():
        ensure_roles()
        ensure_shipped_catalogue()
        return {
            name: make_persona(get_user_model(), name) for name in (*PERSONA_USERS, "superuser")
        }


@pytest.fixture(scope="class")
def class_sign_in(class_transaction, class_personas):
    """`sign_in(client, persona)`: the client carries a session of the persona's, signed in
    once for the class (as `client.force_login` does, without a login per test: the session's
    rows are the class's; a test's changes to them are rolled back after it)."""
    from django.conf import settings
    from django.test import Client

    keys = {}
    with class_transaction.making():
        for name, user in class_personas.items():
            browser = Client()
            browser.force_login(user)
            keys[name] = browser.cookies[settings.SESSION_COOKIE_NAME].value

    def sign_in(client, persona):
        client.cookies[settings.SESSION_COOKIE_NAME] = keys[persona]

    return sign_in


def _audit_guard():
    """The audit's triggers as a new database's migration makes them: (forwards, backwards),
    each called with a schema editor."""
    import importlib

    squashed = importlib.import_module("rules.migrations.0001_squashed_0017_audit_triggers_always")

    def forwards(editor):
        squashed.audit_append_only(None, editor)

    def backwards(editor):
        squashed.audit_changeable(None, editor)

    return forwards, backwards


class _Editor:
    """Enough of a schema editor for the audit triggers' migrations."""

    def __init__(self):
        from django.db import connection

        self.connection = connection

    def execute(self, sql):
        with self.connection.cursor() as cursor:
            cursor.execute(sql)


@pytest.fixture
def audit_flushable(transactional_db):
    """Transactional tests end with a flush, which the audit triggers refuse (as they should on
    a real database). Lift them for the flush only: they hold for the test itself, and are put
    back as the migrations leave them once the flush is done (its post_migrate signal), for the
    tests that run next on this database."""
    from django.db.models.signals import post_migrate

    forwards, backwards = _audit_guard()
    editor = _Editor()

    def as_migrated(**kwargs):
        post_migrate.disconnect(dispatch_uid="tests-audit-rearm")  # sent once per app
        backwards(editor)
        forwards(editor)

    as_migrated()
    yield
    backwards(editor)
    post_migrate.connect(as_migrated, weak=False, dispatch_uid="tests-audit-rearm")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """On PostgreSQL, end connections that threads of the tests left open (a live server's, a
    race test's) before the test database is dropped, which they would otherwise block."""
    yield
    with django_db_blocker.unblock():
        from django.db import connection

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )


@pytest.fixture
def api_token(rule_set):
    """A live API token: (token, secret) for a role and scopes, issued as admin does."""
    from django.utils import timezone

    from rules import tokens
    from rules.models import ApiToken

    counter = iter(range(1, 10_000))

    def make(role=ANALYST, scopes=("screen", "read", "write_specs"), *, name=None, days=30):
        token = ApiToken(
            name=name or f"erp-{next(counter)}",
            role=role,
            scopes=list(scopes),
            expires_at=timezone.now() + dt.timedelta(days=days),
        )
        secret = tokens.issue(token, created_by=None)
        return token, secret

    return make
