"""S-parameter tables from beam propagation, with provenance and caching.

Beam propagation is one-way: it gives S[out, in] for every output port and launched input
port. The table fills S[in, out] by reciprocity and leaves reflections and in-in / out-out
couplings at zero (a forward-propagating method sees none). Port order: inputs, then
outputs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict

import numpy as np
import xarray as xr

from photonics.bpm.options import BPMOptions
from photonics.bpm.run import SOLVER_NAME, SOLVER_VERSION, BPMResult, run_bpm
from photonics.device.device import Device
from photonics.errors import InputError
from photonics.run_cost import RunCost, bpm_cost

__all__ = ["bpm_sparams", "sparams_from_results"]


def sparams_from_results(device: Device, results: Sequence[BPMResult], options: BPMOptions) -> xr.DataArray:
    """Assemble the S-parameter table of ``device`` from one BPM run per input port."""
    from photonics.tables import Provenance, make_sparams

    if not results:
        raise InputError("at least one BPM result is needed")
    ports = list(device.input_ports) + list(device.output_ports)
    idx = {p: i for i, p in enumerate(ports)}
    s = np.zeros((1, len(ports), len(ports)), dtype=complex)
    wl = results[0].wavelength_um
    for r in results:
        if r.input_port not in idx:
            raise InputError(f"result launched {r.input_port!r}, which is not a port of {device.name!r}")
        if r.wavelength_um != wl:
            raise InputError("all results must share one wavelength")
        j = idx[r.input_port]
        for out, amp in r.amplitudes.items():
            s[0, idx[out], j] = amp
            s[0, j, idx[out]] = amp
    first = results[0]
    prov = Provenance(
        solver=SOLVER_NAME,
        solver_version=SOLVER_VERSION,
        settings={"device": device.name, "device_params": dict(device.params), "options": asdict(options),
                  "inputs": [r.input_port for r in results], "n_ref": first.n_ref, "dz_um": first.dz_um},
        grid=dict(first.settings["grid"]),
        convergence={r.input_port: dict(r.convergence) for r in results},
    )
    return make_sparams(s, [wl], ports, provenance=prov)


def bpm_sparams(
    device: Device,
    options: BPMOptions | None = None,
    *,
    wavelength_um: float | None = None,
    inputs: Sequence[str] | None = None,
    cache: object | None = None,
    confirm: Callable[[RunCost], None] | None = None,
    progress: bool = False,
) -> xr.DataArray:
    """S-parameters of ``device`` by beam propagation, one run per input port.

    Args:
        device: The device (z-monotonic guides, inputs on its first plane).
        options: BPM settings (default :class:`BPMOptions`).
        wavelength_um: Vacuum wavelength in µm (default: the device's design wavelength).
        inputs: Input ports to launch (default: all).
        cache: A :class:`photonics.tables.Cache` to read from and write to, or None.
        confirm: Called once, before the first march (not on a cache hit), with the
            estimated cost of all the runs (:func:`photonics.run_cost.bpm_cost` of the first
            input's grid and steps, times the number of inputs); it may raise to stop.
        progress: Show a progress bar of the steps of each run on stderr.

    Returns:
        Complex DataArray (wavelength, port_out, port_in) with provenance in attrs.
    """
    from photonics.tables import Cache, cache_key

    options = options or BPMOptions()
    wl = wavelength_um if wavelength_um is not None else device.wavelength_um
    inputs = list(inputs) if inputs is not None else list(device.input_ports)
    for name in inputs:
        if name not in device.input_ports:
            raise InputError(f"{name!r} is not an input port of {device.name!r}; inputs: {', '.join(device.input_ports)}")
    if cache is not None and not isinstance(cache, Cache):
        raise InputError(f"cache must be a photonics.tables.Cache or None, got {type(cache).__name__}")
    key = None
    if cache is not None:
        key = cache_key({"device": device, "options": options, "wavelength_um": wl, "inputs": inputs},
                        SOLVER_NAME, SOLVER_VERSION)
        hit = cache.get(key)
        if hit is not None:
            return hit
    modes: dict = {}
    def confirm_all(cost: RunCost) -> None:
        if confirm is not None:
            confirm(bpm_cost(cost.cells, cost.time_steps, cost.runs * len(inputs)))

    results = [run_bpm(device, name, options, wavelength_um=wl, mode_cache=modes,
                       confirm=confirm_all if i == 0 else None, progress=progress)
               for i, name in enumerate(inputs)]
    table = sparams_from_results(device, results, options)
    if cache is not None and key is not None:
        cache.put(key, table)
    return table
