"""Reference data held in memory for a short time on busy paths.

Small, rarely edited tables that a busy request reads every time (the working-day
calendar, event categories, jurisdictions, Open311 clients, regions) are read through a
function decorated with ``@reference(watch=...)``: its answers are kept per process, an
edit of a watched model in this process clears them at once (``post_save`` /
``post_delete``), and other processes see the edit within ``seconds`` (the answers are
keyed by a time bucket). Bulk writes that send no signals (region loading) are seen
after the same delay; ``clear_all()`` forgets everything (tests, loaders).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import lru_cache, wraps
from typing import Any, ParamSpec, TypeVar

from django.db.models.signals import post_delete, post_save

P = ParamSpec("P")
R = TypeVar("R")

REFRESH_SECONDS = 60
_clearers: list[Callable[[], None]] = []


def clear_all() -> None:
    for clear in _clearers:
        clear()


def reference(
    *, watch: tuple[str, ...], seconds: int = REFRESH_SECONDS, maxsize: int = 4096
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Keep ``fn``'s answers for up to ``seconds``; forget them when a model named in
    ``watch`` ("app_label.ModelName") is saved or deleted in this process."""

    def decorate(fn: Callable[P, R]) -> Callable[P, R]:
        @lru_cache(maxsize=maxsize)
        def kept(_bucket: int, *args: Any) -> R:
            return fn(*args)  # type: ignore[call-arg]

        @wraps(fn)
        def read(*args: P.args, **kwargs: P.kwargs) -> R:
            if kwargs:
                raise TypeError("reference data functions take positional arguments only")
            return kept(int(time.monotonic() // seconds), *args)

        def forget(**_: Any) -> None:
            kept.cache_clear()

        for label in watch:
            post_save.connect(forget, sender=label, weak=False)
            post_delete.connect(forget, sender=label, weak=False)
        _clearers.append(kept.cache_clear)
        read.cache_clear = kept.cache_clear  # type: ignore[attr-defined]
        return read

    return decorate
