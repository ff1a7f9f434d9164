"""sijill.intake.search and /forms/search/: by receipt, CIN, IDCS or name, in scope only."""

from __future__ import annotations

import pytest
from django.test import Client

from sijill.intake import counter, search
from sijill.intake.models import Form
from tests.apps.backoffice import ANNEX_1, ANNEX_2, REGISTRATION
from tests.conftest import Staff

pytestmark = pytest.mark.django_db


def registered(people: Staff, annex: str = ANNEX_1, cin: str = "BK654321") -> Form:
    clerk = people.clerk if annex == ANNEX_1 else people.clerk_b
    form, _ = counter.deposit(
        clerk, kind="rnp_registration", channel="counter", annex_code=annex, citizen_id=cin
    )
    counter.capture(clerk, form.receipt, REGISTRATION)  # ياسين الشرقاوي, YASSINE CHERKAOUI
    return form


def found(people: Staff, query: str) -> list[tuple[str, str]]:
    return [(hit.form.receipt, hit.matched) for hit in search.search(people.validator, query)]


def test_a_receipt_is_found_however_it_is_typed(people: Staff) -> None:
    form = registered(people)
    typed = form.receipt.lower().replace("-", " ")
    assert found(people, typed) == [(form.receipt, "receipt")]


def test_a_cin_finds_the_forms_deposited_with_it_and_those_naming_it(people: Staff) -> None:
    form = registered(people, cin="BE123456")  # deposited with one CIN, names another
    assert found(people, "be 123 456") == [(form.receipt, "cin")]
    assert found(people, "BK٦٥٤٣٢١") == [(form.receipt, "cin")]  # Eastern Arabic digits


def test_an_idcs_finds_the_form_that_registered_it(people: Staff) -> None:
    from sijill.intake import approval

    form = registered(people)
    done, opened = approval.validate(people.validator, form.receipt)
    assert opened is not None and done.register_key
    hits = dict(found(people, str(done.register_key)))
    assert hits[form.receipt] == "idcs" and hits[opened.receipt] == "idcs"


@pytest.mark.parametrize(
    "query",
    ["ياسين الشرقاوي", "ياسين", "الشرقاوى", "Yassine", "YACINE CHERKAOUI", "cherqaoui", "شرقاوي"],
)
def test_a_name_is_found_in_either_script_through_the_name_keys(people: Staff, query: str) -> None:
    form = registered(people)
    assert found(people, query) == [(form.receipt, "name")]


def test_a_different_name_is_not_found(people: Staff) -> None:
    registered(people)
    assert found(people, "Fatima") == [] and found(people, "محمد العلوي") == []


def test_nothing_outside_the_users_territory_is_found(people: Staff) -> None:
    theirs = registered(people, annex=ANNEX_2)
    for query in (theirs.receipt, "BK654321", "YASSINE"):
        assert found(people, query) == [], query
    supervisor = [h.form.receipt for h in search.search(people.supervisor, "YASSINE")]
    assert supervisor == [theirs.receipt]


def test_the_search_page_lists_what_it_found(people: Staff) -> None:
    form = registered(people)
    client = Client(headers={"Accept-Language": "fr"})
    client.force_login(people.clerk)
    html = client.get("/forms/search/", {"q": "cherkaoui"}).content.decode()
    assert form.receipt in html and "Formulaires trouvés dans votre territoire : 1" in html
    assert "YASSINE" in html and 'role="search"' in html
    assert "Aucun formulaire" in client.get("/forms/search/", {"q": "zzz"}).content.decode()
    assert client.get("/forms/search/").status_code == 200
