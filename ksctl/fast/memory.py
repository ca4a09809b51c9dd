"""Running without the cyclic garbage collector while a registry is read and checked.

Standard library only. Loading makes millions of objects and no cycles worth collecting; at
20,000 files the collector's repeated passes over them took a third to a half of
validation's time (measured). The fast path's entry points (`ksctl.fast.answer`,
`ksctl.fast.validate`) pause it once; the command line, a short-lived process, turns it off
for its whole run. Nothing is frozen: in a long-lived process that uses ksctl as a library,
what a run leaves behind is collected as usual afterwards.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic collector for the block (a nested pause is a no-op)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
