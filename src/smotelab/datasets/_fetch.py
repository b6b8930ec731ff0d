"""fetch_datasets: the 27 imbalanced benchmark data sets imbalanced-learn fetches.

Ding (2011), "Diversified Ensemble Classifiers for Highly Imbalanced Data Learning and
their Application in Bioinformatics": 27 binary problems from UCI, LIBSVM and KDD,
imbalance ratios from 8.6:1 to 130:1, published as one archive on Zenodo (record 61452)
holding ``x{ID}data.npz`` files (arrays ``data`` and ``label``).

The download is careful: it streams into ``<cache>/zenodo/archive.tar.gz.part``, resumes
a broken download with an HTTP range request, checks the archive (gzip CRC, every member
a regular ``x{ID}data.npz`` with 2-D data and one label per row) before anything is
extracted, writes each data set through a temporary file renamed into place, and records
each file's SHA-256 in ``SHA256SUMS``, which every later load checks. Offline, the error
says where to put the archive or the files.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tarfile
import tempfile
import urllib.error
import urllib.request
from collections import OrderedDict
from numbers import Integral
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.datasets import get_data_home
from sklearn.utils import Bunch, check_random_state

__all__ = ["fetch_datasets"]

URL = "https://zenodo.org/record/61452/files/benchmark-imbalanced-learn.tar.gz"
_CHUNK = 1 << 20
_MEMBER = re.compile(r"^(?:\./)?x(\d+)data\.npz$")
NAMES = (
    "ecoli", "optical_digits", "satimage", "pen_digits", "abalone", "sick_euthyroid",
    "spectrometer", "car_eval_34", "isolet", "us_crime", "yeast_ml8", "scene",
    "libras_move", "thyroid_sick", "coil_2000", "arrhythmia", "solar_flare_m0", "oil",
    "car_eval_4", "wine_quality", "letter_img", "yeast_me2", "webpage", "ozone_level",
    "mammography", "protein_homo", "abalone_19",
)
ID_OF = {name: i + 1 for i, name in enumerate(NAMES)}


class DatasetDownloadError(OSError):
    """The benchmark archive could not be downloaded, read or checked."""


def _selection(filter_data: Any) -> list[str]:
    if filter_data is None:
        return list(NAMES)
    if not isinstance(filter_data, tuple | list):
        raise TypeError(f"filter_data must be a tuple of names or IDs; got "
                        f"{type(filter_data).__name__}.")
    chosen = []
    for item in filter_data:
        if isinstance(item, str):
            if item not in ID_OF:
                raise ValueError(f"{item} is not a dataset available. The available "
                                 f"datasets are {list(NAMES)}")
            chosen.append(item)
        elif isinstance(item, Integral) and not isinstance(item, bool):
            if not 1 <= int(item) <= len(NAMES):
                raise ValueError(f"The dataset with the ID={item} is not an available "
                                 f"dataset. The IDs are {range(1, len(NAMES) + 1)}")
            chosen.append(NAMES[int(item) - 1])
        else:
            raise ValueError("The value in the tuple should be str or int. Got "
                             f"{type(item)} instead.")
    return chosen


def _file(folder: Path, name: str) -> Path:
    return folder / f"x{ID_OF[name]}data.npz"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(_CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _read_sums(folder: Path) -> dict[str, str]:
    sums = folder / "SHA256SUMS"
    if not sums.exists():
        return {}
    pairs = (line.split() for line in sums.read_text().splitlines() if line.strip())
    return {name: digest for digest, name in pairs}


def _offline_help(folder: Path, reason: object) -> str:
    return (f"Could not download the benchmark data sets from {URL} ({reason}). Download "
            f"that archive yourself and save it as {folder / 'archive.tar.gz'}, or put its "
            f"x1data.npz ... x27data.npz files in {folder}; fetch_datasets then uses them.")


def _download(folder: Path, verbose: bool) -> Path:
    """The archive at ``folder/archive.tar.gz``, resuming a ``.part`` left by a failure."""
    final = folder / "archive.tar.gz"
    if final.exists():
        return final
    part = folder / "archive.tar.gz.part"
    have = part.stat().st_size if part.exists() else 0
    request = urllib.request.Request(URL, headers={"Range": f"bytes={have}-"} if have else {})
    if verbose:
        print(f"Downloading {URL}" + (f" (resuming at byte {have})" if have else ""))
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            resumed = have > 0 and response.status == 206
            with open(part, "ab" if resumed else "wb") as out:
                for block in iter(lambda: response.read(_CHUNK), b""):
                    out.write(block)
    except urllib.error.HTTPError as err:
        if err.code == 416 and have:  # the .part is already whole
            os.replace(part, final)
            return final
        raise DatasetDownloadError(_offline_help(folder, f"HTTP {err.code}")) from err
    except (urllib.error.URLError, OSError) as err:
        raise DatasetDownloadError(_offline_help(folder, getattr(err, "reason", err))) from err
    os.replace(part, final)
    return final


def _extract(archive: Path, folder: Path) -> None:
    """Check every member of the archive, then write each data set atomically."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            members: dict[int, bytes] = {}
            for member in tar.getmembers():
                match = _MEMBER.match(member.name.rsplit("/", 1)[-1])
                handle = tar.extractfile(member) if match and member.isfile() else None
                if match and handle is not None:
                    members[int(match.group(1))] = handle.read()
    except (tarfile.TarError, EOFError, OSError) as err:
        archive.unlink(missing_ok=True)  # a corrupt archive is not kept: download again
        raise DatasetDownloadError(
            f"The downloaded archive {archive} is damaged ({err}); it was removed, so the "
            "next call downloads it again.") from err
    missing = sorted(set(range(1, len(NAMES) + 1)) - set(members))
    if missing:
        raise DatasetDownloadError(
            f"The archive {archive} lacks data sets {missing} (x<ID>data.npz); it is not the "
            f"benchmark archive of {URL}.")
    for i, blob in members.items():
        with np.load(io.BytesIO(blob)) as data:
            X, y = data["data"], data["label"]
        if X.ndim != 2 or y.ndim != 1 or len(X) != len(y):
            raise DatasetDownloadError(
                f"x{i}data.npz in {archive} holds data of shape {X.shape} and labels of shape "
                f"{y.shape}; expected a 2-D array with one label per row.")
    sums = _read_sums(folder)
    for i, blob in sorted(members.items()):
        if i > len(NAMES):
            continue
        target = folder / f"x{i}data.npz"
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".x{i}data.", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(blob)
        os.replace(tmp, target)
        sums[target.name] = hashlib.sha256(blob).hexdigest()
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".SHA256SUMS.", suffix=".tmp")
    with os.fdopen(fd, "w") as fh:
        fh.writelines(f"{digest}  {name}\n" for name, digest in sorted(sums.items()))
    os.replace(tmp, folder / "SHA256SUMS")


def _load(path: Path, sums: dict[str, str]) -> tuple[np.ndarray, np.ndarray]:
    expected = sums.get(path.name)
    if expected is not None and _sha256(path) != expected:
        raise DatasetDownloadError(
            f"{path} does not match the checksum recorded when it was extracted (in "
            f"{path.parent / 'SHA256SUMS'}); delete it and call fetch_datasets again.")
    with np.load(path) as data:
        return data["data"], data["label"]


def fetch_datasets(*, data_home=None, filter_data=None, download_if_missing=True,
                   random_state=None, shuffle=False, verbose=False):
    """Load the 27 imbalanced benchmark data sets, downloading them once if needed.

    The same data sets, names, IDs and ``Bunch`` fields as imbalanced-learn's
    ``fetch_datasets``; the download is resumable, checked and atomic (see the module
    notes).

    Parameters
    ----------
    data_home : str or path-like, default=None
        Cache folder; scikit-learn's data home (``~/scikit_learn_data``) when None. The
        files go to its ``zenodo`` sub-folder.
    filter_data : tuple of str or int, default=None
        Names or IDs (1-27) of the data sets to load; all when None.
    download_if_missing : bool, default=True
        Download the archive when a data set is not in the cache; when False, a missing
        data set raises ``OSError``.
    random_state : int, RandomState or None, default=None
        Seed of the row shuffle (with ``shuffle=True``).
    shuffle : bool, default=False
        Shuffle the rows of each data set.
    verbose : bool, default=False
        Print what is downloaded.

    Returns
    -------
    datasets : OrderedDict of Bunch
        Keyed by name, in the order asked; each ``Bunch`` has ``data`` (2-D array),
        ``target`` (labels, -1 for the majority and 1 for the minority class) and
        ``DESCR`` (the name).

    Examples
    --------
    >>> from smotelab.datasets import fetch_datasets
    >>> ecoli = fetch_datasets(filter_data=("ecoli",))["ecoli"]  # doctest: +SKIP
    >>> ecoli.data.shape  # doctest: +SKIP
    (336, 7)
    """
    if not isinstance(download_if_missing, bool) or not isinstance(shuffle, bool):
        raise TypeError("download_if_missing and shuffle must be booleans.")
    chosen = _selection(filter_data)
    folder = Path(get_data_home(data_home=data_home)) / "zenodo"
    if any(not _file(folder, name).exists() for name in chosen):
        if not download_if_missing:
            raise OSError(f"Data not found and `download_if_missing` is False (looked in "
                          f"{folder} for x<ID>data.npz).")
        folder.mkdir(parents=True, exist_ok=True)
        _extract(_download(folder, verbose), folder)
    sums = _read_sums(folder)
    datasets: OrderedDict[str, Bunch] = OrderedDict()
    for name in chosen:
        X, y = _load(_file(folder, name), sums)
        if shuffle:
            order = np.arange(X.shape[0])
            check_random_state(random_state).shuffle(order)
            X, y = X[order], y[order]
        datasets[name] = Bunch(data=X, target=y, DESCR=name)
    return datasets
