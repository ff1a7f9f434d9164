"""Top-level routes: the API, accounts, the forms ledger, dashboards, work lists, runs, and
the operators' health, readiness and metrics."""

from django.urls import include, path

from sijill.api.site import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("accounts/", include("sijill.accounts.urls")),
    path("forms/", include("sijill.intake.urls")),
    path("status/", include("sijill.intake.citizen_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("sijill.dashboards.urls")),
    path("", include("sijill.worklists.urls")),
    path("", include("sijill.linkreview.urls")),
    path("", include("sijill.demand.urls")),
    path("", include("sijill.runs.urls")),
    path("", include("sijill.operations.urls")),
]
