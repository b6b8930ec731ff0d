"""fetch_datasets against a local HTTP server that serves an archive in the real format."""

import http.server
import io
import tarfile
import threading

import numpy as np
import pytest

from smotelab.datasets import _fetch, fetch_datasets

N_SETS = 27


def _archive(n_sets=N_SETS, rows=lambda i: 10 + i):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for i in range(1, n_sets + 1):
            blob = io.BytesIO()
            rng = np.random.default_rng(i)
            n = rows(i)
            np.savez(blob, data=rng.normal(size=(n, 3)),
                     label=np.where(np.arange(n) < 3, 1, -1))
            info = tarfile.TarInfo(f"x{i}data.npz")
            info.size = blob.getbuffer().nbytes
            blob.seek(0)
            tar.addfile(info, blob)
    return buffer.getvalue()


class _Server:
    """Serves ``payload`` at /archive.tar.gz on the loopback address, with ranges."""

    def __init__(self, payload):
        self.payload = payload
        self.requests = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append(self.headers.get("Range"))
                body, status = server.payload, 200
                asked = self.headers.get("Range")
                if asked:
                    start = int(asked.split("=")[1].rstrip("-"))
                    body, status = server.payload[start:], 206
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/archive.tar.gz"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server(monkeypatch):
    srv = _Server(_archive())
    monkeypatch.setattr(_fetch, "URL", srv.url)
    yield srv
    srv.close()


def test_downloads_once_then_reads_the_cache(server, tmp_path):
    """Check all 27 data sets arrive with imbalanced-learn's names and Bunch fields."""
    sets = fetch_datasets(data_home=str(tmp_path))
    assert list(sets) == list(_fetch.NAMES) and len(sets) == N_SETS
    ecoli = sets["ecoli"]
    assert set(ecoli) == {"data", "target", "DESCR"}
    assert ecoli.DESCR == "ecoli" and ecoli.data.shape == (11, 3)
    assert sorted(np.unique(ecoli.target).tolist()) == [-1, 1]
    assert len(server.requests) == 1
    server.close()  # offline now: the cache is enough
    again = fetch_datasets(data_home=str(tmp_path), filter_data=("abalone_19", 1))
    assert list(again) == ["abalone_19", "ecoli"]
    np.testing.assert_array_equal(again["ecoli"].data, ecoli.data)
    folder = tmp_path / "zenodo"
    assert not list(folder.glob("*.tmp")) and not list(folder.glob("*.part"))
    assert len((folder / "SHA256SUMS").read_text().splitlines()) == N_SETS


def test_filter_data_and_shuffle(server, tmp_path):
    """Check names and IDs select, and shuffling follows random_state."""
    a = fetch_datasets(data_home=str(tmp_path), filter_data=(5,), shuffle=True,
                       random_state=0)["abalone"]
    b = fetch_datasets(data_home=str(tmp_path), filter_data=("abalone",), shuffle=True,
                       random_state=0)["abalone"]
    plain = fetch_datasets(data_home=str(tmp_path), filter_data=("abalone",))["abalone"]
    np.testing.assert_array_equal(a.data, b.data)
    assert not np.array_equal(a.data, plain.data)
    assert sorted(map(tuple, a.data)) == sorted(map(tuple, plain.data))
    with pytest.raises(ValueError, match="not a dataset available"):
        fetch_datasets(data_home=str(tmp_path), filter_data=("toast",))
    with pytest.raises(ValueError, match="ID=28"):
        fetch_datasets(data_home=str(tmp_path), filter_data=(28,))
    with pytest.raises(ValueError, match="str or int"):
        fetch_datasets(data_home=str(tmp_path), filter_data=(1.5,))


def test_no_download_when_told_not_to(server, tmp_path):
    """Check download_if_missing=False raises OSError and fetches nothing."""
    with pytest.raises(OSError, match="download_if_missing"):
        fetch_datasets(data_home=str(tmp_path), download_if_missing=False)
    assert server.requests == []


def test_a_broken_download_resumes_where_it_stopped(server, tmp_path):
    """Check a .part file left by a failure is continued with a range request."""
    folder = tmp_path / "zenodo"
    folder.mkdir()
    cut = len(server.payload) // 3
    (folder / "archive.tar.gz.part").write_bytes(server.payload[:cut])
    sets = fetch_datasets(data_home=str(tmp_path), filter_data=("oil",))
    assert server.requests == [f"bytes={cut}-"]
    assert sets["oil"].data.shape == (28, 3)


def test_offline_error_says_where_to_put_the_files(monkeypatch, tmp_path):
    """Check an unreachable server gives an OSError naming the URL and the cache paths."""
    srv = _Server(b"")
    url = srv.url
    srv.close()  # nothing listens there any more
    monkeypatch.setattr(_fetch, "URL", url)
    with pytest.raises(OSError, match="archive.tar.gz") as err:
        fetch_datasets(data_home=str(tmp_path))
    assert str(tmp_path / "zenodo") in str(err.value) and url in str(err.value)
    assert not list((tmp_path / "zenodo").glob("x*data.npz"))


def test_a_damaged_archive_is_removed_and_nothing_extracted(monkeypatch, tmp_path):
    """Check a corrupt archive raises, leaves no data set behind, and is fetched anew."""
    payload = _archive()
    srv = _Server(payload[: len(payload) // 2] + b"\0" * 100)
    monkeypatch.setattr(_fetch, "URL", srv.url)
    try:
        with pytest.raises(OSError, match="damaged"):
            fetch_datasets(data_home=str(tmp_path))
        folder = tmp_path / "zenodo"
        assert not list(folder.glob("x*data.npz"))
        assert not (folder / "archive.tar.gz").exists()
        srv.payload = payload
        assert len(fetch_datasets(data_home=str(tmp_path))) == N_SETS
    finally:
        srv.close()


def test_an_archive_without_the_27_sets_is_refused(monkeypatch, tmp_path):
    """Check the archive's content is checked before anything is extracted."""
    srv = _Server(_archive(n_sets=5))
    monkeypatch.setattr(_fetch, "URL", srv.url)
    try:
        with pytest.raises(OSError, match="lacks data sets"):
            fetch_datasets(data_home=str(tmp_path))
        assert not list((tmp_path / "zenodo").glob("x*data.npz"))
    finally:
        srv.close()


def test_a_changed_cached_file_fails_its_checksum(server, tmp_path):
    """Check a cached file that differs from the one extracted is reported."""
    fetch_datasets(data_home=str(tmp_path), filter_data=("oil",))
    path = tmp_path / "zenodo" / "x18data.npz"
    path.write_bytes(path.read_bytes()[:-10])
    with pytest.raises(OSError, match="checksum"):
        fetch_datasets(data_home=str(tmp_path), filter_data=("oil",))


def test_same_as_imbalanced_learn_on_the_same_cache(server, tmp_path):
    """Check imbalanced-learn's fetcher reads our cache to the same arrays."""
    from imblearn.datasets import fetch_datasets as theirs

    ours = fetch_datasets(data_home=str(tmp_path), shuffle=True, random_state=3)
    other = theirs(data_home=str(tmp_path), shuffle=True, random_state=3,
                   download_if_missing=False)
    assert list(ours) == list(other)
    for name in ours:
        np.testing.assert_array_equal(ours[name].data, other[name].data)
        np.testing.assert_array_equal(ours[name].target, other[name].target)
        assert ours[name].DESCR == other[name].DESCR
