"""An annex's work list, the handling of its findings, and its split suspects. Login
required."""

from django.contrib.auth.decorators import login_required
from django.urls import path
from django.views.decorators.http import require_POST

from sijill.worklists import households, views

app_name = "worklists"
urlpatterns = [
    path("monitoring/annex/<str:code>/findings/", login_required(views.work_list), name="findings"),
    path(
        "monitoring/annex/<str:code>/findings/handle/",
        login_required(require_POST(views.handle)),
        name="handle",
    ),
    path("monitoring/annex/<str:code>/splits/", login_required(households.splits), name="splits"),
]
