"""Every ```sh and ```python block of README.md runs as written.

Each block runs in a fresh temporary folder holding ``.venv`` (a link to the environment
running the tests, so ``.venv/bin/photonics`` works as the README writes it, and its
``bin`` is first on PATH) and ``examples`` (a link to the repository's examples), with
the repository on PYTHONPATH; a block gets at most ``BLOCK_TIMEOUT_S`` seconds.

The line immediately before a block's opening fence (blank lines aside) may say

* ``<!-- readme-test: skip (reason) -->``: the block is not run (needs a server, takes
  minutes);
* ``<!-- readme-test: slow (reason) -->``: the block runs only with the ``slow`` tests
  (``make test-all``).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BLOCK_TIMEOUT_S = 240.0
_MARK = re.compile(r"<!--\s*readme-test:\s*(skip|slow)\b(.*?)-->")


@dataclass(frozen=True)
class Block:
    """A fenced block of README.md: language, first line number (1-based), text, mark."""

    lang: str
    line: int
    text: str
    mark: str = ""
    reason: str = ""


def readme_blocks(text: str) -> list[Block]:
    """The ```sh and ```python blocks of a Markdown text, with their readme-test marks."""
    lines = text.splitlines()
    out: list[Block] = []
    i = 0
    while i < len(lines):
        m = re.match(r"^```(\w+)?\s*$", lines[i])
        if not m:
            i += 1
            continue
        lang = (m.group(1) or "").lower()
        j = i + 1
        while j < len(lines) and not lines[j].startswith("```"):
            j += 1
        if lang in ("sh", "bash", "python"):
            k = i - 1
            while k >= 0 and not lines[k].strip():
                k -= 1
            mark = _MARK.search(lines[k]) if k >= 0 else None
            out.append(Block("python" if lang == "python" else "sh", i + 1, "\n".join(lines[i + 1:j]) + "\n",
                             mark.group(1) if mark else "", mark.group(2).strip() if mark else ""))
        i = j + 1
    return out


def _venv() -> Path:
    local = ROOT / ".venv"
    return local if (local / "bin" / "python").exists() else Path(sys.prefix)


def _params() -> list[object]:
    out: list[object] = []
    for b in readme_blocks(README.read_text(encoding="utf-8")):
        marks = []
        if b.mark == "skip":
            marks.append(pytest.mark.skip(reason=f"README marks it skip {b.reason}"))
        elif b.mark == "slow":
            marks.append(pytest.mark.slow)
        out.append(pytest.param(b, id=f"{b.lang}-line{b.line}", marks=marks))
    return out


def test_block_parser_reads_marks() -> None:
    text = ("x\n```sh\necho a\n```\n<!-- readme-test: skip (server) -->\n\n```python\nprint(1)\n```\n"
            "```text\nout\n```\n<!-- readme-test: slow (minutes) -->\n```bash\nsleep 1\n```\n")
    b = readme_blocks(text)
    assert [(x.lang, x.line, x.mark) for x in b] == [("sh", 2, ""), ("python", 7, "skip"), ("sh", 14, "slow")]
    assert b[0].text == "echo a\n" and b[1].reason == "(server)"


@pytest.mark.timeout(BLOCK_TIMEOUT_S + 60)
@pytest.mark.parametrize("block", _params())
def test_readme_block_runs_as_written(block: Block, tmp_path: Path) -> None:
    venv = _venv()
    (tmp_path / ".venv").symlink_to(venv, target_is_directory=True)
    (tmp_path / "examples").symlink_to(ROOT / "examples", target_is_directory=True)
    env = {**os.environ, "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
           "PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg", "PHOTONICS_CACHE_DIR": str(tmp_path / ".cache")}
    if block.lang == "python":
        script = tmp_path / "block.py"
        script.write_text(block.text, encoding="utf-8")
        cmd = [str(venv / "bin" / "python"), str(script)]
    else:
        cmd = ["bash", "-euo", "pipefail", "-c", block.text]
    try:
        res = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=BLOCK_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        pytest.fail(f"README.md line {block.line}: the block ran longer than {BLOCK_TIMEOUT_S:.0f} s")
    assert res.returncode == 0, (f"README.md line {block.line} ({block.lang}) exited {res.returncode}:\n"
                                 f"{block.text}\n--- stderr ---\n{res.stderr[-3000:]}")
