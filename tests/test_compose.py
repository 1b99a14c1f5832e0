"""compose.yaml against the Compose Specification's JSON schema, and the stack it describes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft201909Validator

ROOT = Path(__file__).resolve().parents[1]
# The Compose Specification's schema as docker-compose 1.29.2 ships it
# (compose/config/compose_spec.json, Apache-2.0), kept here because nothing fetches at test time.
SCHEMA = json.loads((Path(__file__).parent / "support" / "compose_spec.json").read_text())
APP_SERVICES = ("migrate", "api", "worker", "matcher", "beat")


@pytest.fixture(scope="module")
def compose() -> dict:
    """compose.yaml as compose reads it (YAML merge keys resolved)."""
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_compose_file_follows_the_compose_specification(compose: dict) -> None:
    errors = sorted(Draft201909Validator(SCHEMA).iter_errors(compose), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


def test_schema_rejects_what_compose_would(compose: dict) -> None:
    """The schema is strict enough to catch a typo (a check that passes everything proves
    nothing)."""
    broken = {**compose, "services": {**compose["services"], "api": {"image": 5, "comand": []}}}
    assert list(Draft201909Validator(SCHEMA).iter_errors(broken))


def test_stack_has_its_services_and_each_app_service_runs_the_image(compose: dict) -> None:
    services = compose["services"]
    assert set(services) == {*APP_SERVICES, "postgres", "redis"}
    for name in APP_SERVICES:
        assert services[name]["image"] == "hotgigs:latest"
        assert services[name]["command"][0] == "hotgigs"
        assert services[name]["env_file"] == ".env"
        assert services[name]["environment"]["REDIS_URL"] == "redis://redis:6379/0"
        assert services[name]["environment"]["DATABASE_URL"].startswith("postgresql+psycopg://")


def test_migration_runs_once_before_the_app_and_waits_for_healthy_servers(compose: dict) -> None:
    services = compose["services"]
    assert services["migrate"]["command"] == ["hotgigs", "migrate"]
    assert services["migrate"]["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    for name in ("api", "worker", "matcher", "beat"):
        assert services[name]["depends_on"] == {
            "migrate": {"condition": "service_completed_successfully"},
            "redis": {"condition": "service_healthy"},
        }
    assert "healthcheck" in services["postgres"] and "healthcheck" in services["redis"]


def test_data_lives_in_volumes(compose: dict) -> None:
    services = compose["services"]
    assert services["postgres"]["volumes"] == ["database:/var/lib/postgresql/data"]
    assert services["api"]["volumes"] == services["worker"]["volumes"] == ["files:/data"]
    assert set(compose["volumes"]) == {"files", "database", "queue"}


def test_env_example_names_every_secret_the_stack_reads() -> None:
    example = (ROOT / ".env.example").read_text()
    for name in ("SECRET_KEY", "FILE_ENCRYPTION_KEY", "POSTGRES_PASSWORD"):
        assert f"\n{name}=" in example
