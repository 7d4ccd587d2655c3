"""MercuryHub settings, read from the environment.

Development defaults run on SQLite in ./var; MERCURYHUB_ENV=production demands a secret key and
allowed hosts, turns debug off and hardens cookies and headers. DATABASE_URL selects PostgreSQL.
``mercuryhub serve`` runs gunicorn with DEBUG=false, its own host in ALLOWED_HOSTS, SITE_URL set to
its address and the secret key it keeps in the data directory (see core/management/commands/serve).
"""

import shutil
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from mercuryhub.lib.env import env_bool, env_int, env_list, env_secret, env_str

PACKAGE_DIR = Path(__file__).resolve().parent

ENVIRONMENT = env_str("MERCURYHUB_ENV", "development")
if ENVIRONMENT not in {"development", "production", "test"}:
    raise ImproperlyConfigured(
        f"MERCURYHUB_ENV must be development, production or test, got {ENVIRONMENT!r}"
    )
PRODUCTION = ENVIRONMENT == "production"

DATA_DIR = Path(env_str("MERCURYHUB_DATA_DIR", str(Path.cwd() / "var"))).resolve()

_DEVELOPMENT_SECRET = "development-only-secret-key-never-use-in-production"  # noqa: S105
# Where `mercuryhub serve` keeps the random key it generates when none is given, so that sessions
# and e-mailed links survive a restart. Every command run on the same data directory reads it.
GENERATED_SECRET_KEY_PATH = DATA_DIR / "secret_key"


def _generated_secret_key() -> str:
    try:
        return GENERATED_SECRET_KEY_PATH.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return ""


if PRODUCTION:
    SECRET_KEY = env_secret("SECRET_KEY")
else:
    SECRET_KEY = env_secret("SECRET_KEY") or _generated_secret_key() or _DEVELOPMENT_SECRET
DEBUG = env_bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

if PRODUCTION:
    if (
        not SECRET_KEY
        or SECRET_KEY == _DEVELOPMENT_SECRET
        or len(SECRET_KEY) < 50
        or len(set(SECRET_KEY)) < 5
    ):
        raise ImproperlyConfigured(
            "SECRET_KEY (or SECRET_KEY_FILE) must be set to a random value of at least 50 "
            "characters (at least 5 different ones) when MERCURYHUB_ENV=production"
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS must list the host names the site is served under when "
            "MERCURYHUB_ENV=production"
        )
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be off when MERCURYHUB_ENV=production")

INSTALLED_APPS = [
    "mercuryhub.core",
    "mercuryhub.taxonomy",
    "mercuryhub.accounts",
    "mercuryhub.search",
    "mercuryhub.review",
    "mercuryhub.catalogue",
    "mercuryhub.library",
    "mercuryhub.forms",
    "mercuryhub.exchange",
    "mercuryhub.asgm",
    "mercuryhub.nap",
    "mercuryhub.inventory",
    "mercuryhub.partnership",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "simple_history",
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Scripts only from the site's own files, never inline (core/middleware.py).
    "mercuryhub.core.middleware.ContentSecurityPolicyMiddleware",
    # Devices' OpenRosa requests (/v1/key/…) answered without the middleware pages need.
    "mercuryhub.core.middleware.DeviceRequestsMiddleware",
    # A write that cannot get the database's lock in time: 503 with Retry-After, not 500.
    "mercuryhub.core.middleware.DatabaseBusyMiddleware",
    # HTML pages gzip-compressed, except those that show a secret (BREACH; see the middleware).
    "mercuryhub.core.middleware.CompressPagesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # The API answers in the language asked for by ?lang= or Accept-Language.
    "mercuryhub.core.middleware.ApiLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "mercuryhub.core.middleware.RejectControlCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # After the messages' middleware: a page that queued an e-mail says so.
    "mercuryhub.core.middleware.QueuedMailNoticeMiddleware",
]

if not DEBUG:
    # whitenoise serves the collected static files (compressed, fingerprinted, cached for a year)
    # from the application servers; with debug on, the development server serves them.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "mercuryhub.urls"
# A form refused for its security token gets the site's 403 page, saying what to do.
CSRF_FAILURE_VIEW = "mercuryhub.core.views.csrf_failure"
WSGI_APPLICATION = "mercuryhub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": ["mercuryhub.lib.bidi"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mercuryhub.core.context_processors.site",
            ],
        },
    },
]

# Databases: SQLite in WAL mode by default; DATABASE_URL=postgres://... in production.
# How long a write waits for another's lock before the visitor is asked to retry (503 with
# Retry-After): on SQLite the database's, which a long import holds while it writes; on
# PostgreSQL the search change log's (search/ranking_index.py, lock_changes).
DATABASE_BUSY_TIMEOUT = env_int("SQLITE_BUSY_TIMEOUT", 5, minimum=1)
_SQLITE_PATH = DATA_DIR / "mercuryhub.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{_SQLITE_PATH}"),
        # Production workers keep their connection: opening one per request costs more than
        # most requests (docs/performance.md). The development server's per-request threads
        # would only leave them behind.
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 600 if PRODUCTION else 0, minimum=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            # Read pages straight from the mapped file instead of copying them in: a search or
            # a nearest-facility query reads thousands of rows (address space, not memory; 2 GB
            # is SQLite's own ceiling). Beyond it, pages are copied in, and each connection keeps
            # the last 64 MB of them: the search index's lists and the tag tables' indexes
            # that every search and match reads again.
            " PRAGMA mmap_size=2147418112; PRAGMA cache_size=-65536;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": DATABASE_BUSY_TIMEOUT,
    }
# Seconds after which a request refused because the database was busy may be sent again.
DATABASE_BUSY_RETRY_AFTER = env_int("DATABASE_BUSY_RETRY_AFTER", 10, minimum=1)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Searches rank their matches with a tantivy index in files on this machine (beside the SQLite
# database; in DATA_DIR/search/ for PostgreSQL; search/ranking_index.py); off, the database's own
# full-text index ranks them (slower at scale). Deployments with several application machines
# turn it off: each machine's files would forget the changes another's have taken.
SEARCH_RANKING_INDEX = env_bool("SEARCH_RANKING_INDEX", True)
# What each worker keeps of what the ranking index found for searches (entries with their
# scores, counts, filter counts), while the index is unchanged, so that a search asked again is
# answered without going through its matches: at most this many values, about 100 bytes each.
# 0 keeps none (a benchmark measuring what a search costs when first asked).
SEARCH_FOUND_KEPT = env_int("SEARCH_FOUND_KEPT", 100_000, minimum=0)
# What each worker keeps of the words asked in more than one search, while the index is
# unchanged: the entries each matches (a bit per entry of the index), off which the count of a
# search made of them is read, and each entry's score for it (two bytes per entry of the
# index), off which its title and record groups are ranked (search/kept.py). At most this many
# MB (about 5 MB a word at a million records, 0.5 at 100,000); 0 keeps none.
SEARCH_MATCHES_KEPT_MB = env_int("SEARCH_MATCHES_KEPT_MB", 384, minimum=0)

_CACHE_URL = env_str("CACHE_URL")
CACHE_TABLE = "mercuryhub_cache"
if _CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _CACHE_URL,
        }
    }
elif _CACHE_URL:
    raise ImproperlyConfigured(f"CACHE_URL must be a redis:// address, got {_CACHE_URL!r}")
else:
    # Without a cache server, the database holds the cache: every gunicorn worker (and every
    # command) counts sign-in failures and rate limits in the same place. Its table is made by a
    # migration (core/migrations). A write to it the database is too busy to take answers 503.
    CACHES = {
        "default": {
            "BACKEND": "mercuryhub.lib.busy.DatabaseCache",
            "LOCATION": CACHE_TABLE,
        }
    }

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "mercuryhub.accounts.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_REDIRECT_URL = "accounts-profile"
LOGIN_URL = "account_login"

# django-allauth: e-mail is the identity; verification is mandatory; failed logins are throttled.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_RATE_LIMITS = {
    "login_failed": env_str("LOGIN_FAILED_RATE_LIMIT", "10/m/ip,5/5m/key"),
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[MercuryHub] "

# Every message goes through the outbox (accounts/mail.py): what the mail server does not take
# is kept and sent again by `mercuryhub send_queued_mail`, never failing the page that sent it.
# The environment's EMAIL_BACKEND names the backend that delivers.
EMAIL_BACKEND = "mercuryhub.accounts.mail.QueueingEmailBackend"
EMAIL_DELIVERY_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_MAX_ATTEMPTS = env_int("EMAIL_MAX_ATTEMPTS", 10, minimum=1)
# Seconds the SMTP backend waits for the server before the message is queued.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "MercuryHub <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Internationalisation: the six UN languages are the interface languages.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("ru", _("Russian")),
    ("zh-hans", _("Chinese")),
    ("ar", _("Arabic")),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
# The knowledge library's uploads: the largest file accepted, and the largest read while the
# upload waits (bigger files, or longer documents, are read in the background).
# Reading an uploaded XLSX workbook (imports, inventories, forms, library documents) stops with a
# clear message beyond these: the size its parts expand to, the rows of a sheet, the time spent.
XLSX_MAX_EXPANDED_MB = env_int("XLSX_MAX_EXPANDED_MB", 200, minimum=1)
XLSX_MAX_ROWS = env_int("XLSX_MAX_ROWS", 200_000, minimum=1)
XLSX_MAX_READ_SECONDS = env_int("XLSX_MAX_READ_SECONDS", 60, minimum=1)
LIBRARY_MAX_UPLOAD_BYTES = env_int("LIBRARY_MAX_UPLOAD_BYTES", 50 * 1024 * 1024, minimum=1)
# A file over that size is counted but not written anywhere (lib/uploads.py), then refused.
FILE_UPLOAD_HANDLERS = [
    "mercuryhub.lib.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Field data: the largest OpenRosa submission request (XML and attachments) accepted; ODK
# Validate (Java) run on every uploaded XLSForm, by default wherever `java` is found.
FORMS_MAX_SUBMISSION_BYTES = env_int("FORMS_MAX_SUBMISSION_BYTES", 10 * 1024 * 1024, minimum=1)
# The largest XLSForm and the largest media file of a form accepted.
FORMS_MAX_XLSFORM_BYTES = env_int("FORMS_MAX_XLSFORM_BYTES", 10 * 1024 * 1024, minimum=1)
FORMS_MAX_MEDIA_BYTES = env_int("FORMS_MAX_MEDIA_BYTES", 20 * 1024 * 1024, minimum=1)
# The most submissions one app user's devices send in a minute (more answer 429 with
# Retry-After, and Collect sends them again).
FORMS_SUBMISSIONS_PER_MINUTE = env_int("FORMS_SUBMISSIONS_PER_MINUTE", 300, minimum=1)
FORMS_ODK_VALIDATE = env_bool("FORMS_ODK_VALIDATE", default=shutil.which("java") is not None)
# The facility map: above this many facilities in view, the map gets them counted in cells.
CATALOGUE_MAP_POINTS_LIMIT = env_int("CATALOGUE_MAP_POINTS_LIMIT", 1000, minimum=1)
# ASGM overview map: above this many sites in view, the map gets them counted in cells.
ASGM_MAP_POINTS_LIMIT = env_int("ASGM_MAP_POINTS_LIMIT", 5000, minimum=1)
LIBRARY_INLINE_EXTRACTION_MAX_BYTES = env_int(
    "LIBRARY_INLINE_EXTRACTION_MAX_BYTES", 2 * 1024 * 1024, minimum=0
)
LIBRARY_INLINE_EXTRACTION_MAX_PAGES = env_int("LIBRARY_INLINE_EXTRACTION_MAX_PAGES", 20, minimum=0)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Needs `collectstatic` (which `mercuryhub serve` runs) before pages render.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# django-ninja
NINJA_PAGINATION_PER_PAGE = 20
NINJA_PAGINATION_MAX_LIMIT = 200

# Map: an online tile layer is used only when configured; the offline basemap always works.
MAP_TILE_URL = env_str("MAP_TILE_URL")
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION")

# The inventory factor sets the platform loads (``serve``, ``load_inventory_factors``): a
# secretariat's own files in the shipped layout; none: the shipped files.
INVENTORY_FACTOR_SETS_FILE = env_str("INVENTORY_FACTOR_SETS_FILE")
INVENTORY_FACTORS_FILE = env_str("INVENTORY_FACTORS_FILE")

# Security hardening for production.
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=PRODUCTION)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

GUNICORN_WORKERS = env_int("GUNICORN_WORKERS", 2, minimum=1)
# The longest a request may run before gunicorn replaces its worker. A sync worker answers one
# request at a time and tells gunicorn it is alive only between requests, so gunicorn's own 30 s
# would cut a download of the whole catalogue midway (70,000 facilities as CSV took 34 s on
# PostgreSQL): exports stream for minutes on a catalogue of the world.
GUNICORN_TIMEOUT = env_int("GUNICORN_TIMEOUT", 900, minimum=1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# Where the finder sends people when a facility lies in another country: the Basel Convention's
# technical guidelines on mercury wastes (transboundary movements need prior informed consent).
BASEL_GUIDANCE_URL = env_str(
    "BASEL_GUIDANCE_URL",
    "http://www.basel.int/Implementation/TechnicalMatters/DevelopmentofTechnicalGuidelines/"
    "TechnicalGuidelines/tabid/8025/Default.aspx",
)

# Sections that higher apps add to an organization's page: callables (user, organization) that
# return {"template": ..., "context": {...}} or None. Keeps accounts free of imports from above.
ORGANIZATION_PAGE_SECTIONS = ["mercuryhub.catalogue.views.organization_section"]

# The address of the site in e-mails (links back to entries, update campaigns); `mercuryhub serve`
# sets it to the address it listens on unless it is given.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The licence the open-data dump (/open-data/, `mercuryhub opendata`) is published under.
OPEN_DATA_LICENCE = env_str(
    "OPEN_DATA_LICENCE", "Creative Commons Attribution 4.0 International (CC BY 4.0)"
)
