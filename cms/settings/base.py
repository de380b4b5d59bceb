"""Settings shared by every use (dev, test, production). Everything that differs comes from the
environment: DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS, DEBUG, …"""

import datetime
import os
import re
from pathlib import Path

import dj_database_url
from csp import constants as csp_source
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "home",
    "platforms",
    "concept",
    "wagtail_localize",
    "wagtail_localize.locales",  # replaces wagtail.locales
    "wagtail.api.v2",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "home.operations.request_log.RequestLogMiddleware",  # first: it times and ids every request
    "django.middleware.security.SecurityMiddleware",
    # Database or cache down: 503 + Retry-After instead of 500 (see also handler500 in cms/urls.py).
    "home.operations.availability.ServiceAvailabilityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "home.utf8.Utf8FormMiddleware",  # a form POST that is not UTF-8 is a 400, never stored
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "home.translation.access.TranslatorLanguageMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# SQLite is the newcomer's default; DATABASE_URL=postgres://… switches to PostgreSQL (psycopg 3).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        # A kept connection is checked before a request reuses it (after a database restart).
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: PostgreSQL compiles any query whose estimated cost passes
    # jit_above_cost, and the estimates of the readers' language queries (fallback subqueries,
    # path prefixes) pass it at a few thousand pages: the Ukrainian menu, 5 ms of work, spent
    # 50 ms compiling. (Behind PgBouncer, allow the `options` startup parameter.)
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages -------------------------------------------------------------------------------
# Czech is the source. Adding a content language is configuration: append it to
# CONTENT_LANGUAGES (env: CONTENT_LANGUAGES=cs,en,uk,ru) and run `manage.py sync_locales`.
LANGUAGE_CODE = "cs"
KNOWN_LANGUAGES = {
    "cs": "Čeština",
    "en": "English",
    "uk": "Українська",
    "ru": "Русский",
    "vi": "Tiếng Việt",
    "de": "Deutsch",
}
CONTENT_LANGUAGES = env_list("CONTENT_LANGUAGES", "cs,en,uk")
if CONTENT_LANGUAGES[0] != LANGUAGE_CODE:
    raise ValueError("CONTENT_LANGUAGES must start with the source language 'cs'")
LANGUAGES = WAGTAIL_CONTENT_LANGUAGES = [(c, KNOWN_LANGUAGES.get(c, c)) for c in CONTENT_LANGUAGES]
USE_I18N = True
WAGTAIL_I18N_ENABLED = True
# Slugs are ASCII in every language (transliterated: home/translation/slugs.py), so addresses are
# never percent-encoded, in pages or in the API.
WAGTAIL_ALLOW_UNICODE_SLUGS = False
USE_TZ = True
TIME_ZONE = "Europe/Prague"
LOCALE_PATHS = [BASE_DIR / "locale"]
# What a reader of a language sees when an object is missing in it: the next language of its
# chain (the source language always ends a chain). Pages, the API, the calendar, the sitemap and
# the JSON-LD all follow it (home/localization.py). A new language without an entry falls back
# straight to Czech.
LANGUAGE_FALLBACK_CHAINS = {"uk": ["en", "cs"], "en": ["cs"]}

# --- Translation workflow (home/translation/, docs/translating.md) ---------------------------
# A new translation starts as a draft: never publish a copy of the Czech text under /uk/.
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
# Publishing a Czech page syncs its translations (unchanged segments keep their translation).
TRANSLATION_SYNC_ON_PUBLISH = env_bool("TRANSLATION_SYNC_ON_PUBLISH", True)
# "Translate this page" with its subtree, sync, PO export and import of more than
# TRANSLATION_JOB_INLINE_LIMIT objects run as translation jobs in the task runner
# (`manage.py run_tasks`), TRANSLATION_JOB_BATCH_SIZE objects per transaction.
WAGTAILLOCALIZE_JOBS = {"BACKEND": "home.translation.localize_backend.LocalizeJobBackend"}
TRANSLATION_JOB_INLINE_LIMIT = int(os.environ.get("TRANSLATION_JOB_INLINE_LIMIT", "20"))
TRANSLATION_JOB_BATCH_SIZE = int(os.environ.get("TRANSLATION_JOB_BATCH_SIZE", "50"))
# A running job with no batch finished for this long lost its worker: the admin offers a rerun.
TRANSLATION_JOB_STALL_SECONDS = int(os.environ.get("TRANSLATION_JOB_STALL_SECONDS", "600"))
# A Concept import (concept/imports.py) creating or changing more rows than this runs in the task
# runner; smaller ones in the request.
CONCEPT_IMPORT_INLINE_LIMIT = int(os.environ.get("CONCEPT_IMPORT_INLINE_LIMIT", "50"))
# Translators save drafts and editors publish, unless this is on.
TRANSLATORS_CAN_PUBLISH = env_bool("TRANSLATORS_CAN_PUBLISH", False)
# Machine translation is optional: set DEEPL_API_KEY (a free-tier key ends in ":fx").
if os.environ.get("DEEPL_API_KEY"):
    WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
        "CLASS": "wagtail_localize.machine_translators.deepl.DeepLTranslator",
        "OPTIONS": {"AUTH_KEY": os.environ["DEEPL_API_KEY"]},
    }

# --- Static and media ------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_collected"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Wagtail ---------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Praha – integrace cizinců"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://mhmp.localhost:8000")
# PostgreSQL full text with the "simple" configuration: no English stemming of Czech and
# Ukrainian text (diacritics: home/search/folding.py).
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "simple"}
}
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "odt", "xls", "xlsx", "ods", "csv", "txt", "zip"]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("cs", "Čeština"), ("en", "English"), ("uk", "Українська")]
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
WAGTAILAPI_LIMIT_MAX = 100

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
}

# --- Cache ------------------------------------------------------------------------------------
# Redis (REDIS_URL=redis://127.0.0.1:6379/0) is the shared cache of every worker: API throttling,
# counters and cached responses. Without it (a newcomer's first run) each process keeps its own.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "praha"),
            # A cache that doesn't answer must not hold a request for long.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Whole answers (API v1, pages, sitemap) for anonymous readers, keyed on the content version
# (home/cache/): at most this many seconds, less when a meeting ends or content expires sooner.
# 0 turns the response cache off.
RESPONSE_CACHE_TIMEOUT = int(os.environ.get("RESPONSE_CACHE_TIMEOUT", "3600"))
# Each process also keeps the entries it served last, up to this many MB (home/cache/local.py):
# served only under the content version read from the shared cache for that request. 0: off.
RESPONSE_CACHE_LOCAL_BYTES = int(float(os.environ.get("RESPONSE_CACHE_LOCAL_MB", "32")) * 2**20)

# Seconds a client is asked to wait (Retry-After) while the database or the cache is down.
OUTAGE_RETRY_AFTER = int(os.environ.get("OUTAGE_RETRY_AFTER", "30"))

# --- Background tasks and schedules (home/tasks/) ---------------------------------------------
# One runner for all background work, Wagtail's own tasks included: `manage.py run_tasks` (the
# django-tasks-db worker plus the scheduler). Queued tasks wait in the database until it runs.
INSTALLED_APPS += ["django_tasks", "django_tasks_db"]
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Task path → period in seconds. Each task is enqueued once per period, however many runners run.
SCHEDULED_TASKS = {
    "home.tasks.scheduled.publish_scheduled": 60,  # go_live_at / expire_at take effect
    "home.tasks.scheduled.prune_task_results": 24 * 60 * 60,
}

# --- Logs -------------------------------------------------------------------------------------
# Everything goes to stderr (systemd's journal, the container's log). LOG_FORMAT=json writes one
# JSON object per line (production's default); every line written during a request carries its
# request id. REQUEST_LOG_LEVEL=INFO adds one line per request (home/operations/request_log.py).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")  # or json
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "home.operations.logs.JsonFormatter"},
        "text": {"format": "%(levelname)s %(name)s %(message)s"},
    },
    "filters": {"request_id": {"()": "home.operations.request_log.RequestIdFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "praha.requests": {"level": os.environ.get("REQUEST_LOG_LEVEL", "WARNING")},
    },
}

# Label for the language menu in templates: each language named in itself.
LANGUAGE_MENU_LABEL = _("Jazyk")

# --- Headless content API (/api/v1/) -----------------------------------------------------------
# Apps, middleware and settings of the API in one block (home/api, platforms/api.py,
# concept/api.py). CORS: public reads from any origin, never with credentials.
INSTALLED_APPS += ["django_filters", "drf_spectacular", "drf_spectacular_sidecar", "corsheaders"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.common.CommonMiddleware"),
    "corsheaders.middleware.CorsMiddleware",
)
# Django's LocaleMiddleware would redirect an API 404 to /cs/api/…; ours leaves /api/ alone.
MIDDLEWARE[MIDDLEWARE.index("django.middleware.locale.LocaleMiddleware")] = (
    "home.api.middleware.LocaleMiddleware"
)
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = [
    "ETag",
    "Last-Modified",
    "Content-Language",
    "Retry-After",
    "X-Request-ID",
]

API_CACHE_MAX_AGE = int(os.environ.get("API_CACHE_MAX_AGE", "60"))  # seconds, Cache-Control
API_PAGE_SIZE = 20
API_MAX_PAGE_SIZE = 100  # a larger ?limit= is a 400, never silently clamped


def env_rate(name, default=None):
    """A throttle rate such as "120/min" from the environment; empty or "off" turns it off. A
    value DRF cannot read stops start-up here (it would otherwise be a 500 on every request)."""
    value = os.environ.get(name, default or "").strip()
    if value.lower() in {"", "off"}:
        return None
    if not re.fullmatch(r"[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)", value):
        raise ImproperlyConfigured(f'{name}="{value}": use requests/period, e.g. "120/min", or off')
    return value


# Anonymous throttling per client address, e.g. "120/min"; off unless set (production: 300/min).
API_THROTTLE_RATE = env_rate("API_THROTTLE_RATE")


# --- Front-cache purge (home/purge.py, README "Front-cache purge") ----------------------------
# FRONTEND_CACHE: off when empty; a URL (http://varnish:6081) sends HTTP PURGE requests there, with
# the page's Host; "cloudflare" or "cloudfront" use those APIs with the variables below.
# wagtail.contrib.frontend_cache is used as a library, not installed as an app: its own handlers
# would purge only the page itself; home/purge.py purges what shows it as well.
def frontend_cache(kind):
    if not kind:
        return None
    hostnames = env_list("FRONTEND_CACHE_HOSTNAMES")  # only these hosts (default: every one)
    common = {"HOSTNAMES": hostnames} if hostnames else {}
    backends = "wagtail.contrib.frontend_cache.backends."
    if kind.startswith(("http://", "https://")):
        backend = {"BACKEND": backends + "HTTPBackend", "LOCATION": kind}
    elif kind == "cloudflare":
        backend = {
            "BACKEND": backends + "CloudflareBackend",
            "ZONEID": os.environ.get("FRONTEND_CACHE_CLOUDFLARE_ZONE_ID", ""),
            "BEARER_TOKEN": os.environ.get("FRONTEND_CACHE_CLOUDFLARE_TOKEN", ""),
        }
    elif kind == "cloudfront":  # AWS credentials: boto3's own AWS_* variables or instance role
        backend = {
            "BACKEND": backends + "CloudfrontBackend",
            "DISTRIBUTION_ID": os.environ.get("FRONTEND_CACHE_CLOUDFRONT_DISTRIBUTION_ID", ""),
        }
    else:
        raise ImproperlyConfigured(
            f'FRONTEND_CACHE="{kind}": use an http(s):// URL, cloudflare, cloudfront or nothing'
        )
    return {"default": {**backend, **common}}


WAGTAILFRONTENDCACHE = frontend_cache(os.environ.get("FRONTEND_CACHE", "").strip())
# Every language's address is purged by home/purge.py (translated slugs differ); Wagtail must not
# rewrite each URL into every language prefix itself.
WAGTAILFRONTENDCACHE_LANGUAGES = []

REST_FRAMEWORK.update(
    {
        "EXCEPTION_HANDLER": "home.api.errors.problem_exception_handler",
        "DEFAULT_SCHEMA_CLASS": "home.api.schema.ApiAutoSchema",
    }
)
SPECTACULAR_SETTINGS = {
    # ASCII: generators derive package names from it (openapi-python-client: prague_integration…).
    "TITLE": "Prague integration of foreigners content API",
    "DESCRIPTION": "Read-only public API of the MHMP and ICP integration content. See docs/api.md.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "PREPROCESSING_HOOKS": ["home.api.schema.only_api_v1"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "home.api.schema.components",
    ],
    # The choices' labels are Czech (they are the admin's); the values are the API's.
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
    "ENUM_NAME_OVERRIDES": {
        "MeetingStatus": "platforms.models.MeetingPage.Status",
        "PlatformKind": "platforms.models.PlatformPage.Kind",
        "OrganisationCategory": "home.models.Organisation.Category",
        "ActorRole": "concept.models.RecommendationActor.Role",
        "ActionPlanItemStatus": "concept.models.ActionPlanItem.Status",
        "TranslationState": ["up_to_date", "outdated", "in_progress", "missing"],
    },
    # Every serializer field is present in every response: say so, and clients need no Unset.
    "COMPONENT_NO_READ_ONLY_REQUIRED": False,
}

# --- Abuse resistance (home/security/, README "Security") -------------------------------------
# Who the client is: the connection's peer, unless a reverse proxy of ours names it in a header
# (CLIENT_IP_HEADER=X-Forwarded-For, read TRUSTED_PROXY_COUNT entries from the right). Login
# lockout and API throttling both use this one rule (home/security/client_ip.py).
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "").strip()
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1"))

# Login throttling (django-axes): LOGIN_FAILURE_LIMIT wrong passwords for one username from one
# address lock that pair out for LOGIN_COOLOFF_MINUTES; `manage.py axes_reset` unlocks early.
# It guards every authenticate(): the Wagtail admin's and the Django admin's login.
INSTALLED_APPS += ["axes"]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]
# Last: every other middleware (CORS, CSP, request id) still runs on a cached answer.
MIDDLEWARE += ["home.cache.responses.ResponseCacheMiddleware"]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "home.security.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "home.security.lockout.lockout_response"
AXES_SENSITIVE_PARAMETERS = ["password"]

# The Django admin (/django-admin/) is a second door into the same data; production keeps it
# shut unless DJANGO_ADMIN_ENABLED says otherwise.
DJANGO_ADMIN_ENABLED = env_bool("DJANGO_ADMIN_ENABLED", True)

# Content-Security-Policy (django-csp) and Permissions-Policy (django-permissions-policy).
MIDDLEWARE.insert(
    MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
    "home.security.csp.PathPolicyCSPMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("home.security.csp.PathPolicyCSPMiddleware") + 1,
    "django_permissions_policy.PermissionsPolicyMiddleware",
)
INSTALLED_APPS += ["csp"]
# The public sites: no inline script or style (one would need nonce="{{ request.csp_nonce }}").
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp_source.SELF],
        "script-src": [csp_source.SELF, csp_source.NONCE],
        "style-src": [csp_source.SELF, csp_source.NONCE],
        "img-src": [csp_source.SELF, "data:"],
        "object-src": [csp_source.NONE],
        "base-uri": [csp_source.SELF],
        "form-action": [csp_source.SELF],
        "frame-ancestors": [csp_source.NONE],
    }
}
# The JSON API: nothing in it may load or run anything, nor be framed.
csp_api = {"default-src": [csp_source.NONE], "frame-ancestors": [csp_source.NONE]}
# The Wagtail admin renders inline <script>s for some widgets (dates, inline panels) and inline
# <style>s, without nonces (wagtail#1288), so it needs 'unsafe-inline' (without it the editor's
# date picker does not open: tests/browser/test_csp.py); nothing loads from elsewhere. The login
# page, open to anyone, has no inline code and gets the admin policy without it.
csp_admin = {
    "default-src": [csp_source.SELF],
    "script-src": [csp_source.SELF, csp_source.UNSAFE_INLINE],
    "style-src": [csp_source.SELF, csp_source.UNSAFE_INLINE],
    "img-src": [csp_source.SELF, "data:", "blob:"],
    "object-src": [csp_source.NONE],
    "base-uri": [csp_source.SELF],
    "form-action": [csp_source.SELF],
    "frame-ancestors": [csp_source.SELF],
}
# No Gravatar: editors' e-mail hashes are not sent to a third party (and img-src stays 'self').
WAGTAIL_GRAVATAR_PROVIDER_URL = None
csp_admin_login = {**csp_admin, "script-src": [csp_source.SELF], "style-src": [csp_source.SELF]}
CSP_PATH_POLICIES = [
    # Swagger UI keeps the public policy (drf-spectacular's split view: no inline script).
    ("/api/v1/docs/", None),
    ("/api/", csp_api),
    ("/admin/login/", csp_admin_login),
    ("/admin/password_reset/", csp_admin_login),
    ("/admin/", csp_admin),
    ("/django-admin/", csp_admin),
]
# Powerful browser features no page of ours uses are off for the page and anything it embeds.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "ambient-light-sensor",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

# Anonymous API throttling (home/api/throttling.py) counts in the default cache: with REDIS_URL all
# workers share one count per client. Wagtail's API v2 is throttled alike.
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = ["home.api.throttling.AnonymousThrottle"]

# --- For consumers (syndication/): webhooks, headless preview, OParl -------------------------
INSTALLED_APPS.insert(INSTALLED_APPS.index("concept") + 1, "syndication")
# Subscriber URLs on loopback/private networks: fine on a laptop, refused in production.
WEBHOOK_ALLOW_PRIVATE_URLS = env_bool("WEBHOOK_ALLOW_PRIVATE_URLS", True)
WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("WEBHOOK_MAX_ATTEMPTS", "8"))
# Retries after base, 2·base, 4·base… seconds (8 attempts at 30 s span about an hour).
WEBHOOK_RETRY_BASE_SECONDS = int(os.environ.get("WEBHOOK_RETRY_BASE_SECONDS", "30"))
WEBHOOK_TIMEOUT_SECONDS = int(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "10"))
# Base of the `url` in events (default: the default site's root URL).
WEBHOOK_API_BASE_URL = os.environ.get("WEBHOOK_API_BASE_URL", "")
# Headless preview: the consumer's preview page per site hostname ("default" for the others);
# {token}, {id} and {locale} are filled in, e.g. "https://www.example.cz/preview?token={token}".
HEADLESS_PREVIEW_URLS = {}
if os.environ.get("HEADLESS_PREVIEW_URL"):
    HEADLESS_PREVIEW_URLS["default"] = os.environ["HEADLESS_PREVIEW_URL"]
PREVIEW_TOKEN_MAX_AGE = int(os.environ.get("PREVIEW_TOKEN_MAX_AGE", "600"))  # seconds
