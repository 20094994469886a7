"""Jusur settings: one module, configured from the environment (12-factor).

Embedded defaults make `make demo` work with nothing set: SQLite when DATABASE_URL is
absent, in-process Celery tasks when REDIS_URL is absent. Production sets both, plus
DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS, and leaves DJANGO_DEBUG off.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp import constants as csp
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# Every variable is read through portal/env.py (issue 15): booleans and integers with a value
# that is not one of the accepted spellings stop the process at start, naming the variable.
# Each one has a line in the README's settings table (tests/portal/test_settings.py checks it).
from portal.env import env_bool, env_choice, env_int, env_list, env_str
from portal.sentry import sentry_init

BASE_DIR = Path(__file__).resolve().parent.parent


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        # A production process must never run on a key that is in the repository.
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=1 for local development).")
    SECRET_KEY = "insecure-local-development-key-never-used-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "portal.apps.JusurAdminConfig",  # django.contrib.admin, with the second factor required
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_countries",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Our apps, in dependency order: `demo_seed` seeds them in this order too.
    "portal",
    "taxonomy",
    "regions",
    "diaspora",
    "projects",
    "matching",
    "partners",
    "dashboards",
]

MIDDLEWARE = [
    # First: the request id and the timing cover everything below, redirects and refusals too.
    "portal.middleware.RequestContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the body: headers on every answer, then oversize bodies refused unread.
    "csp.middleware.CSPMiddleware",
    "portal.middleware.ResponseHeadersMiddleware",
    "portal.middleware.LimitRequestBodyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.i18n.LocaleMiddleware",  # Django's, with the API's rule: Accept-Language, else English
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "portal.middleware.RejectNulBytesMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.middleware.AccountSecurityMiddleware",  # second factor, session limits, key rotation
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60, min=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Arabic trigram search needs a UTF-8 LC_CTYPE; template0 lets the test database take
    # the UTF-8 encoding even if template1 was created otherwise.
    DATABASES["default"]["TEST"] = {"CHARSET": "UTF8", "TEMPLATE": "template0"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache, Celery broker ------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")

if REDIS_URL:
    # Issue 15: a down Redis is a cache miss, not a 500 (portal/cache.py); short timeouts so
    # that a Redis that does not answer costs half a second per process and interval, not more.
    CACHES = {
        "default": {
            "BACKEND": "portal.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Anonymous public pages (portal/pagecache.py, decision 0022): kept at most this long; writes
# invalidate them at once. Off without Redis: a cache per process would not hear another
# process's writes (the demo serves them uncached).
PUBLIC_PAGE_CACHE_SECONDS = env_int("JUSUR_PUBLIC_PAGE_CACHE_SECONDS", 300 if REDIS_URL else 0, min=0, max=86400)

# Celery facts measured on these machines are in ../shared/RELIABILITY.md and
# docs/decisions/0002-celery-reliability.md; each setting below answers one of them.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_TIME_LIMIT = 600
CELERY_TASK_SOFT_TIME_LIMIT = 540
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,  # > task_time_limit, so a running task is never redelivered
    "socket_timeout": 5,
    "socket_connect_timeout": 3,
    "unacked_restore_throttle": 1,
}
# Broker outages (issue 15, item 1; decision 0012): the worker survives them thanks to the
# transport registered in portal/celery.py; it reconnects on its own (every 2, 4, … ≤ 30 s).
# Exactly one beat sends the schedule (portal/beat.py): the others wait for its lock. It checks
# the lock at least every 5 s, and writes the schedule file after every task it sends, so that a
# beat that takes over (or restarts) knows what was already sent.
CELERY_BEAT_SCHEDULER = "portal.beat:SingleBeatScheduler"
CELERY_BEAT_MAX_LOOP_INTERVAL = 5
CELERY_BEAT_SYNC_EVERY = 1
# Every task runs an outbox message (portal.outbox) under a lease with a heartbeat, so that a
# redelivered copy is dropped while its attempt lives and run once it died (decision 0011).
CELERY_TASK_ANNOTATIONS = ["portal.outbox.OutboxAnnotation"]
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Africa/Casablanca"
CELERY_BEAT_SCHEDULE = {
    # Every 15 s: with the 30 s outbox lease, a dead worker's message is out again within 45 s.
    "outbox-relay": {"task": "portal.outbox_relay", "schedule": 15.0},
    "outbox-purge": {"task": "portal.outbox_purge", "schedule": crontab(hour=3, minute=30)},
    "matching-full-rematch": {"task": "matching.full_rematch", "schedule": crontab(hour=2, minute=15)},
    "matching-invitations-remind": {"task": "matching.invitations_remind", "schedule": crontab(hour=8, minute=0)},
    "matching-weekly-digest": {"task": "matching.weekly_digest", "schedule": crontab(hour=9, minute=0, day_of_week=1)},
    "matching-investment-rematch": {"task": "matching.investment_rematch", "schedule": crontab(hour=2, minute=45)},
    "dashboards-open-data-refresh": {"task": "dashboards.open_data_refresh", "schedule": crontab(minute=20)},
    "dashboards-cache-refresh": {"task": "dashboards.cache_refresh", "schedule": 300.0},
    "regions-needs-expire": {"task": "regions.needs_expire", "schedule": crontab(hour=1, minute=15)},
    "regions-deadline-reminders": {"task": "regions.deadline_reminders", "schedule": crontab(hour=8, minute=0)},
    "projects-deadlines": {"task": "projects.deadlines_check", "schedule": crontab(minute=15)},
    "diaspora-staleness-sweep": {"task": "diaspora.staleness_sweep", "schedule": crontab(hour=4, minute=15)},
    # Reads of experts' profiles are kept 24 months (issue 13).
    "diaspora-profile-reads-purge": {"task": "diaspora.profile_reads_purge", "schedule": crontab(hour=4, minute=45)},
}

# --- Auth -----------------------------------------------------------------------------
AUTH_USER_MODEL = "portal.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Brute-force protection (issue 14, item 7; portal/security.py). An account and an address are
# locked independently after 5 failures: one password sprayed over many accounts from one
# address locks that address, many addresses guessing one account lock that account. A lock
# lasts 15 minutes, doubled for every further 5 failures up to 2 hours after the last one; a
# password reset lifts it. The client address is the one our trusted proxies saw (below).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = "portal.security.login_cool_off"
LOGIN_COOL_OFF_BASE = timedelta(minutes=15)
LOGIN_COOL_OFF_MAX = timedelta(hours=2)
AXES_USE_ATTEMPT_EXPIRATION = True  # each record expires on its own cool-off, not the asker's
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"  # Django's login form posts the e-mail address as `username`
AXES_USERNAME_CALLABLE = "portal.security.login_username"
AXES_CLIENT_IP_CALLABLE = "portal.security.client_ip"
# How many reverse proxies in front of Jusur append to X-Forwarded-For (0: none, the header is
# ignored). The API throttle and the sign-in lockout both count the client address it gives.
JUSUR_TRUSTED_PROXIES = env_int("JUSUR_TRUSTED_PROXIES", 0, min=0)
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# No personal data in axes' log lines (decision 0008): they name the path, not the person.
# (The address is stored lower-cased and cut to its column by portal.security.login_username.)
AXES_CLIENT_STR_CALLABLE = "portal.redaction.axes_client_str"
# Two-factor sign-in and session lifetimes (issue 14, ASVS 5.0 level 2): officials, coordinators
# and staff must give a TOTP code or a recovery code (portal/twofactor.py) and are signed out
# after 30 minutes without a request or 12 hours after signing in. Members keep SESSION_COOKIE_AGE.
JUSUR_STRICT_SESSION_IDLE = env_int("JUSUR_STRICT_SESSION_IDLE", 30 * 60, min=60)
JUSUR_STRICT_SESSION_MAX_AGE = env_int("JUSUR_STRICT_SESSION_MAX_AGE", 12 * 3600, min=60)
JUSUR_OTP_FAILURE_LIMIT = AXES_FAILURE_LIMIT  # wrong second-step codes before the account's lock…
JUSUR_OTP_COOLOFF = int(LOGIN_COOL_OFF_BASE.total_seconds())  # …which lifts after this many seconds
OTP_TOTP_ISSUER = "Jusur"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # staff may delete a lost device, never read its key
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:start"  # portal.menu.home_url_for: each role its home
LOGOUT_REDIRECT_URL = "portal:home"

# --- Languages ------------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("ar", _("Arabic")), ("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Africa/Casablanca"
# Our own date and number formats for ar (Moroccan Arabic conventions) and en (day-month-year);
# French keeps Django's. Why: docs/decisions/0016-arabic-formats-and-multilingual-content.md.
FORMAT_MODULE_PATH = ["portal.formats"]
# Where machine translation of user content would plug in (portal.translation); the default does
# nothing and calls no network service.
JUSUR_TRANSLATOR = env_str("JUSUR_TRANSLATOR", "portal.translation.NoTranslator")

# --- Static and media -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads: "private" (CVs, project documents) is only ever streamed by views after a permission
# check; "default" (studies, roadmap documents) is streamed by views too. Local disk under
# MEDIA_ROOT by default; JUSUR_STORAGE=s3 puts both in an S3-compatible bucket so that several
# hosts share them (portal/storage.py, decision 0019). No upload is ever served by a URL of its own.
JUSUR_STORAGE = env_choice("JUSUR_STORAGE", ("local", "s3"), "local")
if JUSUR_STORAGE == "s3":
    _S3 = {
        "bucket_name": env_str("JUSUR_S3_BUCKET"),
        "endpoint_url": env_str("JUSUR_S3_ENDPOINT_URL") or None,  # MinIO, Ceph, Scaleway… or AWS
        "region_name": env_str("JUSUR_S3_REGION") or None,
        # Credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, read by boto3 itself.
        "default_acl": None,  # the bucket's policy: private
        "querystring_auth": True,  # a URL, if one is ever made, is signed and short-lived
        "querystring_expire": 300,
        "file_overwrite": False,
    }
    if not _S3["bucket_name"]:
        raise ImproperlyConfigured("JUSUR_STORAGE=s3 needs JUSUR_S3_BUCKET.")
    _UPLOADS = {
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {**_S3, "location": "public"}},
        "private": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {**_S3, "location": "private"}},
    }
else:
    _UPLOADS = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "private": {"BACKEND": "portal.storage.PrivateFileSystemStorage"},
    }
STORAGES = {
    **_UPLOADS,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedStaticFilesStorage"
    },
}
# Private uploads (CVs, project documents) live outside any served folder.
MEDIA_ROOT = Path(env_str("JUSUR_MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
# Erasure log kept outside the database (issue 13): restoring a backup must not roll it back.
# Append-only JSON lines of ids; on a file system that is backed up apart from the database.
JUSUR_ERASURE_LOG = Path(env_str("JUSUR_ERASURE_LOG", str(BASE_DIR / "var" / "erasure-log.jsonl")))

# --- E-mail ---------------------------------------------------------------------------
# E-mails carry secret links (password reset, verification): printing them is for local
# development only (decision 0008). Production sends by SMTP unless told otherwise.
EMAIL_BACKEND = env_str(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
if not DEBUG and EMAIL_BACKEND.rsplit(".", 2)[-2] in {"console", "filebased"}:
    raise ImproperlyConfigured("DJANGO_EMAIL_BACKEND would print e-mails with secret links: not outside DJANGO_DEBUG.")
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25, min=1)
EMAIL_HOST_USER = env_str("DJANGO_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("DJANGO_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "Jusur <no-reply@jusur.local>")

# --- REST API -------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Partner tokens first: their WWW-Authenticate header makes a missing credential a 401.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "partners.api.authentication.APITokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Every view names the scope of each action (`required_scopes`); see portal/api/permissions.py.
    "DEFAULT_PERMISSION_CLASSES": ["portal.api.permissions.HasScope"],
    "DEFAULT_THROTTLE_CLASSES": ["portal.api.throttling.PartnerRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": "600/min", "user": "600/min", "anon": "120/min"},
    "NUM_PROXIES": JUSUR_TRUSTED_PROXIES,  # DRF's own throttles; ours use portal.security.client_ip
    "DEFAULT_FILTER_BACKENDS": [
        "portal.api.filters.FilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "portal.api.pagination.LimitOffsetPagination",
    "DEFAULT_RENDERER_CLASSES": ["portal.api.renderers.JSONRenderer"],  # never fails on input it echoes
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.URLPathVersioning",
    "ALLOWED_VERSIONS": ["v1"],
    "DEFAULT_VERSION": "v1",  # /api/schema/ and the docs pages sit outside /api/v1/
    "DEFAULT_SCHEMA_CLASS": "portal.api.schema.JusurAutoSchema",
    "EXCEPTION_HANDLER": "portal.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Jusur partner API",
    "DESCRIPTION": (
        "Regions, roadmaps and the diaspora's competences, for partners. Authenticate with "
        "`Authorization: Bearer <token>`; each operation lists the scopes it needs (`x-scopes`). "
        'Every 4xx answer has the body `{"error": {"code", "message", "fields"}}`. '
        "Guide: docs/api/README.md."
    ),
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SORT_OPERATIONS": True,
    "SORT_OPERATION_PARAMETERS": True,
    "ENUM_NAME_OVERRIDES": {
        "ProvinceKindEnum": "regions.enums.ProvinceKind",
        "CommuneKindEnum": "regions.enums.CommuneKind",
        "AxisKindEnum": "regions.enums.AxisKind",
        "StakeholderKindEnum": "regions.enums.StakeholderKind",
        "LanguageEnum": "portal.enums.Language",
        "PortalLanguageEnum": LANGUAGES,
        "LanguageLevelEnum": "portal.enums.LanguageLevel",
        "EngagementFormatEnum": "portal.enums.EngagementFormat",
        "WorkModeEnum": "portal.enums.WorkMode",
        "NeedStatusEnum": "regions.enums.NeedStatus",
        "RoadmapStatusEnum": "regions.enums.RoadmapStatus",
        "MeetingStatusEnum": "regions.enums.MeetingStatus",
        "PartnershipStatusEnum": "regions.enums.PartnershipStatus",
        "MatchStatusEnum": "matching.enums.MatchStatus",
        "EngagementStatusEnum": "matching.enums.EngagementStatus",
        "DeliveryStatusEnum": "partners.enums.DeliveryStatus",
        "ProposalStatusEnum": "partners.enums.ProposalStatus",
        "OutcomeStatusEnum": "partners.enums.OutcomeStatus",
        "SkillLevelEnum": "portal.enums.SkillLevel",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "portal.api.schema.postprocess_portable_integers",
    ],
}

# --- Security (production) ------------------------------------------------------------
# Read (and checked) even with DJANGO_DEBUG=1, which turns them off.
_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000, min=0)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True) and not DEBUG
SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", True) and not DEBUG
SECURE_HSTS_SECONDS = 0 if DEBUG else _HSTS_SECONDS
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Request bodies, uploads, browser policies (issue 14, ASVS 5.0 L2) --------------------
# The health probe is called over plain HTTP on the private address (deploy/nginx/jusur.conf).
# So is /metrics, scraped on the private address with its bearer token (portal/metrics.py).
SECURE_REDIRECT_EXEMPT = [r"^healthz(/live|/ready)?$", r"^metrics$"]
# Bodies: views accept 1 MB unless they declare more (portal/body_limits.py: CV 5 MB, project
# documents 10 MB, studies and roadmap documents 20 MB); LimitRequestBodyMiddleware refuses a
# larger Content-Length unread, and deploy/nginx/jusur.conf caps every body at 21 MB first.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024  # the non-file fields of one request
DATA_UPLOAD_MAX_NUMBER_FILES = 25  # a project form carries up to 20 documents
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024  # larger files are spooled to a temporary file
FILE_UPLOAD_PERMISSIONS = 0o640
# Content-Security-Policy (django-csp 4): nothing inline — scripts and styles are static files;
# a page that must inject a style (ReDoc) uses the request's nonce. Images may be data: URLs
# (Swagger UI's icons); ReDoc's search runs in a blob: worker.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF, csp.NONCE],
        "style-src": [csp.SELF, csp.NONCE],
        "img-src": [csp.SELF, "data:"],
        "font-src": [csp.SELF],
        "connect-src": [csp.SELF],
        "worker-src": [csp.SELF, "blob:"],
        "object-src": [csp.NONE],
        "base-uri": [csp.NONE],  # ASVS 5.0 3.4.3: no page uses <base>
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
    }
}
JUSUR_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), browsing-topics=()"
)

# Refused at start rather than failing later in logging.config with a less helpful message.
LOG_LEVEL = env_str("DJANGO_LOG_LEVEL", "INFO").strip().upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured("DJANGO_LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL.")

# Production writes one JSON object per line (portal/logs.py: time, level, logger, message, the
# request id and the user's primary key, and for each request its method, path, view, status and
# duration); local development keeps readable lines. Both are redacted (decision 0008).
JUSUR_LOG_FORMAT = env_choice("JUSUR_LOG_FORMAT", ("json", "text"), "text" if DEBUG else "json")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "context": {"()": "portal.logs.ContextFilter"},
        # Safety net (decision 0008): e-mail addresses, signed tokens and secret links are masked.
        "redact": {"()": "portal.redaction.RedactingFilter"},
    },
    "formatters": {
        "json": {"()": "portal.logs.JsonLinesFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["context", "redact"],
            "formatter": JUSUR_LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}

# --- Metrics and errors (issue 15; docs/decisions/0013) ------------------------------------
# /metrics answers only to `Authorization: Bearer <this>`; unset, it is a 404 (portal/metrics.py).
JUSUR_METRICS_TOKEN = env_str("JUSUR_METRICS_TOKEN").strip()
# Errors go to Sentry (or a compatible tracker) only when a DSN is set; nothing by default.
SENTRY_DSN = env_str("SENTRY_DSN").strip()
if SENTRY_DSN:
    sentry_init(dsn=SENTRY_DSN, environment=env_str("SENTRY_ENVIRONMENT"), release=env_str("SENTRY_RELEASE"))


# --- Readiness (issue 15: /healthz/ready) ----------------------------------------------
# Beat's last tick older than this (seconds) is reported as stale; beat runs the outbox relay
# every 15 s. The oldest pending outbox message older than this (seconds) is reported as late.
JUSUR_READY_BEAT_MAX_AGE = env_int("JUSUR_READY_BEAT_MAX_AGE", 180, min=1)
JUSUR_READY_OUTBOX_MAX_AGE = env_int("JUSUR_READY_OUTBOX_MAX_AGE", 600, min=1)
# Seconds a client is told to wait (Retry-After) when the database is down.
JUSUR_DATABASE_DOWN_RETRY_AFTER = 30

# --- Jusur ----------------------------------------------------------------------------
# The three pilot regions of the programme (HCP codes): Oriental, Béni Mellal-Khénifra, Souss-Massa.
JUSUR_PILOT_REGIONS = ["02", "05", "09"]
# Absolute address of the portal, for links in e-mails (no trailing slash). Unset, it follows the
# port the demo server listens on (`PORT=8080 make demo`), so the demo's e-mails link to it.
JUSUR_SITE_URL = env_str("JUSUR_SITE_URL").strip().rstrip("/") or (
    f"http://127.0.0.1:{env_int('PORT', 8000, min=1, max=65535)}"
)
if not JUSUR_SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured("JUSUR_SITE_URL must start with http:// or https://.")

# --- Webhooks (issue 14: SSRF and DNS rebinding; partners/webhook_transport.py) ----------------
# Deliveries go only to public addresses unless this is on (local development, the tests'
# receiver on 127.0.0.1). Never on in production.
JUSUR_WEBHOOKS_ALLOW_PRIVATE = env_bool("JUSUR_WEBHOOKS_ALLOW_PRIVATE", DEBUG)
