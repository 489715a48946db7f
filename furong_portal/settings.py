"""Settings for furong-portal.

Everything that differs between a laptop, CI and production is read from the
environment in the first section below; the rest is the same everywhere.
"""

import ipaddress
import hashlib
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from furong_portal import personal_data

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


# --- Environment ---------------------------------------------------------------

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-furong-portal"

# 个人信息 at rest: SM4 keys "id:hex32,id:hex32" (the first encrypts; the others still decrypt
# until `manage.py personal_data_rekey` has moved everything to the first) and the HMAC-SM3 key
# of the lookup digests (furong_portal/personal_data.py). Development derives both from SECRET_KEY.
_personal_data_keys = os.environ.get("PERSONAL_DATA_KEYS", "")
_personal_data_digest_key = os.environ.get("PERSONAL_DATA_DIGEST_KEY", "")
if not (_personal_data_keys and _personal_data_digest_key):
    if not DEBUG:
        raise ImproperlyConfigured("PERSONAL_DATA_KEYS and PERSONAL_DATA_DIGEST_KEY must be set when DEBUG is off.")
    _development = hashlib.sha256(f"furong-personal-data:{SECRET_KEY}".encode()).hexdigest()
    _personal_data_keys = _personal_data_keys or f"dev:{_development[:32]}"
    _personal_data_digest_key = _personal_data_digest_key or _development[32:]
PERSONAL_DATA_KEYS = personal_data.parse_key_ring(_personal_data_keys)
PERSONAL_DATA_DIGEST_KEY = bytes.fromhex(_personal_data_digest_key)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool("DB_PREPARED_STATEMENTS", True):
    # Planning the public list queries (a few joins over a table with many indexes)
    # costs more than running them; server-side binding lets psycopg prepare each
    # statement once per connection. Turn off behind a pooler in transaction mode.
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "server_side_binding": True,
        "prepare_threshold": 5,
    }

# SQLite (the two-command setup) under a few simultaneous writes: WAL lets readers go on while
# one connection writes, writers wait up to 20 s for each other instead of failing with
# "database is locked", and every transaction takes the write lock when it begins (IMMEDIATE),
# so a read-then-write transaction never deadlocks on upgrading its lock.
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
    # The covering list index INCLUDEs columns for PostgreSQL; SQLite keeps its key columns
    # only, which is all it needs, so its warning about that would print on every command.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]

# A shared cache (Redis) is optional; local memory is the default.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "furong_portal.cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# How long the page cache keeps a public page when nothing changes; every change of
# public content makes all of them stale at once (furong_portal/pagecache.py).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", str(24 * 60 * 60)))
# With Redis, each process's copies of the pages it served last (gzipped bytes), used while
# Redis confirms that public content has not changed (furong_portal/cache.py, KeyWatch).
PAGE_CACHE_LOCAL_BYTES = int(os.environ.get("PAGE_CACHE_LOCAL_BYTES", str(32 * 1024 * 1024)))

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "furong-portal@localhost")

# The 机构代码 (organisation code or 统一社会信用代码) of the district government: the 索引号
# prefix of units that have no code of their own (disclosure.services.index_prefix).
DISTRICT_ORGANISATION_CODE = os.environ.get("DISTRICT_ORGANISATION_CODE", "")

FIXTURE_DIRS = [BASE_DIR / "fixtures"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Internal uploads (evidence for work-point reports): never served by the web server,
# only through views that check who asks. Keep it outside MEDIA_ROOT.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media"))
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# The open-data bulk downloads (`manage.py export_open_data`), served at /open-data/files/.
OPEN_DATA_ROOT = Path(os.environ.get("OPEN_DATA_ROOT", BASE_DIR / "opendata"))

# --- Applications --------------------------------------------------------------

INSTALLED_APPS = [
    "furong_portal.apps.FurongAdminConfig",  # django.contrib.admin with our admin site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.syndication",
    "django.contrib.sitemaps",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_filters",
    "django_prose_editor",
    "import_export",
    "ninja",  # serves the API explorer's Swagger UI from its own static files
    "csp",
    "responsibility",
    "responsibility.catalogue",
    "tasks",
    "disclosure",
    "disclosure.requests",
    "disclosure.interpretations",
    "disclosure.topics",
    "disclosure.consultations",
    "disclosure.evaluations",
    "disclosure.opendata",
    "disclosure.checks",
    "disclosure.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Above the CSP header (stored with the page), static files, sessions, CSRF and auth: a
    # stored page is answered without them (furong_portal/pagecache.py).
    "furong_portal.pagecache.PageCacheMiddleware",
    "furong_portal.csp.PortalCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Idle timeout, then the second factor and an expired password for the back office.
    "responsibility.security.BackOfficeSecurityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "furong_portal.urls"
WSGI_APPLICATION = "furong_portal.wsgi.application"

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
                "disclosure.context_processors.site_identity",
                "disclosure.context_processors.elder_mode",
            ],
        },
    },
]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication ------------------------------------------------------------

# GB/T 22239-2019 8.1.4.1 (identification and authentication), as assessed at level 3:
# at least 8 characters (we ask 10) from 3 of the 4 character classes, not containing
# the username, not a common password; changed every PASSWORD_MAX_AGE_DAYS days, and
# at the first login and after someone else set it (responsibility/passwords.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "responsibility.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "responsibility.passwords.UsernameNotContainedValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_MAX_AGE_DAYS = int(os.environ.get("PASSWORD_MAX_AGE_DAYS", "90"))

# Every back-office account signs in with a second factor: TOTP (RFC 6238) enrolled at
# the first login, with single-use recovery codes (django-otp).
OTP_TOTP_ISSUER = "芙蓉区政务公开平台"
OTP_RECOVERY_CODES = 10

# GB/T 22239-2019: log out after 30 minutes idle (responsibility/security.py checks the
# last request's time; the session cookie expires with it).
IDLE_TIMEOUT_MINUTES = int(os.environ.get("IDLE_TIMEOUT_MINUTES", "30"))
SESSION_COOKIE_AGE = IDLE_TIMEOUT_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True

# The superuser is for emergencies, not daily work: `check --deploy` warns when an
# active superuser logged in within this many days (responsibility/checks.py).
SUPERUSER_LOGIN_WARNING_DAYS = int(os.environ.get("SUPERUSER_LOGIN_WARNING_DAYS", "30"))

# GB/T 22239-2019 8.1.4.3 and 网络安全法 第二十一条: audit records kept at least 180 days;
# `manage.py audit_prune` removes older ones.
AUDIT_RETENTION_DAYS = int(os.environ.get("AUDIT_RETENTION_DAYS", "365"))

# GB/T 22239-2019: lock an account for 30 minutes after 5 failed logins; every login
# and failed login goes to the audit log (responsibility/audit.py).
AUTHENTICATION_BACKENDS = ["responsibility.audit.LockoutModelBackend"]
LOGIN_URL = "admin:login"

# --- Abuse limits ------------------------------------------------------------------

# Abuse limits, (how many, per seconds), counted atomically in the cache
# (furong_portal/ratelimit.py): the public request form per client address and per identity
# number, the status lookup's failures per address and per request number, failed logins per
# address (on top of the per-account lock in responsibility/audit.py).
RATE_LIMITS = {
    "submit_per_ip": (int(os.environ.get("REQUESTS_SUBMITS_PER_IP_HOUR", "10")), 60 * 60),
    "submit_per_identity": (int(os.environ.get("REQUESTS_SUBMITS_PER_IDENTITY_DAY", "5")), 24 * 60 * 60),
    "lookup_per_ip": (int(os.environ.get("REQUESTS_LOOKUPS_PER_IP_HOUR", "30")), 60 * 60),
    # Searches the page cache could not answer: each costs a query over the whole collection.
    "search_per_ip": (int(os.environ.get("SEARCHES_PER_IP_MINUTE", "30")), 60),
    "lookup_per_number": (int(os.environ.get("REQUESTS_LOOKUPS_PER_NUMBER_HOUR", "10")), 60 * 60),
    "login_failures_per_ip": (int(os.environ.get("LOGIN_FAILURES_PER_IP_15MIN", "20")), 15 * 60),
}
# 个人信息保护法 第十九条: applicants' identity numbers and contact details are erased this many
# years after their request was closed (`manage.py requests_erase_personal_data`, daily).
REQUESTS_PERSONAL_DATA_YEARS = int(os.environ.get("REQUESTS_PERSONAL_DATA_YEARS", "5"))

# --- Spreadsheets -----------------------------------------------------------------

# The admin's import and export offer csv and xlsx only, both escaping formula-leading text.
from furong_portal.spreadsheets import SafeCSV, SafeXLSX  # noqa: E402 (a settings value is a class here)

IMPORT_EXPORT_FORMATS = [SafeCSV, SafeXLSX]

# --- Reverse proxy ---------------------------------------------------------------

# Addresses or networks of the reverse proxies in front of the site (nginx). Only their
# X-Forwarded-For is believed; the audit log and every rate limit read the client's address
# through furong_portal/client_ip.py. Empty: no proxy, the TCP peer is the client.
try:
    TRUSTED_PROXIES = [str(ipaddress.ip_network(proxy, strict=False)) for proxy in env_list("TRUSTED_PROXIES", "")]
except ValueError as error:
    raise ImproperlyConfigured(f"TRUSTED_PROXIES: {error}") from error

# --- The site's identity (《政府网站发展指引》, 国办发〔2017〕47号) ------------------

# What the footer and the 联系我们 page show. The 网站标识码 is issued by the State
# Council's government-website register, the ICP and 公安机关 numbers by their filings;
# an empty value is left out of the footer rather than shown invented.
SITE_IDENTITY = {
    "sponsor": os.environ.get("SITE_SPONSOR", "长沙市芙蓉区人民政府办公室"),
    "operator": os.environ.get("SITE_OPERATOR", "芙蓉区政务公开办公室"),
    "site_code": os.environ.get("SITE_CODE", ""),  # 网站标识码, e.g. 4301020001
    "icp_number": os.environ.get("SITE_ICP_NUMBER", ""),  # ICP备案编号, e.g. 湘ICP备05000000号
    "psb_number": os.environ.get("SITE_PSB_NUMBER", ""),  # 公安机关备案号, e.g. 湘公网安备 43010202000000号
    "psb_code": "".join(filter(str.isdigit, os.environ.get("SITE_PSB_NUMBER", ""))),
    "address": os.environ.get("SITE_CONTACT_ADDRESS", ""),
    "postcode": os.environ.get("SITE_CONTACT_POSTCODE", ""),
    "phone": os.environ.get("SITE_CONTACT_PHONE", ""),
    "fax": os.environ.get("SITE_CONTACT_FAX", ""),
    "email": os.environ.get("SITE_CONTACT_EMAIL", ""),
    "hours": os.environ.get("SITE_CONTACT_HOURS", "工作日 上午 9:00—12:00，下午 13:30—17:30（法定节假日除外）"),
    # The 党政机关网站标识's registration page, issued with the mark (开办单位 certificate).
    "conac_url": os.environ.get("SITE_CONAC_URL", ""),
}
# The national 我为政府网站找错 platform takes the site's 网站标识码.
SITE_IDENTITY["error_report_url"] = os.environ.get(
    "SITE_ERROR_REPORT_URL",
    "https://zfwzzc.www.gov.cn/check_web/errorInfo_querySiteInfo.action?siteCode=" + SITE_IDENTITY["site_code"],
)

# --- Internationalisation ------------------------------------------------------

LANGUAGE_CODE = "zh-hans"
# The only language, for every visitor: no LocaleMiddleware, which would read each browser's
# Accept-Language for nothing and add `Vary: Accept-Language` to every page, splitting the
# copies that browsers and proxies keep by the visitor's language settings.
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files -------------------------------------------------

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
# Every file field names one of these aliases (furong_portal/storage.py); for an S3-compatible
# object store replace the backends here (django-storages, docs/deploy.md).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "furong_portal.storage.PrivateFileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Let the web server send non-public files once a view has checked permission: the internal
# nginx location that maps to PRIVATE_MEDIA_ROOT (e.g. "/_protected/", docs/deploy.md), or
# X-Sendfile for Apache/lighttpd. Empty: Django sends them.
PRIVATE_MEDIA_ACCEL_REDIRECT = os.environ.get("PRIVATE_MEDIA_ACCEL_REDIRECT", "")
PRIVATE_MEDIA_SENDFILE = env_bool("PRIVATE_MEDIA_SENDFILE", False)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Security ------------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# Content-Security-Policy (django-csp, furong_portal/csp.py). The public site runs no
# JavaScript and loads nothing from elsewhere; the admin needs its own scripts (and the
# editor's import map, allowed by hash in furong_portal/csp.py) and inline styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "font-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
    }
}
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "connect-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        # The rich-text editor adds its own <style> at run time; styles run no code.
        "style-src": ["'self'", "'unsafe-inline'"],
        "font-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
    }
}

# --- Logging and error reporting --------------------------------------------------

# One JSON object per line on stderr (journald/any log shipper reads it); LOG_FORMAT=text
# for a human at a terminal.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "furong_portal.observability.JSONFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": os.environ.get("LOG_FORMAT", "text" if DEBUG else "json"),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Errors go to a Sentry-compatible service (Sentry, GlitchTip) when SENTRY_DSN is set.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    from furong_portal.observability import error_reporting_init  # noqa: E402

    error_reporting_init(dsn=SENTRY_DSN, environment=os.environ.get("SENTRY_ENVIRONMENT", "production"))
