"""Typer's own words — usage line, help panels, usage errors — in the command line's language.

Typer writes its frame in English: the panel titles of `--help`, the "Usage:" line, and the
messages of a mistyped command line ("Missing option '--rnp'."). They are what a data
manager meets first, so they go through the same catalogue as sijill's own messages
(the gettext catalogues of sijill.i18n). Typer has no hook for this: its module-level texts
are replaced, and its error printer is wrapped to translate each message before it is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from types import MethodType
from typing import TYPE_CHECKING, Any

import typer.rich_utils as rich

from sijill.cli.messages import t, translate

if TYPE_CHECKING:
    from typer._click.exceptions import ClickException

# Typer's module-level texts, read by its printers each time they print.
_FRAME = {
    "ARGUMENTS_PANEL_TITLE": "Arguments",
    "OPTIONS_PANEL_TITLE": "Options",
    "COMMANDS_PANEL_TITLE": "Commands",
    "ERRORS_PANEL_TITLE": "Error",
    "ABORTED_TEXT": "Aborted.",
    "REQUIRED_LONG_STRING": "[required]",
    "DEFAULT_STRING": "[default: {}]",
    "RICH_HELP": "Try [blue]'{command_path} {help_option}'[/] for help.",
}
_ORIGINAL_PRINTER = rich.rich_format_error


def _said(english: str, translated: Callable[[str], str] = t) -> str:
    """The text in the current language; English while SIJILL_CLI_LANGUAGE is not valid
    (the root command reports that setting, and must be able to print its own usage)."""
    try:
        return translated(english)
    except ValueError:
        return english


def _translated_error(self: ClickException) -> None:
    """Typer's `rich_format_error` (whose signature it keeps), translating the message."""
    message = _said(self.format_message(), translate)
    self.format_message = lambda: message  # type: ignore[method-assign]  # this error only
    _ORIGINAL_PRINTER(self)


def install() -> None:
    """Typer's texts in the current language, for this process (run again after a change)."""
    for name, english in _FRAME.items():
        setattr(rich, name, t(english))
    rich.rich_format_error = _translated_error


def _format_usage(command: Any, ctx: Any, formatter: Any) -> None:
    pieces = command.collect_usage_pieces(ctx)
    formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=_said("Usage: "))


def _help_option(command: Any, ctx: Any) -> Any:
    option = type(command).get_help_option(command, ctx)
    if option is not None:
        option.help = _said("Show this message and exit.")
    return option


def translate_usage(command: Any) -> None:
    """The command's "Usage:" line and `--help` option in the current language."""
    command.format_usage = MethodType(_format_usage, command)
    command.get_help_option = MethodType(_help_option, command)
