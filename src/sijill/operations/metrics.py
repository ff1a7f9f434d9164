"""`/metrics` for Prometheus: django-prometheus's request counts and latencies, and the back
office's own figures read from the database at each scrape.

Behind `sijill serve` the server has several processes: django-prometheus's counters are
then kept by prometheus_client's multiprocess mode (PROMETHEUS_MULTIPROC_DIR, set by
`sijill serve`) and summed over the processes, whichever one answers the scrape.

What the database says is the same whichever process reads it, and survives restarts:
- `sijill_forms{status}`: forms of the ledger per status;
- `sijill_queue_depth` and `sijill_queue_oldest_seconds`: tasks waiting for a worker, and
  how long the oldest has waited; `sijill_tasks{status}`: the queue's tasks per status;
- `sijill_workers_alive`: living `sijill worker` processes;
- `sijill_task_duration_seconds{task}`: a histogram of the durations of the finished tasks
  the queue keeps (a task's start to its end);
- `sijill_runs{status}`: reconciliation runs per status.
No label names a person, a receipt or a place.
"""

from __future__ import annotations

import datetime as dt
import hmac
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django_prometheus.exports import ExportToDjangoView
from django_tasks_db.models import DBTaskResult
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector

from sijill.background import presence
from sijill.intake.models import Form
from sijill.runs.models import Run

# Seconds: a batch file takes seconds, a national run tens of minutes.
BUCKETS = (1.0, 5.0, 15.0, 60.0, 300.0, 900.0, 3600.0, 4 * 3600.0)


def _by_status(model: Any) -> dict[str, int]:
    rows = model.objects.order_by().values_list("status").annotate(n=Count("pk"))
    return {str(status): int(n) for status, n in rows}


def _durations() -> Iterator[tuple[str, list[tuple[str, float]], float]]:
    """Per task: its cumulative buckets and the sum of its durations, in seconds."""
    took = ExpressionWrapper(F("finished_at") - F("started_at"), output_field=DurationField())
    finished = DBTaskResult.objects.filter(
        finished_at__isnull=False, started_at__isnull=False
    ).annotate(took=took)
    counts = {
        f"le{i}": Count("pk", filter=Q(took__lte=dt.timedelta(seconds=b)))
        for i, b in enumerate(BUCKETS)
    }
    rows = (
        finished.order_by()
        .values("task_path")
        .annotate(total=Count("pk"), seconds=Sum("took"), **counts)
    )
    for row in rows:
        buckets = [(str(b), float(row[f"le{i}"])) for i, b in enumerate(BUCKETS)]
        buckets.append(("+Inf", float(row["total"])))
        spent = row["seconds"] or dt.timedelta(0)
        name = str(row["task_path"]).rsplit(".", 1)[-1]
        yield name, buckets, spent.total_seconds()


class BackOffice(Collector):
    """The back office's figures, read from the database when scraped."""

    def collect(self) -> Iterator[Metric]:
        forms = GaugeMetricFamily("sijill_forms", "Forms of the ledger", labels=["status"])
        for status, n in sorted(_by_status(Form).items()):
            forms.add_metric([status], n)
        yield forms
        tasks = GaugeMetricFamily("sijill_tasks", "Tasks of the queue", labels=["status"])
        for status, n in sorted(_by_status(DBTaskResult).items()):
            tasks.add_metric([status], n)
        yield tasks
        ready = DBTaskResult.objects.ready()
        yield GaugeMetricFamily("sijill_queue_depth", "Tasks waiting for a worker", ready.count())
        oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        waited = 0.0 if oldest is None else (timezone.now() - oldest).total_seconds()
        yield GaugeMetricFamily(
            "sijill_queue_oldest_seconds", "Seconds the oldest waiting task has waited", waited
        )
        yield GaugeMetricFamily(
            "sijill_workers_alive", "Living sijill worker processes", len(presence.living())
        )
        durations = HistogramMetricFamily(
            "sijill_task_duration_seconds", "Durations of the finished tasks", labels=["task"]
        )
        for name, buckets, spent in _durations():
            durations.add_metric([name], buckets, spent)
        yield durations
        runs = GaugeMetricFamily("sijill_runs", "Reconciliation runs", labels=["status"])
        for status, n in sorted(_by_status(Run).items()):
            runs.add_metric([status], n)
        yield runs


def _allowed(request: HttpRequest) -> bool:
    token: str = settings.SIJILL_METRICS_TOKEN
    if not token:
        return True
    given = request.headers.get("Authorization", "")
    return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())


def metrics(request: HttpRequest) -> HttpResponse:
    if not _allowed(request):
        return HttpResponse(status=401, headers={"WWW-Authenticate": "Bearer"})
    served = ExportToDjangoView(request)
    registry = CollectorRegistry(auto_describe=False)
    registry.register(BackOffice())
    served.content = served.content + generate_latest(registry)
    return served
