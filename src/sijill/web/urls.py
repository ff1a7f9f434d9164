"""Top-level routes: the API, the accounts pages and the forms ledger pages."""

from django.urls import include, path

from sijill.api.site import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("accounts/", include("sijill.accounts.urls")),
    path("forms/", include("sijill.intake.urls")),
    path("status/", include("sijill.intake.citizen_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("sijill.monitoring.urls")),
]
