"""Health checks report parts that are down instead of failing."""

from __future__ import annotations

import pytest
from celery import Celery
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from hotgigs.background import celery_app
from hotgigs.db import create_db_engine, get_session
from hotgigs.health import service as health_service
from hotgigs.main import create_app


def unreachable_session() -> Session:
    """A session on a database that cannot be opened."""
    return Session(bind=create_db_engine("postgresql+psycopg://nobody@127.0.0.1:1/none"))


def test_database_down_is_reported() -> None:
    with unreachable_session() as session:
        assert health_service.check_database(session)["status"] == "down"
        assert health_service.check_workers(session, heartbeat_seconds=1)["status"] == "unknown"


@pytest.mark.slow
def test_queue_down_is_reported() -> None:
    unreachable = Celery("unreachable", broker="redis://127.0.0.1:1/0")
    assert health_service.check_queue(unreachable, queue_name="hotgigs")["status"] == "down"


def test_queue_up_reports_waiting_tasks() -> None:
    queue = health_service.check_queue(celery_app, queue_name="hotgigs")
    assert queue["status"] == "ok"
    assert queue["waiting"] >= 0


def test_health_endpoint_is_503_when_the_database_is_down() -> None:
    app = create_app()

    def broken_session():
        with unreachable_session() as session:
            yield session

    app.dependency_overrides[get_session] = broken_session
    with TestClient(app) as client:
        response = client.get("/api/health")
    assert response.status_code == 503
    assert response.json()["status"] == "down"
    assert response.json()["database"]["status"] == "down"
