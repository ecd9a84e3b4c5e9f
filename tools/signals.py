"""Signals: SIGINT, SIGTERM and SIGHUP stop the process the way an exception does, so every
``finally`` and context manager on the way out runs (shadow databases dropped, servers stopped,
temp directories and half-written files removed), whenever the signal arrives.

* The first signal raises ``Interrupted`` (a ``SystemExit`` with code 128 + the signal number)
  in the main thread. It is a SystemExit rather than a KeyboardInterrupt so that click does
  not turn it into "Aborted!" and psycopg still cancels a running query (it does for both).
* Every later signal is ignored: the process is already on its way out, and a second Ctrl-C
  in the middle of the cleanup is what used to leave half a shadow directory behind. SIGKILL
  still stops it at once.
* ``deferred()`` holds a signal back for the few statements that must run together (link a
  finished file into place and record that it exists); it takes effect when the block ends.

``install()`` is called first thing by the command line; library callers (tests, benchmarks)
get the same behaviour for the length of a block with ``handlers()``.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from collections.abc import Iterator

SIGNALS = tuple(s for s in (getattr(signal, n, None) for n in ("SIGINT", "SIGTERM", "SIGHUP"))
                if s is not None)


class Interrupted(SystemExit):
    """A signal asked the process to stop."""

    def __init__(self, signum: int):
        super().__init__(128 + signum)
        self.signum = signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name


class _State:
    stopping: int | None = None  # the signal that is stopping the process
    deferring = 0  # depth of deferred() blocks in the main thread
    pending: int | None = None


_state = _State()


def _handler(signum, frame) -> None:
    if _state.stopping is not None:
        return  # already stopping: let the cleanup finish
    if _state.deferring:
        _state.pending = _state.pending or signum
        return
    _state.stopping = signum
    raise Interrupted(signum)


def install() -> bool:
    """Route SIGINT/SIGTERM/SIGHUP through ``_handler`` for the rest of the process (main
    thread only; returns whether it could)."""
    if threading.current_thread() is not threading.main_thread():
        return False
    for sig in SIGNALS:
        try:
            signal.signal(sig, _handler)
        except (ValueError, OSError):  # pragma: no cover - unusual embedding
            return False
    return True


@contextlib.contextmanager
def handlers() -> Iterator[None]:
    """``install()`` for the length of the block, restoring the previous handlers after it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.getsignal(sig) for sig in SIGNALS}
    already = all(h is _handler for h in previous.values())
    install()
    try:
        yield
    finally:
        if not already:
            for sig, handler in previous.items():
                with contextlib.suppress(ValueError, OSError, TypeError):
                    signal.signal(sig, handler)
            if _state.stopping is not None and not already:
                _state.stopping = None  # a library caller may go on after the block


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Statements that must not be separated by a signal (main thread; elsewhere a no-op,
    since Python delivers signals to the main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _state.deferring += 1
    try:
        yield
    finally:
        _state.deferring -= 1
        if not _state.deferring and _state.pending is not None and _state.stopping is None:
            signum, _state.pending = _state.pending, None
            _state.stopping = signum
            raise Interrupted(signum)


def ignore_in_worker() -> None:
    """For worker processes (eval's pool): Ctrl-C at the terminal reaches every process of the
    group; the parent decides and stops the workers with SIGTERM, which still interrupts."""
    with contextlib.suppress(ValueError, OSError):
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    _state.stopping = None
    install_only = [s for s in SIGNALS if s != signal.SIGINT]
    for sig in install_only:
        with contextlib.suppress(ValueError, OSError):
            signal.signal(sig, _handler)


def stopping() -> bool:
    return _state.stopping is not None


def report(exc: Interrupted) -> None:
    """The one line a stopped command prints."""
    sys.stderr.write(f"interrupted ({exc.name})\n")
