"""Logging that never writes a citizen's identifier: request lines lose their query string.

The public status look-up takes the citizen's CIN or IDCS as `?id=`; a server's access log
would otherwise keep it in clear, next to the receipt.
"""

from __future__ import annotations

import logging
import re

_QUERY = re.compile(r"\?[^\s\"]*")


class WithoutQueryStrings(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = _QUERY.sub("", record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_QUERY.sub("", a) if isinstance(a, str) else a for a in record.args)
        return True
