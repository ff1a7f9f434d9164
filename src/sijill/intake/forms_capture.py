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
from django.forms.boundfield import BoundField
from django.forms.formsets import BaseFormSet
from django.utils.translation import get_language, gettext, pgettext

from sijill.domain import rules
from sijill.domain.message import Message
from sijill.domain.names import normalize_arabic
from sijill.domain.rules import IN_ROW, PersonRow, Violation
from sijill.i18n.dates import short_date
from sijill.intake import drafts, workflow
from sijill.intake.forms import (
    RELATION_LABELS,
    AmoHouseholdForm,
    BeneficiaryFormSet,
    HouseholdForm,
    MemberForm,
    MemberFormSet,
    NoteForm,
    RegistrationForm,
    asked,
    error_summary,
    sex_label,
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
    # The RSU household an AMO request names (its members fill the rows in), and what the
    # RSU holds where a row says otherwise, by the field's HTML name: flagged on the screen
    # and for the validator.
    household: rules.Household | None = None
    differs: dict[str, str] = field(default_factory=dict)

    def rows(self) -> list[tuple[forms.Form, list[tuple[BoundField, str]]]]:
        """Each person's form with its fields, each beside what the RSU holds if it differs."""
        if self.people is None:
            return []
        return [
            (
                form,
                [(form[name], self.differs.get(form.add_prefix(name), "")) for name in form.fields],
            )
            for form in self.people.forms
        ]

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


def build(
    kind: str,
    payload: Mapping[str, Any],
    data: Any = None,
    more_rows: int = 0,
    household: rules.Household | None = None,
    load: bool = False,
) -> Screen:
    """The screen for `kind`, bound to posted `data` or filled from a saved `payload`.

    An AMO request starts from `household` (its RSU household): the rows are its members,
    every one ticked, or — `load`, the clerk asked for it — they replace what was typed."""
    if kind == workflow.RNP_REGISTRATION:
        person = drafts.section(payload, "person")
        return Screen(kind, RegistrationForm(data, initial=_person_initial(person)))
    if kind in _HOUSEHOLDS:
        body = drafts.section(payload, "household")
        main = HouseholdForm(
            data, initial=_household_initial(payload, body), updating=kind == workflow.RSU_UPDATE
        )
        saved = body.get("members")
        if household is not None and (load or (data is None and not saved)):
            # An update starts from the household as the RSU holds it.
            initial = [_member_initial(m, amo=False) for m in household.members]
            people = MemberFormSet(initial=initial, prefix="members")
        else:
            people = _people(MemberFormSet, "members", saved, data, more_rows)
        return Screen(kind, main, people, "members", household=household)
    if kind == workflow.AMO_REQUEST:
        main = AmoHouseholdForm(data, initial={"household_id": payload.get("household_id")})
        if household is not None and (load or (data is None and not payload.get("beneficiaries"))):
            initial = [_member_initial(m) for m in household.members]
            people = BeneficiaryFormSet(initial=initial, prefix="beneficiaries")
        else:
            rows = payload.get("beneficiaries")
            people = _people(BeneficiaryFormSet, "beneficiaries", rows, data, more_rows)
            if data is None and household is not None and isinstance(rows, list):
                # Members the saved file leaves out come back unticked, for the clerk to see.
                listed = {_row_initial(r).get("idcs") for r in rows}
                left = [m for m in household.members if m.idcs not in listed]
                saved = [_row_initial(r) for r in rows]
                extra = [{**_member_initial(m), "beneficiary": False} for m in left]
                people = BeneficiaryFormSet(initial=saved + extra, prefix="beneficiaries")
        return Screen(kind, main, people, "beneficiaries", household=household)
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
    return {name: record.get(name) for name in names} | {"beneficiary": True}


def _member_initial(member: PersonRow, amo: bool = True) -> dict[str, Any]:
    """An RSU member as a row: for an AMO request, a beneficiary with the AMO relation of the
    RSU one, ticked; for an RSU update, the member as the RSU holds them."""
    row = drafts.as_payload(member)
    if not amo:
        return row
    row["relation"] = rules.AMO_RELATION_OF.get(member.relation, "other")
    return {**row, "beneficiary": True}


# --- what the capture says differently from the RSU ----------------------------------------

_COMPARED = ("idcs", *_PERSON, "birth_date", "relation")


def _values(form: forms.Form) -> dict[str, Any]:
    """What a row holds: what was typed (when bound and read) or what it was filled with."""
    if form.is_bound:
        form.is_valid()
    return form.values() if isinstance(form, MemberForm) else {}


def same(name: str, captured: Any, registered: Any) -> bool:
    """Whether a captured value says what a register holds (Arabic by the contract's
    normalization, Latin letters whatever their case, dates as ISO days)."""
    if name in ("birth_date",) and registered is not None:
        registered = str(registered)
    left, right = str(captured or "").strip(), str(registered or "").strip()
    if name.endswith("_ar"):
        return normalize_arabic(left) == normalize_arabic(right)
    return left.upper() == right.upper()


def shown(name: str, value: Any) -> str:
    """A register's value as the page shows it."""
    if value in (None, ""):
        return "—"
    if name == "sex":
        return sex_label(str(value))
    if name == "relation":
        return str(RELATION_LABELS.get(str(value), value))
    if name == "birth_date":
        day = drafts.parse_date(value)
        return short_date(day) if day else str(value)
    return str(value)


def flag_differences(screen: Screen) -> None:
    """Note, field by field, where a beneficiary row says otherwise than its RSU member."""
    if screen.household is None or screen.people is None:
        return
    members = {m.idcs: m for m in screen.household.members if m.idcs}
    for form in screen.people.forms:
        values = _values(form)
        member = members.get(str(values.get("idcs") or "").strip())
        if member is None:
            continue
        registered = _member_initial(member, amo=screen.kind == workflow.AMO_REQUEST)
        for name in _COMPARED:
            if name in form.fields and not same(name, values.get(name), registered.get(name)):
                screen.differs[form.add_prefix(name)] = shown(name, registered.get(name))


# --- the payload --------------------------------------------------------------------------


def payload(screen: Screen) -> dict[str, Any]:
    """What the valid screen holds, in the payload's shape (call is_valid() first)."""
    data = screen.main.cleaned_data
    if screen.kind == workflow.RNP_REGISTRATION:
        return {"person": {k: _text(v) for k, v in data.items()}}
    rows = [
        {k: _text(v) for k, v in f.cleaned_data.items() if k != "beneficiary"}
        for f in screen.filled()
    ]
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
        box = _missing_member_box(screen, violation)
        if box:
            # Under the unticked member's box: the row itself says who it is.
            alone = Violation.from_dict({**violation, "row": None})
            found.setdefault(box, []).append(in_page_language(alone))
            continue
        name = _html_name(screen, violation, rows)
        found.setdefault(name, []).append(message(violation))
    return found


def _missing_member_box(screen: Screen, violation: Mapping[str, Any]) -> str:
    """The `beneficiary` box of the row of an RSU member missing from the file, if shown."""
    row = violation.get("row")
    if violation.get("rule") != "member_missing" or "params" not in violation:
        return ""
    if screen.household is None or screen.people is None or not isinstance(row, int):
        return ""
    if not 0 < row <= len(screen.household.members):
        return ""
    idcs = screen.household.members[row - 1].idcs
    for form in screen.people.forms:
        if idcs and str(_values(form).get("idcs") or "") == idcs and "beneficiary" in form.fields:
            return str(form.add_prefix("beneficiary"))
    return ""


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
            if form.add_prefix(name) in screen.differs:
                described = f"{described or f'{auto_id}_error'} {auto_id}_rsu"
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


def summary(screen: Screen) -> list[dict[str, str]]:
    """Every problem of the screen, for the summary at its top: the general ones, then each
    field's, linked to the field (the page moves the focus there after a refused post)."""
    items = [{"href": "", "text": text} for text in screen.general]
    items += error_summary(screen.main, labelled=False)  # the gates name their fields
    for number, form in enumerate(screen.people.forms if screen.people else [], start=1):
        for item in error_summary(form, labelled=False):
            if item["href"].endswith("-beneficiary"):  # placed without its row: say which
                row = Message(IN_ROW, {"row": number, "problem": item["text"]})
                item = {**item, "text": row.render(_page_words)}
            items.append(item)
    return items
