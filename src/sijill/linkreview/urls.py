"""An annex's link candidates and the decisions on them (confirm, reject, undo). Login
required."""

from django.contrib.auth.decorators import login_required
from django.urls import path
from django.views.decorators.http import require_POST

from sijill.linkreview import views

app_name = "linkreview"
urlpatterns = [
    path("monitoring/annex/<str:code>/links/", login_required(views.links), name="links"),
    path(
        "monitoring/links/<int:link_id>/<str:decision>/",
        login_required(require_POST(views.decide)),
        name="decide",
    ),
]
