"""Safe output paths: file names from user text, checks before computing, run folders.

* :func:`safe_filename` turns any label (a board's ``name``) into one plain file name,
  so nothing derived from it can point outside the folder it is written into.
* :func:`check_output_file` / :func:`check_output_dir` check an output path *before*
  the work that fills it, so a finished result is never lost to a missing folder or a
  file in the way of a directory.
* :func:`remove_stale_temporaries` deletes the temporary files an interrupted atomic
  write left behind (their writer process no longer exists, or they are a day old).
* :class:`RunFolder` stages a run's outputs in a hidden sibling folder and moves it into
  place when the run has finished: an interrupted run leaves the earlier run intact, a
  finished run never mixes with files of an earlier one. It refuses a non-empty folder
  that is not a photonics run unless ``overwrite`` is given.
"""

from __future__ import annotations

import glob
import json
import os
import re
import shutil
import time
from dataclasses import fields, is_dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from photonics.errors import InputError

__all__ = [
    "RUN_MARKER",
    "RunFolder",
    "check_output_dir",
    "check_output_file",
    "clip",
    "remove_stale_temporaries",
    "safe_filename",
]

#: File written last into a finished run folder; its presence marks a photonics run.
RUN_MARKER = ".photonics-run.json"

#: Temporary files older than this are stale whatever their name says, s.
STALE_AFTER_S = 24 * 3600.0

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_TMP_PID = re.compile(r"\.pid(\d+)\.")

T = TypeVar("T")


def clip(text: Any, limit: int = 80) -> str:
    """``repr``-like text of ``text`` cut to ``limit`` characters (``…`` marks a cut)."""
    s = text if isinstance(text, str) else repr(text)
    return s if len(s) <= limit else s[: limit - 1] + "…"


def safe_filename(name: Any, default: str = "board", max_length: int = 100) -> str:
    """A plain file name made from ``name``: letters, digits, ``.``, ``_`` and ``-`` only,
    no leading dot, at most ``max_length`` characters; ``default`` when nothing is left.

    ``"../../x"`` becomes ``"x"``, ``"/etc/passwd"`` becomes ``"etc_passwd"``.
    """
    text = "" if name is None else str(name)
    parts = [p for p in re.split(r"[/\\]+", text) if p not in ("", ".", "..")]
    out = _UNSAFE.sub("_", "_".join(parts)).strip("._-")[:max_length].strip("._-")
    return out or default


def inside(folder: str | Path, path: str | Path) -> Path:
    """``path`` resolved, after checking that it lies within ``folder``.

    Raises:
        InputError: If it does not.
    """
    root = Path(folder).resolve()
    p = Path(path)
    p = (p if p.is_absolute() else root / p).resolve()
    if p != root and root not in p.parents:
        raise InputError(f"{clip(str(path))} lies outside the output folder {str(root)!r}")
    return p


def _nearest_existing(p: Path) -> Path:
    while not p.exists() and p != p.parent:
        p = p.parent
    return p


def check_output_file(path: str | Path | None, option: str = "--output", *, create_parents: bool = False) -> Path | None:
    """Check that the file ``path`` can be written, before computing what goes in it.

    Args:
        path: The file (None: nothing to check).
        option: The option or argument naming it, quoted in the message.
        create_parents: Whether missing folders will be created by the writer.

    Raises:
        InputError: If it is a folder, its folder is missing (unless ``create_parents``)
            or not a folder, or its folder is not writable.
    """
    if path is None:
        return None
    p = Path(path).expanduser()
    if p.is_dir():
        raise InputError(f"{option}={clip(str(p))} is a folder; give a file name")
    parent = p.parent
    if not parent.exists() and not create_parents:
        raise InputError(f"{option}={clip(str(p))}: the folder {clip(str(parent))} does not exist")
    base = _nearest_existing(parent)
    if not base.is_dir():
        raise InputError(f"{option}={clip(str(p))}: {clip(str(base))} is a file, not a folder")
    if not os.access(base, os.W_OK | os.X_OK):
        raise InputError(f"{option}={clip(str(p))}: the folder {clip(str(base))} is not writable")
    if p.exists() and not os.access(p, os.W_OK):
        raise InputError(f"{option}={clip(str(p))} is not writable")
    return p


def check_output_dir(path: str | Path | None, option: str = "--output") -> Path | None:
    """Check that the folder ``path`` exists or can be created, and is writable.

    Raises:
        InputError: If it is a file, a file stands in the way, or it cannot be written.
    """
    if path is None:
        return None
    p = Path(path).expanduser()
    if p.exists() and not p.is_dir():
        raise InputError(f"{option}={clip(str(p))} is a file, not a folder")
    base = _nearest_existing(p)
    if not base.is_dir():
        raise InputError(f"{option}={clip(str(p))}: {clip(str(base))} is a file, not a folder")
    if not os.access(base, os.W_OK | os.X_OK):
        raise InputError(f"{option}={clip(str(p))}: the folder {clip(str(base))} is not writable")
    return p


def temporary_prefix(target: Path) -> str:
    """Prefix of the temporary files of an atomic write of ``target``: hidden, and
    naming the writing process so that a later start can tell a stale one."""
    return f".{target.name}.pid{os.getpid()}."


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, another user's
        return True
    return True


def remove_stale_temporaries(folder: str | Path, pattern: str = ".*.tmp", *, recursive: bool = False,
                             limit: int = 10_000) -> int:
    """Delete temporary files left by interrupted writes; return how many.

    A file matching ``pattern`` is stale when the process named in it (``.pidNNN.``) is
    gone, or, naming none, when it is older than a day. Missing or unreadable folders
    are skipped. At most ``limit`` entries are examined.
    """
    root = Path(folder)
    removed = 0
    try:
        it = root.rglob(pattern) if recursive else root.glob(pattern)
        for k, f in enumerate(it):
            if k >= limit:
                break
            m = _TMP_PID.search(f.name)
            try:
                stale = (not _pid_alive(int(m.group(1)))) if m else (time.time() - f.stat().st_mtime > STALE_AFTER_S)
                if stale and f.is_file():
                    f.unlink()
                    removed += 1
            except OSError:
                continue
    except OSError:
        return removed
    return removed


def _is_previous_run(folder: Path) -> bool:
    if (folder / RUN_MARKER).is_file():
        return True
    summary = folder / "summary.json"
    try:
        return summary.is_file() and "photonics_version" in json.loads(summary.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False


def _rebase(obj: T, old: Path, new: Path, depth: int = 0) -> T:
    """Copy of ``obj`` with every Path under ``old`` moved under ``new`` (frozen
    dataclasses, tuples, lists and dicts are rebuilt; other objects kept)."""
    if depth > 6:
        return obj
    if isinstance(obj, Path):
        try:
            return new / obj.relative_to(old)  # type: ignore[return-value]
        except ValueError:
            return obj
    if is_dataclass(obj) and not isinstance(obj, type):
        changes = {}
        for f in fields(obj):
            if not f.init:
                continue
            v = getattr(obj, f.name)
            nv = _rebase(v, old, new, depth + 1)
            if nv is not v:
                changes[f.name] = nv
        return replace(obj, **changes) if changes else obj
    if isinstance(obj, (tuple, list)):
        items = [_rebase(v, old, new, depth + 1) for v in obj]
        if any(a is not b for a, b in zip(items, obj)):
            return type(obj)(items) if isinstance(obj, list) or type(obj) is tuple else obj  # type: ignore[return-value]
        return obj
    if isinstance(obj, dict):
        d = {k: _rebase(v, old, new, depth + 1) for k, v in obj.items()}
        return d if any(d[k] is not obj[k] for k in obj) else obj  # type: ignore[return-value]
    return obj


class RunFolder:
    """Stage a run's outputs and move them into ``final`` when the run has finished.

    Use::

        folder = RunFolder("out", overwrite=False)   # checks, before any work
        ... write everything into folder.staging ...
        note = folder.commit()                        # atomic swap; '' or one line

    ``final`` may be missing, empty, or hold an earlier photonics run (recognised by
    :data:`RUN_MARKER` or its ``summary.json``): the earlier run is replaced as a whole
    (never mixed with the new files) and :meth:`commit` returns a line saying so. Any
    other non-empty folder is refused unless ``overwrite``. Staging folders of earlier
    interrupted runs (whose process is gone) are removed on start, and an earlier run set
    aside by a commit that was killed half-way is put back.

    Raises:
        InputError: If ``final`` is a file, a non-empty folder that is not a run
            (without ``overwrite``), the current folder, an ancestor of it, or the home
            folder, or if its parent cannot be written.
    """

    def __init__(self, final: str | Path, *, overwrite: bool = False, option: str = "--output") -> None:
        self.final = Path(final).expanduser().resolve()
        check_output_dir(self.final, option)
        cwd, home = Path.cwd().resolve(), Path.home().resolve()
        if self.final == cwd or self.final in cwd.parents or self.final == home or self.final == self.final.parent:
            raise InputError(f"{option}={clip(str(final))} is the current folder, one of its parents or the home "
                             "folder; a run replaces its output folder as a whole: give a folder of its own")
        if self.final.parent.is_dir():
            self._remove_stale_staging(self.final.parent)
        self.previous = False
        if self.final.exists() and any(self.final.iterdir()):
            self.previous = _is_previous_run(self.final)
            if not self.previous and not overwrite:
                raise InputError(
                    f"{option}={clip(str(final))} is a non-empty folder that is not a photonics run; a run replaces "
                    "its output folder as a whole: choose another folder, or pass --overwrite to replace it"
                )
        parent = self.final.parent
        parent.mkdir(parents=True, exist_ok=True)
        self.staging = parent / f".{self.final.name}.pid{os.getpid()}.partial"
        if self.staging.exists():
            shutil.rmtree(self.staging)
        self.staging.mkdir()
        self.committed = False

    def _remove_stale_staging(self, parent: Path) -> None:
        for d in parent.glob(f".{glob.escape(self.final.name)}.pid*.partial"):
            m = _TMP_PID.search(d.name + ".")
            if d.is_dir() and m and not _pid_alive(int(m.group(1))):
                shutil.rmtree(d, ignore_errors=True)
        for d in parent.glob(f".{glob.escape(self.final.name)}.pid*.old"):
            m = _TMP_PID.search(d.name + ".")
            if d.is_dir() and m and not _pid_alive(int(m.group(1))):
                if not self.final.exists():  # killed between the two renames of a commit
                    os.replace(d, self.final)
                else:
                    shutil.rmtree(d, ignore_errors=True)

    def commit(self, marker: dict[str, Any] | None = None) -> str:
        """Write the completion marker, swap the staging folder into place; return ''
        or one line saying what was replaced."""
        (self.staging / RUN_MARKER).write_text(json.dumps({"complete": True, **(marker or {})}), encoding="utf-8")
        note = ""
        if self.final.exists():
            old = self.final.parent / f".{self.final.name}.pid{os.getpid()}.old"
            if old.exists():
                shutil.rmtree(old)
            os.replace(self.final, old)
            os.replace(self.staging, self.final)
            shutil.rmtree(old, ignore_errors=True)
            if self.previous:
                note = f"replaced the earlier run in {self.final}"
            else:
                note = f"replaced the content of {self.final} (--overwrite)"
        else:
            os.replace(self.staging, self.final)
        self.committed = True
        return note

    def discard(self) -> None:
        """Remove the staging folder (an unfinished run); the earlier run stays."""
        if not self.committed:
            shutil.rmtree(self.staging, ignore_errors=True)

    def rebase(self, obj: T) -> T:
        """``obj`` with its paths into the staging folder pointing into the final one."""
        return _rebase(obj, self.staging, self.final)
