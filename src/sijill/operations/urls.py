"""Operations' routes: liveness, readiness and the metrics (no login, nothing personal)."""

from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from sijill.operations import health, metrics

app_name = "operations"
urlpatterns = [
    path("healthz", never_cache(require_GET(health.healthz)), name="healthz"),
    path("readyz", never_cache(require_GET(health.readyz)), name="readyz"),
    path("metrics", never_cache(require_GET(metrics.metrics)), name="metrics"),
]
