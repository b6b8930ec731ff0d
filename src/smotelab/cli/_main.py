"""The ``smotelab`` command: resample, diagnose, recommend, compare, plot, demo.

Built on click (the ``cli`` extra). Every command reads a CSV or Parquet table, takes the
class column from ``--target`` and writes its outputs atomically (a temporary file in
the same folder, then a rename), so a failed run never leaves a half-written file.
Errors are one line on stderr with exit code 1 (``--debug`` shows the traceback); usage
errors exit with code 2; Ctrl-C (SIGINT) prints one line and exits with code 130.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Sequence
from typing import Any

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    try:
        import click
    except ImportError:
        print('smotelab: error: the command line needs click: pip install "smotelab[cli]"',
              file=sys.stderr)
        return 1
    from ._commands import cli

    # Ctrl-C raises past click (which would print a line of its own); every output is
    # written to a temporary file and renamed, so none is left half-written
    previous = _catch_sigint()
    try:
        result = cli.main(args=args, prog_name="smotelab", standalone_mode=False)
    except _Interrupted:
        print("smotelab: interrupted; no file was left half-written", file=sys.stderr)
        return 130
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.exceptions.Abort:
        print("smotelab: aborted", file=sys.stderr)
        return 1
    except click.ClickException as exc:  # usage errors: click's own message
        if debug:
            raise
        exc.show()
        return exc.exit_code
    except Exception as exc:  # one clear line, unless --debug
        if debug:
            raise
        message = " ".join(str(exc).split()) or type(exc).__name__
        print(f"smotelab: error: {message}", file=sys.stderr)
        return 1
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
    return result if isinstance(result, int) else 0


class _Interrupted(BaseException):
    """SIGINT during a command (not a KeyboardInterrupt, which click reports itself)."""


def _raise_interrupted(signum: int, frame: object) -> None:
    raise _Interrupted()


def _catch_sigint() -> Any:
    """Route SIGINT to :class:`_Interrupted`; the previous handler (None off the main
    thread, where signals cannot be handled)."""
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGINT, _raise_interrupted)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
