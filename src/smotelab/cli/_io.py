"""Reading tables and writing files for the command line: formats, checks, atomic writes."""

from __future__ import annotations

import difflib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["check_writable", "read_table", "split_target", "write_atomic", "write_table"]

_READERS = {".csv": ",", ".tsv": "\t", ".parquet": None, ".pq": None}


class CommandError(ValueError):
    """A problem with the command's files or values, reported as one line."""


def _pandas() -> Any:
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas comes with the cli extra
        raise CommandError('reading tables needs pandas: pip install "smotelab[cli]"') from None
    return pd


def read_table(path: str) -> Any:
    """A CSV (.csv, .tsv) or Parquet (.parquet, .pq) file as a pandas DataFrame."""
    p = Path(path)
    suffix = p.suffix.lower()
    if p.is_dir():
        raise CommandError(f"cannot read {path!r}: it is a directory")
    if suffix not in _READERS:
        raise CommandError(f"cannot read {path!r}: unknown format {suffix or '(none)'!r}; "
                           "use .csv, .tsv or .parquet")
    if not p.is_file():
        raise CommandError(f"cannot read {path!r}: no such file")
    pd = _pandas()
    try:
        if _READERS[suffix] is None:
            return pd.read_parquet(p)
        return pd.read_csv(p, sep=_READERS[suffix])
    except ImportError as exc:
        raise CommandError(f"cannot read {path!r}: {exc}") from None
    except UnicodeDecodeError:
        raise CommandError(f"cannot read {path!r}: {_encoding_problem(p)}") from None
    except Exception as exc:  # noqa: BLE001 - any parser failure is one clear line
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise CommandError(f"cannot read {path!r}: {first}") from None


def _encoding_problem(path: Path) -> str:
    """Where a text file stops being UTF-8: line, column and the byte, with the fix."""
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        column = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        return (f"line {line}, column {column} is not UTF-8 (byte 0x{data[err.start]:02x}); "
                "save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)")
    return "the file is not valid UTF-8; save it as UTF-8"


def split_target(df: Any, target: str) -> tuple[Any, Any]:
    """``(X, y)``: every column but ``target``, and ``target``."""
    if target not in df.columns:
        cols = [str(c) for c in df.columns]
        close = difflib.get_close_matches(target, cols, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        shown = ", ".join(map(repr, cols[:12])) + (" ..." if len(cols) > 12 else "")
        raise CommandError(f"target column {target!r} is not in the table (columns: {shown})."
                           + hint)
    if df.shape[1] < 2:
        raise CommandError(f"the table has only the target column {target!r}; no features.")
    return df.drop(columns=[target]), df[target]


def check_writable(path: str, suffixes: tuple[str, ...]) -> Path:
    """Check, before any work, that ``path`` can be written with one of ``suffixes``."""
    p = Path(path)
    if p.suffix.lower() not in suffixes:
        raise CommandError(f"cannot write {path!r}: use a file name ending in "
                           + " or ".join(suffixes))
    folder = p.parent if str(p.parent) else Path(".")
    if p.is_dir():
        raise CommandError(f"cannot write {path!r}: it is a directory")
    if not folder.is_dir():
        raise CommandError(f"cannot write {path!r}: folder {str(folder)!r} does not exist")
    if not os.access(folder, os.W_OK) or (p.exists() and not os.access(p, os.W_OK)):
        raise CommandError(f"cannot write {path!r}: permission denied")
    return p


def write_atomic(path: Path, write: Callable[[str], None]) -> None:
    """Call ``write(tmp_name)`` on a temporary file beside ``path``, then rename it.

    Readers never see a partial file; on failure the temporary file is removed and
    ``path`` is left as it was.
    """
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=path.suffix)
    os.close(fd)
    try:
        write(tmp)
        # mkstemp makes the file private; give it the mode a plain open() would
        if path.exists():
            mode = path.stat().st_mode & 0o777
        else:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_table(df: Any, path: Path) -> None:
    """Write a DataFrame as CSV or Parquet (by the suffix), atomically."""
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        write_atomic(path, lambda tmp: df.to_parquet(tmp, index=False))
    else:
        sep = "\t" if suffix == ".tsv" else ","
        write_atomic(path, lambda tmp: df.to_csv(tmp, index=False, sep=sep))
