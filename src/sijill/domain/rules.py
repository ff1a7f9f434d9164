"""Validation gates: the rules a form must pass before a register changes, as data.

Each rule has a code and an Arabic and a French message that names the field concerned.
A gate returns every violation it finds (a clerk fixes a form once, not once per error),
never raises on bad input, and needs no database: the caller passes what the registers
hold about the people concerned.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sijill.domain import contract
from sijill.domain.names import name_key

# The contract's formats and enumerations: what a form accepts, its registers accept.
IDCS = re.compile(contract.IDCS_PATTERN)
CIN = re.compile(contract.CIN_PATTERN)
ISO3 = re.compile(contract.ISO3_PATTERN)
SEXES = contract.SEXES
RSU_RELATIONS = contract.RSU_RELATIONS
AMO_RELATIONS = contract.AMO_RELATIONS
# The AMO relation each RSU relation becomes in an enrollment file.
AMO_RELATION_OF = {"head": "insured", "spouse": "spouse", "child": "child"}

OLDEST_BIRTH = dt.date(1900, 1, 1)
ADULT = 18  # head and spouse (Family Code, art. 19)
GENERATION = 12  # minimum age gap between a parent and a child
_ARABIC_LETTER = re.compile(r"[\u0621-\u064A\u0671-\u06D3]")
_LATIN_NAME = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ' \-]*")


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    ar: str
    fr: str


# Field labels, as the counter forms print them.
FIELDS: dict[str, tuple[str, str]] = {
    "idcs": ("المعرف المدني والاجتماعي الرقمي", "identifiant civil et social (IDCS)"),
    "cin": ("رقم البطاقة الوطنية", "numéro de CIN"),
    "first_name_ar": ("الاسم الشخصي بالعربية", "prénom en arabe"),
    "last_name_ar": ("الاسم العائلي بالعربية", "nom en arabe"),
    "first_name_lat": ("الاسم الشخصي بالحروف اللاتينية", "prénom en lettres latines"),
    "last_name_lat": ("الاسم العائلي بالحروف اللاتينية", "nom en lettres latines"),
    "name_ar": ("الاسم الكامل بالعربية", "nom complet en arabe"),
    "sex": ("الجنس", "sexe"),
    "birth_date": ("تاريخ الازدياد", "date de naissance"),
    "nationality": ("الجنسية", "nationalité"),
    "relation": ("صلة القرابة", "lien de parenté"),
    "members": ("أفراد الأسرة", "membres du ménage"),
    "beneficiaries": ("المستفيدون", "bénéficiaires"),
    "household_id": ("معرف الأسرة", "identifiant du ménage"),
    "score": ("المؤشر السوسيو-اقتصادي", "indice socio-économique"),
    "area": ("وسط الإقامة", "milieu de résidence"),
    "address": ("العنوان", "adresse"),
    "rejection_reason": ("سبب الرفض", "motif du rejet"),
}

_RULES = (
    Rule("required", "الحقل «{field}» إجباري.", "Le champ « {field} » est obligatoire."),
    Rule(
        "idcs_format",
        "يجب أن يتكون «{field}» من 10 أرقام بالضبط.",
        "Le champ « {field} » doit compter exactement 10 chiffres.",
    ),
    Rule(
        "cin_format",
        "«{field}»: حرف أو حرفان كبيران متبوعان بـ 1 إلى 6 أرقام.",
        "Le champ « {field} » : une ou deux majuscules suivies de 1 à 6 chiffres.",
    ),
    Rule(
        "iso3_format",
        "«{field}»: رمز من 3 أحرف كبيرة (MAR للمغاربة).",
        "Le champ « {field} » : un code de 3 majuscules (MAR pour les Marocains).",
    ),
    Rule(
        "choice",
        "قيمة «{field}» غير مقبولة؛ القيم الممكنة: {allowed}.",
        "Valeur du champ « {field} » non admise ; valeurs possibles : {allowed}.",
    ),
    Rule(
        "arabic_script",
        "يجب كتابة «{field}» بالحروف العربية.",
        "Le champ « {field} » doit être écrit en lettres arabes.",
    ),
    Rule(
        "latin_script",
        "يجب كتابة «{field}» بالحروف اللاتينية كما في البطاقة الوطنية.",
        "Le champ « {field} » doit être écrit en lettres latines, comme sur la CIN.",
    ),
    Rule(
        "date_future",
        "«{field}» لا يمكن أن يكون في المستقبل.",
        "Le champ « {field} » ne peut pas être dans le futur.",
    ),
    Rule(
        "date_too_old",
        "«{field}» سابق لسنة 1900.",
        "Le champ « {field} » est antérieur à 1900.",
    ),
    Rule(
        "no_members",
        "يجب أن تضم «{field}» فردًا واحدًا على الأقل.",
        "Le champ « {field} » doit compter au moins une personne.",
    ),
    Rule(
        "one_head",
        "«{field}»: يجب أن تضم الأسرة ربّ أسرة واحدًا بالضبط (العدد الحالي: {count}).",
        "Champ « {field} » : le ménage doit avoir exactement un chef de ménage ({count} trouvé).",
    ),
    Rule(
        "one_insured",
        "«{field}»: يجب أن يضم الملف مؤمَّنًا رئيسيًا واحدًا بالضبط (العدد الحالي: {count}).",
        "Champ « {field} » : le dossier doit avoir exactement un assuré principal ({count}).",
    ),
    Rule(
        "adult",
        "«{field}»: يجب ألا يقل عمر ربّ الأسرة أو الزوج(ة) عن {years} سنة.",
        "Champ « {field} » : le chef de ménage et le conjoint doivent avoir au moins {years} ans.",
    ),
    Rule(
        "younger_than_head",
        "«{field}»: يجب أن يصغر هذا الفرد ربَّ الأسرة بـ {years} سنة على الأقل.",
        "Champ « {field} » : cette personne doit avoir au moins {years} ans de moins "
        "que le chef de ménage.",
    ),
    Rule(
        "older_than_head",
        "«{field}»: يجب أن يكبر الأب أو الأم ربَّ الأسرة بـ {years} سنة على الأقل.",
        "Champ « {field} » : un parent doit avoir au moins {years} ans de plus "
        "que le chef de ménage.",
    ),
    Rule(
        "duplicate_person",
        "«{field}»: هذا الشخص مسجل مرتين.",
        "Champ « {field} » : cette personne figure deux fois.",
    ),
    Rule(
        "not_in_rnp",
        "«{field}»: لا يوجد هذا الشخص في السجل الوطني للسكان؛ يجب تسجيله أولًا.",
        "Champ « {field} » : personne absente du RNP ; elle doit d'abord y être inscrite.",
    ),
    Rule(
        "deceased",
        "«{field}»: هذا الشخص متوفى حسب السجل الوطني للسكان.",
        "Champ « {field} » : cette personne est décédée selon le RNP.",
    ),
    Rule(
        "differs_from_rnp",
        "«{field}» يختلف عما هو مسجل في السجل الوطني للسكان.",
        "Le champ « {field} » diffère de celui inscrit au RNP.",
    ),
    Rule(
        "in_other_household",
        "«{field}»: هذا الشخص فرد في أسرة أخرى بالسجل الاجتماعي الموحد.",
        "Champ « {field} » : cette personne appartient déjà à un autre ménage du RSU.",
    ),
    Rule(
        "household_unknown",
        "«{field}»: هذه الأسرة غير موجودة في السجل الاجتماعي الموحد.",
        "Champ « {field} » : ce ménage n'existe pas au RSU.",
    ),
    Rule(
        "above_threshold",
        "«{field}» ({score}) يفوق عتبة الاستحقاق ({threshold}).",
        "Le champ « {field} » ({score}) dépasse le seuil d'éligibilité ({threshold}).",
    ),
    Rule(
        "not_a_member",
        "«{field}»: هذا المستفيد ليس فردًا في الأسرة بالسجل الاجتماعي الموحد.",
        "Champ « {field} » : ce bénéficiaire n'est pas membre du ménage au RSU.",
    ),
    Rule(
        "member_missing",
        "«{field}»: فرد من الأسرة غير مدرج ضمن المستفيدين.",
        "Champ « {field} » : un membre du ménage manque parmi les bénéficiaires.",
    ),
    Rule(
        "answer",
        "«{field}»: الجواب عن «{variable_ar}» ناقص أو خارج المجال المسموح به.",
        "Champ « {field} » : réponse « {variable_fr} » manquante ou hors des bornes admises.",
    ),
    Rule(
        "differs_from_rsu",
        "«{field}» يختلف عما هو مصرح به في السجل الاجتماعي الموحد.",
        "Le champ « {field} » diffère de la déclaration au RSU.",
    ),
)
RULES: dict[str, Rule] = {rule.code: rule for rule in _RULES}
_ROW_PREFIX = {"ar": "الفرد {row}: ", "fr": "Personne {row} : "}


@dataclass(frozen=True, slots=True)
class Violation:
    rule: str
    field: str
    row: int | None = None  # 1-based position among members/beneficiaries
    params: tuple[tuple[str, str], ...] = ()

    def message(self, language: str) -> str:
        rule, label = RULES[self.rule], FIELDS[self.field]
        index = 0 if language == "ar" else 1
        text = (rule.ar, rule.fr)[index].format(field=label[index], **dict(self.params))
        if self.row is None:
            return text
        return _ROW_PREFIX["ar" if index == 0 else "fr"].format(row=self.row) + text

    def as_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "field": self.field,
            "row": self.row,
            "message_ar": self.message("ar"),
            "message_fr": self.message("fr"),
        }


@dataclass(frozen=True, slots=True)
class PersonRow:
    """A person as written on a form: an RNP registration, an RSU member, an AMO beneficiary."""

    first_name_ar: str = ""
    last_name_ar: str = ""
    first_name_lat: str = ""
    last_name_lat: str = ""
    sex: str = ""
    birth_date: dt.date | None = None
    idcs: str | None = None
    relation: str = ""
    cin: str | None = None
    nationality: str = "MAR"


@dataclass(frozen=True, slots=True)
class Registered:
    """What the RNP holds about a person, for comparison with a form."""

    idcs: str
    first_name_ar: str
    last_name_ar: str
    sex: str
    birth_date: dt.date
    deceased: bool = False


@dataclass(frozen=True, slots=True)
class Household:
    """What the RSU holds about a household, for an AMO request."""

    household_id: str
    score: float
    members: tuple[PersonRow, ...]


def age(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


# --- one person ------------------------------------------------------------------------


def person_gate(person: PersonRow, today: dt.date, row: int | None = None) -> list[Violation]:
    """Names, sex and birth date of anyone on any form."""
    found = _names(person, row)
    if person.sex not in SEXES:
        found.append(_choice("sex", SEXES, row))
    found += _birth_date(person.birth_date, today, row)
    return found


def registration_gate(person: PersonRow, today: dt.date) -> list[Violation]:
    """An RNP registration: the person, plus CIN and nationality (the IDCS is assigned)."""
    found = person_gate(person, today)
    if person.cin is not None and not CIN.fullmatch(person.cin):
        found.append(Violation("cin_format", "cin"))
    if not ISO3.fullmatch(person.nationality or ""):
        found.append(Violation("iso3_format", "nationality"))
    return found


def _names(person: PersonRow, row: int | None) -> list[Violation]:
    found: list[Violation] = []
    for field in ("first_name_ar", "last_name_ar", "first_name_lat", "last_name_lat"):
        value = (getattr(person, field) or "").strip()
        if not value:
            found.append(Violation("required", field, row))
        elif field.endswith("_ar") and not _is_arabic(value):
            found.append(Violation("arabic_script", field, row))
        elif field.endswith("_lat") and not _LATIN_NAME.fullmatch(value):
            found.append(Violation("latin_script", field, row))
    return found


def _is_arabic(value: str) -> bool:
    return bool(_ARABIC_LETTER.search(value)) and not re.search(r"[A-Za-z]", value)


def _birth_date(birth: dt.date | None, today: dt.date, row: int | None) -> list[Violation]:
    if birth is None:
        return [Violation("required", "birth_date", row)]
    if birth > today:
        return [Violation("date_future", "birth_date", row)]
    if birth < OLDEST_BIRTH:
        return [Violation("date_too_old", "birth_date", row)]
    return []


def _choice(field: str, allowed: Sequence[str], row: int | None) -> Violation:
    return Violation("choice", field, row, (("allowed", ", ".join(allowed)),))


def _idcs(idcs: str | None, row: int | None) -> list[Violation]:
    if not idcs:
        return [Violation("required", "idcs", row)]
    if not IDCS.fullmatch(idcs):
        return [Violation("idcs_format", "idcs", row)]
    return []


# --- an RSU household -------------------------------------------------------------------


def household_gate(
    members: Sequence[PersonRow],
    today: dt.date,
    rnp: Mapping[str, Registered],
    household_of: Mapping[str, str],
    household_id: str | None = None,
) -> list[Violation]:
    """An RSU declaration or update.

    `rnp` holds the RNP rows of the members' identifiers; `household_of` maps identifiers to
    the household they belong to today; `household_id` is the household being updated.
    """
    if not members:
        return [Violation("no_members", "members")]
    found: list[Violation] = []
    seen: set[str] = set()
    for row, member in enumerate(members, start=1):
        found += person_gate(member, today, row)
        found += _member(member, row, rnp, household_of, household_id)
        if member.idcs and member.idcs in seen:
            found.append(Violation("duplicate_person", "idcs", row))
        seen.add(member.idcs or "")
    heads = [m for m in members if m.relation == "head"]
    if len(heads) != 1:
        found.append(Violation("one_head", "relation", None, (("count", str(len(heads))),)))
    elif _dated(heads[0], today):
        found += _ages(members, heads[0], today)
    return found


def _member(
    member: PersonRow,
    row: int,
    rnp: Mapping[str, Registered],
    household_of: Mapping[str, str],
    household_id: str | None,
) -> list[Violation]:
    found = _idcs(member.idcs, row)
    if member.relation not in RSU_RELATIONS:
        found.append(_choice("relation", RSU_RELATIONS, row))
    if found or member.idcs is None:
        return found
    registered = rnp.get(member.idcs)
    if registered is None:
        return [Violation("not_in_rnp", "idcs", row)]
    if registered.deceased:
        found.append(Violation("deceased", "idcs", row))
    found += [Violation("differs_from_rnp", f, row) for f in _differences(member, registered)]
    other = household_of.get(member.idcs)
    if other is not None and other != household_id:
        found.append(Violation("in_other_household", "idcs", row))
    return found


def _differences(row: PersonRow, other: Registered | PersonRow) -> list[str]:
    """Fields where two records of one person disagree (the contract's *field mismatch*)."""
    fields = []
    if name_key(row.first_name_ar, row.last_name_ar) != name_key(
        other.first_name_ar, other.last_name_ar
    ):
        fields.append("name_ar")
    if row.sex != other.sex:
        fields.append("sex")
    if row.birth_date != other.birth_date:
        fields.append("birth_date")
    return fields


def _dated(person: PersonRow, today: dt.date) -> bool:
    return person.birth_date is not None and OLDEST_BIRTH <= person.birth_date <= today


def _ages(members: Sequence[PersonRow], head: PersonRow, today: dt.date) -> list[Violation]:
    assert head.birth_date is not None
    head_age = age(head.birth_date, today)
    found: list[Violation] = []
    for row, member in enumerate(members, start=1):
        if not _dated(member, today) or member.birth_date is None:
            continue
        gap = head_age - age(member.birth_date, today)
        problem = _age_problem(member.relation, age(member.birth_date, today), gap)
        if problem:
            found.append(Violation(problem[0], "birth_date", row, (("years", str(problem[1])),)))
    return found


def _age_problem(relation: str, member_age: int, gap: int) -> tuple[str, int] | None:
    if relation in ("head", "spouse") and member_age < ADULT:
        return ("adult", ADULT)
    if relation == "child" and gap < GENERATION:
        return ("younger_than_head", GENERATION)
    if relation == "grandchild" and gap < 2 * GENERATION:
        return ("younger_than_head", 2 * GENERATION)
    if relation == "parent" and -gap < GENERATION:
        return ("older_than_head", GENERATION)
    return None


# --- an AMO Tadamon request -------------------------------------------------------------


def amo_gate(
    beneficiaries: Sequence[PersonRow], household: Household | None, threshold: float
) -> list[Violation]:
    """An AMO request: the beneficiaries are the RSU household, as declared, and it qualifies."""
    if household is None:
        return [Violation("household_unknown", "household_id")]
    found: list[Violation] = []
    if household.score > threshold:
        params = (("score", f"{household.score:g}"), ("threshold", f"{threshold:g}"))
        found.append(Violation("above_threshold", "score", None, params))
    if not beneficiaries:
        return [*found, Violation("no_members", "beneficiaries")]
    insured = sum(1 for b in beneficiaries if b.relation == "insured")
    if insured != 1:
        found.append(Violation("one_insured", "relation", None, (("count", str(insured)),)))
    members = {m.idcs: m for m in household.members if m.idcs}
    for row, beneficiary in enumerate(beneficiaries, start=1):
        found += _beneficiary(beneficiary, row, members)
    listed = {b.idcs for b in beneficiaries}
    for row, member in enumerate(household.members, start=1):
        if member.idcs not in listed:
            found.append(Violation("member_missing", "members", row))
    return found


def _beneficiary(
    beneficiary: PersonRow, row: int, members: Mapping[str, PersonRow]
) -> list[Violation]:
    found = _idcs(beneficiary.idcs, row)
    if beneficiary.relation not in AMO_RELATIONS:
        found.append(_choice("relation", AMO_RELATIONS, row))
    if found or beneficiary.idcs is None:
        return found
    member = members.get(beneficiary.idcs)
    if member is None:
        return [Violation("not_a_member", "idcs", row)]
    found += [Violation("differs_from_rsu", f, row) for f in _differences(beneficiary, member)]
    if beneficiary.relation != AMO_RELATION_OF.get(member.relation, "other"):
        found.append(Violation("differs_from_rsu", "relation", row))
    return found
