"""The capture screen of one kind of form: its Django forms, the payload they make, and the
gates' violations placed under the fields they name.

The payload has the shape sijill.intake.drafts reads: `{"person": {...}}` for an RNP
registration, `{"household_id"?, "household": {address, area, answers, members}}` for an
RSU declaration or update, `{"household_id", "beneficiaries": [...]}` for an AMO request.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.forms.formsets import BaseFormSet
from django.utils.translation import get_language, gettext, pgettext

from sijill.domain.rules import Violation
from sijill.intake import drafts, workflow
from sijill.intake.forms import (
    AmoHouseholdForm,
    BeneficiaryFormSet,
    HouseholdForm,
    MemberForm,
    MemberFormSet,
    NoteForm,
    RegistrationForm,
    asked,
)

_PERSON = ("first_name_ar", "last_name_ar", "first_name_lat", "last_name_lat", "sex")
# A violation's field, as the form shows it ("name_ar" is the pair of Arabic names).
_SHOWN_AS = {"name_ar": "first_name_ar"}
_HOUSEHOLDS = (workflow.RSU_DECLARATION, workflow.RSU_UPDATE)


@dataclass
class Screen:
    kind: str
    main: forms.Form
    people: BaseFormSet | None = None
    people_key: str = ""  # "members" or "beneficiaries"
    general: list[str] = field(default_factory=list)  # violations naming no single field

    def all_forms(self) -> list[forms.Form]:
        return [self.main, *(self.people.forms if self.people is not None else [])]

    def is_valid(self) -> bool:
        people_ok = self.people is None or self.people.is_valid()
        return self.main.is_valid() and people_ok

    def filled(self) -> list[MemberForm]:
        """The member rows with something in them, in order: row N of a violation."""
        if self.people is None:
            return []
        return [f for f in self.people.forms if not f.is_blank()]


# --- building a screen ---------------------------------------------------------------------


def build(kind: str, payload: Mapping[str, Any], data: Any = None, more_rows: int = 0) -> Screen:
    """The screen for `kind`, bound to posted `data` or filled from a saved `payload`."""
    if kind == workflow.RNP_REGISTRATION:
        person = drafts.section(payload, "person")
        return Screen(kind, RegistrationForm(data, initial=_person_initial(person)))
    if kind in _HOUSEHOLDS:
        body = drafts.section(payload, "household")
        main = HouseholdForm(
            data, initial=_household_initial(payload, body), updating=kind == workflow.RSU_UPDATE
        )
        people = _people(MemberFormSet, "members", body.get("members"), data, more_rows)
        return Screen(kind, main, people, "members")
    if kind == workflow.AMO_REQUEST:
        main = AmoHouseholdForm(data, initial={"household_id": payload.get("household_id")})
        rows = payload.get("beneficiaries")
        people = _people(BeneficiaryFormSet, "beneficiaries", rows, data, more_rows)
        return Screen(kind, main, people, "beneficiaries")
    return Screen(kind, NoteForm(data, initial={"note": payload.get("note", "")}))


def _person_initial(person: Mapping[str, Any]) -> dict[str, Any]:
    return {name: person.get(name) for name in (*_PERSON, "birth_date", "cin", "address")} | {
        "nationality": person.get("nationality") or "MAR"
    }


def _household_initial(payload: Mapping[str, Any], body: Mapping[str, Any]) -> dict[str, Any]:
    answers = drafts.answers(body.get("answers"))
    initial: dict[str, Any] = {
        "household_id": payload.get("household_id"),
        "address": body.get("address"),
        "area": body.get("area"),
    }
    initial |= {f"answer_{v.name}": answers.get(v.name) for v in asked()}
    return initial


def _people(
    factory: type[BaseFormSet], prefix: str, rows: Any, data: Any, more_rows: int
) -> BaseFormSet:
    if data is not None and not more_rows:
        return factory(data, prefix=prefix)
    if data is not None:
        # "Add a row" without JavaScript: keep what was typed, append blank rows.
        typed = factory(data, prefix=prefix)
        typed.is_valid()
        initial = [f.cleaned_data if hasattr(f, "cleaned_data") else {} for f in typed.forms]
        return factory(initial=initial + [{}] * more_rows, prefix=prefix)
    saved = [_row_initial(r) for r in rows] if isinstance(rows, list) else []
    return factory(initial=saved + [{}] * max(more_rows, 0 if saved else 1), prefix=prefix)


def _row_initial(row: Any) -> dict[str, Any]:
    record = row if isinstance(row, Mapping) else {}
    names = (*_PERSON, "birth_date", "idcs", "relation")
    return {name: record.get(name) for name in names}


# --- the payload --------------------------------------------------------------------------


def payload(screen: Screen) -> dict[str, Any]:
    """What the valid screen holds, in the payload's shape (call is_valid() first)."""
    data = screen.main.cleaned_data
    if screen.kind == workflow.RNP_REGISTRATION:
        return {"person": {k: _text(v) for k, v in data.items()}}
    rows = [{k: _text(v) for k, v in f.cleaned_data.items()} for f in screen.filled()]
    if screen.kind in _HOUSEHOLDS:
        assert isinstance(screen.main, HouseholdForm)
        household = {
            "address": _text(data.get("address")),
            "area": _text(data.get("area")),
            "answers": screen.main.answers(),
            "members": rows,
        }
        found: dict[str, Any] = {"household": household}
        if data.get("household_id"):
            found["household_id"] = _text(data["household_id"])
        return found
    if screen.kind == workflow.AMO_REQUEST:
        return {"household_id": _text(data.get("household_id")), "beneficiaries": rows}
    return {"note": _text(data.get("note"))}


def _text(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


# --- violations under their fields ----------------------------------------------------------


def message(violation: Mapping[str, Any]) -> str:
    """A saved violation (`Violation.as_dict`) in the page's language."""
    if "params" not in violation:
        return _saved_text(violation)
    return in_page_language(Violation.from_dict(violation))


def in_page_language(violation: Violation) -> str:
    return violation.as_message().render(_page_words)


def _page_words(message_id: str, context: str | None) -> str:
    """A message's words in the page's language (Django's active one)."""
    return str(pgettext(context, message_id) if context else gettext(message_id))


def _saved_text(violation: Mapping[str, Any]) -> str:
    """A violation saved before the rules' words moved to the catalogues: it holds its
    Arabic and French texts, and nothing to render it again from."""
    arabic = (get_language() or "ar").startswith("ar")
    return str(violation.get("message_ar" if arabic else "message_fr") or "")


def placed(screen: Screen, violations: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Violation messages by the HTML name of their field; "" holds the general ones."""
    found: dict[str, list[str]] = {}
    rows = screen.filled()
    for violation in violations:
        name = _html_name(screen, violation, rows)
        found.setdefault(name, []).append(message(violation))
    return found


def _html_name(screen: Screen, violation: Mapping[str, Any], rows: list[MemberForm]) -> str:
    name = _SHOWN_AS.get(str(violation.get("field")), str(violation.get("field")))
    row = violation.get("row")
    if isinstance(row, int) and name != screen.people_key and 0 < row <= len(rows):
        form = rows[row - 1]
        return str(form.add_prefix(name)) if name in form.fields else ""
    if row is None and name in screen.main.fields:
        return str(screen.main.add_prefix(name))
    if name == "score" and screen.kind in _HOUSEHOLDS:
        return "answers"
    return ""


def show(screen: Screen, violations: list[dict[str, Any]]) -> None:
    """Put the gates' violations on the bound fields (aria-invalid follows) or above them."""
    by_name = placed(screen, violations)
    for form in screen.all_forms():
        for name in form.fields:
            for text in by_name.pop(form.add_prefix(name), []):
                # Not add_error(): the form may be unbound (a saved, refused capture).
                form.errors.setdefault(name, form.error_class(renderer=form.renderer)).append(text)
    screen.general = [text for texts in by_name.values() for text in texts]


def check_as_you_type(screen: Screen, url: str) -> None:
    """htmx: a changed field posts the form to `url`, which answers that field's errors."""
    for form in screen.all_forms():
        for name, form_field in form.fields.items():
            auto_id = form[name].auto_id
            described = f"{auto_id}_helptext {auto_id}_error" if form_field.help_text else ""
            form_field.widget.attrs.update(
                {
                    "hx-post": url,
                    "hx-trigger": "change",
                    "hx-target": f"#{auto_id}_error",
                    "hx-swap": "outerHTML",
                    "aria-describedby": described or f"{auto_id}_error",
                }
            )


def errors_of(screen: Screen, html_name: str) -> list[str]:
    """The errors shown under one field (by its HTML name), once show() has run."""
    for form in screen.all_forms():
        for name in form.fields:
            if form.add_prefix(name) == html_name:
                return [str(e) for e in form.errors.get(name, [])]
    return []
