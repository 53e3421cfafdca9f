"""The tutorial notebooks run from top to bottom without error (small settings), and are
committed executed (with their plots) and up to date with ``notebooks/make_notebooks.py``.

Each notebook is executed in a fresh ``python3`` kernel (provided by ipykernel in the
environment) with the working directory set to a temporary folder, so no notebook
writes into the repository.
"""

from __future__ import annotations

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
MAX_PNG_BYTES = 120_000
"""Largest stored figure (modest resolution keeps the committed notebooks small)."""


def _generator():  # type: ignore[no-untyped-def]
    import importlib.util

    path = Path(__file__).resolve().parent.parent / "notebooks" / "make_notebooks.py"
    spec = importlib.util.spec_from_file_location("make_notebooks", path)
    mod = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_committed_executed_and_up_to_date(path: Path) -> None:
    import base64

    nb = nbformat.read(path, as_version=4)
    fresh = _generator().build(path.name)
    assert [c.source for c in nb.cells] == [c.source for c in fresh.cells], "rerun notebooks/make_notebooks.py"
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.get("execution_count") for c in code_cells), "commit the notebooks executed"
    outputs = [o for c in code_cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    pngs = [base64.b64decode(o["data"]["image/png"]) for o in outputs if "image/png" in o.get("data", {})]
    if any("plt." in c.source for c in code_cells):
        assert pngs, "the reader sees the plots"
    assert all(len(p) < MAX_PNG_BYTES for p in pngs)


def test_committed_notebooks_are_exactly_the_generated_ones() -> None:
    """No tutorial missing, none stale: the committed set is the generator's set."""
    assert {p.name for p in NOTEBOOKS} == set(_generator().NOTEBOOKS)


@pytest.fixture(scope="module")
def kernel_name() -> str:
    # nbclient starts the kernel named in the notebook; ipykernel installs "python3" into
    # sys.prefix/share/jupyter/kernels, and jupyter_client runs it with this interpreter.
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec("python3")
    except NoSuchKernel:  # pragma: no cover - an environment without ipykernel's data files
        pytest.skip("no python3 kernel: pip install ipykernel")
    return "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_executes(path: Path, kernel_name: str, tmp_path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    for c in nb.cells:  # run from a clean state
        if c.cell_type == "code":
            c.outputs, c.execution_count = [], None
    client = nbclient.NotebookClient(nb, timeout=240, kernel_name=kernel_name,
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors
    # every code cell ran
    assert all(c.get("execution_count") for c in nb.cells if c.cell_type == "code")
