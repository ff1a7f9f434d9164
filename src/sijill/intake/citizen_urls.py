"""/status/: the citizen's pages, without login."""

from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from sijill.intake import citizen

app_name = "citizen"
urlpatterns = [
    # never_cache: an answer about someone's file is never kept by a shared cache.
    path("", never_cache(require_http_methods(["GET", "POST"])(citizen.status)), name="status"),
    path("steps/", require_GET(citizen.steps), name="steps"),
]
