"""Settings for safepassage: SQLite under var/ by default, DATABASE_URL for PostgreSQL."""

import base64
import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

from safepassage.lib.env import ConfigError, env_bool, env_int, env_list, env_str
from safepassage.lib.keyfile import key_file_write
from safepassage.ops.config import log_format, postgres_options, tasks_setting

BASE_DIR = Path(__file__).resolve().parent
# A source checkout keeps its data in ./var beside pyproject.toml; an installed package in the
# working directory's var/ unless SAFEPASSAGE_VAR_DIR says otherwise.
_CHECKOUT = BASE_DIR.parent if (BASE_DIR.parent / "pyproject.toml").exists() else Path.cwd()
VAR_DIR = Path(env_str("SAFEPASSAGE_VAR_DIR") or _CHECKOUT / "var")

# `production` (behind TLS, on a real host name) or the embedded default `development`, which
# serves http://127.0.0.1:8000 offline. docs/security.md says what production switches on.
ENVIRONMENT = env_str("SAFEPASSAGE_ENV") or "development"
if ENVIRONMENT not in {"development", "production"}:
    raise ConfigError(f"SAFEPASSAGE_ENV={ENVIRONMENT!r}: use production or development.")
PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_bool("SAFEPASSAGE_DEBUG", False)
if PRODUCTION and DEBUG:
    # The debug page shows settings, SQL and local variables: names, statements, next of kin.
    raise ConfigError("SAFEPASSAGE_DEBUG must be off when SAFEPASSAGE_ENV=production.")


# `safepassage field …` on a team's laptop (docs/field.md): the database lives in memory only,
# persisted as a snapshot sealed under the team passphrase; its SECRET_KEY and field keys are
# set from inside that snapshot when the instance opens, never read from or written to a file.
FIELD_MODE = env_bool("SAFEPASSAGE_FIELD", False)
FIELD_DIR = Path(env_str("SAFEPASSAGE_FIELD_DIR") or VAR_DIR / "field")
# The centre's keys for field work (`safepassage visit package|receive`): Ed25519 to sign
# packages, X25519 to open return bundles. Like the audit key, keep it away from the database.
FIELD_SERVER_KEY_FILE = Path(
    env_str("SAFEPASSAGE_FIELD_SERVER_KEY_FILE") or VAR_DIR / "field-server.key"
)
# The laptop's pinned copy of the centre's public key (`safepassage field open --server-key`).
FIELD_PINNED_KEY_FILE = Path(
    env_str("SAFEPASSAGE_FIELD_PINNED_KEY_FILE") or VAR_DIR / "field-server.pub"
)


def _secret_key() -> str:
    if FIELD_MODE:
        return secrets.token_urlsafe(50)  # replaced by the snapshot's own when it opens
    key = env_str("SECRET_KEY")
    if key:
        if PRODUCTION and len(key) < 50:
            raise ConfigError("SECRET_KEY is too short for production: give 50 random characters.")
        return key
    if PRODUCTION:
        # A key generated beside the database would be stolen with it (docs/security.md).
        raise ConfigError("Production needs SECRET_KEY or SECRET_KEY_FILE, kept outside var/.")
    # The embedded default keeps a random key beside the database, created once.
    key_file = VAR_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    key = secrets.token_urlsafe(50)
    key_file_write(key_file, key.encode("ascii"))
    return key


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
if PRODUCTION and not env_list("ALLOWED_HOSTS", []):
    raise ConfigError("Production needs ALLOWED_HOSTS: the host names this server answers to.")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",  # allauth's security-key list uses its `naturaltime`
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Installed for its catalogs: country names in the reader's language.
    "django_countries",
    "safepassage.accounts",
    "safepassage.audit",
    "safepassage.crypto",
    "safepassage.registry",
    "safepassage.cases",
    "safepassage.tracing",
    "safepassage.exchanges",
    "safepassage.visits",
    "safepassage.medical",
    "safepassage.documents",
    "safepassage.referrals",
    "safepassage.family",
    "safepassage.followup",
    "safepassage.imports",
    "safepassage.reports",
    "safepassage.work",
    "safepassage.notifications",
    "safepassage.exports",
    "safepassage.field",
    "safepassage.web",
    "safepassage.demo",
    "safepassage.api",
    "safepassage.retention",
    "safepassage.ops",
    "django_tasks_db",
    # After safepassage's apps, so their templates override allauth's.
    "allauth",
    "allauth.account",
    "allauth.mfa",
]

MIDDLEWARE = [
    # Outermost: it seals the field instance's database after everything else has written.
    *(["safepassage.field.runtime.SnapshotMiddleware"] if FIELD_MODE else []),
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The user's own language setting before the cookie's and the browser's (LocaleMiddleware).
    "safepassage.accounts.language.UserLanguageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "safepassage.accounts.middleware.SessionLifetimeMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # accounts' rule, answered as a problem under /api/.
    "safepassage.api.middleware.MFAEnrolmentMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "safepassage.web.middleware.PrivateResponseMiddleware",
    # The field instance refuses the writes its return bundle would not carry back.
    *(["safepassage.field.runtime.FieldWritesMiddleware"] if FIELD_MODE else []),
]

ROOT_URLCONF = "safepassage.urls"
WSGI_APPLICATION = "safepassage.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "safepassage.notifications.context.unread",
            ],
        },
    },
]


def _database() -> dict:
    url = env_str("DATABASE_URL")
    if not url:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{VAR_DIR / 'safepassage.sqlite3'}"
    try:
        config = dj_database_url.parse(url, conn_max_age=0)
    except ValueError as exc:
        raise ConfigError(f"DATABASE_URL is not a database URL: {exc}") from exc
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # IMMEDIATE takes the write lock when a transaction starts, so two writers never
        # read the same state and both act on it (SQLite has no SELECT ... FOR UPDATE).
        config["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
        # Field encryption: overwrite deleted content with zeros, so a replaced plaintext (an
        # upgrade's encrypting migration) does not linger in free pages of the file.
        config["OPTIONS"]["init_command"] = "PRAGMA secure_delete = ON;"
    elif config["ENGINE"] == "django.db.backends.postgresql":
        # A psycopg 3 pool per process in production (docs/deploy.md#postgresql).
        config["OPTIONS"] = {**config.get("OPTIONS", {}), **postgres_options(production=PRODUCTION)}
    return config


FIELD_DATABASE_URI = "file:safepassage-field?mode=memory&cache=shared"
if FIELD_MODE:
    # One in-memory database shared by the process's connections, held open by the field
    # runtime's keeper connection (safepassage.field.runtime); nothing of it is a file.
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": FIELD_DATABASE_URI,
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    }
else:
    DATABASES = {"default": _database()}
# Background jobs (django.tasks): in-process by default, `safepassage worker` in production.
TASKS = tasks_setting(production=PRODUCTION)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

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
# --- authentication: password, then a second factor (docs/security.md#authentication) ----------

# Django's own backend: usernames only, and a disabled account fails exactly like a wrong
# password (allauth's backend would let it through to an "account inactive" page); a session's
# user is read with his organisation and roles (safepassage.accounts.backends).
AUTHENTICATION_BACKENDS = ["safepassage.accounts.backends.UserBackend"]
# django-allauth runs the login: username and password (with safepassage's lockout in front),
# then the second factor. Accounts are made by administrators (`safepassage user create`);
# nobody signs up, and no e-mail is sent.
ACCOUNT_ADAPTER = "safepassage.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"login": "safepassage.accounts.forms.LockoutLoginForm"}
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
# The session cookie lives as long as the idle timeout (SESSION_COOKIE_AGE), renewed whenever the
# session is saved (at least once a minute of use); no "remember me" box.
ACCOUNT_SESSION_REMEMBER = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_USER_MODEL_EMAIL_FIELD = None
# Failed passwords and second-factor codes are counted by safepassage.accounts.lockout (in the
# database, for every worker), at login and at re-authentication; allauth's own per-process
# counter would only add a second, weaker one.
ACCOUNT_RATE_LIMITS = {"login_failed": None}
# How long a fresh password or code lets a user take the most sensitive actions (scheduling
# or executing a transfer, an identified export) before he is asked again.
ACCOUNT_REAUTHENTICATION_TIMEOUT = env_int("REAUTHENTICATION_MINUTES", 5, minimum=1) * 60
MFA_ADAPTER = "safepassage.accounts.mfa.MFAAdapter"
MFA_FORMS = {
    "authenticate": "safepassage.accounts.forms.LockoutAuthenticateForm",
    "reauthenticate": "safepassage.accounts.forms.LockoutReauthenticateForm",
    "authenticate_webauthn": "safepassage.accounts.forms.LockoutAuthenticateWebAuthnForm",
    "reauthenticate_webauthn": "safepassage.accounts.forms.LockoutReauthenticateWebAuthnForm",
}
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_TOTP_ISSUER = "safepassage"
# Browsers allow WebAuthn on http://127.0.0.1 and localhost; allauth must be told so too.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not PRODUCTION

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "work:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("uk", "Українська"), ("ko", "한국어"), ("ru", "Русский")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates per language on top of Django's: ISO in English and in date inputs (safepassage/formats).
FORMAT_MODULE_PATH = ["safepassage.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT") or VAR_DIR / "static")
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing folder
WHITENOISE_USE_FINDERS = True
# The fonts the PDFs embed are the pages' web fonts too, served from their one copy in lib/fonts
# as /static/web/fonts/… (safepassage.css: Hangul and Cyrillic where the system has none).
STATICFILES_DIRS = [("web/fonts", BASE_DIR / "lib" / "fonts")]
WHITENOISE_MIMETYPES = {".ttf": "font/ttf", ".woff": "font/woff"}  # RFC 8081's names


def _documents_storage() -> dict:
    """Where documents' encrypted bytes go (docs/documents.md#storage): a folder under the data
    directory, or an S3-compatible bucket when DOCUMENTS_S3_BUCKET is set."""
    bucket = env_str("DOCUMENTS_S3_BUCKET")
    if not bucket:
        location = Path(env_str("DOCUMENTS_DIR") or VAR_DIR / "documents")
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {
                "location": location,
                "base_url": None,  # never served as files: only through the audited views
                "file_permissions_mode": 0o600,
                "directory_permissions_mode": 0o700,
            },
        }
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": env_str("DOCUMENTS_S3_ENDPOINT_URL") or None,
            "region_name": env_str("DOCUMENTS_S3_REGION") or None,
            "access_key": env_str("DOCUMENTS_S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("DOCUMENTS_S3_SECRET_ACCESS_KEY") or None,
            "location": env_str("DOCUMENTS_S3_PREFIX", "") or "",
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
            # The objects are already encrypted; the bucket may encrypt them again.
            "object_parameters": {"ContentType": "application/octet-stream"},
        },
    }


STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "documents": _documents_storage(),
}

# --- HTTP hardening (docs/security.md) ----------------------------------------------------------

# Server-side sessions (rows in the database), so ending one is deleting or invalidating a row.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Idle timeout: the session expires this long after the last request noted in it; requests are
# noted at most once a minute (accounts.middleware.SEEN_RESOLUTION), and the session is saved
# (its row and cookie renewed) only when it changes, not on every request.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_SAVE_EVERY_REQUEST = False
# Absolute maximum, however busy: then log in again (safepassage.accounts.middleware).
SESSION_ABSOLUTE_AGE = env_int("SESSION_MAX_HOURS", 10, minimum=1) * 60 * 60
# Login lockout (safepassage.accounts.lockout): failures within the window lock the username
# (or the address) for the lockout period, whether or not such a user exists.
# Notifications (docs/architecture.md#work-queues-and-notifications): always in the app; by
# e-mail too when NOTIFY_BY_EMAIL is on, a mail holding a link to SAFEPASSAGE_BASE_URL only.
NOTIFY_BY_EMAIL = env_bool("NOTIFY_BY_EMAIL", False)
# The detaining powers whose agreement lets them censor prisoners' family messages (GC III
# Art. 76), by organisation name; for every other one a message goes to the verifier unread
# (docs/family.md#family-messages).
FAMILY_CENSORSHIP_BY = env_list("SAFEPASSAGE_FAMILY_CENSORSHIP_BY", [])
SAFEPASSAGE_BASE_URL = env_str("SAFEPASSAGE_BASE_URL", "") or ""
if NOTIFY_BY_EMAIL and not SAFEPASSAGE_BASE_URL.startswith(("https://", "http://")):
    raise ConfigError(
        "NOTIFY_BY_EMAIL is on but SAFEPASSAGE_BASE_URL is not the site's address "
        "(e.g. https://safepassage.example.org): the mail's link needs it."
    )
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": env_str("EMAIL_HOST", "localhost"),
            "port": env_int("EMAIL_PORT", 25, minimum=1),
            "username": env_str("EMAIL_HOST_USER", "") or "",
            "password": env_str("EMAIL_HOST_PASSWORD", "") or "",
            "use_tls": env_bool("EMAIL_USE_TLS", False),
            "timeout": 10,
        },
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "safepassage@localhost")

LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_FAILURE_LIMIT_PER_IP = env_int("LOGIN_FAILURE_LIMIT_PER_IP", 20, minimum=1)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1) * 60

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Everything is served from this origin; nothing inline. One view (the API's Swagger UI) widens
# this with a nonce of its own (safepassage.web.security.API_DOCS_CSP), not the whole site.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

if PRODUCTION:
    # Behind a TLS-terminating proxy, set SECURE_SSL_REDIRECT=false only if the proxy itself
    # redirects, and SECURE_PROXY_SSL_HEADER=true if it sets X-Forwarded-Proto (and strips it
    # from clients).
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    if env_bool("SECURE_PROXY_SSL_HEADER", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Preloading binds the whole domain to HTTPS in browsers for a long time: the operator's
    # decision, so off unless asked for; check --deploy's reminder about it is silenced then.
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    # Load balancers probe over plain HTTP on the private side (docs/deploy.md).
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# The Ed25519 key that signs audit checkpoints (`safepassage audit anchor`). It must not sit
# with the database it vouches for: in production point this outside the data directory.
AUDIT_SIGNING_KEY_FILE = Path(env_str("AUDIT_SIGNING_KEY_FILE") or VAR_DIR / "audit-signing.key")

# Reads of sensitive records are audited; an account is flagged on the audit page when, within
# the look-back, it made more than READ_BURST_LIMIT reads within READ_BURST_MINUTES, or read
# records of more than READ_BURST_PERSONS persons within READ_BURST_PERSONS_MINUTES.
READ_BURST_LIMIT = env_int("READ_BURST_LIMIT", 100, minimum=1)
READ_BURST_MINUTES = env_int("READ_BURST_MINUTES", 10, minimum=1)
READ_BURST_PERSONS = env_int("READ_BURST_PERSONS", 20, minimum=1)
READ_BURST_PERSONS_MINUTES = env_int("READ_BURST_PERSONS_MINUTES", 60, minimum=1)
READ_BURST_LOOKBACK_DAYS = env_int("READ_BURST_LOOKBACK_DAYS", 7, minimum=1)

# Retention (docs/security.md#retention): years after which `safepassage retention apply`
# anonymises a record kind (safepassage.retention.kinds); one line per kind.
RETENTION_YEARS = {
    "closed_case": env_int("RETENTION_CLOSED_CASE_YEARS", 5, minimum=1),
    # A removed document's bytes and title are kept this long (a removal made in error can be
    # looked into), then erased; the record of the removal stays.
    "removed_document": env_int("RETENTION_REMOVED_DOCUMENT_YEARS", 1, minimum=1),
}

# Reports (docs/reports.md#small-counts): counts from 1 to this minus one are shown as "<N" in
# every download, and on the page to viewers outside the organisation holding the persons.
# 1 turns suppression off.
REPORTS_SMALL_COUNT_THRESHOLD = env_int("REPORTS_SMALL_COUNT_THRESHOLD", 5, minimum=1)

# --- field encryption (docs/security-model.md#field-level-encryption) ---------------------------

# Will statements, next of kin, interview circumstances and assessment bases are sealed with
# AES-256-GCM (safepassage.crypto). Keys as `id:base64key,…` (first is current) or JSON, inline
# or in a file; by default var/field-keys, created once, which a stolen var/ would include: in
# production keep the file outside the data directory.
FIELD_KEYS = os.environ.get("SAFEPASSAGE_FIELD_KEYS") or None
if FIELD_MODE:
    # Replaced by the snapshot's own keys when the field instance opens; never a file.
    FIELD_KEYS = f"boot:{base64.b64encode(secrets.token_bytes(32)).decode('ascii')}"
# The file's path, not its contents: `safepassage keys rotate` writes the new key into it.
FIELD_KEYS_FILE = Path(os.environ.get("SAFEPASSAGE_FIELD_KEYS_FILE") or VAR_DIR / "field-keys")

# --- exports (docs/exports.md) ------------------------------------------------------------------

# The HMAC-SHA-256 key behind export pseudonyms: base64 of 32+ random bytes, inline or in a file;
# by default var/pseudonym-key, created once (production refuses to). Whoever holds it can test
# a registry number against a pseudonym: keep it outside the data directory, like the field keys.
PSEUDONYM_KEY = os.environ.get("SAFEPASSAGE_PSEUDONYM_KEY") or None
PSEUDONYM_KEY_FILE = Path(
    os.environ.get("SAFEPASSAGE_PSEUDONYM_KEY_FILE") or VAR_DIR / "pseudonym-key"
)
# A notification list as PDF renders some 50-100 rows a second: longer lists go as CSV or XLSX.
EXPORT_PDF_MAX_ROWS = env_int("EXPORT_PDF_MAX_ROWS", 5000, minimum=1)
# How long a list produced in the background waits for its download before it is erased.
EXPORT_RESULT_HOURS = env_int("EXPORT_RESULT_HOURS", 24, minimum=1)


# --- the partner API (/api/v1/, docs/api.md) ---------------------------------------------------


def _rate(name: str, default: str) -> str:
    value = (env_str(name) or default).strip()
    number, _sep, period = value.partition("/")
    periods = {"s", "sec", "second", "m", "min", "minute", "h", "hour", "d", "day"}
    if not number.isdigit() or int(number) < 1 or period not in periods:
        raise ConfigError(f"{name}={value!r} is not a rate; write e.g. 600/min, 10/s or 5000/hour.")
    return value


# Requests per API token (or per user for browser sessions); LocMemCache counts per process.
API_RATE = _rate("API_RATE", "600/min")
# The longest an API token may live (console and web); older tokens stop working at this age.
API_TOKEN_MAX_DAYS = env_int("API_TOKEN_MAX_DAYS", 90, minimum=1)
# The largest request body the API (and the web forms) accept: 1 MiB.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
# The largest upload of any kind (person lists, exchange proposals), all files of a request
# together. Uploads are held in memory, never written to a file (safepassage/web/uploads.py);
# person imports seal theirs as they arrive.
UPLOAD_MAX_MB = env_int("UPLOAD_MAX_MB", 20, minimum=1)
FILE_UPLOAD_HANDLERS = ["safepassage.web.uploads.MemoryUploadHandler"]
# Should Django's own handlers ever be installed, an upload within the limit stays in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_MB * 1024 * 1024
# How long an `Idempotency-Key` replays its request (docs/api.md#idempotency); older records
# no longer replay and a background job deletes them.
IDEMPOTENCY_HOURS = env_int("IDEMPOTENCY_HOURS", 24, minimum=1)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "safepassage.api.authentication.TokenAuthentication",
        "safepassage.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["safepassage.api.throttling.PerTokenThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["safepassage.api.parsers.LimitedJSONParser"],
    "EXCEPTION_HANDLER": "safepassage.api.problems.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "UNICODE_JSON": True,
    "STRICT_JSON": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "safepassage partner API",
    "DESCRIPTION": (
        "Registry, verified will, case workflow and transfers of prisoners of war, behind the "
        "non-refoulement guard. Errors are RFC 9457 problem details (GET /api/v1/problems/). "
        "See docs/api.md for a worked example."
    ),
    "VERSION": "1",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "CaseStateEnum": "safepassage.cases.models.CaseState",
        "RiskLevelEnum": "safepassage.cases.models.RiskLevel",
        "DecisionKindEnum": "safepassage.cases.models.DecisionKind",
        "TransferKindEnum": "safepassage.cases.models.TransferKind",
        "TransferStatusEnum": "safepassage.cases.models.TransferStatus",
        "OrganisationKindEnum": "safepassage.accounts.models.OrganisationKind",
        "InterviewSettingEnum": "safepassage.cases.models.InterviewSetting",
        "BatchStateEnum": "safepassage.exchanges.models.BatchState",
        "WishEnum": "safepassage.cases.models.Wish",
        "InterpreterAffiliationEnum": "safepassage.cases.models.InterpreterAffiliation",
        "InterviewOutcomeEnum": "safepassage.visits.models.InterviewOutcome",
        "VisitStateEnum": "safepassage.visits.models.VisitState",
        "Art110CategoryEnum": "safepassage.registry.models.Art110Category",
        "MedicalGroundEnum": "safepassage.medical.models.Ground",
        "ConsentAnswerEnum": "safepassage.medical.models.ConsentAnswer",
        "PresentedByEnum": "safepassage.medical.models.PresentedBy",
        "DocumentKindEnum": "safepassage.documents.models.DocumentKind",
        "DocumentStateEnum": "safepassage.documents.models.DocumentState",
        "ReferralStateEnum": "safepassage.referrals.models.ReferralState",
        "ContactStateEnum": "safepassage.followup.models.ContactState",
        "ContactOutcomeEnum": "safepassage.followup.models.ContactOutcome",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "safepassage.api.schema.add_problem_responses",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Never keep a pasted token in the browser's localStorage.
    "SWAGGER_UI_SETTINGS": {"persistAuthorization": False},
}

# No AdminEmailHandler (it would mail request bodies): logs go to the console only, through a
# filter that withholds query strings and exception messages (safepassage.web.logging).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "safepassage.web.logging.RedactSensitiveFilter"}},
    "formatters": {"json": {"()": "safepassage.ops.logging.JsonLinesFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["redact"],
            # LOG_FORMAT=json: one JSON object per line, for a log collector.
            **({"formatter": "json"} if log_format() == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
if FIELD_MODE:
    # The development server's request lines name the pages seen (a man's registry number):
    # on a team's laptop they would be the one record of the field kept in clear.
    LOGGING["loggers"] = {
        "django.server": {"handlers": [], "level": "CRITICAL", "propagate": False}
    }
