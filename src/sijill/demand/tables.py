"""The demand's tables as data (`downloads.Table`), in the reader's language, for download:
the same rows as the page, numbers plain for the machines that read them."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sijill.demand.statistics import BANDS, WAITING, Demand, Place
from sijill.documents.downloads import Table, named
from sijill.documents.words import place, words
from sijill.domain import vocabulary

BAND_WORDS = {
    "days_0_1": gettext_lazy("0 to 1 day"),
    "days_2_7": gettext_lazy("2 to 7 days"),
    "days_8_30": gettext_lazy("8 to 30 days"),
    "days_31_90": gettext_lazy("31 to 90 days"),
    "days_over_90": gettext_lazy("More than 90 days"),
}
NAMES = ("deposits", "backlog", "delays", "reasons", "territories")


def deposits_table(code: str, demand: Demand) -> Table:
    channels = tuple(vocabulary.CHANNELS)
    columns = ("kind", *channels, "total")
    headers = (_("Kind of form"), *(words(c, "channels") for c in channels), _("Total"))
    rows = []
    for kind in vocabulary.FORM_KINDS:
        counts = [demand.deposits.get((kind, c), 0) for c in channels]
        rows.append((words(kind, "form_kinds"), *counts, sum(counts)))
    totals = [sum(demand.deposits.get((k, c), 0) for k in vocabulary.FORM_KINDS) for c in channels]
    rows.append((_("Total"), *totals, sum(totals)))
    return Table(named(code, _("deposits")), columns, headers, rows)


def backlog_table(code: str, demand: Demand) -> Table:
    bands = tuple(b for b, _low, _high in BANDS)
    columns = ("status", *bands, "total")
    headers = (_("Waiting at"), *(str(BAND_WORDS[b]) for b in bands), _("Total"))
    rows = []
    for status in WAITING:  # in the order forms move
        counts = demand.backlog.get(status)
        if counts is not None:
            rows.append((words(status, "form_statuses"), *counts, sum(counts)))
    return Table(named(code, _("backlog")), columns, headers, rows)


def delays_table(code: str, demand: Demand) -> Table:
    columns = ("deadline", "done", "due", "share")
    headers = (_("Deadline"), _("In time"), _("Due"), _("Share in time"))
    rows: list[tuple[Any, ...]] = [
        (_("Validated within one day"), demand.validation.done, demand.validation.due,
         demand.validation.value),
        (_("Decided by CNSS within 30 days"), demand.cnss.done, demand.cnss.due,
         demand.cnss.value),
    ]  # fmt: skip
    return Table(named(code, _("delays")), columns, headers, rows)


def reasons_table(code: str, demand: Demand) -> Table:
    columns = ("by", "rank", "reason", "count")
    headers = (_("Refused by"), _("Rank"), _("Reason"), _("Count"))
    rows: list[tuple[Any, ...]] = []
    for rank, (text, n) in enumerate(demand.local_reasons, start=1):
        rows.append((_("Local authority"), rank, text, n))
    for rank, (reason, n) in enumerate(demand.cnss_reasons, start=1):
        rows.append(("CNSS", rank, cnss_reason(reason), n))
    return Table(named(code, _("reasons")), columns, headers, rows)


def cnss_reason(reason: str) -> str:
    """A reason of CNSS's list in words; a text of its own as it is."""
    return words(reason, "rejection_reasons") if reason in vocabulary.REJECTION_REASONS else reason


def territories_table(code: str, places: list[Place], names: dict[str, Any]) -> Table:
    columns = ("code", "name", "deposits", "waiting", "validation_share", "cnss_share")
    headers = (
        _("Code"),
        _("Territory"),
        _("Deposits"),
        _("Not finished"),
        _("Share validated within one day"),
        _("Share decided by CNSS within 30 days"),
    )
    rows = [
        (p.code or "", place(names.get(p.code or "")) if p.code else _("No known annex"),
         p.deposits, p.waiting, p.validation.value, p.cnss.value)
        for p in places
    ]  # fmt: skip
    return Table(named(code, _("territories")), columns, headers, rows)
