"""The interchange contract (docs/extracts.md) as data: one place names every column and rule.

Readers, validators, writers, the form gates and the synthetic generator all take their
schema from here; the words of its enumerations and outputs are the vocabulary's.
"""

from __future__ import annotations

from dataclasses import dataclass

from sijill.domain import vocabulary

IDCS_PATTERN = r"^[0-9]{10}$"
CIN_PATTERN = r"^[A-Z]{1,2}[0-9]{1,6}$"
ISO3_PATTERN = r"^[A-Z]{3}$"

# Enumerations whose words are the vocabulary's: the codes are listed there once.
LEVELS = tuple(code for code in vocabulary.LEVELS if code != "national")
SEXES = ("F", "M")
RSU_RELATIONS = ("head", "spouse", "child", "parent", "sibling", "grandchild", "other")
AMO_RELATIONS = ("insured", "spouse", "child", "other")
AMO_STATUSES = tuple(vocabulary.AMO_STATUSES)

# Kinds of column value. "string" columns keep text exactly (identifiers keep leading zeros).
STRING, DATE, TIMESTAMP, BOOLEAN, FLOAT = "string", "date", "timestamp", "boolean", "float"


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    kind: str = STRING
    nullable: bool = False
    pattern: str | None = None
    values: tuple[str, ...] | None = None
    unique: bool = False


@dataclass(frozen=True, slots=True)
class GroupRule:
    """A column whose value is the same on every row sharing `key` (a household's score).

    A warning where the contract implies it without saying it: the reconciliation then
    takes the group's first row (see docs/reconcile.md).
    """

    key: str
    column: str
    warning_only: bool = False


@dataclass(frozen=True, slots=True)
class Extract:
    name: str
    columns: tuple[Column, ...]
    same_within: tuple[GroupRule, ...] = ()

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)


# The person fields shared by the three registers, in contract order.
PERSON_FIELDS = (
    Column("first_name_ar"),
    Column("last_name_ar"),
    Column("first_name_lat"),
    Column("last_name_lat"),
    Column("sex", values=SEXES),
    Column("birth_date", DATE),
)


TERRITORIES = Extract(
    "territories",
    (
        Column("code", unique=True),
        Column("parent_code", nullable=True),
        Column("level", values=LEVELS),
        Column("name_ar"),
        Column("name_fr"),
    ),
)

RNP = Extract(
    "rnp",
    (
        Column("idcs", pattern=IDCS_PATTERN, unique=True),
        Column("cin", nullable=True, pattern=CIN_PATTERN),
        *PERSON_FIELDS,
        Column("nationality", pattern=ISO3_PATTERN),
        Column("annex_code"),
        Column("address"),
        Column("registered_at", TIMESTAMP),
        Column("deceased", BOOLEAN),
    ),
)

# rsu/amo carry the identifier "as recorded", which may be missing or wrong: no pattern check,
# because a mistyped identifier is a finding of the reconciliation, not a broken file.
_recorded_idcs = Column("idcs", nullable=True)

RSU = Extract(
    "rsu",
    (
        Column("member_id", unique=True),
        Column("household_id"),
        _recorded_idcs,
        Column("relation", values=RSU_RELATIONS),
        *PERSON_FIELDS,
        Column("annex_code"),
        Column("address"),
        Column("score", FLOAT),
        Column("declared_at", TIMESTAMP),
    ),
    same_within=(
        GroupRule("household_id", "score"),
        GroupRule("household_id", "annex_code", warning_only=True),
    ),
)

AMO = Extract(
    "amo",
    (
        Column("beneficiary_id", unique=True),
        Column("amo_file_id"),
        Column("household_id"),
        _recorded_idcs,
        Column("relation", values=AMO_RELATIONS),
        *PERSON_FIELDS,
        Column("annex_code"),
        Column("status", values=AMO_STATUSES),
        Column("rejection_reason", nullable=True),
        Column("deposited_at", TIMESTAMP),
        Column("validated_at", TIMESTAMP, nullable=True),
        Column("transmitted_at", TIMESTAMP, nullable=True),
        Column("decided_at", TIMESTAMP, nullable=True),
    ),
    same_within=(
        GroupRule("amo_file_id", "status"),
        *(
            GroupRule("amo_file_id", column, warning_only=True)
            for column in (
                "household_id",
                "annex_code",
                "deposited_at",
                "validated_at",
                "transmitted_at",
                "decided_at",
            )
        ),
    ),
)

EXTRACTS: dict[str, Extract] = {e.name: e for e in (TERRITORIES, RNP, RSU, AMO)}

DEFAULT_THRESHOLD = 9.3264284
DEFAULT_VALIDATION_DAYS = 1
DEFAULT_CNSS_DAYS = 30

# The `funnel` output: counted columns in the contract's order, then every column (the
# derived rnp_not_in_rsu and rsu_single_share included); its terms are the vocabulary's.
FUNNEL_COUNTS = vocabulary.FUNNEL_COUNTS
FUNNEL_COLUMNS = tuple(vocabulary.FUNNEL)
# The columns of the other outputs.
FINDING_COLUMNS = (
    "kind", "source", "row_id", "idcs", "household_id", "amo_file_id", "annex_code", "detail",
)  # fmt: skip
# Beside the contract's columns, findings carry their detail as a message id and its
# parameters (JSON), so that pages can say it in their own language (docs/reconcile.md).
DETAIL_COLUMNS = ("detail_id", "detail_params")
SPLIT_COLUMNS = ("cluster_id", "household_id", "idcs", "annex_code", "reason")
LINK_COLUMNS = ("source", "row_id", "row_idcs", "candidate_idcs", "match_probability")
# The `findings` output's kinds, and the funnel column each counted kind matches.
FINDING_KINDS = tuple(vocabulary.FINDINGS)
COUNTED_BY = vocabulary.COUNTED_BY

# The `funnel` row of the whole country: code 'ALL', level 'national'.
NATIONAL_CODE = "ALL"
NATIONAL_LEVEL = "national"
