"""Settings for the task-force case tracker, read from the environment.

Production is the default: DEBUG off, and SECRET_KEY, ALLOWED_HOSTS and
DATABASE_URL must be given. Setting TASKFORCE_MODE=demo or TASKFORCE_MODE=test
relaxes this for the demonstration server and the test suite only.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .email_url import parse_email_url
from .env import env, env_bool, env_list

BASE_DIR = Path(__file__).resolve().parent.parent

# "production" (default), "demo" or "test".
MODE = env("TASKFORCE_MODE", "production")
if MODE not in {"production", "demo", "test"}:
    raise ImproperlyConfigured(f"TASKFORCE_MODE must be production, demo or test, not {MODE!r}.")
PRODUCTION = MODE == "production"
DEMO_MODE = MODE == "demo"


def _required(name: str, fallback: str) -> str:
    value = env(name)
    if value:
        return value
    if PRODUCTION:
        raise ImproperlyConfigured(
            f"The environment variable {name} is required in production "
            f"(set TASKFORCE_MODE=demo for a local demonstration)."
        )
    return fallback


SECRET_KEY = _required("SECRET_KEY", "insecure-key-for-demo-and-tests-only-" + "x" * 20)
DEBUG = env_bool("DEBUG", default=False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or ([] if PRODUCTION else ["localhost", "127.0.0.1", "testserver", "[::1]"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("The environment variable ALLOWED_HOSTS is required in production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Before the admin, so its admin/ templates (base_site.html: the admin's accessibility
    # repairs) take the place of Django's own.
    "agencies",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "apitokens",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "cases",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "audit",
    "idempotency",
    # Exports written off the request by a worker (exports/); the job queue is django-tasks.
    "django_tasks",
    "django_tasks_db",
    "exports",
    # Contact imports (imports/): a night sheet or intake list checked, confirmed, imported by a worker.
    "imports",
    # Tasks, follows and "My work" (after audit: its tasks have a change history).
    "work",
    "notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Request id and client IP for the audit trail, before anything can fail.
    "audit.middleware.RequestContextMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Pushes the 30-minute idle limit ahead, saving the session at most once a minute.
    "audit.middleware.IdleSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After a write, this request and (for a few seconds) this user read the primary, not the replica.
    "taskforce.replica.ReplicaPinMiddleware",
    # Cache-Control: no-store on every answer to a signed-in user (personal data).
    "taskforce.middleware.NoStoreForSignedInMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Ends the session of a disabled user or one whose membership ended.
    "audit.middleware.AccessRevocationMiddleware",
    # Two-step sign-in when REQUIRE_MFA is on.
    "audit.mfa.MFARequiredMiddleware",
    # Writes the one access-log row of each request that showed personal data (audit.log.show).
    "audit.middleware.AccessLogMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A form sent twice with the same key (double tap, resend after a dropped connection) is saved once.
    "idempotency.web.IdempotentFormMiddleware",
    # Last, as django-axes asks: turns a lock-out into the "locked out" page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "taskforce.urls"

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
                "agencies.context_processors.membership",
            ],
        },
    },
]

WSGI_APPLICATION = "taskforce.wsgi.application"

_database_url = env("DATABASE_URL")
if not _database_url and PRODUCTION:
    raise ImproperlyConfigured("The environment variable DATABASE_URL is required in production.")
DATABASES = {
    "default": dj_database_url.parse(
        _database_url or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env("DB_CONN_MAX_AGE", 60, int),
    )
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # A test database named after the configured one: "test_<name>".
    DATABASES["default"].setdefault("TEST", {})
    # PostgreSQL's JIT compiler costs more per query on the access policy's large
    # plans than running them, and never pays back on pages that read a few dozen rows
    # (figures in docs/PERFORMANCE.md); it stays off for this application's connections.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()

elif DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The demo's export worker (db_worker) writes beside the web server: write-ahead logging
    # lets pages read while it writes, and a writer waits its turn rather than failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(timeout=20, init_command="PRAGMA journal_mode=WAL;")

# A PostgreSQL read replica for reports, dashboards and exports (taskforce/replica.py):
# the same options as the primary; never migrated; in tests a mirror of the test database
# unless a test points it at the real replica (tests/test_replica.py).
_replica_url = env("DATABASE_REPLICA_URL")
if _replica_url:
    DATABASES["replica"] = dj_database_url.parse(_replica_url, conn_max_age=env("DB_CONN_MAX_AGE", 60, int))
    DATABASES["replica"]["OPTIONS"] = dict(DATABASES["default"].get("OPTIONS", {}))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["taskforce.replica.ReplicaRouter"]
# Reads go to the replica (when configured) outside the tests, which turn it on where they check it.
REPLICA_READS = env_bool("REPLICA_READS", default=MODE != "test")
# After a user's write, its reads stay on the primary this long, on every server.
REPLICA_PIN_SECONDS = env("REPLICA_PIN_SECONDS", 10, int)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Similarity alone let "officer1officer1" through for the user officer1.
    {"NAME": "agencies.validators.NameInPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env("TIME_ZONE", "America/Chicago")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Outside production the app serves static files straight from the finders, so the
# demo needs no collectstatic step; production serves the collected, hashed files.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after 30 minutes idle (CJIS): the expiry is pushed forward by
# requests (audit.middleware.IdleSessionMiddleware, at most once a minute) and the
# cookie dies with the browser.
SESSION_COOKIE_AGE = env("SESSION_IDLE_SECONDS", 30 * 60, int)
SESSION_SAVE_EVERY_REQUEST = False  # audit.middleware.IdleSessionMiddleware saves it instead
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env("SECURE_HSTS_SECONDS", 31536000, int)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # TLS ends at the proxy in front of gunicorn.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Hours a sent referral may wait for acknowledgement before it is overdue.
REFERRAL_ACKNOWLEDGE_HOURS = env("REFERRAL_ACKNOWLEDGE_HOURS", 48, int)
# An immigration-relief request not answered in this many days is overdue; a granted one is
# shown as expiring this many days before it runs out.
RELIEF_ANSWER_DAYS = env("RELIEF_ANSWER_DAYS", 30, int)
RELIEF_EXPIRY_NOTICE_DAYS = env("RELIEF_EXPIRY_NOTICE_DAYS", 60, int)
# Reminders (notifications/rules.py): the delay of each rule. REFERRAL_ACKNOWLEDGE_HOURS,
# RELIEF_ANSWER_DAYS and RELIEF_EXPIRY_NOTICE_DAYS above serve their rules too.
REFERRAL_ESCALATE_HOURS = env("REFERRAL_ESCALATE_HOURS", 72, int)
CUSTODY_CONFIRM_HOURS = env("CUSTODY_CONFIRM_HOURS", 4, int)
DECLINED_FOLLOW_UP_DAYS = env("DECLINED_FOLLOW_UP_DAYS", 7, int)
COURT_NOTICE_WEEK_DAYS = env("COURT_NOTICE_WEEK_DAYS", 7, int)
COURT_NOTICE_LAST_DAYS = env("COURT_NOTICE_LAST_DAYS", 1, int)
# Daily digests go out from this hour (the task force's time zone).
NOTIFICATION_DIGEST_HOUR = env("NOTIFICATION_DIGEST_HOUR", 7, int)
# A failed e-mail is tried again after EMAIL_RETRY_MINUTES, doubling each time up to the maximum.
EMAIL_RETRY_MINUTES = env("EMAIL_RETRY_MINUTES", 5, int)
EMAIL_RETRY_MAX_MINUTES = env("EMAIL_RETRY_MAX_MINUTES", 360, int)
# How long one send_reminders run holds its lease (runs out by itself if the run dies).
SEND_REMINDERS_LEASE_SECONDS = env("SEND_REMINDERS_LEASE_SECONDS", 600, int)
# The address links in e-mails point to (they lead to the sign-in page).
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

# E-mail: EMAIL_URL such as smtp+tls://user:password@mail.example.org:587 (taskforce/email_url.py).
# Production sends to the local mail relay unless told otherwise; the demo prints mail to the console.
globals().update(parse_email_url(env("EMAIL_URL", "smtp://localhost:25" if PRODUCTION else "console://")))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "case-tracker@localhost")
EMAIL_TIMEOUT = env("EMAIL_TIMEOUT", 30, int)

# How long a form's or an API request's idempotency key is honoured (a repeat gets the first answer).
IDEMPOTENCY_KEEP_HOURS = env("IDEMPOTENCY_KEEP_HOURS", 24, int)
if IDEMPOTENCY_KEEP_HOURS < 24:
    raise ImproperlyConfigured("IDEMPOTENCY_KEEP_HOURS must be at least 24.")
# Dates of operations and encounters before this year are refused as typing mistakes (agencies.limits).
TASK_FORCE_FIRST_YEAR = env("TASK_FORCE_FIRST_YEAR", 2000, int)

# Demo passwords only work when the demo mode is on (see agencies.backends).
DEMO_PASSWORD = "demo-password-2026" if DEMO_MODE or MODE == "test" else None

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        # TokenAuthentication that also refuses users whose membership ended.
        "audit.authentication.MembershipTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # The API (cases/api): documented errors, JSON only, pages of 50 (at most 1000), per-user throttling.
    "DEFAULT_SCHEMA_CLASS": "cases.api.schema.TaskForceAutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON bounded in size (413 over DATA_UPLOAD_MAX_MEMORY_SIZE) and depth (400).
    "DEFAULT_PARSER_CLASSES": ["cases.api.parsers.BoundedJSONParser"],
    "DEFAULT_PAGINATION_CLASS": "cases.api.pagination.ScopedPagination",
    "EXCEPTION_HANDLER": "cases.api.exceptions.api_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["cases.api.throttling.ApiUserThrottle", "cases.api.throttling.ApiAnonThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "user": env("API_USER_RATE", "1000/min"),
        "anon": env("API_ANON_RATE", "60/min"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

# API tokens (django-rest-knox, apitokens/): only a hash is stored, several named tokens
# per user, each expiring API_TOKEN_DAYS after it is made (90 by default).
API_TOKEN_DAYS = env("API_TOKEN_DAYS", 90, int)
if API_TOKEN_DAYS < 1:
    raise ImproperlyConfigured("API_TOKEN_DAYS must be at least 1.")
KNOX_TOKEN_MODEL = "apitokens.ApiToken"
REST_KNOX = {"TOKEN_TTL": timedelta(days=API_TOKEN_DAYS), "AUTH_HEADER_PREFIX": "Token"}

# One cache shared by every worker and every server, so the API throttle counts each
# user's requests once, wherever they land: Redis when REDIS_URL is given, otherwise a
# table in the database (created by the apitokens migration "shared_cache_table").
_redis_url = env("REDIS_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis_url, "KEY_PREFIX": "taskforce"}
        if _redis_url
        else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "taskforce_cache"}
    )
}

# The job queue (Django's tasks framework, the django-tasks backport). "database" (the
# default): jobs wait in a table and `manage.py db_worker` runs them, no other server.
# "redis": jobs wait in Redis (RQ) for `manage.py rqworker --job-class django_tasks_rq.Job`
# on any number of servers. "immediate": run in the request (tests only).
TASKS_BACKEND = env("TASKS_BACKEND", "immediate" if MODE == "test" else "database")
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "redis": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}, not {TASKS_BACKEND!r}.")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND], "QUEUES": ["default"]}}
if TASKS_BACKEND == "redis":
    # django-rq gives the `rqworker` command; installed only where Redis holds the queue.
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
TASKS_REDIS_URL = env("TASKS_REDIS_URL") or _redis_url
if TASKS_BACKEND == "redis" and not TASKS_REDIS_URL:
    raise ImproperlyConfigured("TASKS_BACKEND=redis needs TASKS_REDIS_URL (or REDIS_URL).")
RQ_QUEUES = {"default": {"URL": TASKS_REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 6 * 3600}}

# Export files: written by the worker into a private folder (never under static/ or any
# served folder), downloadable by the user who asked for EXPORT_KEEP_HOURS, then purged.
EXPORT_DIR = Path(env("EXPORT_DIR", str(BASE_DIR / "var" / "exports")))
EXPORT_KEEP_HOURS = env("EXPORT_KEEP_HOURS", 24, int)
# A running job whose worker has not reported for this long has died: it is marked failed.
EXPORT_STALE_SECONDS = env("EXPORT_STALE_SECONDS", 300, int)
# Lists of at most this many rows still download straight from the API (?format=csv|xlsx);
# longer ones go through an export job.
EXPORT_DIRECT_MAX_ROWS = env("EXPORT_DIRECT_MAX_ROWS", 5000, int)
# Contact imports (imports/): the largest file and the most rows one upload may hold.
IMPORT_MAX_BYTES = env("IMPORT_MAX_BYTES", 5 * 1024 * 1024, int)
IMPORT_MAX_ROWS = env("IMPORT_MAX_ROWS", 2000, int)

# Reports kept once computed (cases/reports/snapshots.py): shown again for this long to
# every user of the same scope, with their age on the page; past REPORT_FRESH_SECONDS a
# job recomputes them. 0 keeps nothing (the tests' default: they write and read at once).
REPORT_MAX_AGE_SECONDS = env("REPORT_MAX_AGE_SECONDS", 0 if MODE == "test" else 900, int)
REPORT_FRESH_SECONDS = env("REPORT_FRESH_SECONDS", 120, int)

SPECTACULAR_SETTINGS = {
    "TITLE": "Task-force case tracker API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "DESCRIPTION": (
        "Case records of the task force, each narrowed to what your role and agency may see. "
        "Sign in with the browser session or send `Authorization: Token <key>` (make a token on the "
        "API tokens page, /accounts/tokens/, or at /api/v1/auth/tokens/ from a signed-in session). "
        "Records outside your scope answer 404; a role that lacks an action, 403. "
        "Every write to an existing record (PUT, PATCH, POST actions) needs If-Match with the ETag of the "
        "last read: without it (or with *) the answer is 428, with a stale one 412; nothing changes. "
        "Records are voided with POST .../void/, never deleted. "
        "Send `Idempotency-Key: <a new UUID>` with a POST to make it safe to retry: a repeat is not done "
        "twice but gets the first answer. "
        "Lists take ?format=csv or ?format=xlsx for a download."
    ),
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "OperationStatusEnum": "cases.models.operations.OperationStatus",
        "ReferralStatusEnum": "cases.models.referrals.ReferralStatus",
        # After the operation.
        "InvestigationStatusEnum": "cases.models.investigations.InvestigationStatus",
        "InvestigationAgencyRoleEnum": "cases.models.investigations.InvestigationAgencyRole",
        "InvestigationPersonRoleEnum": "cases.models.investigations.InvestigationPersonRole",
        "JurisdictionEnum": "cases.models.prosecutions.Jurisdiction",
        "CourtEventKindEnum": "cases.models.prosecutions.CourtEventKind",
        "CourtEventStatusEnum": "cases.models.prosecutions.CourtEventStatus",
        "ReliefKindEnum": "cases.models.relief.ReliefKind",
        "ReliefStatusEnum": "cases.models.relief.ReliefStatus",
        "ReliefConsentEnum": "cases.models.relief.RELIEF_CONSENT",
        "ContactImportStatusEnum": "imports.models.ImportStatus",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "cases.api.schema.postprocess",
    ],
    # Swagger UI from this server (drf-spectacular-sidecar): no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}

AUTH_USER_MODEL = "agencies.User"
# The lock-out check comes first so a locked-out user is refused before the password is tried.
AUTHENTICATION_BACKENDS = ["audit.backends.LockoutBackend", "agencies.backends.TaskForceBackend"]

# Lock-out (django-axes): 5 failed log-ins for one username within 15 minutes lock
# it for 15 minutes, or until an administrator releases it (admin "Access attempts").
# Password spraying (a few guesses at many usernames) is caught per client address:
# LOCKOUT_ADDRESS_FAILURES failures from one address in 15 minutes lock sign-in from it.
# That limit is higher than the per-user one, as an agency office may share one address.
# Both limits show the same page (audit.backends.LockoutHandler). The counts live in the
# database, so every gunicorn worker and every server behind the proxy sees the same ones.
AXES_FAILURE_LIMIT = 5
AXES_ADDRESS_FAILURE_LIMIT = env("LOCKOUT_ADDRESS_FAILURES", 20, int)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "audit.backends.LockoutHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "audit/locked_out.html"
# Behind the TLS proxy the client address comes from X-Forwarded-For (see audit.middleware).
AXES_CLIENT_IP_CALLABLE = "audit.middleware.client_ip"
# Two-step sign-in (TOTP) for every user: on in production, off in the demo and tests.
REQUIRE_MFA = env_bool("REQUIRE_MFA", default=PRODUCTION)
OTP_TOTP_ISSUER = "Task-force case tracker"

# Audit rows are kept at least a year (CJIS); archive_audit moves older ones to a file.
AUDIT_RETENTION_DAYS = env("AUDIT_RETENTION_DAYS", 365, int)
if AUDIT_RETENTION_DAYS < 365:
    raise ImproperlyConfigured("AUDIT_RETENTION_DAYS must be at least 365 (audit rows are kept at least a year).")
AUDIT_ARCHIVE_DIR = Path(env("AUDIT_ARCHIVE_DIR", str(BASE_DIR / "audit-archive")))

# Content-Security-Policy (django-csp): only this site's own files; no inline
# script, no external origin. The QR code of the two-step enrolment is a data: image.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# How many proxies in front of gunicorn add to X-Forwarded-For (the TLS proxy in production).
AUDIT_TRUSTED_PROXIES = env("AUDIT_TRUSTED_PROXIES", 1 if PRODUCTION else 0, int)

if MODE == "test":
    # Fast hashing keeps the suite quick; never used outside tests.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
