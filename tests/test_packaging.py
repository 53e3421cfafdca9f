"""Packaging: the SPDX licence, and an import that does not depend on the working
directory (a clone named ``photonics`` next to the script must not shadow the package)."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import photonics

ROOT = Path(__file__).resolve().parent.parent


def test_license_is_an_spdx_expression_and_setuptools_supports_it() -> None:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert meta["project"]["license"] == "MIT"
    # PEP 639 licence expressions need setuptools >= 77
    req = [r for r in meta["build-system"]["requires"] if r.startswith("setuptools")]
    assert req == ["setuptools>=77"]
    assert photonics.__version__ == meta["project"]["version"]


def test_a_folder_named_photonics_in_the_working_directory_does_not_shadow_the_package(tmp_path: Path) -> None:
    # the clone: a folder named photonics (no __init__.py at its top) in the working directory,
    # which Python would otherwise take as a namespace package "photonics"
    (tmp_path / "photonics").mkdir()
    (tmp_path / "photonics" / "README.md").write_text("a clone\n")
    # the install puts the repository on sys.path as a path entry (.pth), as `make` does
    # with `pip install -e . --config-settings editable_mode=compat`
    code = (f"import sys; sys.path.append({str(ROOT)!r})\n"
            "import photonics, photonics.link\n"
            "print(photonics.__version__, photonics.__file__)\n")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    res = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                         timeout=120)
    assert res.returncode == 0, res.stderr[-2000:]
    version, path = res.stdout.split()
    assert version == photonics.__version__
    assert Path(path).resolve() == ROOT / "photonics" / "__init__.py"


def test_makefile_installs_the_package_as_a_path_entry() -> None:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "pip install -q -e '.[dev]' --config-settings editable_mode=compat" in text


def test_every_test_has_a_time_limit(pytestconfig) -> None:  # type: ignore[no-untyped-def]
    """A hang fails fast: pytest-timeout (dev extra) with a per-test limit in pyproject."""
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert meta["tool"]["pytest"]["ini_options"]["timeout"] == 600
    assert any(r.startswith("pytest-timeout") for r in meta["project"]["optional-dependencies"]["dev"])
    assert pytestconfig.pluginmanager.hasplugin("timeout")
    assert float(pytestconfig.getini("timeout")) == 600.0
