"""sijill.runs.heartbeat: a run whose server process stopped is settled as interrupted,
and the page says so in the user's language; a run that gives signs of life is left alone."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.test import Client
from django.utils import timezone

from sijill.accounts.models import User
from sijill.engine.params import Parameters
from sijill.runs import heartbeat
from sijill.runs import lifecycle as runs
from sijill.runs.models import BACK_OFFICE, FAILED, QUEUED, RUNNING, SUCCEEDED, Run

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2024, 3, 10)


def run_with(status: str, *, silent_for: dt.timedelta, stamped: bool = True) -> Run:
    """A run in `status` whose last sign of life (or creation, unstamped) is that old."""
    run = runs.create(BACK_OFFICE, Parameters(AS_OF), actor="test", with_links=False)
    then = timezone.now() - silent_for
    Run.objects.filter(pk=run.pk).update(
        status=status, created_at=then, heartbeat_at=then if stamped else None
    )
    return run


def state(run: Run) -> tuple[str, str]:
    run.refresh_from_db()
    return run.status, run.error


def test_open_runs_silent_too_long_are_interrupted_and_others_left_alone() -> None:
    long_ago = heartbeat.STALE + dt.timedelta(minutes=1)
    recently = heartbeat.STALE - dt.timedelta(minutes=1)
    cut = run_with(RUNNING, silent_for=long_ago)
    never_started = run_with(QUEUED, silent_for=long_ago, stamped=False)
    working = run_with(RUNNING, silent_for=recently)
    waiting = run_with(QUEUED, silent_for=recently, stamped=False)
    done = run_with(SUCCEEDED, silent_for=long_ago)
    assert heartbeat.settle_interrupted() == 2
    assert state(cut) == state(never_started) == (FAILED, heartbeat.INTERRUPTED)
    cut.refresh_from_db()
    assert cut.finished_at is not None
    assert state(working) == (RUNNING, "")
    assert state(waiting) == (QUEUED, "")
    assert state(done) == (SUCCEEDED, "")


def test_a_working_run_is_stamped_while_it_works(
    committed: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(heartbeat, "HEARTBEAT", dt.timedelta(seconds=0.05))
    run = run_with(RUNNING, silent_for=dt.timedelta(hours=1))
    stamps = []
    with heartbeat.beating(run.pk):
        for _ in range(3):
            time.sleep(0.2)  # the companion thread stamps meanwhile, on its own connection
            run.refresh_from_db()
            stamps.append(run.heartbeat_at)
    assert all(s is not None for s in stamps)
    assert stamps[0] < stamps[1] < stamps[2]
    assert heartbeat.settle_interrupted() == 0


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("fr", "Le serveur s'est arrêté avant la fin de cette exécution"),
        ("ar", "توقف الخادم قبل انتهاء هذه العملية"),
    ],
)
def test_the_page_of_an_interrupted_run_says_to_start_it_again(
    admin: User, language: str, said: str
) -> None:
    run = run_with(RUNNING, silent_for=heartbeat.STALE * 2)
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(admin)
    page = client.get(f"/monitoring/runs/{run.pk}/").content.decode()
    assert said in page.replace("&#x27;", "'")
    assert f"<code>{heartbeat.INTERRUPTED}</code>" not in page
    assert state(run) == (FAILED, heartbeat.INTERRUPTED)
