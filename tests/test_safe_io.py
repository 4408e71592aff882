"""Writing outputs never damages what is at the path; pipes, signals and terminals.

Everything happens in tmp_path: devices are made there with mknod (when allowed), and
/dev/stdout is stood in for by a link to /proc/self/fd/N, so a bug cannot replace the
real /dev.
"""

from __future__ import annotations

import errno
import io
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

import routes.gallery
import routes.maps
from routes.cli import main
from routes.errors import OutputError, RoutesError
from routes.io import (
    _signals_deferred,
    open_output,
    output_folder,
    output_kind,
    write_output,
    write_output_via,
)

MINI = str(Path(__file__).resolve().parent / "data" / "mini")
IS_ROOT = os.geteuid() == 0


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def routes_cmd(*argv: str) -> list[str]:
    return [sys.executable, "-m", "routes", *argv]


def leftovers(folder: Path) -> list[str]:
    """Temporary files or folders a writer may have left in ``folder`` (recursively)."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.name.startswith("."))


def umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def char_device(path: Path, minor: int) -> Path:
    """Make a memory character device (3: null, 7: full) at ``path``, or skip."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
        with path.open("wb"):
            pass
    except OSError as exc:
        if path.exists():
            path.unlink()
        pytest.skip(f"cannot make a character device here: {exc}")
    return path


class FifoReader:
    """A named pipe in tmp_path with a thread that reads everything written to it."""

    def __init__(self, path: Path) -> None:
        os.mkfifo(path)
        self.path = path
        self.data = b""
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        with self.path.open("rb") as fh:
            self.data = fh.read()

    def result(self) -> bytes:
        self.thread.join(timeout=30)
        assert not self.thread.is_alive(), "the writer never closed the pipe"
        return self.data


# ---------------------------------------------------------------------------------------
# Files: new, replaced, permissions, owner.


def test_new_file_gets_the_permissions_open_would_give(tmp_path: Path) -> None:
    target = tmp_path / "new.txt"
    write_output(target, "Kulma Pass")
    assert target.read_text(encoding="utf-8") == "Kulma Pass"
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask()
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o444, 0o755])
def test_replaced_file_keeps_its_mode(tmp_path: Path, mode: int) -> None:
    target = tmp_path / "secret.html"
    target.write_text("old", encoding="utf-8")
    target.chmod(mode)
    code, _, err = run("map", "-o", str(target), "--data", MINI)
    assert code == 0, err
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert stat.S_IMODE(target.stat().st_mode) == mode
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(not IS_ROOT, reason="only root may give a file to another owner")
def test_replaced_file_keeps_its_owner(tmp_path: Path) -> None:
    target = tmp_path / "theirs.geojson"
    target.write_text("{}", encoding="utf-8")
    os.chown(target, 12345, 23456)
    code, _, err = run("export", "-f", "geojson", "-o", str(target), "--data", MINI)
    assert code == 0, err
    info = target.stat()
    assert (info.st_uid, info.st_gid) == (12345, 23456)
    assert json.loads(target.read_text(encoding="utf-8"))["type"] == "FeatureCollection"


def test_failure_midway_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "keep.txt"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o600)

    def write_half(exc: BaseException) -> None:
        with open_output(target) as fh:
            fh.write("half")
            raise exc

    with pytest.raises(KeyboardInterrupt):
        write_half(KeyboardInterrupt())
    with pytest.raises(OutputError, match="no space left on device"):
        write_half(OSError(errno.ENOSPC, "No space left on device"))
    assert target.read_text(encoding="utf-8") == "old"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert leftovers(tmp_path) == []


def test_writer_by_path_failing_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "net.gpkg"
    target.write_bytes(b"old")

    def writer(tmp: Path) -> None:
        tmp.write_bytes(b"half")
        (tmp.parent / f"{tmp.name}-journal").write_bytes(b"side file")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_output_via(target, writer)
    assert target.read_bytes() == b"old"
    assert leftovers(tmp_path) == []


def test_gpkg_export_replaces_a_0600_file(tmp_path: Path) -> None:
    target = tmp_path / "net.gpkg"
    target.write_bytes(b"old")
    target.chmod(0o600)
    code, _, err = run("export", "-f", "gpkg", "-o", str(target), "--data", MINI)
    assert code == 0, err
    assert target.read_bytes().startswith(b"SQLite format 3\x00")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert leftovers(tmp_path) == []


# ---------------------------------------------------------------------------------------
# Symbolic links.


def test_link_to_a_file_is_followed_not_replaced(tmp_path: Path) -> None:
    real = tmp_path / "real.html"
    real.write_text("old", encoding="utf-8")
    real.chmod(0o600)
    link = tmp_path / "link.html"
    link.symlink_to("real.html")
    code, out, err = run("map", "-o", str(link), "--data", MINI)
    assert code == 0, err
    assert f"Map written to {link}" in out
    assert link.is_symlink()
    assert str(link.readlink()) == "real.html"
    assert real.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert stat.S_IMODE(real.stat().st_mode) == 0o600


def test_chain_of_links_across_folders(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b" / "c").mkdir(parents=True)
    final = tmp_path / "b" / "c" / "final.txt"
    final.write_text("old", encoding="utf-8")
    # relative, through "..", then absolute, and a linked folder on the way
    (tmp_path / "b" / "hop2").symlink_to(final)
    (tmp_path / "a" / "hop1").symlink_to("../b/hop2")
    (tmp_path / "linked-a").symlink_to(tmp_path / "a", target_is_directory=True)
    write_output(tmp_path / "linked-a" / "hop1", "new")
    assert final.read_text(encoding="utf-8") == "new"
    assert (tmp_path / "a" / "hop1").is_symlink()
    assert (tmp_path / "b" / "hop2").is_symlink()
    assert leftovers(tmp_path) == []


def test_dangling_link_writes_where_it_points(tmp_path: Path) -> None:
    link = tmp_path / "out.geojson"
    link.symlink_to("data/net.geojson")
    (tmp_path / "data").mkdir()
    code, _, err = run("export", "-f", "geojson", "-o", str(link), "--data", MINI)
    assert code == 0, err
    assert link.is_symlink()
    assert json.loads((tmp_path / "data" / "net.geojson").read_text(encoding="utf-8"))["type"] == "FeatureCollection"
    assert stat.S_IMODE((tmp_path / "data" / "net.geojson").stat().st_mode) == 0o666 & ~umask()


def test_dangling_link_into_a_missing_folder_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "out.html"
    link.symlink_to("nowhere/net.html")
    code, out, err = run("map", "-o", str(link), "--data", MINI)
    assert code == 73
    assert out == ""
    assert err == (
        f"error: cannot write {link} (which links to {tmp_path / 'nowhere' / 'net.html'}): "
        f"the folder {tmp_path / 'nowhere'} does not exist (create it first)\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.html"]


def test_link_loop_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to("b")
    (tmp_path / "b").symlink_to("a")
    with pytest.raises(OutputError, match="too many symbolic links") as info:
        write_output(tmp_path / "a", "x")
    assert info.value.errno == errno.ELOOP
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b"]


# ---------------------------------------------------------------------------------------
# Paths that cannot be written: refused with a message and exit 73, nothing created.


def test_folder_as_target(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    (tmp_path / "to-folder").symlink_to("out", target_is_directory=True)
    for target in (folder, tmp_path / "to-folder"):
        code, _, err = run("route", "Dushanbe", "Karachi", "--data", MINI, "--map", str(target))
        assert code == 73
        assert "it is a folder; give a file name inside it" in err
        assert "Traceback" not in err
    assert list(folder.iterdir()) == []
    assert (tmp_path / "to-folder").is_symlink()


def test_missing_folder(tmp_path: Path) -> None:
    for argv in (
        ("map", "-o", str(tmp_path / "no" / "net.html")),
        ("export", "-f", "geojson", "-o", str(tmp_path / "no" / "net.geojson")),
        ("export", "-f", "gpkg", "-o", str(tmp_path / "no" / "net.gpkg")),
        ("map", "--gallery", "-o", str(tmp_path / "no" / "gallery")),
    ):
        code, out, err = run(*argv, "--data", MINI)
        assert code == 73, argv
        assert f"the folder {tmp_path / 'no'} does not exist (create it first)" in err
        assert out == ""
    assert list(tmp_path.iterdir()) == []


def test_file_as_folder(tmp_path: Path) -> None:
    # Works as root too, where a read-only folder does not stop writing.
    (tmp_path / "plain").write_text("", encoding="utf-8")
    code, _, err = run("map", "-o", str(tmp_path / "plain" / "net.html"), "--data", MINI)
    assert code == 73
    assert f"{tmp_path / 'plain'} is a file, not a folder" in err
    code, _, err = run("map", "--gallery", "-o", str(tmp_path / "plain"), "--data", MINI)
    assert code == 73
    assert "it is a file, not a folder" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plain"]


@pytest.mark.skipif(IS_ROOT, reason="root writes into read-only folders; see the next test")
def test_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        code, _, err = run("map", "-o", str(folder / "net.html"), "--data", MINI)
        assert code == 73
        assert f"permission denied: the folder {folder} cannot be written to" in err
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


def test_permission_denied_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # What a read-only folder does to a user who is not root: the temporary file cannot
    # be made.
    import routes.io

    def denied(*_: object, **__: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(routes.io.tempfile, "mkstemp", denied)
    code, _, err = run("route", "Dushanbe", "Karachi", "--data", MINI, "--map", str(tmp_path / "r.html"))
    assert code == 73
    assert err == (
        f"error: cannot write {tmp_path / 'r.html'}: permission denied: "
        f"the folder {tmp_path} cannot be written to (choose another path)\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_socket_is_refused(tmp_path: Path) -> None:
    import socket

    path = tmp_path / "s"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
        with pytest.raises(OutputError, match="neither a file, a character device nor a named pipe"):
            write_output(path, "x")
    assert stat.S_ISSOCK(path.lstat().st_mode)


def test_output_error_is_a_routes_error_and_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError) as info:
        write_output(tmp_path, "x")
    assert isinstance(info.value, RoutesError)
    assert isinstance(info.value, OSError)
    assert info.value.errno == errno.EISDIR
    assert info.value.filename == str(tmp_path)


# ---------------------------------------------------------------------------------------
# Devices, named pipes, descriptors, standard output.


def test_character_device_full_fails_clearly(tmp_path: Path) -> None:
    full = char_device(tmp_path / "full", 7)
    code, out, err = run("route", "Dushanbe", "Karachi", "--data", MINI, "--map", str(full))
    assert code == 73
    assert err == f"error: cannot write {full}: no space left on device\n"
    assert out == ""
    assert stat.S_ISCHR(full.lstat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full"]


def test_character_device_null_is_written_not_replaced(tmp_path: Path) -> None:
    null = char_device(tmp_path / "null", 3)
    for argv in (
        ("map", "-o", str(null)),
        ("export", "-f", "geojson", "-o", str(null)),
        ("export", "-f", "gpkg", "-o", str(null)),
    ):
        code, out, err = run(*argv, "--data", MINI)
        assert code == 0, err
        assert out == "", "no confirmation goes into a device or a pipe"
        assert stat.S_ISCHR(null.lstat().st_mode)
        assert output_kind(null) == "stream"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null"]


@pytest.mark.parametrize("fmt", ["geojson", "gpkg"])
def test_named_pipe(tmp_path: Path, fmt: str) -> None:
    reader = FifoReader(tmp_path / "pipe")
    code, _, err = run("export", "-f", fmt, "-o", str(reader.path), "--data", MINI)
    assert code == 0, err
    data = reader.result()
    if fmt == "geojson":
        assert len(json.loads(data)["features"]) > 20
    else:
        assert data.startswith(b"SQLite format 3\x00")
    assert stat.S_ISFIFO(reader.path.lstat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def test_link_to_a_named_pipe(tmp_path: Path) -> None:
    reader = FifoReader(tmp_path / "pipe")
    (tmp_path / "link").symlink_to("pipe")
    code, _, err = run("map", "-o", str(tmp_path / "link"), "--data", MINI)
    assert code == 0, err
    assert reader.result().startswith(b"<!DOCTYPE html>")
    assert (tmp_path / "link").is_symlink()


def test_link_to_an_open_descriptor_writes_to_it(tmp_path: Path) -> None:
    # What /dev/stdout is: a link to /proc/self/fd/1.
    read_end, write_end = os.pipe()
    try:
        link = tmp_path / "stdout"
        link.symlink_to(f"/proc/self/fd/{write_end}")
        if not Path(f"/proc/self/fd/{write_end}").exists():
            pytest.skip("no /proc/self/fd here")
        write_output(link, "Wakhan corridor\n")
        assert os.read(read_end, 100) == b"Wakhan corridor\n"
        assert link.is_symlink()
        assert output_kind(link) == "stream"
    finally:
        os.close(read_end)
        os.close(write_end)


def test_dev_stdout_appends_to_what_was_printed(tmp_path: Path) -> None:
    # `(echo header; routes export -o /dev/stdout) > file`: the descriptor is written
    # where it stands, not reopened from the start of the file.
    link = tmp_path / "stdout"
    link.symlink_to("/proc/self/fd/1")
    result = tmp_path / "result.txt"
    result.write_text("header\n", encoding="utf-8")
    with result.open("ab") as fh:
        proc = subprocess.run(
            routes_cmd("export", "-f", "geojson", "-o", str(link), "--data", MINI),
            stdout=fh,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    assert proc.returncode == 0, proc.stderr
    head, body = result.read_text(encoding="utf-8").split("\n", 1)
    assert head == "header"
    assert json.loads(body)["type"] == "FeatureCollection"
    assert link.is_symlink()


def test_dash_is_standard_output() -> None:
    code, out, err = run("map", "-o", "-", "--data", MINI)
    assert code == 0, err
    assert out.startswith("<!DOCTYPE html>")
    assert "Map written" not in out
    code, out, err = run("export", "-f", "geojson", "-o", "-", "--data", MINI)
    assert code == 0, err
    assert json.loads(out)["type"] == "FeatureCollection"


def test_dash_where_the_format_cannot_stream(tmp_path: Path) -> None:
    code, out, err = run("export", "-f", "gpkg", "-o", "-", "--data", MINI)
    assert (code, out) == (2, "")
    assert "--format gpkg cannot go to standard output (-o -)" in err
    code, _, err = run("map", "--gallery", "-o", "-", "--data", MINI)
    assert code == 2
    assert "the gallery is a folder of files" in err
    code, out, err = run("route", "Dushanbe", "Karachi", "--data", MINI, "--map", "-")
    assert (code, out) == (2, "")
    assert "--map -: standard output carries the result already" in err
    with pytest.raises(OutputError, match="cannot go to standard output"):
        write_output_via("-", lambda _: None)


def test_dash_writes_the_bytes_of_the_file_not_the_terminal_encoding(tmp_path: Path) -> None:
    proc = subprocess.run(
        routes_cmd("export", "-f", "geojson", "-o", "-", "--data", MINI),
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "ascii"},
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    target = tmp_path / "net.geojson"
    assert run("export", "-f", "geojson", "-o", str(target), "--data", MINI)[0] == 0
    assert proc.stdout == target.read_bytes()


# ---------------------------------------------------------------------------------------
# The gallery changes as a whole.

GALLERY_FILES = routes.gallery.gallery_files()


@pytest.fixture
def old_gallery(tmp_path: Path) -> Path:
    folder = tmp_path / "maps"
    folder.mkdir()
    for name in GALLERY_FILES:
        (folder / name).write_text(f"old {name}", encoding="utf-8")
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    return folder


def interrupt_at(monkeypatch: pytest.MonkeyPatch, n: int, exc: BaseException) -> None:
    real = routes.maps.comparison_map
    calls = []

    def builder(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == n:
            raise exc
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(routes.maps, "comparison_map", builder)


@pytest.mark.parametrize("exc", [KeyboardInterrupt(), RuntimeError("map builder failed")])
def test_interrupted_gallery_leaves_the_old_one(
    G: nx.MultiGraph, old_gallery: Path, monkeypatch: pytest.MonkeyPatch, exc: BaseException
) -> None:
    interrupt_at(monkeypatch, 3, exc)
    with pytest.raises(type(exc)):
        routes.gallery.write_gallery(G, old_gallery)
    for name in GALLERY_FILES:
        assert (old_gallery / name).read_text(encoding="utf-8") == f"old {name}"
    assert (old_gallery / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert leftovers(old_gallery.parent) == []


def test_interrupted_new_gallery_leaves_nothing(
    G: nx.MultiGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    interrupt_at(monkeypatch, 2, KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        routes.gallery.write_gallery(G, tmp_path / "gallery")
    assert list(tmp_path.iterdir()) == []


def test_gallery_replaces_its_files_and_leaves_others(G: nx.MultiGraph, old_gallery: Path) -> None:
    (old_gallery / "index.html").chmod(0o640)
    written = routes.gallery.write_gallery(G, old_gallery)
    assert [p.name for p in written] == GALLERY_FILES
    for name in GALLERY_FILES:
        assert (old_gallery / name).read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert stat.S_IMODE((old_gallery / "index.html").stat().st_mode) == 0o640
    assert (old_gallery / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert leftovers(old_gallery.parent) == []


def test_output_folder_is_all_or_nothing(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("old a", encoding="utf-8")

    def fail_midway() -> None:
        with output_folder(tmp_path) as batch:
            batch.write("a.txt", "new a")
            batch.write("b.txt", "new b")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        fail_midway()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "old a"
    with output_folder(tmp_path) as batch:
        batch.write("a.txt", "new a")
        batch.write("b.txt", b"new b")
        assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "old a", "nothing shows before the end"
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "new a"
    assert (tmp_path / "b.txt").read_bytes() == b"new b"
    assert leftovers(tmp_path) == []


def test_signals_wait_for_the_swap() -> None:
    reached: list[str] = []

    def swap() -> None:
        with _signals_deferred():
            signal.raise_signal(signal.SIGINT)
            time.sleep(0.01)
            reached.append("end of the block")

    with pytest.raises(KeyboardInterrupt):
        swap()
    assert reached == ["end of the block"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


# ---------------------------------------------------------------------------------------
# Real processes: pipes, signals, encodings.


@pytest.fixture
def bad_data(tmp_path: Path) -> Path:
    """A data folder whose ``routes validate`` prints far more than a pipe holds."""
    folder = tmp_path / "bad"
    shutil.copytree(MINI, folder)
    features = [{"type": "Feature", "geometry": None, "properties": {"id": f"bad-{i}"}} for i in range(300)]
    (folder / "links" / "zz-bad.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8"
    )
    return folder


def test_closed_pipe_stops_quietly() -> None:
    # The reader is gone before the first write: deterministic, unlike `| head -1`.
    proc = subprocess.Popen(routes_cmd("places"), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    assert proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait(timeout=60) == 141
    assert err == b""


def test_head_on_validate_keeps_the_problems_exit_code(bad_data: Path) -> None:
    script = f'"$@" validate {bad_data} 2>&1 | head -1; echo "status ${{PIPESTATUS[0]}}"'
    proc = subprocess.run(
        ["bash", "-c", script, "bash", *routes_cmd()], capture_output=True, text=True, check=False, timeout=120
    )
    first, status = proc.stdout.splitlines()
    assert "zz-bad.geojson | bad-0 | geometry:" in first
    assert status == "status 1"
    assert proc.stderr == ""


def test_head_on_places_is_quiet() -> None:
    script = '"$@" places 2>&1 | head -1; echo "status ${PIPESTATUS[0]}"'
    proc = subprocess.run(
        ["bash", "-c", script, "bash", *routes_cmd()], capture_output=True, text=True, check=False, timeout=120
    )
    first, status = proc.stdout.splitlines()
    assert first.startswith("id ")
    assert status in ("status 0", "status 141")
    assert proc.stderr == ""


@pytest.mark.parametrize("encoding", ["ascii", "cp1252"])
def test_narrow_terminal_encoding_degrades(encoding: str) -> None:
    proc = subprocess.run(
        routes_cmd("route", "Dushanbe", "Karachi", "--data", MINI),
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": encoding},
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout.decode(encoding)
    assert "Dushanbe (TJK) -> Karachi (PAK)" in text
    assert "?" not in text.splitlines()[0]
    proc = subprocess.run(
        routes_cmd("route", "Dushanbe", "Atlantis", "--data", MINI),
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": encoding},
        check=False,
    )
    assert proc.returncode == 2
    assert b"Traceback" not in proc.stderr


def wait_for_staging(folder: Path, proc: subprocess.Popen[bytes]) -> None:
    """Wait until the gallery build has staged its first page in ``folder``."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if folder.is_dir() and any(p.name.startswith(".routes-") for p in folder.iterdir()):
            staged = [f for d in folder.glob(".routes-*") for f in d.iterdir()]
            if staged:
                return
        assert proc.poll() is None, "the gallery finished before it could be interrupted"
        time.sleep(0.005)
    raise AssertionError("the gallery build never started")


@pytest.mark.parametrize(
    ("signum", "code", "message"), [(signal.SIGINT, 130, b"interrupted\n"), (signal.SIGTERM, 143, b"")]
)
def test_signal_during_gallery(old_gallery: Path, signum: int, code: int, message: bytes) -> None:
    proc = subprocess.Popen(
        routes_cmd("map", "--gallery", "-o", str(old_gallery)), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    wait_for_staging(old_gallery, proc)
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err
    assert err == message
    assert out == b""
    for name in GALLERY_FILES:
        assert (old_gallery / name).read_text(encoding="utf-8") == f"old {name}"
    assert leftovers(old_gallery.parent) == []


def test_ctrl_c_on_a_new_gallery_leaves_no_folder(tmp_path: Path) -> None:
    folder = tmp_path / "gallery"
    proc = subprocess.Popen(routes_cmd("map", "--gallery", "-o", str(folder)), stderr=subprocess.PIPE)
    wait_for_staging(folder, proc)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert err == b"interrupted\n"
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def sigint_default() -> Iterator[None]:
    previous = signal.getsignal(signal.SIGINT)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def test_ctrl_c_in_main_is_one_line(sigint_default: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def interrupted(*_: object, **__: object) -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr(routes.maps, "render_html", interrupted)
    code, out, err = run("map", "-o", str(tmp_path / "net.html"), "--data", MINI)
    assert (code, out, err) == (130, "", "interrupted\n")
    assert list(tmp_path.iterdir()) == []
