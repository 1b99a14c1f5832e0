"""`GET /metrics`: Prometheus text for requests, latencies, queue, resumes and workers."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from hotgigs.auth.dependencies import app_settings
from hotgigs.auth.models import Role
from hotgigs.db import new_session
from hotgigs.main import create_app
from hotgigs.resumes.models import ResumeStatus
from tests.health.test_admin_stats import _resume

LOOPBACK = ("127.0.0.1", 40000)


@pytest.fixture
def local() -> Iterator[TestClient]:
    """A client on this machine, as Prometheus on the same host would be."""
    with TestClient(create_app(), client=LOOPBACK) as test_client:
        yield test_client


def samples(client: TestClient, **headers: str) -> dict[tuple[str, frozenset], float]:
    """Every sample of a scrape, keyed by name and labels."""
    answer = client.get("/metrics", headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(answer.text)
        for sample in family.samples
    }


def test_requests_are_counted_by_route_template_and_status(local: TestClient, auth_headers):
    headers = auth_headers(Role.RECRUITER)
    route = "/api/resumes/{resume_id}/status"
    before = samples(local)
    for _ in range(3):
        assert local.get(f"/api/resumes/{uuid.uuid4()}/status", headers=headers).status_code == 404
    local.get("/no/such/page")
    after = samples(local)

    key = (
        "hotgigs_http_requests_total",
        frozenset({"method": "GET", "route": route, "status": "404"}.items()),
    )
    assert after[key] - before.get(key, 0) == 3
    latency = (
        "hotgigs_http_request_duration_seconds_count",
        frozenset({"method": "GET", "route": route}.items()),
    )
    assert after[latency] - before.get(latency, 0) == 3
    # Paths nobody routes share one label, so a scanner cannot flood the series.
    assert any(dict(labels).get("route") == "unmatched" for _, labels in after)
    assert not any("no/such" in str(labels) for _, labels in after)


def test_shared_state_is_read_at_scrape_time(local: TestClient, make_user) -> None:
    owner = make_user(Role.RECRUITER)
    with new_session() as session:
        statuses = [ResumeStatus.COMPLETED] * 2 + [ResumeStatus.FAILED]
        session.add_all(_resume(owner.id, status, n) for n, status in enumerate(statuses))
        session.commit()
    scraped = samples(local)
    assert scraped[("hotgigs_resumes", frozenset({"status": "completed"}.items()))] == 2
    assert scraped[("hotgigs_resumes", frozenset({"status": "failed"}.items()))] == 1
    assert scraped[("hotgigs_resumes", frozenset({"status": "queued"}.items()))] == 0
    assert scraped[("hotgigs_queue_depth", frozenset({"queue": "hotgigs"}.items()))] >= 0
    assert ("hotgigs_workers_alive", frozenset()) in scraped
    assert ("hotgigs_websocket_connections", frozenset()) in scraped


def test_only_this_machine_may_scrape_without_a_token(client: TestClient) -> None:
    refused = client.get("/metrics")  # the test client's address is not loopback
    assert refused.status_code == 403
    assert "METRICS_TOKEN" in refused.json()["detail"]


def test_with_a_token_set_every_scraper_needs_it(settings) -> None:
    app = create_app()
    app.dependency_overrides[app_settings] = lambda: settings.model_copy(
        update={"metrics_token": "scrape-secret"}
    )
    with TestClient(app) as remote, TestClient(app, client=LOOPBACK) as local:
        assert remote.get("/metrics").status_code == 401
        wrong = local.get("/metrics", headers={"Authorization": "Bearer guess"})
        assert wrong.status_code == 401
        assert samples(remote, Authorization="Bearer scrape-secret")


def test_metrics_are_not_part_of_the_json_api(client: TestClient) -> None:
    assert "/metrics" not in client.get("/openapi.json").json()["paths"]
