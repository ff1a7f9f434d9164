"""`makemessages` that also finds the command line's and the engine's message ids.

Django's own finds `_()`, `gettext*()` and templates; sijill also marks words with `t()`
(the command line), `Message()` (the engine and the domain) and `gettext_noop()` (the
vocabulary). One catalogue per language holds them all (sijill.i18n):

    cd src/sijill && python -m django makemessages --all --no-location --no-obsolete
"""

from __future__ import annotations

from typing import ClassVar

from django.core.management.commands import makemessages

KEYWORDS = ["--keyword=t", "--keyword=Message"]


class Command(makemessages.Command):
    xgettext_options: ClassVar[list[str]] = [*makemessages.Command.xgettext_options, *KEYWORDS]
