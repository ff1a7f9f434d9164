"""The three registers, shaped like the contract's extracts (spec/extracts.md).

`annex_code` is a plain indexed text, not a foreign key: the contract lets a row name an
annex that is not (yet) a territory, and the register must keep it as written. Scoping
(sijill.territories.scope) only ever shows such rows to national users.
"""

from __future__ import annotations

from django.db import models

from sijill.domain.contract import AMO_RELATIONS, AMO_STATUSES, RSU_RELATIONS, SEXES

# CNSS's decision on a beneficiary (the vocabulary's `decisions`).
ACCEPTED, REJECTED = "accepted", "rejected"
DECISIONS: tuple[str, ...] = (ACCEPTED, REJECTED)


def _choices(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(v, v) for v in values]


class PersonFields(models.Model):
    first_name_ar = models.TextField()
    last_name_ar = models.TextField()
    first_name_lat = models.TextField()
    last_name_lat = models.TextField()
    sex = models.CharField(max_length=1, choices=_choices(SEXES))
    birth_date = models.DateField()

    class Meta:
        abstract = True


class Person(PersonFields):
    """One person of the National Population Register."""

    idcs = models.CharField(max_length=10, unique=True)
    cin = models.CharField(max_length=8, null=True, blank=True, db_index=True)
    nationality = models.CharField(max_length=3)
    annex_code = models.TextField(db_index=True)
    address = models.TextField()
    registered_at = models.DateTimeField()
    deceased = models.BooleanField(default=False)

    class Meta:
        ordering = ("idcs",)

    def __str__(self) -> str:
        return f"person {self.pk}"  # never a name or an identifier: this may reach a log


class Household(models.Model):
    """An RSU household; its annex, address and score are the household's, not a member's."""

    household_id = models.TextField(unique=True)
    annex_code = models.TextField(db_index=True)
    address = models.TextField()
    score = models.FloatField()

    class Meta:
        ordering = ("household_id",)

    def __str__(self) -> str:
        return f"household {self.pk}"


class Member(PersonFields):
    """A row of the RSU: a person as declared in a household."""

    member_id = models.TextField(unique=True)
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    # As recorded in the RSU: may be missing or wrong, so not a foreign key to Person.
    idcs = models.TextField(null=True, blank=True, db_index=True)
    relation = models.CharField(max_length=16, choices=_choices(RSU_RELATIONS))
    declared_at = models.DateTimeField()

    class Meta:
        ordering = ("member_id",)

    def __str__(self) -> str:
        return f"member {self.pk}"


class AmoFile(models.Model):
    """An AMO Tadamon enrollment file (one per household)."""

    amo_file_id = models.TextField(unique=True)
    # The household the file declares, as written: it may not exist in the RSU.
    household_id = models.TextField(db_index=True)
    annex_code = models.TextField(db_index=True)
    status = models.CharField(max_length=24, choices=_choices(AMO_STATUSES), db_index=True)
    deposited_at = models.DateTimeField()
    validated_at = models.DateTimeField(null=True, blank=True)
    transmitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("amo_file_id",)

    def __str__(self) -> str:
        return f"AMO file {self.pk}"


class Beneficiary(PersonFields):
    """A person an AMO file asks coverage for, and CNSS's decision on them.

    CNSS decides per beneficiary (contract v1.1): an accepted file may refuse some of its
    beneficiaries, each with its reason; every beneficiary of a rejected file is refused.
    `decision` is None until the file is decided; `rejection_reason` is the contract's
    column, as exchanged (sijill.intake.cnss writes `code: note`).
    """

    beneficiary_id = models.TextField(unique=True)
    file = models.ForeignKey(AmoFile, on_delete=models.CASCADE, related_name="beneficiaries")
    idcs = models.TextField(null=True, blank=True, db_index=True)
    relation = models.CharField(max_length=16, choices=_choices(AMO_RELATIONS))
    decision = models.CharField(
        max_length=16, choices=_choices(DECISIONS), null=True, blank=True, db_index=True
    )
    rejection_reason = models.TextField(null=True, blank=True)

    class Meta:
        ordering = ("beneficiary_id",)
        verbose_name_plural = "beneficiaries"

    def __str__(self) -> str:
        return f"beneficiary {self.pk}"
