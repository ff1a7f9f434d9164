"""The dashboard at `/`, its PDF, the comparison of two runs and the threshold what-if.
Login required."""

from django.contrib.auth.decorators import login_required
from django.urls import path

from sijill.dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", login_required(views.home), name="dashboard"),
    path("monitoring/dashboard.pdf", login_required(views.dashboard_pdf), name="pdf"),
    path("monitoring/compare/", login_required(views.compare), name="compare"),
    path("monitoring/threshold/", login_required(views.what_if), name="threshold"),
]
