"""The demand statistics of the forms ledger. Login required."""

from django.contrib.auth.decorators import login_required
from django.urls import path

from sijill.demand import views

app_name = "demand"
urlpatterns = [path("monitoring/demand/", login_required(views.demand), name="demand")]
