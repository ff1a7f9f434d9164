from django.contrib.auth.decorators import login_required
from django.urls import path

from sijill.intake import views

app_name = "intake"
urlpatterns = [
    path("", login_required(views.queue), name="queue"),
    path("<str:receipt>/", login_required(views.detail), name="detail"),
]
