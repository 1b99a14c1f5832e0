"""Settings: defaults, generated development secrets, and refusal of weak production ones."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from hotgigs.config import ConfigurationError, Settings

STRONG = "k" * 40


def make(tmp_path: Path, **values) -> Settings:
    return Settings(_env_file=None, hotgigs_home=tmp_path, **values)


def test_development_generates_secrets_once_and_keeps_them(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("FILE_ENCRYPTION_KEY", raising=False)
    first = make(tmp_path, environment="development", secret_key=None, file_encryption_key=None)
    second = make(tmp_path, environment="development", secret_key=None, file_encryption_key=None)
    assert len(first.secret_key) >= 32
    assert first.secret_key == second.secret_key
    assert first.file_encryption_key == second.file_encryption_key
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_embedded_defaults(tmp_path: Path) -> None:
    settings = make(tmp_path, database_url=None, redis_url=None)
    assert settings.sqlalchemy_url == f"sqlite:///{tmp_path.resolve() / 'hotgigs.db'}"
    assert settings.broker_url.startswith("hgsql+sqlite:///")
    assert settings.access_token_expire_minutes == 30


def test_redis_url_switches_the_queue(tmp_path: Path) -> None:
    settings = make(tmp_path, redis_url="redis://127.0.0.1:6379/0")
    assert settings.broker_url == settings.result_backend_url == "redis://127.0.0.1:6379/0"


@pytest.mark.parametrize("secret", [None, "", "short", "change-me", "x" * 31])
def test_production_refuses_missing_or_weak_secret(tmp_path: Path, secret) -> None:
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        make(
            tmp_path,
            environment="production",
            secret_key=secret,
            file_encryption_key=Fernet.generate_key().decode(),
        )


def test_production_requires_file_key_and_generates_nothing(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="FILE_ENCRYPTION_KEY"):
        make(tmp_path, environment="production", secret_key=STRONG, file_encryption_key=None)
    assert not (tmp_path / "secret_key").exists()


def test_malformed_file_key_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="Fernet"):
        make(tmp_path, secret_key=STRONG, file_encryption_key="not-a-key")


def test_production_accepts_strong_settings(tmp_path: Path) -> None:
    settings = make(
        tmp_path,
        environment="production",
        secret_key=STRONG,
        file_encryption_key=Fernet.generate_key().decode(),
    )
    assert settings.secret_key == STRONG


def test_llm_url_needs_a_model(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="HOTGIGS_LLM_MODEL"):
        make(tmp_path, secret_key=STRONG, hotgigs_llm_url="http://127.0.0.1:9/v1")
    settings = make(tmp_path, hotgigs_llm_url="http://127.0.0.1:9/v1", hotgigs_llm_model="m")
    assert settings.hotgigs_llm_timeout == 20.0
