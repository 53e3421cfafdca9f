"""The tutorial notebooks run from top to bottom without error (small settings).

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


def test_five_tutorials_exist() -> None:
    names = [p.name for p in NOTEBOOKS]
    assert len(names) == 5, names


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
    assert not any(c.get("outputs") for c in nb.cells if c.cell_type == "code"), "store notebooks without outputs"
    client = nbclient.NotebookClient(nb, timeout=240, kernel_name=kernel_name,
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors
    # every code cell ran
    assert all(c.get("execution_count") for c in nb.cells if c.cell_type == "code")
