import pytest

from tests.conftest import host


@pytest.mark.django_db
def test_healthz_reports_database_redis_and_worker(client, celery_worker_session):
    response = client.get("/healthz", HTTP_HOST=host())
    body = response.json()
    assert response.status_code == 200, body
    assert body["checks"]["database"]["ok"]
    assert body["checks"]["redis"]["ok"]
    assert body["checks"]["celery"]["ok"]
    assert response["Cache-Control"].startswith("max-age=0")
