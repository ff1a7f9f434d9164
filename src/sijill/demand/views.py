"""The demand page: a territory's forms over a period (`?code=`, `?first=`, `?last=`),
counted live from the ledger, every table downloadable (`?table=NAME&format=csv|xlsx`).

Scoped like every page: a territory outside the user's subtree is a 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sijill.demand import statistics, tables
from sijill.demand.statistics import BANDS, Period
from sijill.documents import downloads
from sijill.domain import vocabulary
from sijill.territories.models import Territory

DEFAULT_DAYS = 365  # a year of deposits, up to today


class PeriodForm(forms.Form):
    # A date input takes and gives ISO dates whatever the page's language.
    first = forms.DateField(
        label=_("From"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    last = forms.DateField(
        label=_("To"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if data.get("first") and data.get("last") and data["first"] > data["last"]:
            raise forms.ValidationError(_("The first day comes after the last one."))
        return data


def _period(request: HttpRequest, today: dt.date) -> tuple[PeriodForm, Period]:
    default = Period(today - dt.timedelta(days=DEFAULT_DAYS - 1), today)
    asked = "first" in request.GET or "last" in request.GET
    initial = {"first": default.first, "last": default.last}
    form = PeriodForm(request.GET if asked else None, initial=initial)
    if asked and form.is_valid():
        return form, Period(form.cleaned_data["first"], form.cleaned_data["last"])
    return form, default


def _table(name: str, label: str, demand: statistics.Demand, names: dict[str, Any]) -> Any:
    if name == "backlog":
        return tables.backlog_table(label, demand)
    if name == "delays":
        return tables.delays_table(label, demand)
    if name == "reasons":
        return tables.reasons_table(label, demand)
    if name == "territories":
        return tables.territories_table(label, demand.places, names)
    return tables.deposits_table(label, demand)


def demand(request: HttpRequest) -> HttpResponse:
    try:
        code = statistics.scoped_code(request.user, request.GET.get("code"))
    except LookupError:
        raise Http404 from None
    today = timezone.localdate()
    form, period = _period(request, today)
    found = statistics.measure_live(code, period, today)
    names = {t.code: t for t in Territory.objects.filter(code__in=[p.code for p in found.places])}
    label = code or "ALL"
    asked = request.GET.get("table", "deposits")
    export = downloads.if_asked(request, _table(asked, label, found, names))
    if export is not None:
        return export
    shown = Territory.objects.filter(code=code).first() if code else None
    context = {
        "form": form,
        "demand": found,
        "shown": shown,
        "code": label,
        "query": f"code={label}&first={period.first.isoformat()}&last={period.last.isoformat()}",
        "deposits": tables.deposits_table(label, found).rows,
        "channels": list(vocabulary.CHANNELS),
        "bands": [tables.BAND_WORDS[b] for b, _low, _high in BANDS],
        "backlog": tables.backlog_table(label, found).rows,
        "delays": tables.delays_table(label, found).rows,
        "cnss_reasons": [(tables.cnss_reason(r), n) for r, n in found.cnss_reasons],
        "places": [(p, names.get(p.code or "")) for p in found.places],
        "above": shown.parent_id if shown is not None else None,
        "national": request.user.territory_code is None,
    }
    return render(request, "demand/demand.html", context)
