"""The API object: bearer-token auth by default, strict JSON, problem+json errors (each
declared in the OpenAPI document), the routers."""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from sijill.api import forms_ledger, openapi, problems, registers, scoring, status
from sijill.api.auth import BearerToken
from sijill.api.parsing import StrictJson


class Api(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        document = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        openapi.complete(document)
        return document


api = Api(
    title="sijill back office",
    version="1",
    description="Forms ledger and registers (RNP, RSU, AMO Tadamon) of a territory.",
    urls_namespace="api-v1",
    auth=BearerToken(),
    docs_url="/docs",
    parser=StrictJson(),
)
problems.install(api)
api.add_router("", forms_ledger.router)
api.add_router("", registers.router)
api.add_router("", status.router)
api.add_router("", scoring.router)
