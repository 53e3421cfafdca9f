"""Property-based fuzz of every CLI command and every HTTP route.

The commands are enumerated from the argparse parser and the routes from ``app.routes``,
so a new command or route is fuzzed without editing this file. Every CLI example runs
in-process (``photonics.cli.main``) in its own temporary working folder with bad values
for its arguments and options (non-finite and out-of-range numbers, long text, missing
and wrong-kind files, binary and code-tagged YAML, a board whose name climbs out of the
folder); a few run through the real entry point in a subprocess. Asserted: exit status 0
or 2 (1 for a batch whose lines failed), at most one line on stderr for an error, no traceback, nothing written outside
the working folder. Every HTTP example asserts a status below 500, a JSON reply and no
echo of a large input. Bounded: few examples per command, a time limit per example.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import signal
import subprocess
import sys
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from photonics.cli import build_parser, main
from photonics.link import Board, BoardSpec
from photonics.service import create_app, serve_in_thread

from conftest import analytic_components, link_document

REPO = Path(__file__).resolve().parents[1]
EXAMPLE_SECONDS = 30

LINK: dict[str, Any] = link_document(
    path=[{"kind": "coupler"}, {"kind": "waveguide", "length_cm": 4.0}],
)
ESCAPING_BOARD = {
    "name": "../../escaped", "accelerators": 4,
    "placement": {"kind": "grid", "columns": 2, "pitch_um": 30000.0},
    "topology": {"kind": "mesh2d"},
    "routing": {"guide_pitch_um": 32.0, "max_bend_loss_db_per_90deg": 0.1}, "link": LINK,
}

#: Files made in every example's working folder (name -> bytes).
FILES: dict[str, bytes] = {
    "afile.txt": b"plain text, not a spec\n",
    "bin.yaml": b"\x89PNG\r\n\x1a\n\xff\xfe\x00\x01binary",
    "bin.nc": b"\x89HDF\r\n\x1a\nnot really",
    "code.yaml": b"!!python/object/apply:os.system ['touch ../pwned']\n",
    "list.yaml": b"- 1\n- 2\n",
    "nan.json": b'{"accelerators": NaN, "link": {"rate_gbps": Infinity}}',
    "huge.yaml": b"accelerators: 1e400\nfunction: 'os:system'\ngrid: {x: {start: 0, stop: 1, num: 1000000000}}\n",
    "escape.yaml": yaml.safe_dump(ESCAPING_BOARD).encode(),
    "escape_layout.yaml": yaml.safe_dump({"board": ESCAPING_BOARD}).encode(),
    "adir/keep.txt": b"a folder that is not a run\n",
}

#: Values given to arguments and options: each is wrong for numbers, and paths stay
#: inside the working folder.
BAD_VALUES = [
    "nan", "inf", "-inf", "1e400", "-1", "0", "abc", "", "x" * 3000, "1,2,3", "a=b", "1e308,nan",
    "routing.guide_pitch_um=nan", "length_um=1e12", "missing.yaml", "missing/x.nc", "adir", "afile.txt",
    *[name for name in FILES if "/" not in name],
]


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))  # noqa: SLF001
    return dict(sub.choices)


COMMANDS = _subcommands()


class ExampleTimeout(BaseException):
    """An example ran longer than :data:`EXAMPLE_SECONDS` (not an error a command catches)."""


def _alarm(_signum: int, _frame: Any) -> None:
    raise ExampleTimeout(f"example ran longer than {EXAMPLE_SECONDS} s")


@contextlib.contextmanager
def sandbox() -> Iterator[tuple[Path, Path]]:
    """A temporary root holding the working folder ``root/work``; cwd is the latter."""
    old = os.getcwd()
    env = {k: os.environ.get(k) for k in ("PHOTONICS_CACHE_DIR", "HOME", "MPLCONFIGDIR")}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        work = root / "work"
        work.mkdir()
        for name, data in FILES.items():
            (work / name).parent.mkdir(parents=True, exist_ok=True)
            (work / name).write_bytes(data)
        os.environ["PHOTONICS_CACHE_DIR"] = str(work / "cache")
        os.chdir(work)
        try:
            yield root, work
        finally:
            os.chdir(old)
            for k, v in env.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def run_in_process(argv: list[str]) -> tuple[int, str, str]:
    """``main(argv)`` with stdin garbage, stdout/stderr captured, warnings shown as the
    CLI shows them, and a time limit."""
    out, err = io.StringIO(), io.StringIO()
    stdin = sys.stdin
    sys.stdin = io.StringIO('{"src": true, "dst": NaN}\nnot json\n')
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(EXAMPLE_SECONDS)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), warnings.catch_warnings():
            warnings.simplefilter("default")
            rc = main(argv)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        sys.stdin = stdin
    return rc, out.getvalue(), err.getvalue()


def check_outcome(argv: list[str], rc: int, out: str, err: str) -> None:
    # 1 is a finished job that reports failures in its output: a batch query's bad lines
    # (one JSON error per line), or ``layout --check`` finding a violation
    assert rc in (0, 2) or (rc == 1 and argv[0] in ("query", "layout")), (argv, rc, err[-500:])
    assert "Traceback" not in err and "Traceback" not in out, (argv, err[-2000:])
    if rc == 2:
        lines = [ln for ln in err.splitlines() if ": warning: " not in ln]
        assert len(lines) <= 1, (argv, err[-2000:])
        assert all(len(ln) <= 1000 for ln in lines), (argv, "message not cut")


def _argv_for(command: str, parser: argparse.ArgumentParser) -> st.SearchStrategy[list[str]]:
    positionals = [a for a in parser._actions if not a.option_strings and a.nargs != argparse.REMAINDER]  # noqa: SLF001
    options = [a for a in parser._actions if a.option_strings and "-h" not in a.option_strings]  # noqa: SLF001
    value = st.sampled_from(BAD_VALUES)
    # every positional gets a value (so that an optional one never means "run the default job")
    pos = st.tuples(*[value for _ in positionals]) if positionals else st.just(())

    def option(action: argparse.Action) -> st.SearchStrategy[list[str]]:
        flag = action.option_strings[-1]
        if action.nargs == 0:
            return st.just([flag])
        return value.map(lambda v: [flag, v])

    opts = st.lists(st.one_of(*[option(a) for a in options]), max_size=3) if options else st.just([])
    extra = st.lists(st.sampled_from(["--param", "length_um=1e12", "--gap-um", "nan", "--json"]), max_size=2)
    return st.builds(lambda p, o, e: [command, *p, *[t for pair in o for t in pair], *e], pos, opts, extra)


@pytest.fixture(autouse=True)
def _no_real_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """``photonics serve`` with arguments that happen to be valid would serve forever:
    its socket is bound and checked, then the server returns at once."""
    import uvicorn

    monkeypatch.setattr(uvicorn.Server, "run", lambda self, sockets=None: None)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_cli_command_fails_in_one_line(command: str) -> None:
    @settings(max_examples=6, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(argv=_argv_for(command, COMMANDS[command]))
    def prop(argv: list[str]) -> None:
        with sandbox() as (root, work):
            before = _listing(root)
            rc, out, err = run_in_process(argv)
            check_outcome(argv, rc, out, err)
            assert _listing(root) == before, (argv, "wrote outside the working folder")
            assert not (root / "pwned").exists()

    prop()


def test_board_names_never_leave_the_folder() -> None:
    with sandbox() as (root, work):
        before = _listing(root)
        argv = ["layout", "board", "escape_layout.yaml", "-o", "b.gds", "--trajectories", "traj", "--png", "b.png"]
        rc, out, err = run_in_process(argv)
        assert rc == 0, err
        assert _listing(root) == before
        assert sorted(p.name for p in (work / "traj").iterdir()) == ["escaped.csv", "escaped.gcode"]


@pytest.mark.parametrize("argv", [
    ["board", "bin.yaml"],
    ["sweep", "huge.yaml", "-o", "t.nc"],
    ["layout", "straight", "-o", "x.gds", "--passes", "0"],
    ["nosuchcommand"],
])
def test_real_entry_point(argv: list[str]) -> None:
    with sandbox() as (root, work):
        before = _listing(root)
        r = subprocess.run([sys.executable, "-m", "photonics", *argv], capture_output=True, text=True, timeout=120,
                           env={**os.environ, "PYTHONPATH": str(REPO)})
        check_outcome(argv, r.returncode, r.stdout, r.stderr)
        assert r.returncode == 2 and r.stderr.count("\n") == 1
        assert _listing(root) == before


# ---------------------------------------------------------------------------- HTTP
LIB = analytic_components()

_leaf = st.one_of(
    st.none(), st.booleans(), st.integers(-10**30, 10**30), st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([1e308, -1e308, 5e-324, 0.0, -1.0, 1e6]), st.text(max_size=20), st.just("z" * 5000),
)
_json = st.recursive(_leaf, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                   st.dictionaries(st.text(max_size=12), inner, max_size=4)),
                     max_leaves=12)


def _mutations(doc: Any) -> st.SearchStrategy[Any]:
    """``doc`` with one leaf (or one key's value) replaced by fuzz."""
    paths: list[tuple[Any, ...]] = []

    def walk(node: Any, at: tuple[Any, ...]) -> None:
        paths.append(at)
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, (*at, k))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, (*at, i))

    walk(doc, ())

    def apply(path: tuple[Any, ...], value: Any) -> Any:
        new = json.loads(json.dumps(doc))
        if not path:
            return value
        node = new
        for k in path[:-1]:
            node = node[k]
        node[path[-1]] = value
        return new

    return st.builds(apply, st.sampled_from(paths), _json)


VALID_BODIES = {"/v1/link": LINK, "/v1/board/query": {"src": [0, 1], "dst": [1, 2]}}


@pytest.fixture(scope="module")
def http() -> Iterator[tuple[httpx.Client, Any]]:
    board = Board(BoardSpec.model_validate({**ESCAPING_BOARD, "topology": {"kind": "full_mesh"}}), LIB)
    app = create_app(board, LIB)
    handle = serve_in_thread(app)
    try:
        with httpx.Client(base_url=handle.url, timeout=30) as c:
            yield c, app
    finally:
        handle.stop()


def _routes() -> list[tuple[str, str]]:
    app = create_app(None, LIB)
    return sorted((r.path, m) for r in app.routes for m in (getattr(r, "methods", None) or ()) if m != "HEAD")


@pytest.mark.parametrize("path, method", _routes())
def test_every_http_route_answers_bad_bodies_below_500(http: tuple[httpx.Client, Any], path: str, method: str) -> None:
    client, _ = http
    base = VALID_BODIES.get(path, {})
    bodies = st.one_of(_json, _mutations(base), st.binary(max_size=64).map(lambda b: b))

    @settings(max_examples=25, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(body=bodies)
    def prop(body: Any) -> None:
        content = body if isinstance(body, bytes) else json.dumps(body, allow_nan=True).encode()
        r = client.request(method, path, content=content, headers={"content-type": "application/json"})
        assert r.status_code < 500, (path, content[:300], r.text[:500])
        assert r.headers.get("content-type", "").startswith(("application/json", "text/html")), r.headers
        if r.status_code >= 400:
            assert len(r.content) < 20_000 and "z" * 200 not in r.text, (path, r.text[:300])

    prop()


def test_deeply_nested_body_is_4xx(http: tuple[httpx.Client, Any]) -> None:
    client, _ = http
    for path in VALID_BODIES:
        r = client.post(path, content=b"[" * 100_000 + b"]" * 100_000, headers={"content-type": "application/json"})
        assert 400 <= r.status_code < 500, r.text[:300]
