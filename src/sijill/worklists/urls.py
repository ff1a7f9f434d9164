"""An annex's work list and link candidates, and the decisions on them. Login required."""

from django.contrib.auth.decorators import login_required
from django.urls import path
from django.views.decorators.http import require_POST

from sijill.worklists import views

app_name = "worklists"
urlpatterns = [
    path("monitoring/annex/<str:code>/findings/", login_required(views.work_list), name="findings"),
    path("monitoring/annex/<str:code>/links/", login_required(views.links), name="links"),
    path(
        "monitoring/links/<int:link_id>/<str:decision>/",
        login_required(require_POST(views.decide)),
        name="decide",
    ),
]
