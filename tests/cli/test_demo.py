"""sijill.cli.demo: one account per role, placed where the demo run loses the most."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.test import Client

from sijill.accounts.models import User
from sijill.accounts.roles import ROLES
from sijill.cli.demo import accounts, back_office, logins_table
from sijill.cli.demo_ledger import plan
from sijill.engine.params import Parameters
from sijill.engine.reconciliation.pipeline import reconcile
from sijill.intake.models import Form
from sijill.registry.models import Person
from sijill.runs.models import SUCCEEDED, Figures, Run
from sijill.synth.config import SynthConfig
from sijill.synth.generator import generate
from tests.extract_files import ANNEX_1, COMMUNE

pytestmark = pytest.mark.django_db
EXTRACTS = ("territories", "rnp", "rsu", "amo")


def test_one_account_per_role_with_its_place(monitored: Run) -> None:
    annexes = Figures.objects.filter(run=monitored, level="annex")
    worst = max(annexes, key=lambda f: f.counts["rnp_not_in_rsu"])
    assert worst.code == ANNEX_1
    logins = accounts()
    assert [login.role for login in logins] == list(ROLES)
    places = {login.role: login.territory for login in logins}
    assert places == {
        "clerk": ANNEX_1, "validator": ANNEX_1, "supervisor": COMMUNE, "cnss": None,
        "admin": None,
    }  # fmt: skip
    for login in logins:
        assert authenticate(username=login.username, password=login.password) is not None
    assert logins_table(logins, "http://127.0.0.1:8000/").row_count == 5


def test_a_second_demo_resets_the_passwords(monitored: Run) -> None:
    first = accounts()
    second = accounts()
    assert User.objects.filter(username__startswith="demo-").count() == 5
    for old, new in zip(first, second, strict=True):
        assert old.password != new.password
        assert authenticate(username=new.username, password=new.password) is not None
        assert authenticate(username=old.username, password=old.password) is None


def test_the_demo_loads_registers_run_and_accounts(people: object, tmp_path: Path) -> None:
    """`sijill demo --back-office` after the engine's part: what `make demo` then serves."""
    config = SynthConfig(persons=2000, seed=3)
    generate(config, tmp_path / "country")
    extracts = {n: tmp_path / "country" / f"{n}.parquet" for n in EXTRACTS}
    reconcile(extracts, Parameters(config.as_of), tmp_path / "run", with_links=False)
    logins = back_office(tmp_path, "http://127.0.0.1:8000/")
    run = Run.objects.get()
    assert run.status == SUCCEEDED and run.output_dir == str(tmp_path / "run")
    national = Figures.objects.get(run=run, code="ALL")
    annexes = Figures.objects.filter(run=run, level="annex").values("code")
    living = Person.objects.filter(deceased=False, annex_code__in=annexes)
    assert national.rnp_persons == living.count() > 1000  # the registers hold the country
    clerk = next(login for login in logins if login.role == "clerk")
    client = Client()
    assert client.login(username=clerk.username, password=clerk.password)
    assert client.get("/").status_code == 200
    # Each role finds work waiting: AMO requests at every step (sijill.cli.demo_ledger).
    requests = Form.objects.filter(annex_code=clerk.territory, kind="amo_request")
    statuses = Counter(requests.values_list("status", flat=True))
    assert sum(statuses.values()) >= 2  # this annex has few eligible households left
    assert sorted(statuses.elements()) == sorted(plan(sum(statuses.values())))
    cnss = next(login for login in logins if login.role == "cnss")
    assert client.login(username=cnss.username, password=cnss.password)
    html = client.get("/forms/cnss/").content.decode()
    sent = requests.filter(status="transmitted")
    assert sent and all(f'id="file-{f.receipt}"' in html for f in sent)
