"""The dashboard at `/`; everything else of the app under `/monitoring/`. Login required."""

from django.contrib.auth.decorators import login_required
from django.urls import path
from django.views.decorators.http import require_POST

from sijill.monitoring import run_views, views

app_name = "monitoring"
urlpatterns = [
    path("", login_required(views.home), name="dashboard"),
    path("monitoring/dashboard.pdf", login_required(views.dashboard_pdf), name="pdf"),
    path("monitoring/annex/<str:code>/findings/", login_required(views.findings), name="findings"),
    path("monitoring/annex/<str:code>/links/", login_required(views.links), name="links"),
    path(
        "monitoring/links/<int:link_id>/<str:decision>/",
        login_required(require_POST(views.decide)),
        name="decide",
    ),
    path("monitoring/runs/", login_required(run_views.history), name="runs"),
    path(
        "monitoring/runs/start/",
        login_required(require_POST(run_views.start_back_office)),
        name="start",
    ),
    path("monitoring/runs/upload/", login_required(run_views.upload), name="upload"),
    path("monitoring/runs/<int:run_id>/", login_required(run_views.detail), name="run"),
    path(
        "monitoring/runs/<int:run_id>/retire/",
        login_required(require_POST(run_views.retire)),
        name="retire",
    ),
    path("monitoring/compare/", login_required(run_views.compare), name="compare"),
]
