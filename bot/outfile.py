"""Write an answer file so that nothing is lost: through to a device or pipe, else by a temporary file renamed over it.

A regular file (reached through any symlinks) is replaced in one rename, so it
holds the old answers or the complete new ones, never a part. The temporary
``.part`` file is locked while its run is alive; a run killed outright (SIGKILL,
power loss) leaves it behind, and the next run writing the same file removes
it once no live process holds that lock.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import json
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

try:
    import fcntl
except ImportError:  # Windows: no advisory locks, so stale .part files are left alone
    fcntl = None  # type: ignore[assignment]

from .errors import BatchFileError

__all__ = ["Target", "check_output", "open_output", "remove_stale_parts", "replace_durably", "cannot_write"]


@dataclass(frozen=True)
class Target:
    """Where ``-o`` writes."""

    path: Path
    """The file itself: the path given, with symlinks followed."""
    special: bool = False
    """An existing file that is not a regular one (a device, a FIFO, a socket): written through, never replaced."""


def cannot_write(name: str, exc: OSError) -> BatchFileError:
    """The one-line error for an answer file that cannot be written."""
    return BatchFileError(f"{name}: cannot be written ({exc.strerror or exc}); "
                          "check the free space and the folder's permissions, or choose another -o")


def check_output(name: str) -> Target:
    """Fail before any work when *name* cannot be written; returns what to write."""
    try:
        info = os.stat(name)  # follows symlinks
    except FileNotFoundError:
        info = None  # a new file, or a symlink to one
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise BatchFileError(f"{name}: symlink loop; point the link at a file, or choose another -o") from None
        if exc.errno != errno.ENOTDIR:  # a parent that is a file: reported below as a missing folder
            raise cannot_write(name, exc) from None
        info = None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise BatchFileError(f"{name}: is a folder; give a file name for -o")
    if info is not None and not stat.S_ISREG(info.st_mode):
        return Target(Path(name), special=True)
    path = Path(os.path.realpath(name))
    if not path.parent.is_dir():
        raise BatchFileError(f"{name}: the folder {str(path.parent)!r} does not exist; create it or choose another -o")
    if not os.access(path.parent, os.W_OK):
        raise BatchFileError(f"{name}: the folder {str(path.parent)!r} is not writable; choose another -o")
    return Target(path)


def _final_mode(path: Path) -> int:
    """The permissions the answer file gets: those of the file it replaces, else what the umask allows."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _fsync_folder(folder: Path) -> None:
    # The rename itself must reach the disk too; not every system can open a folder (Windows), hence best effort.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def store_atomically(path: Path, write: Callable[[str], None], *, prefix: str) -> bool:
    """Write *path* through a temporary file beside it (``write(tmp)`` fills it), then rename it over *path*
    (:func:`replace_durably`): readers see the old file or the new one, never half of one. Returns False, writing
    nothing, when the folder cannot be written (a cache in a read-only home only costs the next start-up)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=path.parent)
        os.close(fd)
        try:
            write(tmp)
            replace_durably(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except OSError:
        return False
    return True


def write_json(data: object) -> Callable[[str], None]:
    """A writer for :func:`store_atomically` that puts *data* in a file as compact UTF-8 JSON."""
    def write(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, separators=(",", ":"))
    return write


def replace_durably(tmp: str | Path, path: Path) -> None:
    """Rename *tmp* over *path* once its bytes are on disk: after a crash, *path* is the old file or the new one.

    Without the fsync, a crash soon after the rename can leave an empty file
    under the new name (the rename reaches the disk before the data).
    """
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_folder(path.parent)


def _lock(path: str) -> int | None:
    """Hold an advisory lock on *path* while this run writes it (a descriptor to close), so no other run removes it."""
    if fcntl is None:
        return None
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # a file system without locks: the file is merely unprotected
        os.close(fd)
        return None
    return fd


def remove_stale_parts(path: Path) -> list[Path]:
    """Remove the ``.part`` files that runs writing *path* left behind and no live process holds; returns them."""
    if fcntl is None:
        return []
    removed = []
    for part in path.parent.glob(f".{glob.escape(path.name)}.*.part"):
        try:
            # O_NONBLOCK: a FIFO under that name must not hang us; O_NOFOLLOW: a symlink is not ours.
            fd = os.open(part, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            continue
        try:
            if stat.S_ISREG(os.fstat(fd).st_mode):
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # BlockingIOError: a live run is writing it
                part.unlink()
                removed.append(part)
        except OSError:
            pass
        finally:
            os.close(fd)
    return removed


@contextlib.contextmanager
def _flushed(fh: IO[str], name: str) -> Iterator[IO[str]]:
    """*fh*, flushed when the block ends well (a write error then is told) and closed in any case."""
    try:
        yield fh
        try:
            fh.flush()
        except OSError as exc:
            raise cannot_write(name, exc) from None
    finally:
        with contextlib.suppress(OSError):  # /dev/full fails again on close; what went wrong is already raised
            fh.close()


@contextlib.contextmanager
def open_output(target: Target, name: str, *, encoding: str = "utf-8") -> Iterator[IO[str]]:
    """A text stream onto *target*; *name* is the path as given, for messages.

    A special file is written through. A regular file is written to a locked
    temporary file beside it, renamed over it when the block ends without an
    exception, and removed otherwise (Ctrl-C, SIGTERM, an error).

    Raises
    ------
    BatchFileError
        When the file cannot be opened, written or put in place.
    """
    if target.special:
        try:
            special: IO[str] = open(target.path, "w", encoding=encoding, newline="")
        except OSError as exc:
            raise cannot_write(name, exc) from None
        with _flushed(special, name):
            yield special
        return
    remove_stale_parts(target.path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.path.name}.", suffix=".part", dir=target.path.parent)
    except OSError as exc:
        raise cannot_write(name, exc) from None
    lock = None
    try:
        lock = _lock(tmp)
        stream: IO[str] = os.fdopen(fd, "w", encoding=encoding, newline="")
        with _flushed(stream, name) as written:
            yield written
        try:
            os.chmod(tmp, _final_mode(target.path))  # mkstemp makes it private (0600)
            replace_durably(tmp, target.path)
        except OSError as exc:
            raise cannot_write(name, exc) from None
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    finally:
        if lock is not None:
            os.close(lock)
