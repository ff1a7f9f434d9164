"""The counter's Django forms: a deposit, a person, a household member, a household.

They only read what was typed into the payload's shape (sijill.intake.drafts reads it
back); every rule of substance is a gate (sijill.domain.rules via sijill.intake.gates),
run on capture, whose violations are then shown under the fields they name.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sijill.accounts.models import User
from sijill.domain import rules, scoring
from sijill.intake import gates, guidance, workflow
from sijill.territories import scope
from sijill.territories.models import Territory

COUNTER_CHANNELS = (workflow.COUNTER, workflow.ONLINE, workflow.MOBILE_UNIT)

# Eastern Arabic digits (٠–٩) and their Persian forms (۰–۹) are digits like 0–9: a clerk or a
# citizen may type either; what is kept is written 0–9, as the CIN and the registers are.
_WESTERN = str.maketrans(
    {**{chr(0x0660 + d): str(d) for d in range(10)}, **{chr(0x06F0 + d): str(d) for d in range(10)}}
    | {"\u066b": ".", "\u066c": ""}  # Arabic decimal and thousands separators
)
_DAY_FIRST = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")


def western(value: str) -> str:
    """`value` with every Eastern Arabic digit written 0–9 (and the Arabic decimal sign)."""
    return value.translate(_WESTERN)


class Text(forms.CharField):
    """A text field whose digits are read 0–9 whatever the keyboard typed."""

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        return western(text) if isinstance(text, str) else text


class Identifier(Text):
    """An IDCS, a CIN or a receipt: digits read 0–9, spaces and case left out."""

    def to_python(self, value: Any) -> str:
        return "".join(super().to_python(value).split()).upper()


class DateText(Text):
    """A date typed by a person: 2026-12-05, or day first (05/12/2026), in any digits.
    Kept as an ISO date when it reads as one; anything else is kept as typed, for the gates
    to name."""

    def to_python(self, value: Any) -> str:
        text = super().to_python(value).strip()
        day_first = _DAY_FIRST.fullmatch(text)
        if day_first:
            day, month, year = (int(part) for part in day_first.groups())
            try:
                return dt.date(year, month, day).isoformat()
            except ValueError:
                return text
        return text


class Choice(forms.ChoiceField):
    """A choice; one the list does not offer is kept as sent, for the gates to name."""

    def valid_value(self, value: Any) -> bool:
        return True


class DayFirstInput(forms.TextInput):
    """A date typed day first, 05/12/2026, whatever the browser's own language: a date
    picker would write it the way the browser's settings say (often the month first)."""

    def __init__(self) -> None:
        super().__init__(
            attrs={"dir": "ltr", "inputmode": "numeric", "autocomplete": "off",
                   "placeholder": _("dd/mm/yyyy")}
        )  # fmt: skip

    def format_value(self, value: Any) -> str | None:
        text: str | None = super().format_value(value)
        try:
            return dt.date.fromisoformat(str(text)).strftime("%d/%m/%Y") if text else text
        except ValueError:
            return text


class Answer(forms.FloatField):
    """A number the formula reads: any digits, the page's decimal sign or the Arabic one.
    Out of bounds or unreadable, it is left empty and the gates say so beside it, with
    every other problem of the form (a Django error here would hide them)."""

    def to_python(self, value: Any) -> float | None:
        if isinstance(value, str):
            value = western(value)
        try:
            number: float | None = super().to_python(value)
        except forms.ValidationError:
            return None
        return number


def _arabic() -> bool:
    return (get_language() or "ar").startswith("ar")


def territory_name(territory: Territory) -> str:
    return str(territory.name_ar if _arabic() else territory.name_fr)


def annexes(user: User) -> list[Territory]:
    """The annexes a user may deposit in: those of the user's subtree."""
    found = Territory.objects.filter(level="annex").order_by("code")
    return list(scope.within(found, user.territory_code, field="code"))


class DepositForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of form"))
    channel = forms.ChoiceField(label=_("Channel"))
    annex_code = forms.ChoiceField(label=_("Annex"))
    citizen_id = Identifier(
        label=_("Depositor's CIN or IDCS"),
        max_length=16,
        help_text=_("With the receipt number, it lets the citizen follow the file at /status/."),
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, guidance.KIND_LABELS[k]) for k in workflow.KINDS]
        self.fields["channel"].choices = [(c, guidance.CHANNEL_LABELS[c]) for c in COUNTER_CHANNELS]
        places = annexes(user)
        self.fields["annex_code"].choices = [(t.code, territory_name(t)) for t in places]
        if len(places) == 1:
            self.fields["annex_code"].initial = places[0].code

    def clean_citizen_id(self) -> str:
        value = str(self.cleaned_data["citizen_id"])
        if not (rules.IDCS.fullmatch(value) or rules.CIN.fullmatch(value)):
            raise forms.ValidationError(
                _("A CIN (one or two capital letters and up to 6 digits) or an IDCS (10 digits).")
            )
        return value


def _sexes() -> list[tuple[str, Any]]:
    return [("", "—"), ("F", _("Female")), ("M", _("Male"))]


def sex_label(code: str) -> str:
    return str(dict(_sexes()).get(code, code))


def _arabic_input() -> forms.TextInput:
    return forms.TextInput(attrs={"dir": "rtl", "lang": "ar"})


def _latin_input() -> forms.TextInput:
    # Latin letters only (the gates refuse Arabic letters here, as the CIN writes names).
    return forms.TextInput(attrs={"dir": "ltr", "lang": "fr", "autocapitalize": "characters"})


def _code_input(numeric: bool = False) -> forms.TextInput:
    attrs = {"dir": "ltr", "autocomplete": "off", "spellcheck": "false"}
    return forms.TextInput(attrs={**attrs, "inputmode": "numeric"} if numeric else attrs)


class PersonFields(forms.Form):
    """Names, sex and birth date: what every person on every form carries.

    No rule here but reading what was typed (digits 0–9, dates as ISO): a field Django
    refused would keep the gates from running, and the clerk would see one problem at a
    time. The gates judge every field at once."""

    first_name_ar = Text(label=_("First name (Arabic)"), required=False, widget=_arabic_input())
    last_name_ar = Text(label=_("Last name (Arabic)"), required=False, widget=_arabic_input())
    first_name_lat = Text(
        label=_("First name (Latin letters)"), required=False, widget=_latin_input()
    )
    last_name_lat = Text(
        label=_("Last name (Latin letters)"), required=False, widget=_latin_input()
    )
    sex = Choice(label=_("Sex"), required=False, choices=_sexes)
    birth_date = DateText(label=_("Birth date"), required=False, widget=DayFirstInput())


class RegistrationForm(PersonFields):
    cin = Identifier(label=_("CIN"), required=False, widget=_code_input())
    nationality = Identifier(
        label=_("Nationality"), required=False, initial="MAR", widget=_code_input()
    )
    address = Text(label=_("Address"), required=False)


class MemberForm(PersonFields):
    idcs = Identifier(label=_("IDCS"), required=False, widget=_code_input(numeric=True))
    relation = Choice(label=_("Relation"), required=False)
    _RELATIONS: tuple[str, ...] = rules.RSU_RELATIONS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "—"), *((r, RELATION_LABELS[r]) for r in self._RELATIONS)]
        self.fields["relation"].choices = choices

    def values(self) -> dict[str, Any]:
        """What the row holds: what was typed once read, else what it was filled with."""
        if self.is_bound:
            return dict(self.cleaned_data) if hasattr(self, "cleaned_data") else {}
        return {name: self.initial.get(name, self.fields[name].initial) for name in self.fields}

    def is_blank(self) -> bool:
        data = self.values()
        return not any(str(v or "").strip() for k, v in data.items() if k != "beneficiary")


class BeneficiaryForm(MemberForm):
    """A beneficiary row: an RSU member, ticked when the file covers them."""

    _RELATIONS = rules.AMO_RELATIONS
    beneficiary = forms.BooleanField(label=_("Beneficiary"), required=False, initial=True)
    field_order = ("beneficiary",)

    def is_blank(self) -> bool:
        return super().is_blank() or not self._ticked()

    def _ticked(self) -> bool:
        return bool(self.values().get("beneficiary"))


RELATION_LABELS: dict[str, Any] = {
    "head": _("Head of household"),
    "spouse": _("Spouse"),
    "child": _("Child"),
    "parent": _("Parent"),
    "sibling": _("Brother or sister"),
    "grandchild": _("Grandchild"),
    "other": _("Other"),
    "insured": _("Insured (head of household)"),
}
MemberFormSet = forms.formset_factory(MemberForm, extra=0)
BeneficiaryFormSet = forms.formset_factory(BeneficiaryForm, extra=0)


def asked() -> tuple[scoring.Variable, ...]:
    """The formula's questions the clerk answers (the others are derived from the members)."""
    return tuple(v for v in scoring.variables() if v.name not in gates.DERIVED)


class HouseholdForm(forms.Form):
    household_id = Text(label=_("RSU household identifier"), required=False, widget=_code_input())
    address = Text(label=_("Address"), required=False)
    area = Choice(label=_("Area of residence"), required=False)

    def __init__(self, *args: Any, updating: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", "—"), ("urban", _("Urban")), ("rural", _("Rural"))]
        if not updating:
            del self.fields["household_id"]
        for variable in asked():
            self.fields[f"answer_{variable.name}"] = Answer(
                label=_(variable.label),  # a message id from the formula's CSV file
                required=False,
                help_text=f"{variable.minimum:g} – {variable.maximum:g}",
                localize=True,
                widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "decimal"}),
            )

    def answers(self) -> dict[str, float]:
        found = {}
        for variable in asked():
            value = self.cleaned_data.get(f"answer_{variable.name}")
            if value is not None:
                found[variable.name] = float(value)
        return found


class AmoHouseholdForm(forms.Form):
    household_id = Text(
        label=_("RSU household identifier"),
        required=False,
        widget=_code_input(),
        help_text=_("Its members are filled in from the RSU: tick the beneficiaries."),
    )


class NoteForm(forms.Form):
    note = forms.CharField(label=_("What the citizen asks"), required=False, widget=forms.Textarea)


class SearchForm(forms.Form):
    q = Text(
        label=_("Receipt, CIN, IDCS or name"),
        max_length=100,
        help_text=_("A name in Arabic or Latin letters; spellings are forgiven."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the rejection"), max_length=500)


def error_summary(form: forms.Form, labelled: bool = True) -> list[dict[str, str]]:
    """A form's errors for the summary at the top of its page, each linked to its field and
    — `labelled`, for a form's own errors, which do not name their field — after its label."""
    items = [{"href": "", "text": str(error)} for error in form.non_field_errors()]
    for name in form.fields:
        field = form[name]
        for error in field.errors:
            text = f"{field.label}: {error}" if labelled else str(error)
            items.append({"href": f"#{field.auto_id}", "text": text})
    return items
