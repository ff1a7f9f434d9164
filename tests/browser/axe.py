"""axe-core through Playwright: the accessibility rules of WCAG 2.x A and AA, run in the page.

axe-core's script comes with the `axe-playwright-python` package (pinned in
constraints.txt), read from disk: nothing is downloaded when the tests run. It is evaluated
through the DevTools protocol, which the Content-Security-Policy does not govern, so the
pages keep their policy while they are checked.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Page

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@functools.cache
def _script() -> str:
    """axe-core's own file, as the package ships it."""
    return resources.files("axe_playwright_python").joinpath("axe.min.js").read_text("utf-8")


def violations(page: Page) -> list[str]:
    """Each rule axe finds broken on the page: `rule (impact): the first elements`."""
    page.evaluate(_script())
    options = {"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]}
    found: dict[str, Any] = page.evaluate("options => axe.run(document, options)", options)
    return [
        f"{v['id']} ({v['impact']}): " + "; ".join(str(node["target"]) for node in v["nodes"][:3])
        for v in found["violations"]
    ]


def overflows(page: Page) -> bool:
    """Whether the page is wider than the window (a horizontal scroll bar)."""
    return bool(
        page.evaluate(
            "document.documentElement.scrollWidth > document.documentElement.clientWidth + 1"
        )
    )
