"""FundApp settings, driven by environment variables (see README, "Configuration")."""

import sys
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from csp.constants import NONCE as CSP_NONCE
from csp.constants import NONE as CSP_NONE
from csp.constants import SELF as CSP_SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
# The test suite runs with DEBUG off, as production does, with a throw-away key.
TESTING = "pytest" in sys.modules
SECRET_KEY = env("SECRET_KEY", default="") if not (DEBUG or TESTING) else env(
    "SECRET_KEY", default="dev-only-insecure-key-change-me-0123456789abcdefghijklmnop"
)
if not SECRET_KEY:
    raise environ.ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
DEMO_PASSWORD = env("DEMO_PASSWORD", default="fundapp-demo")
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_countries",
    "simple_history",
    "django_htmx",
    "django_celery_beat",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "fundapp.core",
    "fundapp.accounts",
    "fundapp.notifications",
    "grants",
    "donors",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "fundapp.core.security.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "fundapp.accounts.middleware.SessionActivityMiddleware",  # sessions page: last seen
    "django_otp.middleware.OTPMiddleware",
    "fundapp.accounts.two_factor.middleware.TwoFactorMiddleware",  # the second-factor gate
    "fundapp.core.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "fundapp.core.upload_limits.UploadLimitMiddleware",  # before anything reads the body
    "fundapp.core.middleware.RejectNulMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "fundapp.urls"
WSGI_APPLICATION = "fundapp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fundapp.core.context_processors.navigation",
                "fundapp.notifications.context_processors.unread_notifications",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'fundapp.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    # Writers queue for the lock instead of failing with "database is locked" when two
    # requests write at once (an autosave racing a Save click in the demo's threaded server).
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        # A fresh clone has no var/: SQLite cannot create the file in a missing folder.
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "django_otp_webauthn.backends.WebAuthnBackend",  # passwordless sign-in with a passkey
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Brute-force protection on the login form and the token endpoint.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)

# The client address behind our own proxies (README, "Accounts and security"): 0 = the
# connection's address (REMOTE_ADDR) only; N = the N-th address from the right of
# X-Forwarded-For. Rate limits and django-axes both key on it; a client-sent header
# never counts.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "fundapp.core.throttling.client_ip"
# An API token works this many hours (then 401); a password reset link this many seconds.
API_TOKEN_TTL_HOURS = env.int("API_TOKEN_TTL_HOURS", default=720)
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=2 * 3600)

# Two-factor sign-in (README, "Two-factor sign-in"): required for these roles when enforced
# (by default whenever DEBUG is off); the demo offers it without requiring it.
MFA_REQUIRED_ROLES = env.list("MFA_REQUIRED_ROLES", default=["secretariat", "board"])
MFA_ENFORCED = env.bool("MFA_ENFORCED", default=not DEBUG)
OTP_TOTP_ISSUER = "FundApp"
# Passkeys belong to the site's domain (SITE_URL); a browser takes no IP address for it, so
# the demo at 127.0.0.1 offers passkeys at http://localhost:<port>.
_site = urlsplit(SITE_URL)
_passkey_host = "localhost" if (_site.hostname or "").replace(".", "").isdigit() else _site.hostname
OTP_WEBAUTHN_RP_ID = env("OTP_WEBAUTHN_RP_ID", default=_passkey_host or "localhost")
OTP_WEBAUTHN_RP_NAME = "FundApp"
OTP_WEBAUTHN_ALLOWED_ORIGINS = env.list("OTP_WEBAUTHN_ALLOWED_ORIGINS", default=[
    f"{_site.scheme}://{_passkey_host}" + (f":{_site.port}" if _site.port else "")])

# An invitation link (organisation members, staff) works this many days, once.
INVITATION_TTL_DAYS = env.int("INVITATION_TTL_DAYS", default=7)

LANGUAGE_CODE = "en"
# The six official languages of the United Nations (issue 17); Arabic is written right to
# left (Django's LANGUAGES_BIDI), the pages mirror through CSS logical properties.
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("es", _("Spanish")), ("ar", _("Arabic")),
             ("ru", _("Russian")), ("zh-hans", _("Chinese (Simplified)"))]
# locale/: our catalogues (make messages). locale/vendor/: kept by hand, French for the
# user-facing messages of packages that ship none (django-otp-webauthn's passkey errors);
# makemessages never writes there, and our own locale/ wins over it.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "vendor"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env("STATIC_ROOT", default=str(VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env("MEDIA_ROOT", default=str(VAR_DIR / "media"))
# Uploaded files are private: never served by URL, only through permission-checked views.
MEDIA_URL = "/private-media-not-served/"
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
if AWS_STORAGE_BUCKET_NAME:
    from fundapp.core.storage import s3_storage

    STORAGES["default"] = s3_storage(AWS_STORAGE_BUCKET_NAME,
                                     endpoint_url=env("AWS_S3_ENDPOINT_URL", default=None),
                                     region_name=env("AWS_S3_REGION_NAME", default=None))
MAX_UPLOAD_BYTES = env.int("MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
MAX_ATTACHMENTS_PER_APPLICATION = env.int("MAX_ATTACHMENTS_PER_APPLICATION", default=20)
FILE_UPLOAD_PERMISSIONS = 0o640

# E-mail: files in var/mail/ by default, SMTP in production (EMAIL_URL or EMAIL_BACKEND).
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
if env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")
    EMAIL_HOST = env("EMAIL_HOST", default="localhost")
    EMAIL_PORT = env.int("EMAIL_PORT", default=25)
    EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
    EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="FundApp <no-reply@fundapp.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: a real broker with REDIS_URL, eager in-process execution without it.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 90
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 2,
                                   "socket_timeout": 5}
# Publishing gives up quickly when Redis is down: the event still commits, its notifications
# stay pending in the outbox and the sweep below dispatches them once Redis is back.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0,
                                    "interval_step": 0.2, "interval_max": 0.5}
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="fundapp")
CELERY_TIMEZONE = "UTC"
# The schedule lives in code (below); django_celery_beat's DatabaseScheduler copies it into
# the database each time beat starts (visible in the admin; last runs survive a restart or a
# move of beat to another machine). "expire_seconds": a run not started in time is dropped,
# so a worker back from an outage does not replay a backlog of identical periodic runs.
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "grant-report-reminders": {"task": "grants.report_reminders",
                               "schedule": crontab(hour=6, minute=0),
                               "options": {"expire_seconds": 3 * 3600}},
    "board-vote-reminders": {"task": "grants.board_vote_reminders", "schedule": 15 * 60.0,
                             "options": {"expire_seconds": 14 * 60}},
    "close-due-calls": {"task": "grants.close_due_calls", "schedule": 60.0,
                        "options": {"expire_seconds": 55}},
    "call-deadline-reminders": {"task": "grants.deadline_reminders", "schedule": 15 * 60.0,
                                "options": {"expire_seconds": 14 * 60}},
    "notifications-sweep": {"task": "notifications.sweep", "schedule": 120.0,
                            "options": {"expire_seconds": 110}},
    "review-reminders": {"task": "grants.review_reminders",
                         "schedule": crontab(hour=7, minute=0),
                         "options": {"expire_seconds": 3 * 3600}},
    "notifications-daily-digest": {
        "task": "notifications.daily_digest",
        "schedule": crontab(hour=env.int("DIGEST_HOUR_UTC", default=6), minute=0),
        "options": {"expire_seconds": 3 * 3600}},
    "idempotency-keys-purge": {"task": "core.purge_idempotency_keys",
                               "schedule": crontab(hour=3, minute=30),
                               "options": {"expire_seconds": 3 * 3600}},
    "information-request-reminders": {"task": "grants.information_reminders",
                                      "schedule": crontab(hour=6, minute=15),
                                      "options": {"expire_seconds": 3 * 3600}},
    "jobs-expire": {"task": "core.expire_jobs", "schedule": 10 * 60.0,
                    "options": {"expire_seconds": 9 * 60}},
    "privacy-retention": {"task": "grants.retention_run",
                          "schedule": crontab(hour=2, minute=45),
                          "options": {"expire_seconds": 3 * 3600}},
}

# Background jobs (fundapp/core/jobs.py): an export of more rows than this, or an import of a
# file with more rows, runs as a Celery task with its progress on the job's page; its file is
# kept JOB_FILE_DAYS for its requester alone.
EXPORT_ASYNC_THRESHOLD = env.int("EXPORT_ASYNC_THRESHOLD", default=5000)
JOB_FILE_DAYS = 7
JOB_PROGRESS_EVERY = env.int("JOB_PROGRESS_EVERY", default=500)  # rows between progress writes
JOB_TIME_LIMIT_SECONDS = env.int("JOB_TIME_LIMIT_SECONDS", default=30 * 60)
JOB_MAX_ACTIVE_PER_USER = 3  # jobs waiting or running at once for one person

# Retention of personal data (README, "Personal data"): the people of an organisation that
# never received a grant are anonymised once its last application ended (decided, declined,
# ineligible or withdrawn) this many years ago and they have not signed in since.
RETENTION_NEVER_FUNDED_YEARS = env.int("RETENTION_NEVER_FUNDED_YEARS", default=5)

# Amendments to signed grants (grants.services.amendments): a budget revision that moves
# more than this share of any line's current amount (or adds or removes a line) needs the
# secretariat's approval, smaller ones are recorded only; a no-cost extension ends at most
# this many months after the end date first agreed.
AMENDMENT_APPROVAL_THRESHOLD = Decimal(env("AMENDMENT_APPROVAL_THRESHOLD", default="0.10"))
AMENDMENT_MAX_EXTENSION_MONTHS = env.int("AMENDMENT_MAX_EXTENSION_MONTHS", default=12)

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": REDIS_URL,
                          # a cache that is down answers fast (throttles then fail open)
                          "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2}}}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "fundapp.core.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PAGINATION_CLASS": "fundapp.core.api.Pagination",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
        "fundapp.core.renderers.CSVRenderer",  # ?format=csv, Accept: text/csv: every list
        "fundapp.core.renderers.XLSXRenderer",  # ?format=xlsx
    ],
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
        "rest_framework.filters.SearchFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "fundapp.core.api.exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
    "DEFAULT_THROTTLE_RATES": {"token": "20/minute", "password_reset": "10/hour",
                               "password_reset_confirm": "30/hour", "invitation": "20/minute",
                               "register": "20/hour"},
    "DEFAULT_PARSER_CLASSES": [
        "fundapp.core.parsers.JSONParser",  # bounded depth and size, no NUL
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "FundApp API",
    "DESCRIPTION": "Grant cycle of the trust fund for victims of trafficking in persons.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "fundapp.core.openapi.add_error_responses",  # 400/401/403/404 where they happen
    ],
    "ENUM_NAME_OVERRIDES": {
        "ApplicationStatusEnum": "grants.models.applications.ApplicationStatus",
        "CallStatusEnum": "grants.models.calls.CallStatus",
        "OrganisationStatusEnum": "grants.models.organisations.OrganisationStatus",
        "DocumentKindEnum": "grants.models.calls.DocumentKind",
        "ReviewStatusEnum": "grants.models.reviews.ReviewStatus",
        "BoardSessionStatusEnum": "grants.models.board.SessionStatus",
        "BoardSessionKindEnum": "grants.models.board.SessionKind",
        "GrantStatusEnum": "grants.models.awards.GrantStatus",
        "ReportKindEnum": "grants.models.awards.ReportKind",
        "ProgressReportStatusEnum": "grants.models.implementation.ReportStatus",
        "OrganisationRoleEnum": "grants.models.organisations.OrgRole",
        "BoardRoleEnum": "grants.models.board.BoardRole",
        "JobKindEnum": "fundapp.core.models.JobKind",
        "JobStatusEnum": "fundapp.core.models.JobStatus",
        "LanguageEnum": [code for code, _name in LANGUAGES],
    },
}

SESSION_COOKIE_HTTPONLY = True
# Content-Security-Policy (django-csp 4): nothing inline, nothing from elsewhere. A page that
# truly needs an inline script gives it {{ request.csp_nonce }} (the nonce is then added).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [CSP_SELF],
        "script-src": [CSP_SELF, CSP_NONCE],
        "style-src": [CSP_SELF],
        "img-src": [CSP_SELF, "data:"],
        "object-src": [CSP_NONE],
        "frame-ancestors": [CSP_NONE],
        "base-uri": [CSP_SELF],
        "form-action": [CSP_SELF],
    },
}
# Permissions-Policy: no camera, microphone, location or payment; passkeys on this site only.
PERMISSIONS_POLICY = {
    "camera": "()", "microphone": "()", "geolocation": "()", "payment": "()",
    "publickey-credentials-get": "(self)", "publickey-credentials-create": "(self)",
}
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not TESTING)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
