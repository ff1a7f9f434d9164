"""The API object: bearer-token auth by default, problem+json errors, the routers."""

from __future__ import annotations

from ninja import NinjaAPI

from sijill.api import forms_ledger, problems, registers, scoring, status
from sijill.api.auth import BearerToken

api = NinjaAPI(
    title="sijill back office",
    version="1",
    description="Forms ledger and registers (RNP, RSU, AMO Tadamon) of a territory.",
    urls_namespace="api-v1",
    auth=BearerToken(),
    docs_url="/docs",
)
problems.install(api)
api.add_router("", forms_ledger.router)
api.add_router("", registers.router)
api.add_router("", status.router)
api.add_router("", scoring.router)
