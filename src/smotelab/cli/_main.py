"""Entry point of the ``smotelab`` command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="smotelab",
        description="Resampling for imbalanced classification: SMOTE and friends, exact and fast.",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo = sub.add_parser(
        "demo",
        help="resample the bundled dragons data set and compare samplers by cross-validation",
        description=(
            "Load the bundled farm data (thousands of sheep, cows and horses, 48 dragons), "
            "print the class counts before and after SMOTE, and a cross-validated table of "
            "no resampling vs RandomOverSampler vs SMOTE, each inside a Pipeline so no "
            "synthetic row reaches a test fold."
        ),
    )
    demo.add_argument("--folds", type=int, default=5, help="cross-validation folds (default 5)")
    demo.add_argument("--random-state", type=int, default=0, help="seed (default 0)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        if args.command == "demo":
            from ._demo import run_demo

            run_demo(folds=args.folds, random_state=args.random_state)
        return 0
    except Exception as exc:  # one clear line, unless --debug
        if args.debug:
            raise
        print(f"smotelab: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
