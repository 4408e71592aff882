"""Reading a data folder from disk, and writing output files without damaging anything.

Only this module (and the command line, and explicit ``save_*`` functions) touches files.
It parses; it does not judge: `routes.schema` checks what it read.

Every output goes through `write_output` (a whole text or bytes), `open_output` (a stream),
`write_output_via` (a library that writes by path itself, as GDAL) or `output_folder`
(several files that must change together, as the map gallery). The rules they share:

- ``"-"`` is standard output.
- A symbolic link is followed, hop by hop, to the file it names (which may not exist yet,
  if its folder does); the link itself stays.
- A missing or regular file is written to a temporary file beside it and renamed over it:
  a failure or an interruption leaves the old file whole and no temporary file behind.
  The new file keeps the old one's permissions (and owner and group, where allowed); a new
  file gets the permissions ``open()`` would give it.
- A character device or a named pipe (``/dev/null``, a terminal, a FIFO) is opened and
  written directly, never replaced. ``/dev/stdout``, ``/dev/stderr`` and ``/dev/fd/N`` of
  this process write to the open descriptor itself, as a shell redirection would.
- Anything else (a folder, a socket, a block device, a link loop, a missing folder) is
  refused with an `routes.errors.OutputError` before anything is created.
"""

from __future__ import annotations

import errno
import io
import json
import os
import re
import shutil
import signal
import stat
import sys
import tempfile
import threading
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import IO, Any, Literal

from routes.errors import InvalidDataError, OutputError, Problem

__all__ = [
    "STDOUT",
    "OutputFolder",
    "RawData",
    "atomic_write",
    "atomic_write_via",
    "open_output",
    "output_folder",
    "output_kind",
    "read_bibliography",
    "read_data",
    "read_population",
    "write_output",
    "write_output_via",
]


@dataclass
class RawData:
    """The contents of a data folder, as parsed, before any checking.

    Each feature is kept with the file it came from so problems can name it.
    """

    data_dir: Path
    places: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    links: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    energy: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    sources: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    rules: dict[str, Any] = field(default_factory=dict)
    seed_mentions: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def rel(self, path: Path) -> str:
        """Return ``path`` relative to the data folder's parent, for messages."""
        try:
            return str(path.relative_to(self.data_dir.parent))
        except ValueError:
            return str(path)


def _read_json(path: Path, raw: RawData) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raw.problems.append(Problem(raw.rel(path), "", "", f"not valid JSON: {exc.msg}", line=exc.lineno))
    except UnicodeDecodeError as exc:
        raw.problems.append(Problem(raw.rel(path), "", "", f"not UTF-8 text: {exc.reason}"))
    return None


def _read_toml(path: Path, raw: RawData) -> dict[str, Any] | None:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        raw.problems.append(Problem(raw.rel(path), "", "", f"not valid TOML: {exc}", line=line))
    except UnicodeDecodeError as exc:
        raw.problems.append(Problem(raw.rel(path), "", "", f"not UTF-8 text: {exc.reason}"))
    return None


def _features(path: Path, raw: RawData) -> Iterator[dict[str, Any]]:
    doc = _read_json(path, raw)
    if doc is None:
        return
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raw.problems.append(Problem(raw.rel(path), "", "type", "expected a GeoJSON FeatureCollection"))
        return
    features = doc.get("features")
    if not isinstance(features, list):
        raw.problems.append(Problem(raw.rel(path), "", "features", "expected a list"))
        return
    for i, feat in enumerate(features):
        if not isinstance(feat, dict) or feat.get("type") != "Feature":
            raw.problems.append(Problem(raw.rel(path), f"#{i}", "type", "expected a Feature"))
            continue
        yield feat


def read_data(data_dir: Path | str, *, bibliography: bool = True) -> RawData:
    """Parse every file of a data folder.

    Parameters
    ----------
    data_dir : path
        A folder laid out as ``geodata/`` (see its README).
    bibliography : bool
        Also read ``sources/*.toml`` and ``seed_mentions.toml``.

    Returns
    -------
    RawData
        Parsed contents; parse errors are collected in ``problems``, not raised.

    Raises
    ------
    InvalidDataError
        If the folder does not exist or has no ``places/`` or ``links/``.
    """
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise InvalidDataError(f"Data folder {data_dir} does not exist.")
    raw = RawData(data_dir=data_dir)
    for sub in ("places", "links"):
        if not (data_dir / sub).is_dir():
            raise InvalidDataError(
                f"{data_dir} is not a network data folder: it has no {sub}/ folder "
                "(see geodata/README.md for the layout)."
            )
    for path in sorted((data_dir / "places").glob("*.geojson")):
        name = raw.rel(path)
        raw.places.extend((name, f) for f in _features(path, raw))
    for path in sorted((data_dir / "links").glob("*.geojson")):
        name = raw.rel(path)
        raw.links.extend((name, f) for f in _features(path, raw))
    energy = data_dir / "energy.geojson"
    if energy.is_file():
        name = raw.rel(energy)
        raw.energy.extend((name, f) for f in _features(energy, raw))
    rules = data_dir / "rules.toml"
    if rules.is_file():
        raw.rules = _read_toml(rules, raw) or {}
    if bibliography:
        read_bibliography(raw)
    return raw


def read_bibliography(raw: RawData) -> None:
    """Add the sources and the seed mentions of ``raw.data_dir`` to ``raw``.

    Routing needs neither, and parsing hundreds of TOML tables is most of the cost of a
    load, so `routes.network.load_network` reads them only when first asked for.
    """
    data_dir = raw.data_dir
    source_dir = data_dir / "sources"
    if source_dir.is_dir():
        for path in sorted(source_dir.glob("*.toml")):
            doc = _read_toml(path, raw)
            name = raw.rel(path)
            for sid, entry in (doc or {}).items():
                raw.sources.append((name, sid, entry if isinstance(entry, dict) else {}))
    mentions = data_dir / "seed_mentions.toml"
    if mentions.is_file():
        doc = _read_toml(mentions, raw) or {}
        found = doc.get("mention", [])
        raw.seed_mentions = [m for m in found if isinstance(m, dict)]


# ---------------------------------------------------------------------------------------
# Writing output.

#: The output path that means standard output.
STDOUT = "-"

# A descriptor of a running process, as /dev/stdout and /dev/fd/N lead to on Linux.
_FD_LINK = re.compile(r"^/proc/(\d+)(?:/task/\d+)?/fd/(\d+)$|^/dev/fd/(\d+)$")
_MAX_LINKS = 40

_REASONS = {
    errno.ENOSPC: "no space left on device",
    errno.EDQUOT: "disk quota exceeded",
    errno.EFBIG: "file too large",
    errno.EIO: "input/output error",
    errno.EROFS: "read-only file system",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.ENOENT: "no such file or folder",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EISDIR: "it is a folder; give a file name inside it",
    errno.ELOOP: "too many symbolic links (a link loop?)",
    errno.EBADF: "that descriptor is not open",
    errno.ENXIO: "no such device",
}


@dataclass(frozen=True)
class _Target:
    """Where and how an output path is written, once its links are followed."""

    given: str
    kind: Literal["file", "stream", "fd"]
    #: file: the regular (or new) file to replace; stream: what to open; fd: unused.
    path: Path
    #: The regular file being replaced, if there is one.
    existing: os.stat_result | None = None
    #: kind "fd": a descriptor of this process to write to.
    fd: int = -1

    @property
    def where(self) -> str:
        """The path as the user gave it, and where its links lead when that differs."""
        if self.kind == "fd" or Path(os.path.abspath(self.given)) == self.path:  # noqa: PTH100
            return self.given
        return f"{self.given} (which links to {self.path})"


def _failure(where: str, exc: OSError, folder: Path | None = None) -> OutputError:
    """Turn an OS error met while writing ``where`` into an `OutputError`."""
    if isinstance(exc, OutputError):
        return exc
    code = exc.errno or errno.EIO
    reason = _REASONS.get(code) or (exc.strerror or str(exc))
    if code in (errno.EACCES, errno.EPERM, errno.EROFS) and folder is not None:
        reason += f": the folder {folder} cannot be written to (choose another path)"
    elif code == errno.ENOSPC and folder is not None:
        reason += " (free some space or choose another path)"
    return OutputError(code, reason, where)


def _refuse(given: str, code: int, reason: str) -> OutputError:
    return OutputError(code, reason, given)


def _resolve(path: str | os.PathLike[str]) -> _Target:
    """Follow ``path`` through its symbolic links and say how to write it.

    Raises
    ------
    OutputError
        If the path cannot be an output: a folder, a missing folder, a socket, a loop.
    """
    given = where = os.fspath(path)
    current = Path(os.path.abspath(given))  # noqa: PTH100 (normalises "..", as Path does not)
    for hop in range(_MAX_LINKS):
        if hop:
            where = f"{given} (which links to {current})"
        folder = current.parent
        try:
            real_folder = folder.resolve(strict=True)
        except FileNotFoundError:
            raise _refuse(where, errno.ENOENT, f"the folder {folder} does not exist (create it first)") from None
        except RuntimeError:  # a link loop among the folders
            raise _refuse(where, errno.ELOOP, _REASONS[errno.ELOOP]) from None
        except OSError as exc:
            raise _failure(where, exc) from None
        if not real_folder.is_dir():
            raise _refuse(where, errno.ENOTDIR, f"{folder} is a file, not a folder")
        current = real_folder / current.name
        fd_link = _FD_LINK.match(str(current))
        if fd_link:
            pid, number, dev_number = fd_link.groups()
            if pid is None or int(pid) == os.getpid():
                return _Target(given, "fd", current, fd=int(number or dev_number))
            return _Target(given, "stream", current)
        try:
            info = current.lstat()
        except FileNotFoundError:
            return _Target(given, "file", current)
        except OSError as exc:
            raise _failure(where, exc, folder) from None
        if stat.S_ISLNK(info.st_mode):
            # A relative link is relative to its folder; ".." is safe to fold now that
            # the folder is a real one.
            current = Path(os.path.normpath(real_folder / current.readlink()))
            continue
        if stat.S_ISREG(info.st_mode):
            return _Target(given, "file", current, existing=info)
        if stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode):
            return _Target(given, "stream", current)
        if stat.S_ISDIR(info.st_mode):
            raise _refuse(where, errno.EISDIR, _REASONS[errno.EISDIR])
        raise _refuse(where, errno.EINVAL, "it is neither a file, a character device nor a named pipe")
    raise _refuse(where, errno.ELOOP, _REASONS[errno.ELOOP])


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _take_metadata(target: _Target, tmp: Path) -> None:
    """Give ``tmp`` the permissions (and owner) of the file it will replace."""
    old = target.existing
    if old is None:
        # mkstemp creates files readable by the owner only; give the file the
        # permissions a plain open() would have.
        tmp.chmod(0o666 & ~_umask())
        return
    mine = tmp.stat()
    if (mine.st_uid, mine.st_gid) != (old.st_uid, old.st_gid):
        # Not allowed for most users; the file then becomes theirs, as any editor does.
        with suppress(PermissionError):
            os.chown(tmp, old.st_uid, old.st_gid)
    tmp.chmod(stat.S_IMODE(old.st_mode))


def _flush_std() -> None:
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            stream.flush()


@contextmanager
def _replacing(target: _Target, mode: str, encoding: str | None) -> Iterator[IO[Any]]:
    folder = target.path.parent
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise _failure(target.where, exc, folder) from None
    tmp = Path(name)
    try:
        kwargs: dict[str, Any] = {} if "b" in mode else {"encoding": encoding}
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
        _take_metadata(target, tmp)
        tmp.replace(target.path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError) and not isinstance(exc, BrokenPipeError):
            raise _failure(target.where, exc, folder) from exc
        raise


@contextmanager
def _direct(target: _Target, mode: str, encoding: str | None) -> Iterator[IO[Any]]:
    try:
        if target.kind == "fd":
            _flush_std()  # what this process already printed comes first
            fd = os.dup(target.fd)
        else:
            # No O_CREAT: if the device or pipe vanished meanwhile, fail, do not make a file.
            fd = os.open(target.path, os.O_WRONLY | os.O_CLOEXEC | os.O_NOCTTY)
    except OSError as exc:
        raise _failure(target.where, exc) from None
    try:
        kwargs: dict[str, Any] = {} if "b" in mode else {"encoding": encoding}
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise _failure(target.where, exc) from exc


@contextmanager
def _standard_output(mode: str, encoding: str | None, stdout: IO[str] | None) -> Iterator[IO[Any]]:
    stream = stdout or sys.stdout
    buffer = getattr(stream, "buffer", None)
    if buffer is None:  # a StringIO, as tests pass
        if "b" in mode:
            raise OutputError(errno.EINVAL, "this standard output takes text only", STDOUT)
        yield stream
        return
    stream.flush()
    if "b" in mode:
        yield buffer
        buffer.flush()
        return
    # The bytes of a file, not text fitted to the terminal's encoding.
    wrapper = io.TextIOWrapper(buffer, encoding=encoding or "utf-8", newline="")
    try:
        yield wrapper
        wrapper.flush()
    finally:
        wrapper.detach()


@contextmanager
def open_output(
    path: str | os.PathLike[str],
    mode: str = "w",
    encoding: str | None = "utf-8",
    *,
    stdout: IO[str] | None = None,
) -> Iterator[IO[Any]]:
    """Open a user-given output path for writing, safely (see the module docstring).

    Parameters
    ----------
    path : str or path-like
        The output; ``"-"`` is standard output.
    mode : {"w", "wb"}
        Text or bytes.
    encoding : str, optional
        Of text.
    stdout : text stream, optional
        What ``"-"`` means (default: ``sys.stdout``; its underlying bytes when it has them).

    Yields
    ------
    file object
        Write to it inside the ``with`` block. An exception there leaves a file target
        as it was.

    Raises
    ------
    OutputError
        The path cannot be written, or writing failed (an `OSError` too).
    """
    if mode not in ("w", "wb"):
        raise ValueError(f"mode must be 'w' or 'wb', not {mode!r}")
    if os.fspath(path) == STDOUT:
        with _standard_output(mode, encoding, stdout) as fh:
            yield fh
        return
    target = _resolve(path)
    opener = _replacing if target.kind == "file" else _direct
    with opener(target, mode, encoding) as fh:
        yield fh


def output_kind(path: str | os.PathLike[str]) -> Literal["stdout", "file", "stream"]:
    """Say how a user-given output path would be written, or why it cannot be.

    For checking an output before long work, and for not printing a confirmation into
    the stream the output goes to.

    Returns
    -------
    {"stdout", "file", "stream"}
        ``"-"``; a file (new, or replaced atomically); a device, named pipe or open
        descriptor (written directly).

    Raises
    ------
    OutputError
        If the path cannot be an output (a folder, a missing folder, a socket).
    """
    if os.fspath(path) == STDOUT:
        return "stdout"
    return "file" if _resolve(path).kind == "file" else "stream"


def write_output(
    path: str | os.PathLike[str],
    data: str | bytes,
    *,
    encoding: str = "utf-8",
    stdout: IO[str] | None = None,
) -> None:
    """Write a whole text or bytes to a user-given output path, safely.

    This is the one function to call for "write this to the path the user named".
    The rules are in the module docstring: ``"-"`` is standard output, links are
    followed, a file is replaced atomically and keeps its permissions, a device or a named
    pipe is written directly, anything else is refused before anything is created.

    Parameters
    ----------
    path : str or path-like
        The output; ``"-"`` is standard output.
    data : str or bytes
        Text is encoded with ``encoding``.
    encoding : str
        Of text.
    stdout : text stream, optional
        What ``"-"`` means (default: ``sys.stdout``).

    Raises
    ------
    OutputError
        Saying what is wrong with the path, or why writing failed ("no space left on
        device"); a file target is then left as it was.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     write_output(pathlib.Path(folder) / "note.txt", "Khunjerab Pass")
    ...     print(pathlib.Path(folder, "note.txt").read_text())
    Khunjerab Pass
    """
    if isinstance(data, str):
        if os.fspath(path) == STDOUT and getattr(stdout or sys.stdout, "buffer", None) is None:
            with open_output(path, "w", encoding, stdout=stdout) as fh:
                fh.write(data)
            return
        data = data.encode(encoding)
    with open_output(path, "wb", stdout=stdout) as fh:
        fh.write(data)


def write_output_via(path: str | os.PathLike[str], writer: Callable[[Path], None], suffix: str = "") -> None:
    """Let ``writer`` write a temporary file by path, then put it at ``path`` safely.

    For libraries that insist on writing to a path themselves (GDAL through pyogrio). The
    temporary file is in a temporary folder beside the target (so any side files the
    library makes go too); for a device or a named pipe it is copied there.

    Parameters
    ----------
    path : str or path-like
        The output. Not ``"-"``: such formats are files, not streams.
    writer : callable
        Called with the temporary path, which does not exist yet.
    suffix : str
        The temporary file's suffix, for libraries that choose a format by it (default:
        that of ``path``).

    Raises
    ------
    OutputError
        As `write_output`.
    """
    if os.fspath(path) == STDOUT:
        raise OutputError(errno.EINVAL, "this format cannot go to standard output; give a file name", STDOUT)
    target = _resolve(path)
    name = f"output{suffix or target.path.suffix}"
    if target.kind != "file":
        with tempfile.TemporaryDirectory(prefix="routes-") as scratch:
            tmp = Path(scratch) / name
            writer(tmp)
            with _direct(target, "wb", None) as fh, tmp.open("rb") as src:
                shutil.copyfileobj(src, fh)
        return
    folder = target.path.parent
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{target.path.name}.", suffix=".tmp", dir=folder))
    except OSError as exc:
        raise _failure(target.where, exc, folder) from None
    try:
        tmp = staging / name
        writer(tmp)
        _take_metadata(target, tmp)
        tmp.replace(target.path)
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):
            raise
        raise _failure(target.where, exc, folder) from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)


#: Older names of `open_output` and `write_output_via`.
atomic_write = open_output
atomic_write_via = write_output_via


@contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM until the block is done (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []

    def hold(signum: int, _frame: FrameType | None) -> None:
        held.append(signum)

    previous = {}
    for signum in (signal.SIGINT, signal.SIGTERM):
        handler = signal.getsignal(signum)
        if handler is not None:  # None: set outside Python, cannot be put back
            previous[signum] = signal.signal(signum, hold)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if held:
            signal.raise_signal(held[0])


class OutputFolder:
    """Files written into one folder by `output_folder`, swapped in together.

    Each `write` stages a complete file in a temporary folder inside the target folder;
    nothing visible changes until the ``with`` block of `output_folder` ends well.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._staged: dict[Path, tuple[Path, _Target]] = {}
        self._staging: dict[Path, Path] = {}

    def write(self, name: str, data: str | bytes, *, encoding: str = "utf-8") -> Path:
        """Stage ``data`` as the file ``name`` of the folder; return its final path."""
        path = self.folder / name
        target = _resolve(path)
        if target.kind != "file":
            raise _refuse(str(path), errno.EINVAL, "a file of a set written together must be a file, not a device")
        parent = target.path.parent
        try:
            if parent not in self._staging:
                self._staging[parent] = Path(tempfile.mkdtemp(prefix=".routes-", suffix=".tmp", dir=parent))
            tmp = self._staging[parent] / target.path.name
            tmp.write_bytes(data.encode(encoding) if isinstance(data, str) else data)
            _take_metadata(target, tmp)
        except OSError as exc:
            raise _failure(target.where, exc, parent) from exc
        self._staged[target.path] = (tmp, target)
        return path

    def _commit(self) -> None:
        # A rename is atomic; holding Ctrl-C over the few renames makes the set so too,
        # short of a power cut or SIGKILL in those microseconds.
        with _signals_deferred():
            for tmp, target in self._staged.values():
                try:
                    tmp.replace(target.path)
                except OSError as exc:
                    raise _failure(target.where, exc, target.path.parent) from exc

    def _discard(self) -> None:
        for staging in self._staging.values():
            shutil.rmtree(staging, ignore_errors=True)


@contextmanager
def output_folder(folder: str | os.PathLike[str]) -> Iterator[OutputFolder]:
    """Write several files into a folder so that they all change, or none does.

    The folder is created if missing (its parent must exist). Files of the folder that
    are not written in the block are left alone: "all or none" is about the set written.
    An exception or Ctrl-C inside the block leaves every file as it was, removes every
    temporary file, and removes the folder again if this call created it.

    Parameters
    ----------
    folder : str or path-like
        The folder; a link to one is followed.

    Yields
    ------
    OutputFolder
        Call its ``write(name, data)`` for each file.

    Raises
    ------
    OutputError
        The folder cannot be used (its parent is missing, it is a file), or writing failed.
    """
    given = os.fspath(folder)
    if given == STDOUT:
        raise OutputError(errno.EINVAL, "a set of files needs a folder, not standard output", STDOUT)
    path = Path(given)
    created = False
    if not path.exists():
        if path.is_symlink():
            raise _refuse(given, errno.ENOENT, "it is a link to a folder that does not exist (create it first)")
        parent = path.absolute().parent
        if not parent.is_dir():
            raise _refuse(given, errno.ENOENT, f"the folder {parent} does not exist (create it first)")
        try:
            path.mkdir()
        except OSError as exc:
            raise _failure(given, exc, parent) from exc
        created = True
    elif not path.is_dir():
        raise _refuse(given, errno.ENOTDIR, "it is a file, not a folder")
    batch = OutputFolder(path)
    try:
        yield batch
        batch._commit()
    except BaseException:
        batch._discard()
        if created:
            with suppress(OSError):
                path.rmdir()
        raise
    batch._discard()


def read_population(data_dir: Path | str) -> dict[str, dict[str, Any]]:
    """Read ``population.csv`` of a data folder: place id -> row (population as int).

    Returns an empty mapping when the folder has no such file.

    Raises
    ------
    InvalidDataError
        If a row lacks a place or has a population that is not a positive whole number.
    """
    import csv  # noqa: PLC0415

    path = Path(data_dir) / "population.csv"
    if not path.is_file():
        return {}
    out: dict[str, dict[str, Any]] = {}
    problems: list[Problem] = []
    with path.open(encoding="utf-8", newline="") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            place = (row.get("place") or "").strip()
            try:
                population = int(row.get("population") or "")
            except ValueError:
                population = 0
            if not place or population <= 0:
                problems.append(
                    Problem(str(path), place, "population", "expected a place id and a positive population", line=line)
                )
                continue
            out[place] = {**row, "population": population}
    if problems:
        raise InvalidDataError(problems)
    return out
