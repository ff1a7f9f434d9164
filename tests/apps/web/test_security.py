"""Issue 16, item 12: a Content-Security-Policy on every answer, templates it allows (no
inline script or style), and HSTS that is off until SIJILL_HSTS_SECONDS turns it on."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

import sijill

PACKAGE = Path(sijill.__file__).parent
# Rendered into PDFs by WeasyPrint (sijill.documents.pdf), never served to a browser.
PDF_ONLY = {"dashboards/print.html", "dashboards/_funnel_print.html", "intake/receipt_pdf.html"}
INLINE = {
    "a <style> element": re.compile(r"<style[\s>]", re.I),
    "a style attribute": re.compile(r"\sstyle\s*=", re.I),
    "an event handler attribute": re.compile(r"\son[a-z]+\s*=", re.I),
    "an inline <script>": re.compile(r"<script(?![^>]*\ssrc=)(?![^>]*type=\"application/json\")"),
    "a javascript: URL": re.compile(r"javascript:", re.I),
}


def _templates() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("templates/**/*.html"))


def test_no_served_template_needs_an_inline_script_or_style() -> None:
    found = []
    for path in _templates():
        name = str(path).split("/templates/", 1)[1]
        if name in PDF_ONLY:
            continue
        text = path.read_text(encoding="utf-8")
        found += [f"{name}: {what}" for what, pattern in INLINE.items() if pattern.search(text)]
    assert len(_templates()) > 30
    assert found == []


POLICY = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/status/", "/accounts/login/", "/api/v1/docs", "/nowhere/"])
def test_every_answer_carries_the_policy(path: str) -> None:
    answer = Client().get(path)
    policy = answer["Content-Security-Policy"]
    assert {part.strip() for part in policy.split(";")} >= POLICY
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert answer["X-Frame-Options"] == "DENY"
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert answer["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_hsts_is_off_unless_asked(settings: Any) -> None:
    assert "Strict-Transport-Security" not in Client().get("/status/", secure=True)
    settings.SECURE_HSTS_SECONDS = 31536000
    answer = Client().get("/status/", secure=True)
    assert answer["Strict-Transport-Security"] == "max-age=31536000"


def _settings_with(tmp_path: Path, **env: str) -> str:
    code = (
        "from sijill.web import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, "
        "getattr(s, 'SECURE_PROXY_SSL_HEADER', None), s.SIJILL_UPLOAD_MAX_BYTES)"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SIJILL_", "DATABASE_"))}
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "SIJILL_DATA_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    return (done.stdout + done.stderr).strip()


def test_the_hsts_and_upload_settings_come_from_the_environment(tmp_path: Path) -> None:
    assert _settings_with(tmp_path) == f"0 False None {100 * 2**20}"
    hsts = _settings_with(tmp_path, SIJILL_HSTS_SECONDS="31536000", SIJILL_UPLOAD_MAX_MB="5")
    assert hsts == f"31536000 True None {5 * 2**20}"
    proxied = _settings_with(tmp_path, SIJILL_HSTS_SECONDS="600", SIJILL_PROXIES="1")
    assert proxied.startswith("600 True ('HTTP_X_FORWARDED_PROTO', 'https')")
    assert "SIJILL_HSTS_SECONDS='a year'" in _settings_with(tmp_path, SIJILL_HSTS_SECONDS="a year")
    assert "SIJILL_UPLOAD_MAX_MB='0'" in _settings_with(tmp_path, SIJILL_UPLOAD_MAX_MB="0")
