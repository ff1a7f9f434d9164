"""Arabic dates as Moroccan administration writes them: always day, month, year — never the
month first (Django's Arabic module leaves the date-and-time formats to the US defaults) —,
24-hour times, Western digits, and the month names of Morocco (يناير ... دجنبر).

The month names are the catalogues' (`date`'s `F` reads Django's message ids "January" ...
"December"): the Arabic catalogue gives them Moroccan words, the ids are listed below so
that the catalogues' extraction finds them. Short dates are 05/12/2026, one left-to-right
run of digits inside Arabic text.
"""

from django.utils.translation import gettext_noop

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y، H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%d %H:%M"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\u202f"  # a narrow no-break space, as sijill.i18n.formats groups counts
NUMBER_GROUPING = 3

# Django's ids of the month names, which the catalogues translate (Moroccan in Arabic).
MONTHS = (
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
)
