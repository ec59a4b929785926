"""Settings, read from the environment.

With no environment at all the app runs on the embedded default: SQLite, Celery tasks executed
eagerly in the request, e-mail printed to the console. Setting DATABASE_URL and REDIS_URL moves it
onto PostgreSQL and real Celery workers; HTTPS=true switches on every transport-security setting
that ``manage.py check --deploy`` asks for.
"""

import ipaddress
import os
import sys
from pathlib import Path

from haidian_contest.fragments import release_digest

import environ
from django.core.exceptions import ImproperlyConfigured

from haidian_contest.crypto import parse_key as parse_pii_key

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env(
    "SECRET_KEY",
    default="dev-only-key-change-me-in-production-0123456789abcdefghijklmnopqrstuvwxyz",
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # django.contrib.admin, with every registered ModelAdmin refusing lookups on undeclared fields.
    "accounts.admin_site.GuardedAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "accounts",
    "applications",
    "review",
    "funding",
    "rosters",
    "performance",
    "dashboard",
    "haidian_contest",
]
# The test suite runs with DEBUG off (pytest-django) and still needs the demo app and the development keys.
TESTING = "pytest" in sys.modules or sys.argv[1:2] == ["test"]
# The scenario and seed_demo (it may import every app above, and none of them imports it). Not installed
# in production: seed_demo creates accounts with the password README publishes.
DEMO_APP = env.bool("DEMO_APP", default=DEBUG or TESTING)
if DEMO_APP:
    INSTALLED_APPS.append("demo")

MIDDLEWARE = [
    # Before anything asks request.is_secure(): X-Forwarded-Proto only from TRUSTED_PROXIES.
    "accounts.middleware.ProxyHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.IdleTimeoutMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A PDF that could not be made (renderer timed out or failed) is a page with a Chinese message.
    "haidian_contest.documents.RenderErrorMiddleware",
    "haidian_contest.params.RejectControlCharactersMiddleware",
    "haidian_contest.queue.QueueNoticeMiddleware",
    "accounts.middleware.AccountPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes requires: it turns a lock-out into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "haidian_contest.urls"
WSGI_APPLICATION = "haidian_contest.wsgi.application"
ASGI_APPLICATION = "haidian_contest.asgi.application"

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
                "accounts.context_processors.navigation",
            ],
        },
    },
]

# Two database roles on PostgreSQL (README: Production mode): DATABASE_URL is the application's role, which
# web, worker and beat connect as and which may only read and write rows; DATABASE_OWNER_URL owns the tables
# and is used by the release step alone (deploy/run.sh sets DATABASE_ROLE=owner there) to migrate and to
# grant the app role its rights (manage.py grant_app_role). Without it the app connects as the owner, which
# check --deploy warns about (haidian_contest/db_roles.py).
_APP_DATABASE = env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
DATABASE_APP_ROLE = _APP_DATABASE.get("USER", "")
_OWNER_URL = env.str("DATABASE_OWNER_URL", default="")
DATABASE_ROLE = env.str("DATABASE_ROLE", default="app")
if DATABASE_ROLE not in {"app", "owner"}:
    raise ImproperlyConfigured(f"DATABASE_ROLE must be app or owner, not {DATABASE_ROLE!r}.")
DATABASES = {
    "default": environ.Env.db_url_config(_OWNER_URL) if DATABASE_ROLE == "owner" and _OWNER_URL else _APP_DATABASE,
}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server read while a background import writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
# Keep connections across requests: opening one (and, on SQLite, its PRAGMAs) costs more than a
# small page's queries.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTHENTICATION_BACKENDS = [
    "accounts.backends.RequestAwareAxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "accounts.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env.int("PASSWORD_MIN_LENGTH", default=10)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.password_validation.CharacterClassValidator"},
]
PASSWORD_MAX_AGE_DAYS = env.int("PASSWORD_MAX_AGE_DAYS", default=90)
# Roles that must sign in with a second factor (TOTP); everyone else may opt in.
REQUIRE_2FA_ROLES = set(env.list("REQUIRE_2FA_ROLES", default=["finance", "approver", "admin"]))
OTP_TOTP_ISSUER = "海淀区职工职业技能竞赛管理系统"

OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # belt and braces: accounts/admin.py replaces django-otp's device admin

# Reverse proxies in front of the app that append the client's address to X-Forwarded-For (the
# nginx of README: 1). 0 ignores the header, which a client can write. accounts.security.client_ip.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Where those proxies connect from (addresses or networks): the header is believed only from them, so a
# client reaching gunicorn directly cannot name its own address. Default: nginx on the same machine.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=["127.0.0.1", "::1"])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy.strip(), strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES：“{_proxy}”不是 IP 地址或网段（例如 127.0.0.1、10.0.0.0/8、::1），请用逗号分隔。"
        ) from None

# Failed-login lock-out (django-axes): per user name and address, so one office cannot lock out another.
LOGIN_LOCKOUT_MINUTES = env.int("LOGIN_LOCKOUT_MINUTES", default=15)
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = LOGIN_LOCKOUT_MINUTES / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "accounts.security.client_ip"
AXES_USERNAME_FORM_FIELD = "username"
# Across addresses (accounts/throttle.py): after this many wrong passwords for one user name within
# the window, one attempt per cool-off, except from an address the user signed in from recently.
LOGIN_USER_FAILURE_LIMIT = env.int("LOGIN_USER_FAILURE_LIMIT", default=20)
LOGIN_USER_WINDOW_MINUTES = env.int("LOGIN_USER_WINDOW_MINUTES", default=60)
LOGIN_USER_COOLOFF_MINUTES = env.int("LOGIN_USER_COOLOFF_MINUTES", default=5)
LOGIN_KNOWN_ADDRESS_DAYS = env.int("LOGIN_KNOWN_ADDRESS_DAYS", default=90)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATIC_MANIFEST = env.bool("STATIC_MANIFEST", default=False)
if not STATIC_MANIFEST:
    # WhiteNoise warns on every start when STATIC_ROOT is missing, even while it serves from finders.
    Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
# Where uploads live: "local" (MEDIA_ROOT, one machine or a shared mount) or "s3" (an S3-compatible bucket,
# for several machines). Either way files are private and served only through permission-checked views.
MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="local")
if MEDIA_STORAGE == "local":
    _MEDIA_BACKENDS = {
        "default": {"BACKEND": "haidian_contest.private_files.TransactionalStorage"},
        "encrypted": {"BACKEND": "haidian_contest.private_files.EncryptedStorage"},
    }
elif MEDIA_STORAGE == "s3":
    _S3_OPTIONS = {
        "bucket_name": env.str("S3_BUCKET"),
        "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
        "access_key": env.str("S3_ACCESS_KEY_ID", default="") or None,
        "secret_key": env.str("S3_SECRET_ACCESS_KEY", default="") or None,
        "region_name": env.str("S3_REGION", default="") or None,
        "addressing_style": env.str("S3_ADDRESSING_STYLE", default="") or None,  # "path" for MinIO and the like
        "location": env.str("S3_PREFIX", default=""),
        "default_acl": None,  # no ACL sent: objects take the bucket's (private)
        "file_overwrite": False,
    }
    _MEDIA_BACKENDS = {
        "default": {"BACKEND": "haidian_contest.s3_storage.S3TransactionalStorage", "OPTIONS": _S3_OPTIONS},
        "encrypted": {"BACKEND": "haidian_contest.s3_storage.S3EncryptedStorage", "OPTIONS": _S3_OPTIONS},
    }
else:
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be local or s3, not {MEDIA_STORAGE!r}.")
STORAGES = {
    # Generated names only, and no file outlives a rolled-back transaction (haidian_contest.private_files);
    # "encrypted" holds the files with ID numbers, AES-GCM before they reach the disk or the bucket.
    **_MEDIA_BACKENDS,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Without collectstatic (the embedded default) WhiteNoise serves straight from static/.
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
# Uploads hold personal data: never under STATIC, served only through permission-checked views.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(BASE_DIR / "media"))
MEDIA_URL = "/private-media/"  # no route serves it: downloads go through permission-checked views
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000
DATA_UPLOAD_MAX_NUMBER_FILES = 200
# What an upload may unpack or decode to (haidian_contest/inspection/limits.py has the defaults and
# why); far above any real file, far below what hurts a worker.
# Unset: the default of inspection.Limits. Each name spelt out, so README's table can be checked against it.
UPLOAD_MAX_SHEET_ROWS = env.int("UPLOAD_MAX_SHEET_ROWS", default=None)
UPLOAD_MAX_SHEET_COLUMNS = env.int("UPLOAD_MAX_SHEET_COLUMNS", default=None)
UPLOAD_MAX_SHEET_CELLS = env.int("UPLOAD_MAX_SHEET_CELLS", default=None)
UPLOAD_MAX_SHEETS = env.int("UPLOAD_MAX_SHEETS", default=None)
UPLOAD_MAX_WORKBOOK_CELLS = env.int("UPLOAD_MAX_WORKBOOK_CELLS", default=None)
UPLOAD_MAX_CELL_CHARS = env.int("UPLOAD_MAX_CELL_CHARS", default=None)
UPLOAD_MAX_SHARED_STRINGS = env.int("UPLOAD_MAX_SHARED_STRINGS", default=None)
UPLOAD_MAX_ZIP_MEMBER_BYTES = env.int("UPLOAD_MAX_ZIP_MEMBER_BYTES", default=None)
UPLOAD_MAX_ZIP_TOTAL_BYTES = env.int("UPLOAD_MAX_ZIP_TOTAL_BYTES", default=None)
UPLOAD_MAX_ZIP_RATIO = env.int("UPLOAD_MAX_ZIP_RATIO", default=None)
UPLOAD_MAX_ZIP_MEMBERS = env.int("UPLOAD_MAX_ZIP_MEMBERS", default=None)
UPLOAD_MAX_IMAGE_PIXELS = env.int("UPLOAD_MAX_IMAGE_PIXELS", default=None)
UPLOAD_MAX_DECODED_IMAGE_PIXELS = env.int("UPLOAD_MAX_DECODED_IMAGE_PIXELS", default=None)
UPLOAD_MAX_VIDEO_PIXELS = env.int("UPLOAD_MAX_VIDEO_PIXELS", default=None)
UPLOAD_MAX_VIDEO_DECODE_SECONDS = env.int("UPLOAD_MAX_VIDEO_DECODE_SECONDS", default=None)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Celery: without REDIS_URL every task runs in-process, so the app needs no broker to start.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task whose worker died without acknowledging it (killed, machine lost) goes back to the queue
# after this long. It must exceed the longest task (video archives), or a running task is delivered twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=60 * 60)}
# A roster import with no progress for this long is taken for dead: the organizer may retry it and a
# redelivered task may run it again. Progress is written every half second while a file is read and
# the heartbeat every few seconds while it is measured; the longest silence is the final
# check-and-store transaction (seconds for 100,000 rows).
ROSTER_IMPORT_STALE_SECONDS = env.int("ROSTER_IMPORT_STALE_SECONDS", default=10 * 60)
# The wall-clock budget of one roster import (100,000 rows take about 5 s): past it the run stops
# itself and the version fails with a message, instead of holding a worker. Below the stale time.
ROSTER_IMPORT_MAX_SECONDS = env.int("ROSTER_IMPORT_MAX_SECONDS", default=5 * 60)
# The winners' public notice (公示): working days from the day after publication (rosters.publicity).
PUBLIC_NOTICE_WORKING_DAYS = env.int("PUBLIC_NOTICE_WORKING_DAYS", default=5)
# Objections one notice takes in a day (Beijing time) from all addresses together; past it the form asks
# the visitor to telephone the department at DEPARTMENT_PHONE (职工发展部's number, shown on public pages).
OBJECTIONS_PER_NOTICE_PER_DAY = env.int("OBJECTIONS_PER_NOTICE_PER_DAY", default=50)
DEPARTMENT_PHONE = env("DEPARTMENT_PHONE", default="")
# Exactly one beat per installation (haidian_contest.beat_lock): a beat that dies without releasing
# its lock in Redis blocks a successor for at most this long.
BEAT_LOCK_TTL_SECONDS = env.int("BEAT_LOCK_TTL_SECONDS", default=60)

# Not Redis by default: with the broker down, pages must keep working (sessions and lock-outs live
# in the database). Set CACHE_URL (e.g. rediscache://…) to share a cache between processes; a Redis
# cache is haidian_contest.cache's, which answers "not cached" while the server is down.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "haidian_contest.cache.ResilientRedisCache"
# Template fragments cached under a digest of what they print (haidian_contest.fragments), in the same
# store, prefixed by a digest of the templates and the code: a release with new markup starts afresh.
CACHES["template_fragments"] = {**CACHES["default"], "KEY_PREFIX": "fragments-" + release_digest(BASE_DIR)}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="海淀区职工职业技能竞赛管理系统 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Links in e-mails (registration confirmation, account activation) point here.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# 发文字号 of the approval notices (立项通知书): PREFIX〔YEAR〕N号, N counted per year.
NOTICE_NUMBER_PREFIX = env("NOTICE_NUMBER_PREFIX", default="海工发")

# Transport security: one switch for a deployment behind HTTPS.
HTTPS = env.bool("HTTPS", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_PROXY", default=HTTPS) else None
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): every script, style, font and image comes from static/, so
# nothing inline runs and nothing is loaded from elsewhere. data: is for Bootstrap's SVG form icons.
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
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_TOUCH_SECONDS = 60  # accounts.middleware.IdleTimeoutMiddleware makes the age above an idle timeout

# Personal information (PIPL): ID_HASH_KEY keys the hash every match of ID numbers compares (2.4a, 2.4b);
# PII_ENCRYPTION_KEYS (comma-separated, the first encrypts, all decrypt) encrypt ID and phone numbers and
# the roster workbooks at rest. Both are keys of their own: never derived from SECRET_KEY, whose rotation
# must not silently switch off the one-trade-per-cycle and first-prize checks. A production start without
# them stops here; DEBUG (make run) and the test suite use fixed development keys, exported so that the
# processes a test starts (workers, subprocesses) share them.
if DEBUG or TESTING:
    os.environ.setdefault("ID_HASH_KEY", "dev-only-id-hash-key-not-for-production-4f1c2a9e7b3d")
    os.environ.setdefault("PII_ENCRYPTION_KEYS", "ZGV2LW9ubHktcGlpLWtleS1ub3QtZm9yLXByb2R1Y3Q=")
ID_HASH_KEY = env("ID_HASH_KEY", default="")
PII_ENCRYPTION_KEYS = env.list("PII_ENCRYPTION_KEYS", default=[])
if not ID_HASH_KEY or not PII_ENCRYPTION_KEYS:
    raise ImproperlyConfigured(
        "生产环境（DEBUG=false）必须设置 ID_HASH_KEY（身份证号密钥摘要）和 PII_ENCRYPTION_KEYS（个人信息加密密钥），"
        "二者不得使用 SECRET_KEY。生成加密密钥：python -c \"import base64,os; "
        "print(base64.urlsafe_b64encode(os.urandom(32)).decode())\"；详见 README“配置”一节。"
    )
for _key in PII_ENCRYPTION_KEYS:
    parse_pii_key(_key)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}
