"""Run pages: history, start, upload, one run, retirement. Login required."""

from django.contrib.auth.decorators import login_required
from django.urls import path
from django.views.decorators.http import require_POST

from sijill.runs import views

app_name = "runs"
urlpatterns = [
    path("monitoring/runs/", login_required(views.history), name="runs"),
    path(
        "monitoring/runs/start/",
        login_required(require_POST(views.start_back_office)),
        name="start",
    ),
    path("monitoring/runs/upload/", login_required(views.upload), name="upload"),
    path("monitoring/runs/<int:run_id>/", login_required(views.detail), name="run"),
    path(
        "monitoring/runs/<int:run_id>/retire/",
        login_required(require_POST(views.retire)),
        name="retire",
    ),
]
