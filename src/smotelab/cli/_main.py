"""The ``smotelab`` command: resample, diagnose, recommend, compare, plot, demo.

Built on click (the ``cli`` extra). Every command reads a CSV or Parquet table, takes the
class column from ``--target`` and writes its outputs atomically (a temporary file in
the same folder, then a rename), so a failed run never leaves a half-written file.
Errors are one line on stderr with exit code 1 (``--debug`` shows the traceback); usage
errors exit with code 2.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

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

    try:
        result = cli.main(args=args, prog_name="smotelab", standalone_mode=False)
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
    return result if isinstance(result, int) else 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
