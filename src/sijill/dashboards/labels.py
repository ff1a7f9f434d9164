"""Labels of the pages that are not the report's: levels, indicators, table headers."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sijill.dashboards import funnel

LEVELS: dict[str, Promise] = {
    "national": _("national"),
    "region": _("region"),
    "province": _("province"),
    "commune": _("commune"),
    "annex": _("annex"),
}
INDICATORS: dict[str, Promise] = {
    "SINGLE_PERSON_SHARE": _("Single-person households"),
    "STALE_PENDING_SHARE": _("Files pending validation too long"),
    "AMO_RSU_DISCREPANCY_RATE": _("AMO beneficiaries differing from the RSU"),
}
EXTRA_COLUMNS: dict[str, Promise] = {
    "flagged_annexes": _("Flagged annexes"),
    "split_households": _("Households in split suspects"),
    "amo_pending_stale": _("Files pending validation too long"),
    "amo_sla_breached": _("Files past CNSS's deadline"),
}


def child_headers() -> list[tuple[str, object]]:
    """(sort key, header) of the children table, in its column order."""
    return [
        ("code", _("Code")),
        ("name", _("Territory")),
        ("rnp_persons", funnel.STEPS[0].label),
        *((s.gap, s.gap_label) for s in funnel.GAPS),
        *EXTRA_COLUMNS.items(),
    ]
