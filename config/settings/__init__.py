"""Cegah settings: one module, every deployment difference read from the environment.

Production is the same code with DEBUG=false and the variables in README "Configuration".
"""

import hashlib
import os
from datetime import timedelta
from pathlib import Path

import django_stubs_ext
import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

# Generic Django classes (ModelAdmin[Pemda]) subscriptable at run time, as mypy reads them.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# Variables already in the environment win over the file; ENV_FILE="" reads no file at all.
ENV_FILE = os.environ.get("ENV_FILE", str(BASE_DIR / ".env"))
if ENV_FILE:
    environ.Env.read_env(ENV_FILE, overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="" if not DEBUG else "dev-only-insecure-key")
if not SECRET_KEY:
    raise environ.ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "cegah.core",
    "cegah.regions",
    "cegah.accounts",
    "cegah.audit",
    "cegah.workdays",
    "cegah.uploads",
    "cegah.mcp",
    "cegah.notifications",
    "cegah.public",
    "cegah.wbs",
    "cegah.zi",
    "cegah.upg",
    "cegah.coi",
    "cegah.spi",
    "cegah.signals",
    "cegah.home",
    "cegah.demo",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cegah.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cegah.core.middleware.ChosenLanguageMiddleware",
    # After the language (its 413 page is in the reader's), before anything reads the body.
    "cegah.core.body_limit.BodySizeLimitMiddleware",
    # After the language (its 400 page is in the reader's), before anything reads the database.
    "cegah.core.middleware.RefuseNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    # ETag and 304 answers for the open-data API and public pages.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "cegah.accounts.middleware.RequireTwoFactorMiddleware",
    # After the user is known: idle sessions end, signed-in pages are never stored.
    "cegah.core.sessions.IdleTimeoutMiddleware",
    "cegah.core.sessions.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes requires.
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
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "cegah.notifications.context_processors.unread_notifications",
                "cegah.core.context_processors.installation",
            ],
        },
    },
]

# --- Database: SQLite (WAL) by default so nothing must run; PostgreSQL via DATABASE_URL.
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'cegah.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue instead of failing
        # halfway through a transaction (and the audit chain cannot fork).
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
        ),
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # No JIT compiling: it cost more than it saved on Cegah's queries (the score recompute's
        # aggregate ran 0.15 s slower with it on the bench data, compiling for up to 0.5 s).
        # Options in DATABASE_URL take precedence.
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and authentication
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3  # an invitation link stays valid for three days
PASSWORD_RESET_LINK_SECONDS = 60 * 60  # a reset link, an hour (cegah/accounts/tokens.py)
PASSWORD_RESET_EMAIL_MINUTES = 10  # at most one reset email per address in this time
# Signed in, a session ends after this long without a request (cegah/core/sessions.py).
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=60)
# Every account belongs to a staff role (the public needs none), so every account uses TOTP.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=True)
OTP_TOTP_ISSUER = "Cegah"

# Lock a username out after repeated failures, whatever address the attempts come from.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username"]
# Deliberate: many Pemda offices share one NAT address, so locking by IP would lock out a whole
# Inspektorat on deadline day. Per-username locking is not bypassed by rotating agents or cookies.
# security.W021: HSTS preload is an opt-in (SECURE_HSTS_PRELOAD), not a default.
SILENCED_SYSTEM_CHECKS = ["axes.W006", "security.W021"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
# Counted under the email as accounts are found by it, ignoring case and spaces.
AXES_USERNAME_CALLABLE = "cegah.accounts.lockout.lockout_username"
AXES_VERBOSE = False

# --- Internationalisation: Bahasa Indonesia first, English second.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Jakarta"
USE_TZ = True

# --- Static files: our own assets plus front-end libraries installed by npm (package-lock.json).
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/pico", NODE_MODULES / "@picocss" / "pico" / "css"),
    ("vendor/chartjs", NODE_MODULES / "chart.js" / "dist"),
]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "/media/"

STORAGES = {
    "default": {
        "BACKEND": env.str("STORAGE_BACKEND", default="cegah.core.storage.AtomicFileSystemStorage")
    },
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
if STORAGES["default"]["BACKEND"] == "storages.backends.s3.S3Storage":
    # S3-compatible object storage (django-storages), configured only by the environment.
    STORAGES["default"]["OPTIONS"] = {
        "bucket_name": env.str("S3_BUCKET"),
        "endpoint_url": env.str("S3_ENDPOINT_URL", default=None),
        "access_key": env.str("S3_ACCESS_KEY", default=None),
        "secret_key": env.str("S3_SECRET_KEY", default=None),
        "region_name": env.str("S3_REGION", default=None),
    }

# --- Background tasks (emails, reminders): stored in the database and run by `manage.py
# db_worker`, which `make run` starts beside the web server. Tests run them immediately.
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# --- Cache: published scores never change, so their pages' fragments are cached per version.
# One process's memory by default; CACHE_URL=redis://127.0.0.1:6379/1 shares it between workers.
# The work page and the verifier queue cache a fragment per row: Django's default of 300
# entries was culled over and over in a deadline surge (270 operators, about 70 rows each), so
# every row was rendered again; 50,000 fragments of about 1 KB stay under 60 MB a process.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://cegah?max_entries=50000")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # A stopped Redis is a cache that misses: pages come from the database (cegah/core/cache.py).
    CACHES["default"]["BACKEND"] = "cegah.core.cache.ForgivingRedisCache"
    # A Redis that hangs must not hang the page: half a second, then the database serves it.
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("socket_connect_timeout", 0.5)
    CACHES["default"]["OPTIONS"].setdefault("socket_timeout", 0.5)


def release_fingerprint(root: Path) -> str:
    """A digest of the code, templates and translations. A shared cache (Redis) outlives a
    deploy: keyed under this, fragments the old release rendered are never served by the new."""
    digest = hashlib.sha256()
    sources = [*(root / "cegah").rglob("*.py"), *(root / "cegah").rglob("*.html")]
    sources += [*(root / "templates").rglob("*.html"), *(root / "locale").rglob("*.po")]
    for path in sorted(sources):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


CACHES["default"]["KEY_PREFIX"] = env.str("CACHE_KEY_PREFIX", default=release_fingerprint(BASE_DIR))
# Whole public pages for anonymous visitors (cegah/public/page_cache.py) take at most this many
# entries of the cache, each page compressed and none above 128 KB, whatever addresses are asked.
PAGE_CACHE_SLOTS = env.int("PAGE_CACHE_SLOTS", default=2048)
# After a publication the task worker makes the public pages it changed (cegah/public/warm.py):
# only worth it where the server's processes share the cache, which one process cannot fill
# for the others when each keeps its own memory.
PUBLIC_PAGES_WARM = env.bool(
    "PUBLIC_PAGES_WARM",
    default=CACHES["default"]["BACKEND"] != "django.core.cache.backends.locmem.LocMemCache",
)

# --- Open-data API (read-only, public)
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Cegah open data",
    "DESCRIPTION": "Published MCP scores, rankings and awards of Indonesia's 546 Pemda; regions; catalogues.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

# --- Working days: the holidays library's Indonesian calendar plus this override file.
WORKDAYS_OVERRIDES = env.path(
    "WORKDAYS_OVERRIDES", default=BASE_DIR / "data" / "workdays" / "overrides.yaml"
)

# --- MCP background jobs: a recompute or export writes its progress at least every few seconds;
# running but silent this long, it lost its worker, is shown failed, and may be started again.
SCORE_JOB_STALE_MINUTES = env.int("SCORE_JOB_STALE_MINUTES", default=10)

# --- MCP evidence uploads
EVIDENCE_MAX_MB = env.int("EVIDENCE_MAX_MB", default=20)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Uploaded files and their folders are readable by the server's own user only.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# --- WBS (whistle-blowing). The key file holds the keys that open reports; it never goes in the
# database or its backups. `make run` creates one for the demo (`manage.py wbs_keys init`).
WBS_KEY_FILE = env.path("WBS_KEY_FILE", default=VAR_DIR / "wbs.keys")
# The audit chain's HMAC key (cegah/audit/keys.py), outside the database like the WBS keys.
AUDIT_KEY_FILE = env.path("AUDIT_KEY_FILE", default=VAR_DIR / "audit.key")
WBS_ATTACHMENT_MAX_MB = env.int("WBS_ATTACHMENT_MAX_MB", default=20)
WBS_ATTACHMENTS_PER_MESSAGE = env.int("WBS_ATTACHMENTS_PER_MESSAGE", default=5)
# Service levels in Indonesian working days (SP4N-LAPOR practice, docs/domain/wbs.md#service-levels).
WBS_VERIFY_DAYS = env.int("WBS_VERIFY_DAYS", default=3)
WBS_FOLLOWUP_DAYS = env.int("WBS_FOLLOWUP_DAYS", default=5)
WBS_REPORTER_REPLY_DAYS = env.int("WBS_REPORTER_REPLY_DAYS", default=10)
# Closed reports are purged this many days after closing.
WBS_RETENTION_DAYS = env.int("WBS_RETENTION_DAYS", default=5 * 365)
# Proof of work asked of the browser before a report or a receipt is accepted (leading zero bits of
# SHA-256). Each recent wrong receipt raises the bar for everyone, since no IP address is kept.
WBS_POW_BITS = env.int("WBS_POW_BITS", default=16)
# A reporter without JavaScript sends a form no sooner than this after it was given (instead of
# the proof of work): a person writing a report takes longer anyway, a flood of forms does not.
WBS_NO_SCRIPT_WAIT_SECONDS = env.int("WBS_NO_SCRIPT_WAIT_SECONDS", default=120)
# Wrong receipt codes one client may try in a clock hour before waiting for the next.
WBS_RECEIPT_FAILURES_PER_HOUR = env.int("WBS_RECEIPT_FAILURES_PER_HOUR", default=5)
# Receipt hashing (Argon2id; OWASP's minimum is 19 MiB, 2 passes).
WBS_RECEIPT_ARGON2_MEMORY_KIB = env.int("WBS_RECEIPT_ARGON2_MEMORY_KIB", default=19456)
WBS_RECEIPT_ARGON2_TIME_COST = env.int("WBS_RECEIPT_ARGON2_TIME_COST", default=2)
# Handlers' private keys are sealed with Argon2id of their password: 64 MiB, 3 passes (libsodium's
# "moderate"), paid once at sign-in. A key keeps the parameters it was sealed with.
WBS_HANDLER_ARGON2_MEMORY_KIB = env.int("WBS_HANDLER_ARGON2_MEMORY_KIB", default=65536)
WBS_HANDLER_ARGON2_TIME_COST = env.int("WBS_HANDLER_ARGON2_TIME_COST", default=3)
# Off by default. When set (base64, from `manage.py wbs_keys escrow-keypair`), every report key
# is also sealed to it; the Koordinator keeps the private half offline to recover a level whose
# handlers all lost their passwords.
WBS_ESCROW_PUBLIC_KEY = env.str("WBS_ESCROW_PUBLIC_KEY", default="")
# What one report may store in attachments, the report's own and every follow-up message's.
WBS_REPORT_MAX_MB = env.int("WBS_REPORT_MAX_MB", default=100)
# Anonymous writes to the reporter pages (a report, a follow-up message, a receipt sign-in) per
# client per hour, each kind counted apart; the client is known in the cache only by a keyed hash
# of its address, for the hour (docs/subsystems/wbs-privacy.md).
WBS_WRITES_PER_HOUR = env.int("WBS_WRITES_PER_HOUR", default=20)
# Behind a reverse proxy every request comes from the proxy's address: the client's is the last
# one the proxy added to X-Forwarded-For.
WBS_CLIENT_ADDRESS_FORWARDED = env.bool("BEHIND_PROXY", default=False)

# --- Zona Integritas (docs/domain/zona-integritas.md): units are proposed to KemenPAN-RB by this
# day of the assessment's year (month-day, in TIME_ZONE), and a unit whose predicate was revoked
# may not be proposed again for this many years.
ZI_PROPOSAL_DEADLINE = env.str("ZI_PROPOSAL_DEADLINE", default="05-31")
ZI_REPROPOSAL_BLOCK_YEARS = env.int("ZI_REPROPOSAL_BLOCK_YEARS", default=2)

# --- Request bodies (cegah/core/body_limit.py): one larger than its view allows is refused (413)
# before anything reads it. Views that take files, by URL name: their files' limit plus 1 MB for
# the text of the form; every other request, REQUEST_BODY_MAX_MB.
REQUEST_BODY_MAX_MB = env.int("REQUEST_BODY_MAX_MB", default=1)
REQUEST_BODY_LIMITS_MB = {
    "wbs_public:report_new": WBS_ATTACHMENTS_PER_MESSAGE * WBS_ATTACHMENT_MAX_MB + 1,
    "wbs_public:follow": WBS_ATTACHMENTS_PER_MESSAGE * WBS_ATTACHMENT_MAX_MB + 1,
    "wbs:message": WBS_ATTACHMENTS_PER_MESSAGE * WBS_ATTACHMENT_MAX_MB + 1,
    "mcp:work_evidence": EVIDENCE_MAX_MB + 1,
    # A unit's LKE page saves its answers with a file per question; the declaration its pacts.
    "zi:assessment": 5 * EVIDENCE_MAX_MB + 1,
    "zi:units": EVIDENCE_MAX_MB + 1,
    # The TPN's record of a stage, with its evidence file.
    "zi:proposal": EVIDENCE_MAX_MB + 1,
    # A follow-up entry's evidence: up to 5 files (cegah/mcp/services/recommendations.py).
    "mcp:recommendation_follow_up": 5 * EVIDENCE_MAX_MB + 1,
    # KPK's published results as a table: 546 Pemda a year, a few years, as CSV or Excel.
    "mcp:history_import": 5,
    "mcp:history_awards": 5,
    # KPK's published SPI scores: 546 Pemda a year, as CSV or Excel.
    "spi:import": 5,
    # A gratification report with up to 5 evidence files, and evidence added later.
    "upg:report_new": 5 * EVIDENCE_MAX_MB + 1,
    "upg:report": 5 * EVIDENCE_MAX_MB + 1,
    "upg:report_complete": 5 * EVIDENCE_MAX_MB + 1,
    # A conflict-of-interest declaration (or a record of one) with up to 5 documents.
    "coi:declare": 5 * EVIDENCE_MAX_MB + 1,
    "coi:record": 5 * EVIDENCE_MAX_MB + 1,
    # The HR office's staff list: thousands of rows, as CSV or Excel.
    "accounts:staff_import": 5,
}

# --- Email: printed to the console unless EMAIL_URL names a server.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Cegah <noreply@cegah.localhost>")

# --- Security headers
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 8  # one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
_https = env.bool("HTTPS", default=not DEBUG)
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
# Not kept for a year on a reporter's device: the CSRF cookie goes when the browser closes.
CSRF_COOKIE_AGE = None
LANGUAGE_COOKIE_SECURE = _https
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=_https)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if _https else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _https
# Preloading is hard to undo (browsers ship the list): an installation opts in once its domain
# and every subdomain serve HTTPS for good.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
if env.bool("BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "cegah.core.middleware.RequestIdLogFilter"},
        "reporter_privacy": {"()": "cegah.core.middleware.ReporterPrivacyLogFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["reporter_privacy", "request_id"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Demo: `make run` is a demo on the embedded database, with demo accounts whose password is
# published. A server with DATABASE_URL set and DEBUG off is not a demo unless DEMO=true says so:
# it never seeds, and it refuses to start while demo accounts can sign in (README "Production").
DEMO = env.bool("DEMO", default=DEBUG or not env.str("DATABASE_URL", default=""))
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="cegah-demo-2026")
# Who publishes the scores, as the public pages and report cards name it: KPK's installation
# says "KPK"; nobody else's should.
PUBLISHER_NAME = env.str("PUBLISHER_NAME", default="Koordinator Nasional MCP")

# --- Gratification control (docs/domain/gratification.md). The deadlines set by regulation
# (30 working days to report, 20 to complete, KPK's 30) are data (data/upg/); these are the
# agency's own rules.
UPG_FORWARD_DAYS = env.int("UPG_FORWARD_DAYS", default=10)  # UPG → KPK, working days
UPG_REMIND_DAYS_BEFORE = env.int("UPG_REMIND_DAYS_BEFORE", default=3)  # working days
