"""Every browser test fails on a Content-Security-Policy violation: Chromium reports each
one on the page's console ("Refused to ... because it violates the following Content
Security Policy directive"), so that a page that needs an inline script or style, or a
file from elsewhere, is caught by whichever test opens it (issue 16, item 12)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import ConsoleMessage, Page


@pytest.fixture
def page(page: Page) -> Iterator[Page]:
    """tests/conftest.py's page, watched for the policy's refusals."""
    refused: list[str] = []

    def watch(message: ConsoleMessage) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            refused.append(f"{page.url}: {message.text}")

    page.on("console", watch)
    yield page
    if refused:
        pytest.fail("the Content-Security-Policy refused:\n" + "\n".join(refused))
