"""Typer's own words — usage line, help panels, usage errors — in the command line's language.

Typer writes its frame in English: the panel titles of `--help`, the "Usage:" line, and the
messages of a mistyped command line ("Missing option '--rnp'."). They are what a data
manager meets first, so they go through the same catalogue as sijill's own messages
(the gettext catalogues of sijill.i18n). Typer has no hook for this: its module-level texts
are replaced, and its error printer is wrapped to translate each message before it is shown
(click composes those messages: `translate` recognises them; everything else is a literal
message id of this module).
"""

from __future__ import annotations

import re
from contextlib import suppress
from functools import cache
from types import MethodType
from typing import TYPE_CHECKING, Any

import typer.rich_utils as rich

from sijill import i18n
from sijill.cli.messages import language, shown, t
from sijill.domain.message import Message
from sijill.domain.vocabulary import gettext_noop

if TYPE_CHECKING:
    from typer._click.exceptions import ClickException

_ORIGINAL_PRINTER = rich.rich_format_error
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
# The messages click composes that the catalogues know, as click words them: `translate`
# matches an error against these templates and fills in the catalogue's words.
CLICK_MESSAGES = (
    gettext_noop("Missing option '{option}'."),
    gettext_noop("Missing argument '{argument}'."),
    gettext_noop("Missing command."),
    gettext_noop("No such command '{command}'."),
    gettext_noop("No such command '{command}'. Did you mean {suggestion}?"),
    gettext_noop("No such option: {option}"),
    gettext_noop("No such option: {option} Did you mean {suggestion}?"),
    gettext_noop("No such option: {option} (Possible options: {options})"),
    gettext_noop("Option '{option}' requires an argument."),
    gettext_noop("Got unexpected extra argument(s) ({arguments})"),
    gettext_noop("Invalid value for '{option}': {reason}"),
    gettext_noop("Input should be a valid integer, unable to parse string as an integer"),
    gettext_noop("Input should be a valid number, unable to parse string as a number"),
    gettext_noop("Value error, '{value}' does not match the formats '%Y-%m-%d'."),
)


def _frame() -> dict[str, str]:
    """Typer's module-level texts, read by its printers each time they print."""
    return {
        "ARGUMENTS_PANEL_TITLE": t("Arguments"),
        "OPTIONS_PANEL_TITLE": t("Options"),
        "COMMANDS_PANEL_TITLE": t("Commands"),
        "ERRORS_PANEL_TITLE": t("Error"),
        "ABORTED_TEXT": t("Aborted."),
        "REQUIRED_LONG_STRING": t("[required]"),
        "DEFAULT_STRING": t("[default: {}]"),
        "RICH_HELP": t("Try [blue]'{command_path} {help_option}'[/] for help."),
    }


def _said(message: Message) -> str:
    """The message in the current language; English while SIJILL_CLI_LANGUAGE is not valid
    (the root command reports that setting, and must be able to print its own usage)."""
    try:
        return shown(message)
    except ValueError:
        return str(message)


def translate(text: str) -> str:
    """A message click composed, in the current language: the catalogue's words for the
    template of CLICK_MESSAGES it matches (its values translated too), else unchanged."""
    words = i18n.translator(language())
    if text in CLICK_MESSAGES:
        return words(text, None)
    for template, pattern in _patterns():
        found = pattern.fullmatch(text)
        if found:
            values = {name: translate(value) for name, value in found.groupdict().items()}
            return words(template, None).format(**values)
    return text


@cache
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    """CLICK_MESSAGES with placeholders as patterns, the longest literal text first."""
    found = []
    for template in CLICK_MESSAGES:
        parts = _PLACEHOLDER.split(template)
        if len(parts) > 1:
            regex = "".join(
                re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts)
            )
            found.append((template, re.compile(regex, re.DOTALL)))
    return sorted(found, key=lambda item: -len(_PLACEHOLDER.sub("", item[0])))


def _translated_error(self: ClickException) -> None:
    """Typer's `rich_format_error` (whose signature it keeps), translating the message."""
    message = self.format_message()  # click's words, composed by click
    with suppress(ValueError):  # SIJILL_CLI_LANGUAGE is not valid: click's English
        message = translate(message)
    self.format_message = lambda: message  # type: ignore[method-assign]  # this error only
    _ORIGINAL_PRINTER(self)


def install() -> None:
    """Typer's texts in the current language, for this process (run again after a change)."""
    for name, text in _frame().items():
        setattr(rich, name, text)
    rich.rich_format_error = _translated_error


def _format_usage(command: Any, ctx: Any, formatter: Any) -> None:
    pieces = command.collect_usage_pieces(ctx)
    formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=_said(Message("Usage: ")))


def _help_option(command: Any, ctx: Any) -> Any:
    option = type(command).get_help_option(command, ctx)
    if option is not None:
        option.help = _said(Message("Show this message and exit."))
    return option


def translate_usage(command: Any) -> None:
    """The command's "Usage:" line and `--help` option in the current language."""
    command.format_usage = MethodType(_format_usage, command)
    command.get_help_option = MethodType(_help_option, command)
