"""Settings for the test suite: production settings with test-only secrets and fast hashing."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
# Two SM4 keys, so that reading values under an older key is exercised too.
os.environ.setdefault("PERSONAL_DATA_KEYS", "t2:00112233445566778899aabbccddeeff,t1:ffeeddccbbaa99887766554433221100")
os.environ.setdefault("PERSONAL_DATA_DIGEST_KEY", "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0")

from furong_portal.settings import *  # noqa: E402,F403

ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "furong_portal.storage.PrivateFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# No collectstatic in tests: whitenoise serves from the finders instead of STATIC_ROOT.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
MEDIA_ROOT = tempfile.mkdtemp(prefix="furong-test-media-")
PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="furong-test-private-media-")
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# A valid 统一社会信用代码 standing in for the district government's (the 索引号 prefix of units
# without a code of their own); tests of the refusal without one override it.
DISTRICT_ORGANISATION_CODE = "91350100M000100Y43"
OPEN_DATA_ROOT = tempfile.mkdtemp(prefix="furong-test-opendata-")
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The browser tests commit for real and flush every table after each test: waiting for
    # the disk on each of those commits buys a throwaway test database nothing.
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "options": "-c synchronous_commit=off",
    }
