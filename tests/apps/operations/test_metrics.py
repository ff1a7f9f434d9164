"""sijill.operations.metrics: /metrics serves django-prometheus's requests and latencies and
the back office's own figures (forms per status, the queue, task durations, workers, runs),
naming nobody; a token closes it when one is set."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from sijill.background import worker
from sijill.operations import tasks
from tests.apps.intake.test_cnss import validated_amo_request
from tests.conftest import Staff

pytestmark = pytest.mark.django_db


def test_metrics_count_requests_forms_queue_and_task_durations(
    committed: None, people: Staff, settings: Any
) -> None:
    validated_amo_request(people)
    tasks.export.enqueue(str(Path(settings.DATA_DIR) / "export"))
    worker.serve(batch=True, interval=0.1, verbosity=0)
    tasks.export.enqueue(str(Path(settings.DATA_DIR) / "export-2"))  # waits
    Client().get("/healthz")
    text = Client().get("/metrics").content.decode()
    assert 'django_http_requests_total_by_method_total{method="GET"}' in text
    assert "django_http_requests_latency_seconds_by_view_method_bucket" in text
    assert 'sijill_forms{status="validated"} 2.0' in text  # the RSU declaration and its AMO step
    assert "sijill_queue_depth 1.0" in text
    assert 'sijill_tasks{status="SUCCESSFUL"} 1.0' in text
    assert 'sijill_task_duration_seconds_count{task="export"} 1.0' in text
    assert 'sijill_task_duration_seconds_bucket{le="+Inf",task="export"} 1.0' in text
    assert "sijill_workers_alive 0.0" in text
    assert people.clerk.username not in text


def test_metrics_need_the_token_when_one_is_set(settings: Any) -> None:
    settings.SIJILL_METRICS_TOKEN = "m" * 40
    assert Client().get("/metrics").status_code == 401
    assert Client().get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    answer = Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {'m' * 40}")
    assert answer.status_code == 200 and b"sijill_forms" in answer.content
