from django.contrib.auth.decorators import login_required
from django.urls import path
from django.views.decorators.http import require_POST

from sijill.intake import batch_views, cnss_views, counter_views, views

app_name = "intake"
urlpatterns = [
    path("", login_required(views.queue), name="queue"),
    path("start/", login_required(counter_views.home), name="home"),
    path("counter/", login_required(counter_views.forms_to_capture), name="counter"),
    path("new/", login_required(counter_views.deposit), name="deposit"),
    path("search/", login_required(views.search), name="search"),
    path("batches/", login_required(batch_views.batches), name="batches"),
    path("batches/<str:number>/", login_required(batch_views.batch), name="batch"),
    path(
        "batches/<str:number>/amo.parquet",
        login_required(batch_views.extract),
        name="batch_extract",
    ),
    path("cnss/", login_required(cnss_views.queue), name="cnss"),
    path("cnss/<str:receipt>/", login_required(cnss_views.examine), name="cnss_file"),
    path(
        "cnss/<str:receipt>/review/",
        login_required(require_POST(cnss_views.review)),
        name="cnss_review",
    ),
    path(
        "cnss/<str:receipt>/decision/",
        login_required(require_POST(cnss_views.decide)),
        name="cnss_decide",
    ),
    path("<str:receipt>/", login_required(views.detail), name="detail"),
    path("<str:receipt>/receipt/", login_required(counter_views.receipt), name="receipt"),
    path(
        "<str:receipt>/receipt.pdf", login_required(counter_views.receipt_pdf), name="receipt_pdf"
    ),
    path("<str:receipt>/capture/", login_required(counter_views.capture), name="capture"),
    path("<str:receipt>/capture/check/", login_required(counter_views.check), name="check"),
    path(
        "<str:receipt>/validation/", login_required(require_POST(views.validate)), name="validate"
    ),
    path("<str:receipt>/rejection/", login_required(require_POST(views.reject)), name="reject"),
]
