"""Output folders that appear whole or not at all.

A job writes into a hidden sibling folder that is renamed over the output at the end: a
reader of the output folder sees the previous complete result or the new complete result,
never a mix, and a failed job leaves nothing behind.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _swap_in(work: Path, out: Path) -> None:
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    if out.exists():
        out.rename(old)
    work.rename(out)
    shutil.rmtree(old, ignore_errors=True)


@contextmanager
def staged_output(out: Path) -> Iterator[Path]:
    """Yield the folder to write in; it replaces `out` when the block ends without error."""
    work = out.with_name(f".{out.name}.partial-{os.getpid()}")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        yield work
        shutil.rmtree(work / ".spill", ignore_errors=True)
        _swap_in(work, out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
