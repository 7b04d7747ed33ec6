"""Settings for the export-control screening dashboard.

One file, read from environment variables. The defaults run locally on SQLite with no setup;
with DEBUG off the settings fail closed (no default secret key, explicit allowed hosts).
See README.md "Configuration" for every variable.
"""

import datetime as dt
import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return float(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a number, not {value!r}") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105 -- only ever used with DEBUG on

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_filters",
    "simple_history",
    "django_tasks",
    "config.apps.TasksConfig",  # django_tasks_db, its admin name translated
    "csp",
    "config.apps.AxesConfig",  # axes, its admin name translated
    # django-ninja: the API (/api/v1/); listed for its templates and static files, so that its
    # interactive docs load Swagger UI from our own static files, never from a CDN.
    "ninja",
    "rules.apps.RulesConfig",
    "screening.apps.ScreeningConfig",
    "trade.apps.TradeConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outermost but one, so that every response gets the policy: pages, fragments, admin,
    # error pages (downloads set their own stricter one, which it leaves alone).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Ends idle and over-age sessions before LoginRequiredMiddleware looks at the user.
    "rules.sessions.SessionTimeoutMiddleware",
    # A signed-in person's own language when their browser has not chosen one (rules.people).
    "rules.people.PreferredLanguageMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # The API (/api/v1/): every call audited, every error problem details (rules.api).
    "rules.api.ApiMiddleware",
    # Last, as django-axes requires: turns a lockout into the "too many attempts" page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "rules.access.capabilities",
                "rules.context_processors.status_warnings",
            ],
        },
    },
]

# Database: DATABASE_URL selects the engine; the default is a SQLite file in the project.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; IMMEDIATE transactions take the write lock
    # up front, so two writers queue on the busy timeout instead of failing with "database is
    # locked" when a read transaction tries to upgrade.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            # A page cache of up to 128 MB (freed with the connection): the index pages that a
            # 100,000-row import updates stay in memory.
            "PRAGMA cache_size=-131072; PRAGMA temp_store=MEMORY;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_BUSY_TIMEOUT_SECONDS", 20),
    }
# The most page cache (MB) one bulk write on SQLite takes for its transaction (an import of
# 100,000 rows wants about 300; screening.bulk.sqlite_page_cache).
SQLITE_BULK_CACHE_MB = env_int("SQLITE_BULK_CACHE_MB", 512)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a login while its username and address are locked out, before
# the password is even checked; ModelBackend then authenticates (and rejects inactive users on
# every request, which ends the sessions of a disabled account).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling: after AXES_FAILURE_LIMIT failures for one username from one address, logins
# for that pair are refused for AXES_COOLOFF_TIME (a "too many attempts" page, HTTP 429). The
# failures are stored (Django admin → Axes) and logged by the "axes" logger.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Also at most LOGIN_ADDRESS_FAILURE_LIMIT failures from one address across all user names
# (rules.logins.LoginThrottle). Behind proxies, the client address is the one the outermost of
# TRUSTED_PROXY_COUNT proxies appended to X-Forwarded-For (rules.logins.client_address); without
# it every login would seem to come from the proxy, and one address could lock out everyone.
AXES_HANDLER = "rules.logins.LoginThrottle"
AXES_CLIENT_IP_CALLABLE = "rules.logins.client_address"
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 30)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Chinese numbers with thousands separators (config/formats/zh_Hans).
FORMAT_MODULE_PATH = ["config.formats"]
USE_I18N = True
# As-of dates ("today") are taken in this zone; times are stored in UTC.
TIME_ZONE = env("TIME_ZONE", "Asia/Shanghai")
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# plotly.js is served from the installed plotly package (package_data/plotly.min.js) under the
# prefix "plotly/" ({% static 'plotly/plotly.min.js' %}): nothing is copied into the repository, the
# file always matches the installed plotly, and collectstatic copies it for production.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("plotly", Path(__import__("plotly").__path__[0]).resolve() / "package_data"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Locally (DEBUG) WhiteNoise serves files straight from the apps; in production from STATIC_ROOT,
# filled by `collectstatic` (make serve does it).
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
# Uploaded files are never served from MEDIA_URL: they are downloaded through authorised views.

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "screening@localhost")
# The address users reach the app at, for links in e-mails.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

# Security. Secure cookies and HSTS follow DEBUG: on in production, off for local http.
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SESSION_ABSOLUTE_SECONDS", 12 * 3600)
# A session also ends after this long without a request (rules.sessions).
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies in front of the app append X-Forwarded-For (one TLS proxy by default when
# BEHIND_TLS_PROXY is set); the login throttle takes the client's address from it.
TRUSTED_PROXY_COUNT = env_int(
    "TRUSTED_PROXY_COUNT", 1 if env_bool("BEHIND_TLS_PROXY", False) else 0
)
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy on every response (django-csp): scripts only from our own files (no
# inline scripts anywhere; chart data goes through json_script). Styles may be inline because
# plotly.js adds <style> elements at run time; data: and blob: images are its PNG export.
# Downloads of stored files send their own stricter "default-src 'none'; sandbox".
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Lockouts and failed logins are warnings; axes' per-login notes are noise.
        "axes": {"level": env("AXES_LOG_LEVEL", "WARNING")},
    },
}

# Limits on spec spreadsheets (uploads and `manage.py screen`), shown to users on the upload page.
# The keyword arguments of rules.rawtables.FileLimits.
SPEC_FILE_LIMITS: dict[str, Any] = {
    "max_bytes": env_int("SPEC_FILE_MAX_MB", 100) * 1024 * 1024,
    "max_rows": env_int("SPEC_FILE_MAX_ROWS", 300_000),
    "max_columns": 60,
    "max_cell_chars": 2_000,
    "xlsx_max_members": 500,
    "xlsx_max_unpacked_bytes": 600 * 1024 * 1024,
    "xlsx_max_ratio": 250.0,
}

# Records are kept at least this many years after a case's last activity (Dual-Use Items Export
# Control Regulations Art. 27); a legal hold blocks deletion entirely.
RECORDS_RETENTION_YEARS = 5

# Evidence files attached to cases: size limit and the types accepted (checked by content).
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_MB", 20) * 1024 * 1024

# Background work (large imports, re-screening) runs as Django tasks in the database-backed
# queue; `manage.py db_worker` processes it (make run starts one; run several in production).
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# Uploads with more data rows than this are checked and imported in the background.
UPLOAD_SYNC_MAX_ROWS = env_int("UPLOAD_SYNC_MAX_ROWS", 1000)
# Database connections a re-screen writes its chunks on at once (PostgreSQL; SQLite: one).
BULK_WORKERS = env_int("BULK_WORKERS", 2)
# PostgreSQL: an import's COPYs have their foreign keys checked a query per table pointed at
# instead of a query per row (screening.references.references_by_set), where the database role may
# set session_replication_role (a superuser, or GRANT SET ON PARAMETER; see README).
BULK_REFERENCES_BY_SET = env_bool("BULK_REFERENCES_BY_SET", True)
# A check or import without a heartbeat for this long is taken for dead and may be queued again.
UPLOAD_STALLED_SECONDS = env_int("UPLOAD_STALLED_SECONDS", 45)

# The dashboard's figures are cached per section and filter set (see screening/dashboard/cache.py):
# younger than DASHBOARD_FRESH_SECONDS they are served as they are; older ones are served and
# recomputed in the background. The database cache is shared by every app server.
CACHES = {
    "default": {
        "BACKEND": env("CACHE_BACKEND", "django.core.cache.backends.db.DatabaseCache"),
        "LOCATION": env("CACHE_LOCATION", "screening_cache"),
    }
}
DASHBOARD_FRESH_SECONDS = env_int("DASHBOARD_FRESH_SECONDS", 60)
DASHBOARD_CACHE_KEEP_SECONDS = env_int("DASHBOARD_CACHE_KEEP_SECONDS", 7 * 24 * 3600)

# Screening. The near-threshold band and the rules themselves are rule-set data (rules/catalogue).
SCREENING: dict[str, Any] = {
    # Regimes a screening uses unless the user picks others (CN: China; EU: EU 2021/821).
    "DEFAULT_REGIMES": env_list("SCREEN_DEFAULT_REGIMES", "CN"),
    # An as-of date further ahead than this asks the user to confirm it (probably a typo).
    "AS_OF_YEARS_AHEAD": env_int("AS_OF_YEARS_AHEAD", 3),
}

# The API for ERP and other programs (/api/v1/, screening/api.py; tokens: rules/tokens.py).
# Calls per token and time ("600/m": per minute; s, m, h, d), answered 429 with Retry-After
# beyond it.
API_RATE_LIMIT = env("API_RATE_LIMIT", "600/m")
# Largest batch of specs one call screens or stores, and the largest request body.
API_MAX_ROWS = env_int("API_MAX_ROWS", 10_000)
# Most export orders one call to /api/v1/shipments/batch enters (their lines count towards
# API_MAX_ROWS).
API_MAX_SHIPMENT_BATCH = env_int("API_MAX_SHIPMENT_BATCH", 500)
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_MB", 20) * 1024 * 1024
# How long the answer to a request sent with an Idempotency-Key is kept for its retries.
API_IDEMPOTENCY_KEEP_HOURS = env_int("API_IDEMPOTENCY_KEEP_HOURS", 24)
# Days a new token is valid unless the administrator chooses otherwise.
API_TOKEN_DEFAULT_DAYS = env_int("API_TOKEN_DEFAULT_DAYS", 90)

# Party screening (trade/matching.py). A candidate is listed from PARTY_MATCH_THRESHOLD (0-1);
# the same country adds PARTY_MATCH_COUNTRY_BONUS, a different one takes
# PARTY_MATCH_COUNTRY_PENALTY; common words (technology, trading, places) weigh
# PARTY_MATCH_GENERIC_WEIGHT against 1 for a distinctive word; a short name that is the other's
# initials scores PARTY_MATCH_ACRONYM_SCORE. docs/party-lists.md explains each.
PARTY_MATCH_THRESHOLD = env_float("PARTY_MATCH_THRESHOLD", 0.80)
PARTY_MATCH_COUNTRY_BONUS = env_float("PARTY_MATCH_COUNTRY_BONUS", 0.05)
PARTY_MATCH_COUNTRY_PENALTY = env_float("PARTY_MATCH_COUNTRY_PENALTY", 0.10)
PARTY_MATCH_GENERIC_WEIGHT = env_float("PARTY_MATCH_GENERIC_WEIGHT", 0.35)
PARTY_MATCH_ACRONYM_SCORE = env_float("PARTY_MATCH_ACRONYM_SCORE", 0.85)

# Licences (trade/licensing.py). MOFCOM decides a dual-use licence application within
# LICENCE_DECISION_WORKING_DAYS working days (a licence kind may say otherwise); alerts list
# licences expiring within LICENCE_EXPIRY_ALERT_DAYS and lines with less than
# LICENCE_BALANCE_ALERT_PCT % of their authorised quantity left.
LICENCE_DECISION_WORKING_DAYS = env_int("LICENCE_DECISION_WORKING_DAYS", 45)
LICENCE_EXPIRY_ALERT_DAYS = env_int("LICENCE_EXPIRY_ALERT_DAYS", 30)
LICENCE_BALANCE_ALERT_PCT = env_int("LICENCE_BALANCE_ALERT_PCT", 10)
# A published list not confirmed current for PARTY_LIST_MAX_AGE_DAYS cannot clear a party added
# since: shipments to such parties hold until a rules administrator confirms the list.
PARTY_LIST_MAX_AGE_DAYS = env_int("PARTY_LIST_MAX_AGE_DAYS", 30)
