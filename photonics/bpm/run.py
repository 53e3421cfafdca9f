"""Beam propagation through a device: launch, march, project onto the output ports.

:func:`run_bpm` launches a port's mode (or a Gaussian) at the device's input plane,
marches to its end plane re-rasterising the device on every step, and projects the field
onto every output port's mode. :func:`propagate_beam` marches a given field through
homogeneous glass (or a device) on the field's own grid.

Step size. Unless given, Δz is chosen from the requested ``tolerance``: the guided
content of the field spreads over propagation constants within κ = k₀·|n_ref - n_clad|
of β_ref for a launched mode (k₀·max(Δn, |n_ref - n_clad|) for a Gaussian), and Crank-Nicolson's phase error over a length L is ≈ κ³Δz²L/12, so
Δz = √(12·tol/(κ³L)); Δz is also kept below half a cell of lateral motion of any guide
per step, below 10 µm and, with step-index cores, below the split step's alias-free
limit (:func:`photonics.bpm.stepper.alias_free_dz_um`, ∝ grid_step_um²). With ``check_convergence`` the run is repeated with Δz/2 and
the port powers must agree within ``tolerance``.
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import xarray as xr

from photonics.bpm.grid import BPMGrid
from photonics.bpm.options import BPMOptions, GaussianLaunch
from photonics.bpm.ports import PortMode, gaussian_field, overlap, place_mode, solve_port_mode
from photonics.bpm.raster import Rasteriser
from photonics.bpm.stepper import alias_free_dz_um, march
from photonics.device.device import Device
from photonics.errors import ConvergenceError, InputError, PhotonicsWarning, require_positive
from photonics.materials import Material
from photonics.results import db_floored
from photonics.run_cost import RunCost, bpm_cost

__all__ = ["BPMResult", "BeamPropagation", "run_bpm", "propagate_beam", "choose_dz", "bpm_window", "SOLVER_NAME",
           "SOLVER_VERSION"]

PORT_OVERLAP_LIMIT = 0.01
"""Largest |⟨mᵢ|mⱼ⟩| between output modes for which their powers are added as a total
(the cross term 2·Re(aᵢaⱼ*⟨mᵢ|mⱼ⟩) is then at most 1 % of the power, 0.04 dB)."""

SOLVER_NAME = "photonics.bpm"
SOLVER_VERSION = "1"


# ---------------------------------------------------------------------------------------
# results
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class BPMResult:
    """Outcome of one beam-propagation run.

    Attributes:
        device: Name of the device.
        input_port: The launched port, or "gaussian".
        wavelength_um: Vacuum wavelength (µm).
        n_ref: Reference index of the envelope.
        dz_um: Propagation step used (µm).
        length_um: Propagated length (µm).
        amplitudes: Output port → complex amplitude in its mode (unit launched power),
            phase referred to exp(-j k₀ n_ref L) of the full field.
        power_vs_z: Total power ∫|φ|² dA along z (DataArray over ``z`` in µm).
        port_amplitude_vs_z: Envelope amplitude ⟨m|φ⟩ in each output port's guide mode
            along z, the mode following its guide (complex DataArray over ``port``, ``z``;
            multiply by exp(-j k₀ n_ref z) for the full field's phase).
        field_end: Envelope at the end plane (complex DataArray over ``x``, ``y`` µm).
        snapshots: Envelope along z (DataArray over ``z``, ``x``, ``y``), or None.
        settings: Options, grid and mode indices used.
        convergence: Step-halving check figures (empty if not run).
        elapsed_s: Wall time of the march(es) in seconds.
        port_mode_overlap: Largest |⟨mᵢ|mⱼ⟩| between two output ports' modes at the end
            plane (0 for one port): above :data:`PORT_OVERLAP_LIMIT` the ports are still
            coupled there, their powers double count, and no loss can be read from them.
    """

    device: str
    input_port: str
    wavelength_um: float
    n_ref: float
    dz_um: float
    length_um: float
    amplitudes: Mapping[str, complex]
    power_vs_z: xr.DataArray = field(repr=False)
    port_amplitude_vs_z: xr.DataArray = field(repr=False)
    field_end: xr.DataArray = field(repr=False)
    snapshots: xr.DataArray | None = field(repr=False)
    settings: Mapping[str, Any] = field(repr=False)
    convergence: Mapping[str, Any] = field(default_factory=dict, repr=False)
    elapsed_s: float = 0.0
    port_mode_overlap: float = 0.0

    @property
    def ports_isolated(self) -> bool:
        """Whether the output ports' modes are orthogonal enough for their powers to add:
        overlap at most :data:`PORT_OVERLAP_LIMIT` and the port powers together no more
        than the power left in the window."""
        total = sum(self.powers.values())
        return self.port_mode_overlap <= PORT_OVERLAP_LIMIT and total <= self.power_remaining * (1 + 1e-9) + 1e-12

    @property
    def powers(self) -> dict[str, float]:
        """Output port → power fraction |amplitude|²."""
        return {k: float(abs(v) ** 2) for k, v in self.amplitudes.items()}

    @property
    def port_power_vs_z(self) -> xr.DataArray:
        """Power in each output port's guide mode along z (DataArray over ``port``, ``z``)."""
        return abs(self.port_amplitude_vs_z) ** 2

    @property
    def transmission_db(self) -> dict[str, float]:
        """Output port → 10·log10(power fraction), dB (floored at -300)."""
        return {k: db_floored(p) for k, p in self.powers.items()}

    @property
    def total_loss_db(self) -> float:
        """-10·log10 of the power found in all output modes together, dB (meaningful only
        when :attr:`ports_isolated`; :meth:`summary` gives None otherwise)."""
        return -db_floored(sum(self.powers.values()))

    @property
    def power_remaining(self) -> float:
        """Total power in the window at the end plane (fraction of the launched power)."""
        return float(self.power_vs_z.values[-1] / self.power_vs_z.values[0])

    def summary(self) -> dict[str, Any]:
        """A JSON-ready summary (the ``photonics bpm --json`` document)."""
        return {
            "device": self.device,
            "input_port": self.input_port,
            "wavelength_um": self.wavelength_um,
            "length_um": self.length_um,
            "ports": {
                k: {"power": float(abs(a) ** 2), "amplitude": [float(a.real), float(a.imag)],
                    "phase_rad": float(np.angle(a)), "transmission_db": db_floored(abs(a) ** 2)}
                for k, a in self.amplitudes.items()
            },
            "transmission_db": self.transmission_db,
            "total_loss_db": self.total_loss_db if self.ports_isolated else None,
            "ports_isolated": self.ports_isolated,
            "port_mode_overlap": self.port_mode_overlap,
            **({} if self.ports_isolated else {"total_loss_note": (
                "output ports are not isolated: their modes overlap (|<m_i|m_j>| up to "
                f"{self.port_mode_overlap:.3g}) at the end plane, so their powers do not add and no total loss "
                "is defined; lengthen the output arms until the guides are uncoupled")}),
            "power_remaining": self.power_remaining,
            "n_ref": self.n_ref,
            "dz_um": self.dz_um,
            "settings": dict(self.settings),
            "convergence": dict(self.convergence),
            "elapsed_s": self.elapsed_s,
        }


@dataclass(frozen=True)
class BeamPropagation:
    """A field marched through glass.

    Attributes:
        field_end: Envelope at the end (complex DataArray over ``x``, ``y`` µm).
        power_vs_z: ∫|φ|² dA along z (DataArray over ``z`` µm).
        snapshots: Envelope along z (``z``, ``x``, ``y``), or None.
        n_ref: Reference index.
        dz_um: Step used (µm).
    """

    field_end: xr.DataArray
    power_vs_z: xr.DataArray
    snapshots: xr.DataArray | None
    n_ref: float
    dz_um: float


# ---------------------------------------------------------------------------------------
# window and step
# ---------------------------------------------------------------------------------------
def bpm_window(device: Device, options: BPMOptions, anchor: tuple[float, float]) -> BPMGrid:
    """The BPM grid for ``device``: its guides' extent plus margin and PML, or
    ``options.window_um`` centred on the guides; nodes aligned on ``anchor`` (x, y) µm."""
    xmin, xmax, ymin, ymax, _, _ = device.bounds_um()
    if options.window_um is not None:
        xc, yc = 0.5 * (xmin + xmax), 0.5 * (ymin + ymax)
        w, h = options.window_um
        xmin, xmax, ymin, ymax = xc - w / 2, xc + w / 2, yc - h / 2, yc + h / 2
    else:
        pad = options.margin_um + options.pml_thickness_um
        xmin, xmax, ymin, ymax = xmin - pad, xmax + pad, ymin - pad, ymax + pad
    h = options.grid_step_um
    return BPMGrid.covering(xmin + h / 2, xmax - h / 2, ymin + h / 2, ymax - h / 2, h, anchor,
                            options.pml_thickness_um, options.pml_strength)


def _tilts(device: Device) -> tuple[float, float, float]:
    """(largest |dx/dz| or |dy/dz|, smallest and largest cos θ) over every guide."""
    slope, cmin, cmax = 0.0, 1.0, 0.0
    for g in device.guides:
        s = np.linspace(0.0, g.path.length_um, 513)
        t = g.path.tangent(s)
        slope = max(slope, float(np.max(np.maximum(np.abs(t[:, 0]), np.abs(t[:, 1])) / t[:, 2])))
        cmin, cmax = min(cmin, float(np.min(t[:, 2]))), max(cmax, float(np.max(t[:, 2])))
    return slope, cmin, cmax


def choose_dz(
    length_um: float, k0_per_um: float, delta_n: float, grid_step_um: float, tolerance: float,
    max_slope: float = 0.0, tilt_delta_n: float = 0.0, mode_radius_um: float = 5.0,
    max_dz_um: float = math.inf,
) -> float:
    """Default propagation step (µm) for a required accuracy.

    Four limits, the smallest wins (then clamped to [0.02, 10] µm):

    * phase: Crank-Nicolson turns a phase rate κ (relative to β_ref) into
      (2/Δz)·atan(κΔz/2), an error ≈ κ³Δz²L/12 over L; κ = k₀·``delta_n``, and the error
      is held to ``tolerance`` (rad);
    * tilt: a field travelling at angle θ has κ_t = k₀·``tilt_delta_n`` (its index along
      z minus n_ref); CN slows its lateral motion by (κ_tΔz/2)², which over L displaces
      it by that fraction of L·tan θ; this is held to √tol·``mode_radius_um``;
    * geometry: no guide moves more than half a cell sideways per step;
    * aliasing: ``max_dz_um``, the split step's alias-free limit
      (:func:`photonics.bpm.stepper.alias_free_dz_um`) for step-index cores.

    Args:
        length_um: Propagation length in µm (> 0).
        k0_per_um: Vacuum wavenumber (1/µm).
        delta_n: Spread of indices about n_ref that the guided field samples (≥ 0).
        grid_step_um: Transverse cell size (µm).
        tolerance: Accepted phase/power error (fraction).
        max_slope: Largest |dx/dz| (or |dy/dz|) of any guide.
        tilt_delta_n: Largest |n_eff cos θ - n_ref| over the guides' tilts θ.
        mode_radius_um: Mode radius in µm (lateral displacement scale).
        max_dz_um: Upper bound on the step (µm), e.g. the alias-free limit.
    """
    L = max(length_um, 1.0)
    kappa = k0_per_um * max(delta_n, 1e-6)
    dz = math.sqrt(12.0 * tolerance / (kappa**3 * L))
    if max_slope > 0:
        dz = min(dz, 0.5 * grid_step_um / max_slope)
        kt = k0_per_um * tilt_delta_n
        if kt > 0:
            eps_v = math.sqrt(tolerance) * mode_radius_um / (L * max_slope)
            dz = min(dz, 2.0 * math.sqrt(eps_v) / kt)
    return float(min(max(dz, 0.02), 10.0, max_dz_um))


def _has_step_core(device: Device) -> bool:
    """Whether any guide has a step-index core (at either end of a taper)."""
    return any(g.profile.is_step or (g.profile_end is not None and g.profile_end.is_step) for g in device.guides)


def _alias_limit_um(device: Device, options: BPMOptions, grid: BPMGrid, k0: float, n_ref: float,
                    n_clad: float) -> float:
    """The split step's alias-free step (µm) when a guide has a step-index core, else
    ``inf`` (graded cores scatter too little into grid-scale waves to matter)."""
    if grid.is_slab or not _has_step_core(device):
        return math.inf
    dn = device.max_delta_n()
    return alias_free_dz_um(grid.step_um, k0, n_ref, min(n_clad, n_clad - dn) ** 2, (n_clad + abs(dn)) ** 2,
                            options.transverse_order, options.wide_angle)


#: Memory per propagation plane (z, mid-planes, raster and monitor bookkeeping), bytes.
BYTES_PER_PLANE = 64


def _step_count(z0: float, z1: float, dz: float) -> int:
    """Steps of at most ``dz`` from ``z0`` to ``z1`` (nothing allocated)."""
    return max(1, int(math.ceil((z1 - z0) / dz - 1e-9)))


def _planes(z0: float, z1: float, dz: float) -> np.ndarray:
    from photonics.resources import require_memory

    steps = (z1 - z0) / dz
    require_memory(f"a BPM of {z1 - z0:g} um in steps of {dz:g} um ({steps:.3g} planes)",
                   (steps + 1) * BYTES_PER_PLANE, "shorten the device or enlarge dz_um")
    return np.linspace(z0, z1, _step_count(z0, z1, dz) + 1)


def _steps_for(z: np.ndarray, count: int) -> np.ndarray:
    if count <= 0:
        return np.array([], dtype=int)
    return np.unique(np.round(np.linspace(0, len(z) - 1, min(count, len(z)))).astype(int))


# ---------------------------------------------------------------------------------------
# device runs
# ---------------------------------------------------------------------------------------
def run_bpm(
    device: Device,
    input_port: str | None = None,
    options: BPMOptions | None = None,
    *,
    wavelength_um: float | None = None,
    launch: GaussianLaunch | None = None,
    mode_cache: dict | None = None,
    confirm: Callable[[RunCost], None] | None = None,
    progress: bool = False,
) -> BPMResult:
    """Propagate light through ``device`` along +z.

    Args:
        device: A device whose guides advance monotonically along z, with its input
            ports on its first plane and its output ports on its last.
        input_port: Port whose mode is launched (default: the first input port); ignored
            when ``launch`` is given.
        options: Numerical settings (default :class:`BPMOptions`).
        wavelength_um: Vacuum wavelength in µm (default: the device's design wavelength).
        launch: A Gaussian beam to launch instead of a port mode.
        mode_cache: A dict to share port-mode solves between runs.
        confirm: Called with the run's estimated cost (:func:`photonics.run_cost.bpm_cost`)
            once the grid and step are known, before marching; it may raise to stop.
        progress: Show a progress bar of the steps on stderr (with the time left).

    Returns:
        The output amplitudes, power along z and fields.

    Raises:
        InputError: Bad device, port or settings.
        ConvergenceError: The step-halving check failed (``on_unconverged="raise"``).
    """
    if not isinstance(device, Device):
        raise InputError(f"device must be a Device, got {type(device).__name__}")
    options = options or BPMOptions()
    wl = wavelength_um if wavelength_um is not None else device.wavelength_um
    if wl is None:
        raise InputError("wavelength_um is required: the device has no design wavelength")
    wl = require_positive("wavelength_um", wl, "um")
    device.check_z_monotonic()
    z0, z1 = device.z_range_um
    for name in device.input_ports:
        if abs(device.port(name).z_um - z0) > 1e-6:
            raise InputError(f"input port {name!r} is not on the device's first plane z = {z0:g} um")
    for name in device.output_ports:
        if abs(device.port(name).z_um - z1) > 1e-6:
            raise InputError(f"output port {name!r} is not on the device's last plane z = {z1:g} um")
    if launch is None:
        if not device.input_ports:
            raise InputError(f"device {device.name!r} has no input port")
        input_port = input_port or device.input_ports[0]
        if input_port not in device.input_ports:
            raise InputError(f"input_port={input_port!r} is not an input port; inputs: {', '.join(device.input_ports)}")
    k0 = 2.0 * math.pi / wl
    n_clad = float(device.cladding.n(wl))
    cache = {} if mode_cache is None else mode_cache
    if launch is None:
        p = device.port(input_port)
        anchor = (p.x_um, p.y_um)
        launch_mode = solve_port_mode(device, input_port, wl, options.method, options.grid_step_um, cache)
    else:
        anchor = (launch.x_um, launch.y_um)
        launch_mode = None
    grid = bpm_window(device, options, anchor)
    if options.n_ref is not None:
        n_ref = options.n_ref
    elif launch_mode is not None:
        # the launched mode's phase advances along z at β·cos θ for a port tilted by θ
        n_ref = launch_mode.neff * float(launch_mode.frame[2, 2])
    else:
        n_ref = n_clad
    outputs = {name: solve_port_mode(device, name, wl, options.method, options.grid_step_um, cache)
               for name in device.output_ports}
    # a launched mode fills propagation constants between the cladding's and its own;
    # a Gaussian (n_ref = n_clad) may excite anything up to the largest core index
    dn = abs(n_ref - n_clad) if launch_mode is not None else max(device.max_delta_n(), abs(n_ref - n_clad))
    slope, cmin, cmax = _tilts(device)
    n_guided = launch_mode.neff if launch_mode is not None else n_clad
    tilt_dn = max(abs(n_guided * cmin - n_ref), abs(n_guided * cmax - n_ref)) if slope > 0 else 0.0
    radius = 0.25 * (launch_mode.mode.mfd_x_um + launch_mode.mode.mfd_y_um) if launch_mode is not None else (
        min(launch.w_x_um, launch.w_y_um))
    dz_alias = _alias_limit_um(device, options, grid, k0, n_ref, n_clad)
    dz = options.dz_um or choose_dz(z1 - z0, k0, dn, options.grid_step_um, options.tolerance, slope, tilt_dn, radius,
                                    dz_alias)
    field0 = place_mode(launch_mode, grid) if launch_mode is not None else gaussian_field(launch, grid, k0, n_ref)

    n_steps = _step_count(z0, z1, dz)  # counted, not allocated: the estimate comes first
    total_steps = n_steps + (_step_count(z0, z1, dz / 2) if options.check_convergence else 0)
    if confirm is not None:
        confirm(bpm_cost(grid.nx * grid.ny, total_steps))
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=total_steps, unit="step", desc="bpm", leave=False, dynamic_ncols=True)
    try:
        start = time.perf_counter()
        rec, amps, z_mon, port_amp = _march_device(device, grid, wl, field0, outputs, z0, z1, dz, k0, n_ref, options,
                                                   bar)
        convergence: dict[str, Any] = {}
        if options.check_convergence:
            _, amps2, _, _ = _march_device(device, grid, wl, field0, outputs, z0, z1, dz / 2, k0, n_ref,
                                           replace(options, monitors=2, snapshots=0), bar)
    finally:
        if bar is not None:
            bar.close()
    if options.check_convergence:
        change = max(abs(abs(amps[k]) ** 2 - abs(amps2[k]) ** 2) for k in amps) if amps else 0.0
        convergence = {"dz_um": dz, "dz_half_um": dz / 2, "max_power_change": change,
                       "tolerance": options.tolerance, "converged": bool(change <= options.tolerance)}
        if change > options.tolerance:
            alias = (f" (with step-index cores the split step aliases above {dz_alias:.3g} um at this grid, a "
                     "limit that shrinks as grid_step_um**2: a finer grid needs a smaller dz_um)"
                     if math.isfinite(dz_alias) else "")
            msg = (f"BPM of {device.name!r}: halving dz from {dz:g} to {dz / 2:g} um changes a port power by "
                   f"{change:.3g} > tolerance {options.tolerance:g}; use a smaller dz_um{alias}")
            if options.on_unconverged == "raise":
                raise ConvergenceError(msg)
            warnings.warn(msg, PhotonicsWarning, stacklevel=2)
        amps = amps2 if change <= options.tolerance else amps
    elapsed = time.perf_counter() - start

    L = z1 - z0
    phase_ref = np.exp(-1j * k0 * n_ref * L)
    amplitudes = {k: complex(a * phase_ref) for k, a in amps.items()}
    x, y = grid.x_um, grid.y_um
    settings = {
        "method": options.method, "wide_angle": options.wide_angle,
        "wide_angle_exact": options.wide_angle_exact, "transverse_order": options.transverse_order,
        "grid": grid.summary(), "dz_um": dz, "alias_free_dz_um": dz_alias if math.isfinite(dz_alias) else None,
        "split": "symmetric" if _has_step_core(device) else "alternating",
        "tolerance": options.tolerance, "subpixel": rec.subpixel, "n_ref": n_ref,
        "launch": "gaussian" if launch is not None else "mode",
        "launch_neff": None if launch_mode is None else launch_mode.neff,
        "output_neff": {k: v.neff for k, v in outputs.items()},
        "device_params": {k: v for k, v in device.params.items()},
    }
    snaps = None
    if rec.snapshots:
        snaps = xr.DataArray(np.stack(rec.snapshots), dims=("z", "x", "y"),
                             coords={"z": rec.z_snapshots, "x": x, "y": y}, name="envelope")
    return BPMResult(
        device=device.name,
        input_port=input_port if launch is None else "gaussian",
        wavelength_um=wl, n_ref=n_ref, dz_um=dz, length_um=L, amplitudes=amplitudes,
        power_vs_z=xr.DataArray(rec.power, dims=("z",), coords={"z": rec.z_monitor}, name="power",
                                attrs={"units": "fraction of launched power"}),
        port_amplitude_vs_z=xr.DataArray(
            np.array([port_amp[k] for k in outputs]).reshape(len(outputs), -1), dims=("port", "z"),
            coords={"port": list(outputs), "z": z_mon}, name="port_amplitude"),
        field_end=xr.DataArray(rec.field, dims=("x", "y"), coords={"x": x, "y": y}, name="envelope"),
        snapshots=snaps, settings=settings, convergence=convergence, elapsed_s=elapsed,
        port_mode_overlap=_port_mode_overlap(outputs, grid),
    )


def _port_mode_overlap(outputs: Mapping[str, PortMode], grid: BPMGrid) -> float:
    """Largest |⟨mᵢ|mⱼ⟩| between two output ports' modes placed on the grid."""
    placed = [place_mode(pm, grid) for pm in outputs.values()]
    worst = 0.0
    for i in range(len(placed)):
        for j in range(i + 1, len(placed)):
            worst = max(worst, abs(overlap(placed[i], placed[j], grid)))
    return float(worst)


@dataclass
class _Record:
    field: np.ndarray
    power: np.ndarray
    z_monitor: np.ndarray
    z_snapshots: np.ndarray
    snapshots: list
    subpixel: int


def _march_device(
    device: Device, grid: BPMGrid, wl: float, field0: np.ndarray, outputs: dict[str, PortMode],
    z0: float, z1: float, dz: float, k0: float, n_ref: float, options: BPMOptions, bar: Any = None,
) -> tuple[_Record, dict[str, complex], np.ndarray, dict[str, np.ndarray]]:
    z = _planes(z0, z1, dz)
    raster = Rasteriser(device, grid, wl, options.subpixel)
    raster.prepare(0.5 * (z[1:] + z[:-1]))
    # port guides' positions at the monitor planes, for the power-in-guide monitors
    mon = _steps_for(z, options.monitors)
    probes = {}
    for name, pm in outputs.items():
        guide = device.guide(device.port(name).guide)
        a, b = guide.path.z_range_um
        zm = z[mon]
        inside = (zm >= a - 1e-9) & (zm <= b + 1e-9)
        s = guide.path.s_at_z(np.clip(zm, a, b))
        pos, frames = guide.path.position(s), guide.path.frame(s)
        table = {int(k): (inside[i], pos[i], frames[i]) for i, k in enumerate(mon)}

        def probe(k: int, f: np.ndarray, pm: PortMode = pm, table: dict = table) -> complex:
            ok, p, fr = table[k]
            if not ok:
                return 0.0j
            return overlap(place_mode(pm, grid, at=(p[0], p[1]), frame=fr), f, grid)

        probes[name] = probe
    rec = march(field0, grid, raster.eps, z, k0, n_ref, options.method, options.wide_angle, mon,
                _steps_for(z, options.snapshots), probes, options.transverse_order,
                options.wide_angle_exact, on_step=None if bar is None else (lambda k: bar.update(1)),
                symmetric=_has_step_core(device))
    p0 = float(np.sum(np.abs(field0) ** 2) * grid.cell_area_um2)
    amps = {name: overlap(place_mode(pm, grid), rec.field, grid) / math.sqrt(p0) for name, pm in outputs.items()}
    port_amp = {name: rec.monitor_values[name] / math.sqrt(p0) for name in outputs}
    out = _Record(rec.field, rec.power / p0, rec.z_monitor, rec.z_snapshots, rec.snapshots, raster.subpixel)
    return out, amps, rec.z_monitor, port_amp


# ---------------------------------------------------------------------------------------
# free propagation of a given field
# ---------------------------------------------------------------------------------------
def propagate_beam(
    field0: xr.DataArray,
    wavelength_um: float,
    length_um: float,
    glass: Material | float,
    options: BPMOptions | None = None,
    *,
    index: xr.DataArray | None = None,
) -> BeamPropagation:
    """March a field through glass, homogeneous or with a z-invariant index map, on the
    field's own grid.

    Args:
        field0: Complex envelope over uniform, equally spaced ``x`` and ``y`` (µm); a
            single ``y`` value makes a two-dimensional problem uniform along y (slabs).
        wavelength_um: Vacuum wavelength (µm, > 0; within the glass's range).
        length_um: Propagation length (µm, > 0).
        glass: The glass, or its refractive index (≥ 1).
        options: Field model, step (``dz_um``, default 1 µm), PML, reference index
            (default: the glass's index) and snapshots; the window is the field's.
        index: Refractive index n(x, y) on the field's grid (cell-averaged as wished),
            constant along z; None for homogeneous glass.
    """
    options = options or BPMOptions()
    wl = require_positive("wavelength_um", wavelength_um, "um")
    length = require_positive("length_um", length_um, "um")
    n = float(glass.n(wl)) if isinstance(glass, Material) else float(glass)
    if not n >= 1.0:
        raise InputError(f"glass index {n!r} must be >= 1")
    if not isinstance(field0, xr.DataArray) or set(field0.dims) != {"x", "y"}:
        raise InputError("field0 must be a DataArray over dims ('x', 'y')")
    field0 = field0.transpose("x", "y")
    grid = BPMGrid.from_coords(field0["x"].values, field0["y"].values, options.pml_thickness_um,
                               options.pml_strength)
    n_ref = options.n_ref or n
    dz = options.dz_um or 1.0
    z = _planes(0.0, length, dz)
    if index is None:
        eps = np.full((grid.nx, grid.ny), n**2)
    else:
        if not isinstance(index, xr.DataArray) or set(index.dims) != {"x", "y"} or index.shape != field0.shape:
            raise InputError("index must be a DataArray over ('x', 'y') on the field's grid")
        eps = np.asarray(index.transpose("x", "y").values, dtype=float) ** 2
        if not np.all(np.isfinite(eps)) or np.min(eps) < 1.0:
            raise InputError("index must be finite and >= 1 everywhere")
    rec = march(np.asarray(field0.values, dtype=complex), grid, lambda k: (eps, False), z, 2 * math.pi / wl, n_ref,
                options.method, options.wide_angle, _steps_for(z, options.monitors), _steps_for(z, options.snapshots),
                order=options.transverse_order, exact=options.wide_angle_exact,
                symmetric=index is not None)  # an index map may hold steps; bulk glass is separable
    x, y = grid.x_um, grid.y_um
    snaps = None
    if rec.snapshots:
        snaps = xr.DataArray(np.stack(rec.snapshots), dims=("z", "x", "y"),
                             coords={"z": rec.z_snapshots, "x": x, "y": y}, name="envelope")
    return BeamPropagation(
        field_end=xr.DataArray(rec.field, dims=("x", "y"), coords={"x": x, "y": y}, name="envelope"),
        power_vs_z=xr.DataArray(rec.power, dims=("z",), coords={"z": rec.z_monitor}, name="power"),
        snapshots=snaps, n_ref=n_ref, dz_um=float(z[1] - z[0]),
    )
