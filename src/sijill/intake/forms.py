"""The counter's Django forms: a deposit, a person, a household member, a household.

They only read what was typed into the payload's shape (sijill.intake.drafts reads it
back); every rule of substance is a gate (sijill.domain.rules via sijill.intake.gates),
run on capture, whose violations are then shown under the fields they name.
"""

from __future__ import annotations

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
    citizen_id = forms.CharField(
        label=_("Depositor's CIN or IDCS"),
        max_length=16,
        help_text=_("With the receipt number, it lets the citizen follow the file at /status/."),
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
        value = str(self.cleaned_data["citizen_id"]).strip().upper()
        if not (rules.IDCS.fullmatch(value) or rules.CIN.fullmatch(value)):
            raise forms.ValidationError(
                _("A CIN (one or two capital letters and up to 6 digits) or an IDCS (10 digits).")
            )
        return value


def _sexes() -> list[tuple[str, Any]]:
    return [("", "—"), ("F", _("Female")), ("M", _("Male"))]


class PersonFields(forms.Form):
    """Names, sex and birth date: what every person on every form carries."""

    first_name_ar = forms.CharField(label=_("First name (Arabic)"), required=False)
    last_name_ar = forms.CharField(label=_("Last name (Arabic)"), required=False)
    first_name_lat = forms.CharField(label=_("First name (Latin letters)"), required=False)
    last_name_lat = forms.CharField(label=_("Last name (Latin letters)"), required=False)
    sex = forms.ChoiceField(label=_("Sex"), required=False, choices=_sexes)
    birth_date = forms.CharField(
        label=_("Birth date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class RegistrationForm(PersonFields):
    cin = forms.CharField(label=_("CIN"), required=False, max_length=8)
    nationality = forms.CharField(label=_("Nationality"), required=False, initial="MAR")
    address = forms.CharField(label=_("Address"), required=False)


class MemberForm(PersonFields):
    idcs = forms.CharField(label=_("IDCS"), required=False, max_length=10)
    relation = forms.ChoiceField(label=_("Relation"), required=False)
    _RELATIONS: tuple[str, ...] = rules.RSU_RELATIONS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "—"), *((r, RELATION_LABELS[r]) for r in self._RELATIONS)]
        self.fields["relation"].choices = choices

    def is_blank(self) -> bool:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return not any(str(v or "").strip() for v in data.values())


class BeneficiaryForm(MemberForm):
    _RELATIONS = rules.AMO_RELATIONS


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
    household_id = forms.CharField(label=_("RSU household identifier"), required=False)
    address = forms.CharField(label=_("Address"), required=False)
    area = forms.ChoiceField(label=_("Area of residence"), required=False)

    def __init__(self, *args: Any, updating: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", "—"), ("urban", _("Urban")), ("rural", _("Rural"))]
        if not updating:
            del self.fields["household_id"]
        for variable in asked():
            self.fields[f"answer_{variable.name}"] = forms.FloatField(
                label=_(variable.label),  # a message id from the formula's CSV file
                required=False,
                min_value=variable.minimum,
                max_value=variable.maximum,
                help_text=f"{variable.minimum:g} – {variable.maximum:g}",
                localize=True,
            )

    def answers(self) -> dict[str, float]:
        found = {}
        for variable in asked():
            value = self.cleaned_data.get(f"answer_{variable.name}")
            if value is not None:
                found[variable.name] = float(value)
        return found


class AmoHouseholdForm(forms.Form):
    household_id = forms.CharField(label=_("RSU household identifier"), required=False)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("What the citizen asks"), required=False, widget=forms.Textarea)


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the rejection"), max_length=500)
