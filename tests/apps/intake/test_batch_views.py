"""sijill.intake.batch_views: the day's transmission batch, sent from the page, listed,
and downloaded as the contract's `amo` extract."""

from __future__ import annotations

import io

import pyarrow.parquet as pq
import pytest
from django.test import Client

from sijill.audit.models import Entry
from sijill.intake import cnss
from sijill.intake.models import Form
from tests.apps.intake.test_cnss import validated_amo_request
from tests.conftest import Staff

pytestmark = pytest.mark.django_db
FR = {"Accept-Language": "fr"}


def browser(user: object) -> Client:
    client = Client(headers=FR)
    client.force_login(user)
    return client


def test_the_validator_sends_the_ticked_files_as_one_batch(people: Staff) -> None:
    form = validated_amo_request(people)
    validator = browser(people.validator)
    page = validator.get("/forms/batches/").content.decode()
    assert f'id="send-{form.receipt}"' in page and "Lot du jour" in page
    sent = validator.post("/forms/batches/", {"receipts": [form.receipt]}, follow=True)
    html = sent.content.decode()
    assert "envoyé à la CNSS. Dossiers : 1." in html
    number = Form.objects.get(pk=form.pk).batch.number
    assert sent.redirect_chain[-1][0] == f"/forms/batches/{number}/"
    assert form.receipt in html
    assert Entry.objects.filter(target=cnss.BATCH_TARGET, action="create").count() == 1


def test_nothing_ticked_sends_nothing_and_says_so(people: Staff) -> None:
    form = validated_amo_request(people)
    answer = browser(people.validator).post("/forms/batches/", {}, follow=True)
    assert "Cochez au moins un dossier à transmettre." in answer.content.decode()
    assert Form.objects.get(pk=form.pk).status == "validated"


def test_a_file_sent_already_cannot_be_sent_again(people: Staff) -> None:
    form = validated_amo_request(people)
    cnss.transmit(people.validator)
    again = browser(people.validator).post("/forms/batches/", {"receipts": [form.receipt]})
    assert again.status_code == 302
    page = browser(people.validator).get("/forms/batches/", follow=True).content.decode()
    assert f'id="send-{form.receipt}"' not in page


def test_the_batch_downloads_as_the_amo_extract_and_is_audited(people: Staff) -> None:
    form = validated_amo_request(people)
    batch = cnss.transmit(people.validator)
    before = Entry.objects.count()
    answer = browser(people.validator).get(f"/forms/batches/{batch.number}/amo.parquet")
    assert answer.status_code == 200
    table = pq.read_table(io.BytesIO(b"".join(answer.streaming_content)))
    assert table.num_rows == 3 and "rejection_reason" in table.column_names
    assert set(table.column("amo_file_id").to_pylist()) == {form.register_key}
    assert Entry.objects.count() == before + 1


def test_a_batch_elsewhere_is_not_found_and_cnss_may_not_send(people: Staff) -> None:
    validated_amo_request(people)
    batch = cnss.transmit(people.validator)
    elsewhere = browser(people.validator_b)
    assert elsewhere.get(f"/forms/batches/{batch.number}/").status_code == 404
    assert elsewhere.get(f"/forms/batches/{batch.number}/amo.parquet").status_code == 404
    agent = browser(people.cnss)
    assert agent.get(f"/forms/batches/{batch.number}/").status_code == 200
    assert agent.post("/forms/batches/", {"receipts": ["X"]}).status_code == 403
    assert browser(people.clerk).post("/forms/batches/", {}).status_code == 403
