"""Typed settings read from the environment and `.env`; the only place configuration lives."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Literal

from cryptography.fernet import Fernet, MultiFernet
from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

MIN_SECRET_LENGTH = 32
# Values copied from .env.example or docs must never pass as a real secret.
PLACEHOLDER_SECRETS = {"change-me", "changeme", "secret", "your-secret-key-min-32-chars"}


class ConfigurationError(RuntimeError):
    """Raised when settings are unusable; the message tells the operator what to fix."""


class Settings(BaseSettings):
    """Every setting of the product, with its default."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=False)

    environment: Literal["development", "test", "production"] = "development"
    hotgigs_home: Path = Path("./hotgigs-data")
    database_url: str | None = None
    redis_url: str | None = None
    redis_key_prefix: str = "hotgigs:"
    secret_key: str | None = None
    file_encryption_key: str | None = None

    storage_backend: Literal["local", "s3"] = Field(
        default="local",
        description="Where original files are kept: HOTGIGS_HOME/files, or an S3 bucket.",
    )
    s3_bucket: str | None = Field(default=None, description="The bucket (STORAGE_BACKEND=s3).")
    s3_endpoint_url: str | None = Field(
        default=None, description="An S3-compatible server (MinIO, Ceph, ...); unset for AWS."
    )
    s3_region: str | None = None
    s3_prefix: str = Field(default="", description="Key prefix for stored files, e.g. resumes/.")
    # Read from the environment by boto3 anyway; fields here so a .env file can carry them too.
    aws_access_key_id: str | None = None
    aws_secret_access_key: str | None = None

    access_token_expire_minutes: int = Field(default=30, gt=0)
    refresh_token_expire_days: int = Field(default=14, gt=0)
    login_max_failures: int = Field(
        default=5, gt=0, description="Failed sign-ins to one account before it is locked."
    )
    login_address_max_failures: int = Field(
        default=20, gt=0, description="Failed sign-ins from one client address before it is slowed."
    )
    login_address_delay_seconds: float = Field(
        default=1.0, gt=0, description="First wait of a slowed address; each failure doubles it."
    )
    login_address_delay_max_seconds: float = Field(
        default=8.0, gt=0, description="The longest wait of a slowed address's sign-ins."
    )
    forwarded_allow_ips: str = Field(
        default="127.0.0.1",
        description="Proxies whose X-Forwarded-For names the client (comma-separated or *).",
    )
    login_lockout_seconds: int = Field(
        default=30, gt=0, description="First lockout; each further failure doubles it."
    )
    login_lockout_max_seconds: int = Field(default=900, gt=0, description="The longest lockout.")
    login_failure_window_seconds: int = Field(
        default=3600, gt=0, description="A count with no failure for this long starts again."
    )

    cors_origins: list[str] = Field(
        default_factory=list,
        description="Browser origins allowed to call the API (JSON list); none by default.",
    )

    host: str = "127.0.0.1"
    port: int = Field(default=8000, gt=0, lt=65536)
    api_processes: int = Field(
        default_factory=lambda: os.cpu_count() or 1,
        gt=0,
        description="API processes `hotgigs serve` runs on its one port; default: the CPU cores.",
    )
    worker_concurrency: int = Field(default=2, gt=0)
    queue_visibility_timeout: int = Field(default=600, gt=0)
    queue_consumer_timeout: float = Field(
        default=30.0,
        ge=3,
        description="Seconds a worker's queue connection may stay silent before the tasks it "
        "holds go to another worker (killed worker, lost broker connection).",
    )
    worker_heartbeat_seconds: float = Field(default=10.0, gt=0)
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    log_format: Literal["json", "text"] = Field(
        default="json", description="Log lines as JSON objects (with request ids) or plain text."
    )
    metrics_token: str | None = Field(
        default=None,
        description="Bearer token for /metrics; without one, only this machine may scrape.",
    )

    max_upload_mb: int = Field(default=10, gt=0)
    max_body_kb: int = Field(default=1024, gt=0)
    bulk_upload_limit: int = Field(default=50, gt=0)
    ocr_enabled: bool = True
    # The installation's own parser model (`hotgigs train --with-corrections` writes it);
    # used when the file exists, else the shipped model. Default: HOTGIGS_HOME/parser/.
    parser_model_path: Path | None = None
    # Reading one file happens in a child process held to these (see resumes/isolation.py);
    # the deadline (twice the CPU time, plus 5 s) stays well under QUEUE_VISIBILITY_TIMEOUT.
    extraction_cpu_seconds: int = Field(default=60, gt=0)
    extraction_memory_mb: int = Field(default=1024, gt=0)
    hotgigs_llm_url: str | None = None
    hotgigs_llm_model: str | None = None
    hotgigs_llm_api_key: str | None = None
    hotgigs_llm_timeout: float = Field(default=20.0, gt=0)

    retention_months: int = Field(
        default=0,
        ge=0,
        description="Erase candidates untouched for this many months (daily); 0 turns it off.",
    )

    match_embeddings: Literal["auto", "model", "tfidf"] = Field(
        default="auto",
        description="Semantic fit: the sentence model (auto: when installed) or hashed TF-IDF.",
    )
    match_min_score: float = Field(
        default=40.0,
        ge=0,
        le=100,
        description="Matches below this score are not kept, and match lists start here.",
    )
    match_keep_per_job: int = Field(
        default=500, gt=0, description="At most this many best matches are kept per job."
    )
    match_notify_threshold: float = Field(
        default=75.0, ge=0, le=100, description="A new match at or above this emits match.found."
    )

    notification_bus: Literal["auto", "redis", "database"] = Field(
        default="auto",
        description="How live notifications cross processes: Redis pub/sub (auto: when "
        "REDIS_URL is set) or each API process following the notifications table.",
    )
    notification_poll_seconds: float = Field(
        default=0.01, gt=0, le=5, description="How often the database path looks for new rows."
    )
    ws_ping_interval: float = Field(
        default=20.0, gt=0, description="Seconds between WebSocket pings to each client."
    )
    ws_ping_timeout: float = Field(
        default=20.0, gt=0, description="A client that has not answered a ping by then is dropped."
    )
    ws_session_check_seconds: float = Field(
        default=30.0, gt=0, description="How often open sockets are checked for signed-out logins."
    )
    ws_max_backlog: int = Field(
        default=1000, gt=0, description="Messages queued for one slow socket before it is closed."
    )

    google_client_id: str | None = None
    google_client_secret: str | None = None
    google_redirect_uri: str | None = Field(
        default=None,
        description="Where Google sends the browser back; default PUBLIC_URL's callback route.",
    )
    google_auth_url: str = "https://accounts.google.com/o/oauth2/v2/auth"
    google_token_url: str = "https://oauth2.googleapis.com/token"
    google_revoke_url: str = "https://oauth2.googleapis.com/revoke"
    google_drive_api_url: str = "https://www.googleapis.com/drive/v3"

    enable_resume_import: bool = True
    enable_google_drive_sync: bool = True
    enable_ai_matching: bool = True

    @field_validator(
        "database_url",
        "redis_url",
        "secret_key",
        "file_encryption_key",
        "hotgigs_llm_url",
        "hotgigs_llm_model",
        "hotgigs_llm_api_key",
        "google_client_id",
        "google_client_secret",
        "google_redirect_uri",
        "metrics_token",
        "s3_bucket",
        "s3_endpoint_url",
        "s3_region",
        "aws_access_key_id",
        "aws_secret_access_key",
    )
    @classmethod
    def _blank_is_unset(cls, value: str | None) -> str | None:
        """Treat `KEY=` in a .env file as not set."""
        return value or None

    @model_validator(mode="after")
    def _resolve_secrets(self) -> Settings:
        """Check secrets; in development generate them once and keep them in HOTGIGS_HOME."""
        self.hotgigs_home = self.hotgigs_home.expanduser().resolve()
        if self.environment == "production":
            _require_strong_secret(self.secret_key)
            if not self.file_encryption_key:
                raise ConfigurationError(
                    "FILE_ENCRYPTION_KEY is not set. Generate one with "
                    "`hotgigs keygen` and keep it safe: stored resumes cannot be read without it."
                )
        else:
            self.secret_key = self.secret_key or _kept_secret(
                self.hotgigs_home / "secret_key", lambda: secrets.token_urlsafe(48)
            )
            self.file_encryption_key = self.file_encryption_key or _kept_secret(
                self.hotgigs_home / "file_encryption_key", lambda: Fernet.generate_key().decode()
            )
            _require_strong_secret(self.secret_key)
        _check_fernet_keys(self.file_encryption_key)
        if self.hotgigs_llm_url and not self.hotgigs_llm_model:
            raise ConfigurationError("HOTGIGS_LLM_MODEL must be set together with HOTGIGS_LLM_URL.")
        _check_storage(self)
        return self

    @property
    def sqlalchemy_url(self) -> str:
        """The database URL, defaulting to the embedded SQLite file."""
        return self.database_url or f"sqlite:///{self.hotgigs_home / 'hotgigs.db'}"

    @property
    def is_sqlite(self) -> bool:
        """Whether the embedded SQLite database is in use."""
        return self.sqlalchemy_url.startswith("sqlite")

    @property
    def broker_url(self) -> str:
        """Celery broker: Redis when configured, else the persistent SQLite queue."""
        return self.redis_url or f"hgsql+sqlite:///{self.hotgigs_home / 'queue.db'}"

    @property
    def result_backend_url(self) -> str:
        """Celery result store, beside the broker."""
        return self.redis_url or f"db+sqlite:///{self.hotgigs_home / 'results.db'}"

    @property
    def drive_redirect_uri(self) -> str:
        """The OAuth redirect URI to register with Google."""
        return self.google_redirect_uri or f"{self.public_url}/api/google-drive/auth/callback"

    @property
    def storage_dir(self) -> Path:
        """Where encrypted resume files are kept."""
        return self.hotgigs_home / "files"

    @property
    def parser_model_file(self) -> Path:
        """Where the installation's own parser model is (or would be) kept."""
        return self.parser_model_path or self.hotgigs_home / "parser" / "resume_crf.crfsuite"

    @property
    def max_upload_bytes(self) -> int:
        """The per-file upload limit in bytes."""
        return self.max_upload_mb * 1024 * 1024

    @property
    def public_url(self) -> str:
        """The address `serve` prints and clients use."""
        return f"http://{self.host}:{self.port}"


def _require_strong_secret(secret: str | None) -> None:
    """Refuse a missing, short or placeholder SECRET_KEY."""
    if not secret or len(secret) < MIN_SECRET_LENGTH or secret.lower() in PLACEHOLDER_SECRETS:
        raise ConfigurationError(
            f"SECRET_KEY must be set to a random string of at least {MIN_SECRET_LENGTH} "
            "characters outside development (generate one with `hotgigs keygen`)."
        )


def _kept_secret(path: Path, generate: Callable[[], str]) -> str:
    """Read a generated secret from `path`, creating it (mode 0600) on first use."""
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        value = generate()
        # O_EXCL: when two processes start together, one creates and both read the winner.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_text().strip()
        with os.fdopen(fd, "w") as handle:
            handle.write(value)
        return value


def _check_storage(settings: Settings) -> None:
    """Fail fast on an S3 store that could never work."""
    if settings.storage_backend != "s3":
        return
    if not settings.s3_bucket:
        raise ConfigurationError(
            "S3_BUCKET must be set when STORAGE_BACKEND=s3 (or set STORAGE_BACKEND=local)."
        )
    if bool(settings.aws_access_key_id) != bool(settings.aws_secret_access_key):
        raise ConfigurationError(
            "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together (or neither, "
            "to use boto3's other credential sources)."
        )


def encryption_keys(keys: str) -> MultiFernet:
    """FILE_ENCRYPTION_KEY's keys: the first encrypts, all decrypt (so keys can be rotated)."""
    return MultiFernet([Fernet(key.strip()) for key in keys.split(",")])


def _check_fernet_keys(keys: str | None) -> None:
    """Fail fast on a malformed FILE_ENCRYPTION_KEY (comma-separated Fernet keys, newest first)."""
    try:
        for key in (keys or "").split(","):
            Fernet(key.strip())
    except ValueError as exc:
        raise ConfigurationError(
            "FILE_ENCRYPTION_KEY must be one or more comma-separated Fernet keys "
            "(generate one with `hotgigs keygen`)."
        ) from exc


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    try:
        return Settings()
    except ValidationError as exc:
        raise ConfigurationError(f"Invalid settings: {exc}") from exc
