"""The command line's tests read its default language, French, whatever the shell sets."""

from __future__ import annotations

import pytest

from sijill.cli.messages import ENV


@pytest.fixture(autouse=True)
def _default_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV, raising=False)
