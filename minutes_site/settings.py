"""Settings for the committee minutes site.

One module for every environment. Everything that differs between a laptop and
production comes from environment variables, parsed strictly: a value we cannot
understand stops start-up with ImproperlyConfigured naming the variable, rather
than silently falling back to something insecure.
"""

import datetime
import ipaddress
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name, default=False):
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of {sorted(_TRUE | _FALSE - {''})}, got {raw!r}."
    )


def env_list(name, default=()):
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_int(name, default, *, minimum=0):
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip()
    if not (value.isascii() and value.isdigit() and int(value) >= minimum):
        raise ImproperlyConfigured(f"{name} must be a whole number >= {minimum}, got {raw!r}.")
    return int(value)


def env_networks(name):
    networks = []
    for item in env_list(name):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"{name} must list IP addresses or networks, e.g. 10.0.0.5,10.1.0.0/16; "
                f"got {item!r}."
            ) from exc
    return networks


DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
MISSING_SECRET_KEY = (
    "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off. "
    "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
)
if not SECRET_KEY and DEBUG:
    # Only ever used on a developer's machine (DEBUG on): never in production.
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"
# Without a key, management commands that sign nothing still run (migrate,
# makemigrations --check), Django refuses anything that would sign, and the
# web server refuses to start at all (minutes_site/wsgi.py and asgi.py).

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# Where the site is reached, for links printed on paper (the PDF's
# verification URL and QR code), where there is no request to ask.
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# The organisation seal (PAdES) on every signed file: a PKCS#12 file with the
# organisation's certificate and key, its password from a variable or a file
# (never in the repository), and optionally an RFC 3161 timestamp server.
# `make run` points these at a self-signed demo seal (var/, created on first
# run); sealing refuses the demo seal when debug is off (meetings.sealing).
SEAL_CERTIFICATE_FILE = os.environ.get("MINUTES_SEAL_FILE", "")
SEAL_PASSWORD = os.environ.get("MINUTES_SEAL_PASSWORD")
SEAL_PASSWORD_FILE = os.environ.get("MINUTES_SEAL_PASSWORD_FILE", "")
SEAL_TIMESTAMP_URL = os.environ.get("MINUTES_SEAL_TSA_URL", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    # Background tasks (TASKS below): the task API, its database backend's
    # table, and django-rq for the RQ backend's queues and `rqworker`.
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    # The site's machinery (minutes_site/apps.py), then the apps.
    # Dependencies point one way: agenda -> meetings -> committees.
    "minutes_site",
    "committees",
    "meetings",
    "agenda",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Like WhiteNoise for static files: a signed file by a download ticket
    # that holds, before the session or the database (meetings/tickets.py).
    "meetings.tickets.TicketMiddleware",
    "csp.middleware.CSPMiddleware",
    "minutes_site.middleware.NoStoreByDefaultMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "minutes_site.middleware.KoreanFirstLocaleMiddleware",
    # Before anything reads the body (the CSRF check reads a posted form).
    "minutes_site.middleware.RequestSizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "minutes_site.urls"

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
                # The badge on 내 할 일: one query, only when a page prints it.
                "meetings.context_processors.waiting_tasks",
            ],
            # {% load dates %}: the one date style of pages and e-mails.
            "libraries": {"dates": "minutes_site.dates"},
        },
    },
]

WSGI_APPLICATION = "minutes_site.wsgi.application"

# SQLite by default (zero set-up); PostgreSQL (or anything dj-database-url
# understands) when DATABASE_URL is set.
_database_url = os.environ.get("DATABASE_URL", "").strip()
if _database_url:
    try:
        DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "db.sqlite3",
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Argon2id first (Django's recommended hasher, memory-hard; argon2-cffi): as
# strong against guessing as PBKDF2's million rounds at about half the time,
# and every login and every signature re-checks a password (issue 14: the last
# signer's request). Older PBKDF2 hashes still verify and are re-hashed with
# Argon2 at the person's next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Axes first: it refuses a locked-out account or address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend, with permissions kept in the shared cache (minutes_site/permissions.py).
    "minutes_site.permissions.CachedPermissionsBackend",
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "meetings:list"
LOGOUT_REDIRECT_URL = "login"

# Korean first, English available (LocaleMiddleware picks from the browser or
# the language switcher).
LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("Korean")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
# Django's own date output (the admin, a bare {{ datetime }}) in the app's one
# style, 2026. 4. 16.(목) 15:00 (minutes_site/formats, minutes_site/dates.py).
FORMAT_MODULE_PATH = ["minutes_site.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Installed from the npm registry by `make` (package.json), never copied in.
    ("vendor/signature_pad", BASE_DIR / "node_modules" / "signature_pad" / "dist"),
    ("vendor/sortablejs", BASE_DIR / "node_modules" / "sortablejs"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Django's widget templates with their per-option {% include %}s written inline:
# the same HTML, a fraction of the time on long dropdowns (minutes_site/forms.py).
FORM_RENDERER = "minutes_site.forms.FlatWidgets"
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# HTTPS. Cookies sent over HTTPS only (the default with debug off) mean the
# site is served over HTTPS only: then plain http is redirected and browsers
# are told (HSTS) never to use it again, for a year. `make run` (debug, plain
# http) gets neither. Behind a TLS-terminating proxy (nginx), the app sees
# http from the proxy: DJANGO_TLS_PROXY=true trusts the proxy's
# X-Forwarded-Proto, which the proxy must set itself on every request.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", default=SESSION_COOKIE_SECURE)
if env_bool("DJANGO_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int(
    "DJANGO_HSTS_SECONDS", default=365 * 24 * 3600 if SESSION_COOKIE_SECURE else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=True)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Sessions on shared office PCs: one working day at most from login, and gone
# when the browser closes.
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_HOURS", default=8, minimum=1) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("DJANGO_SESSION_BROWSER_CLOSE", default=True)
SESSION_COOKIE_HTTPONLY = True
# The editor's script reads the CSRF cookie (static/js/editor.js), so it stays
# readable by scripts; the session cookie is not.
CSRF_COOKIE_HTTPONLY = False

# The addresses of our own reverse proxies, whose X-Forwarded-For is believed
# (minutes_site.client_ip): comma-separated addresses or networks.
TRUSTED_PROXIES = env_networks("MINUTES_TRUSTED_PROXIES")

# Password guessing (minutes_site.throttle, django-axes): after
# MINUTES_LOGIN_FAILURES wrong passwords within the cool-down, the account is
# locked (whatever the address: one account guessed from many) and so is the
# address (whatever the account: one address trying many), for
# MINUTES_LOCKOUT_MINUTES; each further try restarts the cool-down.
AXES_FAILURE_LIMIT = env_int("MINUTES_LOGIN_FAILURES", default=5, minimum=1)
AXES_COOLOFF_TIME = datetime.timedelta(
    minutes=env_int("MINUTES_LOCKOUT_MINUTES", default=15, minimum=1)
)
AXES_LOCKOUT_PARAMETERS = [["username"], ["ip_address"]]
AXES_CLIENT_IP_CALLABLE = "minutes_site.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "minutes_site.throttle.lockout_response"
# A successful login must not wipe the count: axes would clear the address's
# failures too, letting someone with one account reset a guessing run.
AXES_RESET_ON_SUCCESS = False

# Content-Security-Policy (django-csp): only our own files; no inline script
# (a nonce, request.csp_nonce, if one is ever needed), no inline style, no
# eval; images may be data: URLs (signatures). The admin needs no exception.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Email (password reset, reminders): printed to the console unless a backend
# is configured, e.g. DJANGO_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend
# with the SMTP server below.
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
_email_port = os.environ.get("DJANGO_EMAIL_PORT", "25").strip()
if not (_email_port.isascii() and _email_port.isdigit() and 0 < int(_email_port) < 65536):
    raise ImproperlyConfigured(
        f"DJANGO_EMAIL_PORT must be a port number (1-65535), got {_email_port!r}."
    )
EMAIL_PORT = int(_email_port)
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "minutes@localhost")

# Request bodies. A posted form's fields (an editor save, a pasted document)
# may be up to 10 MB; a whole request, file uploads included, up to 21 MB (the
# verification page takes a PDF of 20 MB). Larger is refused with 413 before
# the body is read (minutes_site.middleware.RequestSizeLimitMiddleware).
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
MAX_REQUEST_BYTES = 21 * 1024 * 1024
# An uploaded file above 2.5 MB (Django's default) is spooled to a temporary
# file instead of held in memory while the request is read.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Minutes imported from a file (the import page, manage.py import_minutes):
# at most this many bytes (refused with the limit in MB before the file is
# read); a document whose text is longer than IMPORT_TASK_CHARACTERS is
# imported by a task with a progress page (agenda/jobs.py). The whole-request
# limit grows with the import limit so that the import page can answer
# with its own message.
IMPORT_MAX_BYTES = env_int("MINUTES_IMPORT_MAX_BYTES", default=20 * 1024 * 1024, minimum=1024)
IMPORT_TASK_CHARACTERS = env_int("MINUTES_IMPORT_TASK_CHARACTERS", default=200_000, minimum=1)
MAX_REQUEST_BYTES = max(MAX_REQUEST_BYTES, IMPORT_MAX_BYTES + 1024 * 1024)

# Error pages in the site's layout, in Korean (minutes_site/errors.py).
CSRF_FAILURE_VIEW = "minutes_site.errors.csrf_failure"

# Background tasks (meetings/jobs.py: sealing, big draft PDFs, the archive
# export) through Django's task API (the django-tasks backport). By default
# the queue is a table in the site's own database, worked by
# `manage.py db_worker`: nothing more to run than the database. With
# REDIS_URL set (redis://host:6379/0), tasks go to RQ on that Redis, worked
# by `manage.py rqworker default`. The application code is the same on both;
# what a reader sees of a task is its meetings.Job row.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(
        f"REDIS_URL must be a redis://, rediss:// or unix:// address, got {REDIS_URL!r}."
    )
# A task runs at most this long (RQ stops it; a sealing or an export takes seconds).
TASK_TIMEOUT_SECONDS = env_int("MINUTES_TASK_TIMEOUT", default=900, minimum=10)
RQ_QUEUES = {
    "default": {
        "URL": REDIS_URL or "redis://127.0.0.1:6379/0",
        "DEFAULT_TIMEOUT": TASK_TIMEOUT_SECONDS,
    }
}
# A draft PDF whose remarks are longer than this (characters) is made by a
# task, with a progress page, instead of inside the request: about 1.5 s of
# rendering on a 2-core machine (meetings.jobs.renders_in_background).
DRAFT_PDF_TASK_CHARACTERS = env_int("MINUTES_DRAFT_PDF_TASK_CHARACTERS", default=25_000)
# django-rq's dashboard (queue statistics and a metrics API) stays out of the
# admin: the Job rows are what the site shows, and nothing more is exposed.
RQ_SHOW_ADMIN_LINK = False
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_rq.RQBackend" if REDIS_URL else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}

# Shared caches. Renderings that are pure functions of what they show
# (meetings/renderings.py): draft PDFs by their content's SHA-256, variant and
# version, and the minutes page's document part; values kept under a
# generation (minutes_site/generations.py); sessions. By default files under var/cache
# (no server to run; shared by every worker on the machine; a get of a 120 KB
# PDF costs ~0.1 ms, against ~0.7 ms from Django's database cache, which would
# also need a createcachetable step and fill the database with copies); on
# Redis when REDIS_URL is set, so that several machines share one copy.
CACHE_DIR = Path(os.environ.get("MINUTES_CACHE_DIR", "").strip() or BASE_DIR / "var" / "cache")
RENDERING_CACHE_ENTRIES = env_int("MINUTES_CACHE_ENTRIES", default=2000, minimum=10)


def _shared_cache(name):
    if REDIS_URL:
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"minutes-{name}",
            "TIMEOUT": 30 * 24 * 3600,
        }
    return {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": CACHE_DIR / name,
        "TIMEOUT": 30 * 24 * 3600,
        "OPTIONS": {"MAX_ENTRIES": RENDERING_CACHE_ENTRIES},
    }


CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # PDFs of drafts and unsigned versions, and which content a draft revision shows.
    "pdfs": _shared_cache("pdfs"),
    # The minutes page's document part by content hash; what the workflow
    # panels read (minutes_site.generations).
    "pages": _shared_cache("pages"),
    # Sessions (below): shared by every worker, like the database they fall back to.
    "sessions": _shared_cache("sessions"),
}

# Sessions are read from the "sessions" cache and written to it and to the
# database: a page costs no session query, a culled entry is read from the
# database again, and a logout deletes both (one shared copy: a session ended
# in one worker is ended in all).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_CACHE_ALIAS = "sessions"
