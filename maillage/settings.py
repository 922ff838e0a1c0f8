"""Maillage settings: one module, every deployment difference read from the environment.

`DJANGO_ENV` is `development` (the default: `make run`, `make test`) or `production`.
Production refuses to start without a `SECRET_KEY`, and nothing that only makes sense on a
developer's machine (DEBUG, the insecure key, console mail) can leak into it.
See `.env.example` and docs/deployment.md for every variable.
"""

from importlib.util import find_spec
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# A local .env is a convenience for developers; production passes real environment variables.
if (BASE_DIR / ".env").is_file():
    env.read_env(BASE_DIR / ".env")

ENVIRONMENT = env.str("DJANGO_ENV", default="development")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured(f"DJANGO_ENV must be development or production, not {ENVIRONMENT!r}")
PRODUCTION = ENVIRONMENT == "production"

if PRODUCTION:
    DEBUG = False
    try:
        SECRET_KEY = env.str("SECRET_KEY")
    except ImproperlyConfigured as error:
        raise ImproperlyConfigured(
            "Production needs the SECRET_KEY environment variable."
        ) from error
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
else:
    DEBUG = env.bool("DEBUG", default=True)
    SECRET_KEY = env.str("SECRET_KEY", default="django-insecure-development-only-key")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "maillage.core",
    "maillage.accounts",
    "maillage.notifications",
    "maillage.territories",
    "maillage.directory",
    "maillage.proconnect",
    "maillage.cooperations",
    "maillage.projects",
    "maillage.governance",
    "maillage.reports",
    "maillage.portal",
    "maillage.forum",
    "maillage.mutualisation",
    "maillage.funding",
    "maillage.observatory",
    "maillage.demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "dsfr",
    "django_rq",
    "django_tasks",
    "django_tasks_db",
    "django_tasks_rq",
    "ninja",
    "django_htmx",
    "reversion",
    "widget_tweaks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "maillage.core.middleware.ContentSecurityPolicy",
    "maillage.core.middleware.RefuseOversizedBodies",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "maillage.core.middleware.RefuseUnstorableText",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "maillage.core.middleware.OneGenerationPerRequest",
    "maillage.core.middleware.VisitorPageCache",
]

if PRODUCTION:
    # Serves the collected static files (the design system's assets) without a separate server.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "maillage.urls"
WSGI_APPLICATION = "maillage.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "maillage.notifications.context_processors.unread_notifications",
                "maillage.core.context_processors.chrome",
            ],
            "builtins": ["maillage.core.templatetags.dates"],
        },
    },
    {
        # The hot rows of the biggest lists only (`<app>/jinja2/`): see maillage/core/templating.py.
        "NAME": "jinja2",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "maillage.core.templating.environment"},
    },
]

# Database: SQLite under var/ by default, PostgreSQL in production (DATABASE_URL=postgres://…).
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'maillage.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0 if DEBUG else 60)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the task worker write while the web process reads.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")

# Cache: login throttling counts failures in the cache, so several web processes must share one.
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    # A signed-in request reads its session from the shared cache, the database only when the
    # cache lost it (every write goes to both). Never with a per-process cache: a session ended
    # in one process would live on in the others.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The rendered parts of the pages around their content, in each process's memory: they change
# with a deployment (the static files' names, the translations), which restarts the processes.
CACHES["chrome"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "chrome",
    "OPTIONS": {"MAX_ENTRIES": 2000},
}
CHROME_CACHE_SECONDS = env.int("CHROME_CACHE_SECONDS", default=3600)

# How long a cooperation's dashboard figures may stay in the cache (core.figures: a write to
# the data makes them stale at once); 0 turns the cache off. Only a cache the web processes and
# the task worker share (Redis) sees every write: without one, the figures are not cached.
FIGURES_CACHE_SECONDS = env.int("FIGURES_CACHE_SECONDS", default=24 * 3600 if REDIS_URL else 0)
# How long a page or API answer for a visitor without cookies may be served from the cache
# (core.middleware.VisitorPageCache; a write to the data makes it stale at once): what changes
# with the clock alone (a meeting to come becoming past) shows within this time. 0: off.
VISITOR_PAGE_CACHE_SECONDS = env.int("VISITOR_PAGE_CACHE_SECONDS", default=60 if REDIS_URL else 0)
# How long the author of a forum post may edit it.
FORUM_EDIT_MINUTES = env.int("FORUM_EDIT_MINUTES", default=30)

# Background tasks (django-tasks): the database backend needs nothing more than the database;
# TASKS_BACKEND=redis runs them through RQ on REDIS_URL; `immediate` runs them inline (tests).
TASKS_BACKEND = env.str("TASKS_BACKEND", default="database")
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "redis": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}.")
if TASKS_BACKEND == "redis" and not REDIS_URL:
    raise ImproperlyConfigured("TASKS_BACKEND=redis needs REDIS_URL.")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND], "QUEUES": ["default"]}}
RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 600}}

# Mail: the console in development, SMTP (or any backend) through EMAIL_URL in production.
EMAIL_CONFIG = env.email_url(
    "EMAIL_URL", default="consolemail://" if not PRODUCTION else "smtp://localhost:25"
)
vars().update(EMAIL_CONFIG)  # django-environ: EMAIL_BACKEND, EMAIL_HOST, …
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Maillage <ne-pas-repondre@maillage.localhost>"
)
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))

# Authentication: email is the login, through django-allauth.
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "maillage.proconnect.backends.ProConnectBackend",  # inert unless PROCONNECT_ENABLED
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# ProConnect, the State's identity federation for public agents (mozilla-django-oidc): off by
# default. PROCONNECT_DOMAIN is the provider's host (its discovery document is at
# https://<domain>/api/v2/.well-known/openid-configuration; the endpoints below are its own).
PROCONNECT_ENABLED = env.bool("PROCONNECT_ENABLED", default=False)
PROCONNECT_DOMAIN = env.str("PROCONNECT_DOMAIN", default="")
PROCONNECT_ISSUER = f"https://{PROCONNECT_DOMAIN}/api/v2" if PROCONNECT_DOMAIN else ""
OIDC_RP_CLIENT_ID = env.str("PROCONNECT_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("PROCONNECT_CLIENT_SECRET", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = f"{PROCONNECT_ISSUER}/authorize"
OIDC_OP_TOKEN_ENDPOINT = f"{PROCONNECT_ISSUER}/token"
OIDC_OP_USER_ENDPOINT = f"{PROCONNECT_ISSUER}/userinfo"
OIDC_OP_JWKS_ENDPOINT = f"{PROCONNECT_ISSUER}/jwks"
OIDC_OP_LOGOUT_ENDPOINT = f"{PROCONNECT_ISSUER}/session/end"
OIDC_STORE_ID_TOKEN = True  # the hint ProConnect's end of session asks for
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid given_name usual_name email uid siret idp_id"
OIDC_USE_NONCE = True
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "proconnect:callback"
LOGIN_REDIRECT_URL_FAILURE = reverse_lazy("account_login")
if PROCONNECT_ENABLED and not (PROCONNECT_DOMAIN and OIDC_RP_CLIENT_ID and OIDC_RP_CLIENT_SECRET):
    raise ImproperlyConfigured(
        "PROCONNECT_ENABLED needs PROCONNECT_DOMAIN, PROCONNECT_CLIENT_ID and "
        "PROCONNECT_CLIENT_SECRET."
    )
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:home"
ACCOUNT_LOGOUT_REDIRECT_URL = "portal:home"
ACCOUNT_ADAPTER = "maillage.proconnect.adapter.AccountAdapter"  # accounts' + ProConnect sign-out
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
# Failed-login throttling: per IP and per account, counted in the shared cache.
ACCOUNT_RATE_LIMITS = {
    "login_failed": env.str("LOGIN_FAILED_RATE_LIMIT", default="10/m/ip,5/5m/key"),
    "reset_password": "20/m/ip,5/m/key",
    "signup": "20/m/ip",
}
# Behind a reverse proxy every request comes from the proxy: the client's address is then read
# from X-Forwarded-For, counting this many proxies from the right (the ones we run). 0: no
# proxy, REMOTE_ADDR is the client. Login throttling and the visitors' write limit use it.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
NINJA_NUM_PROXIES = TRUSTED_PROXY_COUNT
# Visitors' writes (registering to a public meeting mails a confirmation), per client address.
ANONYMOUS_WRITE_RATE = env.str("ANONYMOUS_WRITE_RATE", default="10/h")

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "maillage" / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Maps draw the outlines alone; a background of tiles is optional (a URL template such as
# https://tile.example.org/{z}/{x}/{y}.png, with the attribution its provider asks for).
OBSERVATORY_TILE_URL = env.str("OBSERVATORY_TILE_URL", default="")
OBSERVATORY_TILE_ATTRIBUTION = env.str("OBSERVATORY_TILE_ATTRIBUTION", default="")
# Leaflet, the maps' library, as django-leaflet packages it: only its static files are used
# (the app itself needs GeoDjango), served under static/leaflet/.
_LEAFLET = find_spec("leaflet")
STATICFILES_DIRS = [
    ("leaflet", Path(_LEAFLET.origin).parent / "static" / "leaflet")  # type: ignore[union-attr, arg-type]
]
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "static")
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# Stored files are never served at MEDIA_URL: a view checks the permission, then sends them —
# itself, or, with this set (e.g. "/protected/"), through the web server (X-Accel-Redirect).
PROTECTED_FILES_PREFIX = env.str("PROTECTED_FILES_PREFIX", default="")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# The largest body a request may declare: the largest upload (a 20 MB document) and its form.
MAX_REQUEST_MEGABYTES = env.int("MAX_REQUEST_MEGABYTES", default=21)

# API
NINJA_PAGINATION_CLASS = "ninja.pagination.LimitOffsetPagination"
NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # Behind a TLS-terminating proxy, that proxy must set X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refusals": {"()": "maillage.core.logs.RefusalsWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "django.request": {"filters": ["refusals"]},
        # WeasyPrint logs each layout step of a report at INFO: only its warnings matter.
        "weasyprint": {"level": "WARNING"},
    },
}

# Where the demo data and the demo accounts' password come from (make run, make demo).
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="maillage-demo-2026")

ACCOUNT_FORMS = {
    "login": "maillage.accounts.forms.LoginForm",
    "signup": "maillage.accounts.forms.SignupForm",
    "reset_password": "maillage.accounts.forms.ResetPasswordForm",
    "reset_password_from_key": "maillage.accounts.forms.ResetPasswordKeyForm",
    "change_password": "maillage.accounts.forms.ChangePasswordForm",
    "set_password": "maillage.accounts.forms.SetPasswordForm",
    "add_email": "maillage.accounts.forms.AddEmailForm",
}
