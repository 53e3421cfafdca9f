"""A board of accelerators: every link's budget at once, system figures, queries.

:class:`Board` places the accelerators, lists the links of the topology, routes them
(:mod:`photonics.link.routing`), turns each route into path loss and crosstalk from the
component library (or :class:`~photonics.link.board_spec.BoardComponents` overrides) and
evaluates every budget with the vectorised :func:`photonics.link.core.evaluate` - no
Python loop per link. Results: :attr:`Board.dataset` (xarray over ``(src, dst)``, saved to
netCDF), :attr:`Board.summary` (system figures) and :meth:`Board.query`.

Per-link loss: the template's fixed elements (e.g. couplers) + ``length·propagation loss``
+ ``bend angle/90·bend loss + transitions·transition loss`` + the sum of each of its crossings' loss (each at its own angle and depth separation when
the routes give them per crossing) + the power coupled into parallel neighbours. Per-link
crosstalk: the template's aggressors and fixed elements + the sum over its crossings of
``10^(crossing crosstalk/10)`` +
``neighbours·10^(parallel crosstalk/10)``.

Queries between accelerators without a direct link follow the fewest hops over links that
close (shortest path); such answers report the worst hop's margin, loss and received power,
the smallest hop bandwidth, and sums of energy and BER.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import ArrayLike

from photonics.errors import InputError
from photonics.link import core
from photonics.link.board_spec import BoardSpec, placement_positions
from photonics.link.budget import json_safe, spec_assumptions
from photonics.link.components import ComponentLosses, require_library, resolve_library
from photonics.link.path import path_budget
from photonics.link.routing import FixedRoutes, ManhattanRouter, RoutedPaths, RoutingModel
from photonics.link.signal import in_phase_amplitude_sum
from photonics.link.topology import board_topology

__all__ = ["Board", "BoardSummary", "BoardAnswer", "board_sweep", "routed_budget", "placement_positions",
           "topology_links", "geometric_halves"]


def topology_links(spec: BoardSpec) -> tuple[np.ndarray, np.ndarray]:
    """Directed links ``(src, dst)`` of the topology, sorted by ``src * N + dst``.

    Built by :func:`photonics.link.topology.board_topology` (networkx graphs), the one
    place every topology is defined.
    """
    t = board_topology(spec)
    return t.src, t.dst


def geometric_halves(positions_um: np.ndarray) -> np.ndarray:
    """The board's standard bisection: the ``N // 2`` accelerators of smallest x (then y).

    Returns:
        Boolean mask over accelerators, True on the first half.
    """
    pos = np.asarray(positions_um, dtype=float)
    n = pos.shape[0]
    order = np.lexsort((pos[:, 1], pos[:, 0]))
    half = np.zeros(n, dtype=bool)
    half[order[: n // 2]] = True
    return half


#: Memory of one link while a board is evaluated (route, budget terms, dataset), bytes;
#: measured 290-320 B on full meshes of 256 to 2048 accelerators.
BYTES_PER_LINK = 320


def require_board_memory(spec: BoardSpec) -> None:
    """Refuse, before any allocation, a board whose links would not fit the memory limit
    (:func:`photonics.resources.require_memory`): links x :data:`BYTES_PER_LINK` plus the
    N x N link index."""
    from photonics.resources import require_memory

    n = spec.accelerators
    kind = spec.topology.kind
    if kind == "full_mesh":
        links = n * (n - 1)
    elif kind == "links":
        links = len(spec.topology.links or ()) * (2 if spec.topology.bidirectional else 1)
    else:
        links = 4 * n
    require_memory(f"a board of {n} accelerators with {links} links ({kind})", links * BYTES_PER_LINK + 8.0 * n * n,
                   "use fewer accelerators or a sparser topology")


@dataclass(frozen=True)
class BoardSummary:
    """System figures of a board (bandwidth Gb/s, power mW, energy pJ/bit, margin dB).

    ``margin_quantiles_db`` maps a percentile (0, 1, 5, 25, 50, 75, 95, 99, 100) to the
    margin at it, over all links. ``collectives`` holds the time (s), energy (J) and
    algorithm of an all-reduce, all-gather, reduce-scatter and all-to-all of
    ``message_bytes`` (the spec's ``collective_message_bytes``) per accelerator
    (:mod:`photonics.system.collectives`).
    """

    accelerators: int
    links: int
    links_closing: int
    links_failing: int
    bend_radius_um: float
    egress_min_gbps: float
    egress_mean_gbps: float
    egress_max_gbps: float
    bisection_bandwidth_gbps: float
    total_bandwidth_gbps: float
    total_optical_power_mw: float
    total_electrical_power_mw: float
    energy_pj_per_bit: float
    margin_quantiles_db: dict[str, float]
    max_crossings: int
    max_length_um: float
    assumptions: tuple[str, ...]
    collectives: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (non-finite numbers become ``None``)."""
        return json_safe(asdict(self))


@dataclass(frozen=True)
class BoardAnswer:
    """Answer of :meth:`Board.query`: floats for a scalar query, arrays otherwise.

    ``hops`` is 1 for a direct link, more for a multi-hop route, 0 when unreachable (then
    ``margin_db`` is -inf, ``bandwidth_gbps`` 0, ``ber`` 0.5 and ``energy_pj_per_bit`` inf).
    """

    src: Any
    dst: Any
    linked: Any
    hops: Any
    closes: Any
    margin_db: Any
    ber: Any
    insertion_loss_db: Any
    received_power_dbm: Any
    crosstalk_penalty_db: Any
    laser_power_dbm: Any
    bandwidth_gbps: Any
    energy_pj_per_bit: Any

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (arrays become lists; non-finite numbers ``None``)."""
        out = {}
        for k, v in asdict(self).items():
            out[k] = v.tolist() if isinstance(v, np.ndarray) else v
        return json_safe(out)


#: Margin round-off tolerated when a link is set to exactly its required margin, dB.
_MARGIN_TOL_DB = 1e-9



class Board:
    """Every link of a board, evaluated at once.

    Args:
        spec: The board.
        library: Component library; the shipped default when omitted (if loadable).
        router: Routing model; the Manhattan router of ``spec.routing`` when omitted.
        use_default_library: Whether to fall back on the shipped default library.
    """

    def __init__(
        self,
        spec: BoardSpec,
        library: ComponentLosses | None = None,
        *,
        router: RoutingModel | None = None,
        use_default_library: bool = True,
    ) -> None:
        if not isinstance(spec, BoardSpec):
            raise InputError(f"spec must be a BoardSpec, got {type(spec).__name__}")
        self.spec = spec
        require_board_memory(spec)
        self.library = resolve_library(library, use_default=use_default_library)
        n = spec.accelerators
        link = spec.link
        self.positions_um = placement_positions(spec)
        self.src, self.dst = topology_links(spec)
        self._check_ports()
        if router is None:
            router = ManhattanRouter(spec.routing)
        self.routes: RoutedPaths = router(
            self.positions_um, self.src, self.dst, wavelength_um=link.wavelength_um, library=self.library
        )
        loss, eps, amp = self._path_loss_and_crosstalk()
        self.path_loss_db, self.crosstalk_ratio, self.crosstalk_amplitude_sum = loss, eps, amp
        p_cap = link.laser.power_dbm
        res = core.evaluate(link, laser_power_dbm=p_cap, path_loss_db=loss, crosstalk_epsilon=eps,
                            crosstalk_amplitude_sum=amp)
        if spec.laser_policy == "minimum":
            m = res.margin_db
            with np.errstate(invalid="ignore"):
                p_req = np.where(np.isfinite(m), p_cap - m + spec.required_margin_db, np.inf)
            power = np.where(p_req <= p_cap, p_req, p_cap)
            res = core.evaluate(link, laser_power_dbm=power, path_loss_db=loss, crosstalk_epsilon=eps,
                                crosstalk_amplitude_sum=amp)
        self.result = res
        channels = link.wavelengths * link.lanes
        self.closes = np.asarray(res.margin_db >= spec.required_margin_db - _MARGIN_TOL_DB)
        self.bandwidth_gbps = np.where(self.closes, channels * link.rate_gbps, 0.0)
        util = link.energy.utilisation
        dyn = link.modulator.energy_pj_per_bit + link.receiver.energy_pj_per_bit + link.energy.serdes_pj_per_bit
        self.electrical_power_mw = channels * (
            res.laser_electrical_mw + link.energy.thermal_tuning_mw + dyn * link.rate_gbps * util
        )
        self.optical_power_mw = channels * 10.0 ** (res.laser_power_dbm / 10.0)
        # sorted link keys src·N + dst (memory linear in links, not N²): see _link_index
        self._keys = self.src * np.int64(n) + self.dst
        self._key_order = np.argsort(self._keys, kind="stable")
        self._pred: np.ndarray | None = None
        self._dataset: xr.Dataset | None = None
        self._summary: BoardSummary | None = None
        self._collectives: Any = None

    # ----------------------------------------------------------------- construction
    def _link_index(self, s: np.ndarray, d: np.ndarray) -> np.ndarray:
        """Index of link ``s[i] -> d[i]`` in the link arrays, -1 where there is none."""
        key = np.asarray(s, dtype=np.int64) * np.int64(self.spec.accelerators) + np.asarray(d, dtype=np.int64)
        sorted_keys = self._keys[self._key_order]
        pos = np.clip(np.searchsorted(sorted_keys, key), 0, max(sorted_keys.size - 1, 0))
        if sorted_keys.size == 0:
            return np.full(key.shape, -1, dtype=np.int64)
        return np.where(sorted_keys[pos] == key, self._key_order[pos], -1)

    def _check_ports(self) -> None:
        ports = self.spec.ports_per_accelerator
        if ports is None:
            return
        lanes = self.spec.link.lanes
        n = self.spec.accelerators
        need = max(np.bincount(self.src, minlength=n).max(), np.bincount(self.dst, minlength=n).max()) * lanes
        if need > ports:
            raise InputError(
                f"ports_per_accelerator={ports} is too few: the topology needs {need} "
                f"({self.spec.topology.kind}, {lanes} lane(s) per link)"
            )

    def _figure(self, name: str, *args: np.ndarray) -> np.ndarray:
        """An override from spec.components, else ``fn`` of the library on unique arguments."""
        given = getattr(self.spec.components, name, None)
        shape = np.broadcast_shapes(*(np.shape(a) for a in args)) if args else ()
        if given is not None:
            return np.full(shape, float(given))
        lib = require_library(self.library, "board components", name)
        lam = self.spec.link.wavelength_um
        if not args:
            return np.asarray(float(np.asarray(getattr(lib, name)(lam))))
        # Evaluate the library once per distinct argument combination (integer codes).
        code = np.zeros(int(np.prod(shape)), dtype=np.int64)
        levels = []
        for a in args:
            u, i = np.unique(np.broadcast_to(a, shape).ravel(), return_inverse=True)
            code = code * u.size + i
            levels.append(u)
        ucode, inv = np.unique(code, return_inverse=True)
        cols = []
        for u in reversed(levels):
            cols.append(u[ucode % u.size])
            ucode = ucode // u.size
        vals = np.asarray(getattr(lib, name)(*reversed(cols), lam), dtype=float).reshape(-1)
        vals = np.broadcast_to(vals, (cols[0].size,)) if vals.size == 1 else vals
        if not np.all(np.isfinite(vals)):
            raise InputError(f"board components: the library returned non-finite {name} (outside its tables?)")
        return vals[inv.reshape(-1)].reshape(shape)

    def parallel_crosstalk_ratio(self, pitch_um: np.ndarray, length_um: np.ndarray) -> np.ndarray:
        """Power ratio coupled into one neighbour over each parallel run (pitch, length µm).

        Runs longer than the crosstalk table's longest ``L_max`` follow the coupled-mode
        closed form of two identical guides, ``sin²(κ L)`` with ``κ`` from the table at
        ``L_max`` (``sin²(κ L_max)`` = its value there).
        """
        l_max = math.inf
        if self.spec.components.parallel_crosstalk_db is None and hasattr(self.library, "table"):
            try:
                l_max = float(np.max(self.library.table("parallel_crosstalk").coords["length"].values))  # type: ignore[union-attr]
            except (KeyError, AttributeError, ValueError):
                l_max = math.inf
        long = length_um > l_max
        ratio = 10.0 ** (self._figure("parallel_crosstalk_db", pitch_um, np.minimum(length_um, l_max)) / 10.0)
        if long.any():
            kappa = np.arcsin(np.sqrt(np.clip(ratio[long], 0.0, 1.0))) / l_max
            ratio[long] = np.sin(np.minimum(kappa * length_um[long], 0.5 * np.pi)) ** 2
        return ratio

    def _path_loss_and_crosstalk(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per link: path loss (dB), Σεᵢ and Σ√εᵢ over its aggressors (linear)."""
        link, rt = self.spec.link, self.routes
        fixed = path_budget(link, self.library)
        loss = np.full(self.src.size, float(sum(e.loss_db for e in fixed)))
        eps = np.full(self.src.size, float(sum(e.crosstalk_ratio for e in fixed)))
        eps += sum(10.0 ** (a / 10.0) for a in link.crosstalk.aggressors_db)
        amp0 = float(sum(e.crosstalk_amplitude for e in fixed))
        amp0 += in_phase_amplitude_sum([10.0 ** (a / 10.0) for a in link.crosstalk.aggressors_db])
        amp = np.full(self.src.size, amp0)
        loss += rt.length_um * 1e-4 * self._figure("propagation_loss_db_per_cm")
        bent = rt.bend_angle_deg > 0
        if bent.any():
            b90 = self._figure("bend_loss_db_per_90deg", rt.bend_radius_um[bent])  # type: ignore[arg-type]
            bt = self._figure("bend_transition_loss_db", rt.bend_radius_um[bent])  # type: ignore[arg-type]
            loss[bent] += rt.bend_angle_deg[bent] / 90.0 * b90 + rt.bend_transitions[bent] * bt
        if rt.crossing_link is not None:  # each crossing at its own angle and separation
            k = np.asarray(rt.crossing_link, dtype=np.int64)
            if k.size:
                a, d = np.asarray(rt.crossing_angles_deg), np.asarray(rt.crossing_separations_um)
                n_l = self.src.size
                xr_db = self._figure("crossing_crosstalk_db", a, d)
                loss += np.bincount(k, weights=self._figure("crossing_loss_db", a, d), minlength=n_l)
                eps += np.bincount(k, weights=10.0 ** (xr_db / 10.0), minlength=n_l)
                amp += np.bincount(k, weights=10.0 ** (xr_db / 20.0), minlength=n_l)
        else:
            cr = rt.crossings > 0
            if cr.any():
                a, d = rt.crossing_angle_deg[cr], rt.crossing_depth_separation_um[cr]
                loss[cr] += rt.crossings[cr] * self._figure("crossing_loss_db", a, d)  # type: ignore[arg-type]
                xr_db = self._figure("crossing_crosstalk_db", a, d)  # type: ignore[arg-type]
                eps[cr] += rt.crossings[cr] * 10.0 ** (xr_db / 10.0)
                amp[cr] += rt.crossings[cr] * 10.0 ** (xr_db / 20.0)
        if rt.parallel_link is not None:  # each parallel run beside one neighbour at its own length and pitch
            k = np.asarray(rt.parallel_link, dtype=np.int64)
            if k.size:
                ratio = self.parallel_crosstalk_ratio(np.asarray(rt.parallel_pitches_um), np.asarray(rt.parallel_lengths_um))
                coupled = np.bincount(k, weights=ratio, minlength=self.src.size)
                eps += coupled
                amp += np.bincount(k, weights=np.sqrt(ratio), minlength=self.src.size)
                loss += -10.0 * np.log10(1.0 - np.minimum(coupled, 1.0 - 1e-12))
            return loss, eps, amp
        par = (rt.parallel_length_um > 0) & (rt.parallel_neighbours > 0)
        if par.any():
            pxt = self._figure("parallel_crosstalk_db", rt.parallel_pitch_um[par], rt.parallel_length_um[par])  # type: ignore[arg-type]
            coupled = rt.parallel_neighbours[par] * 10.0 ** (pxt / 10.0)
            eps[par] += coupled
            amp[par] += rt.parallel_neighbours[par] * 10.0 ** (pxt / 20.0)
            loss[par] += -10.0 * np.log10(1.0 - np.minimum(coupled, 1.0 - 1e-12))
        return loss, eps, amp

    # ----------------------------------------------------------------- results
    @property
    def n_links(self) -> int:
        """Number of directed links."""
        return int(self.src.size)

    def link_arrays(self) -> dict[str, np.ndarray]:
        """Per-link figures (1-D arrays over links, in the order of ``src``/``dst``)."""
        r, rt = self.result, self.routes
        return {
            "length_um": rt.length_um,
            "crossings": rt.crossings.astype(float),
            "parallel_length_um": rt.parallel_length_um,
            "path_loss_db": self.path_loss_db,
            "insertion_loss_db": r.insertion_loss_db,
            "laser_power_dbm": r.laser_power_dbm,
            "received_power_dbm": r.received_power_dbm,
            "crosstalk_db": r.crosstalk_db,
            "crosstalk_penalty_db": r.crosstalk_penalty_db,
            "margin_db": r.margin_db,
            "q": r.q,
            "ber": r.ber,
            "bandwidth_gbps": self.bandwidth_gbps,
            "energy_pj_per_bit": r.energy_pj_per_bit,
            "electrical_power_mw": self.electrical_power_mw,
        }

    def summary_radius(self) -> float:
        """Largest bend radius used by the routes, µm."""
        return float(self.routes.bend_radius_um.max()) if self.n_links else 0.0

    @property
    def summary(self) -> BoardSummary:
        """System figures (computed once)."""
        if self._summary is None:
            self._summary = self._make_summary()
        return self._summary

    def _make_summary(self) -> BoardSummary:
        n = self.spec.accelerators
        egress = np.bincount(self.src, weights=self.bandwidth_gbps, minlength=n)
        half = geometric_halves(self.positions_um)
        bisection = float(self.bandwidth_gbps[half[self.src] & ~half[self.dst]].sum())
        total_bw = float(self.bandwidth_gbps.sum())
        elec = float(self.electrical_power_mw.sum())
        pct = (0, 1, 5, 25, 50, 75, 95, 99, 100)
        m = np.asarray(self.result.margin_db)
        finite = np.isfinite(m)
        if finite.all():
            qs = np.percentile(m, pct)
        else:  # percentiles of a sample with -inf: rank-based, no NaN
            srt = np.sort(m)
            qs = srt[np.clip(np.round(np.asarray(pct) / 100.0 * (m.size - 1)).astype(int), 0, m.size - 1)]
        util = self.spec.link.energy.utilisation
        assumptions = spec_assumptions(self.spec.link, self.library, self.library is not None)
        assumptions += [
            f"routing: {self.spec.routing.model}, bend radius {self.summary_radius():.6g} um",
            "bisection: accelerators split in two by x (then y), links counted one way",
            "egress and bisection count only links that close",
            "collectives: alpha-beta model over the closing links (flight time + 20 ns per hop; shared links "
            "divide their rate), fastest valid algorithm",
        ]
        from photonics.system.collectives import summary_collectives
        from photonics.system.graph import board_graph

        collectives = summary_collectives(board_graph(self), self.spec.collective_message_bytes)
        return BoardSummary(
            accelerators=n,
            links=self.n_links,
            links_closing=int(self.closes.sum()),
            links_failing=int((~self.closes).sum()),
            bend_radius_um=self.summary_radius(),
            egress_min_gbps=float(egress.min()),
            egress_mean_gbps=float(egress.mean()),
            egress_max_gbps=float(egress.max()),
            bisection_bandwidth_gbps=bisection,
            total_bandwidth_gbps=total_bw,
            total_optical_power_mw=float(self.optical_power_mw.sum()),
            total_electrical_power_mw=elec,
            energy_pj_per_bit=elec / (total_bw * util) if total_bw > 0 else math.inf,
            margin_quantiles_db={f"p{p}": float(q) for p, q in zip(pct, qs)},
            max_crossings=int(self.routes.crossings.max()) if self.n_links else 0,
            max_length_um=float(self.routes.length_um.max()) if self.n_links else 0.0,
            assumptions=tuple(assumptions),
            collectives=collectives,
        )

    @property
    def dataset(self) -> xr.Dataset:
        """Every link's figures over ``(src, dst)``; NaN where ``linked`` is False."""
        if self._dataset is None:
            self._dataset = self._make_dataset()
        return self._dataset

    def _make_dataset(self) -> xr.Dataset:
        n = self.spec.accelerators
        data: dict[str, Any] = {}
        for name, vals in self.link_arrays().items():
            full = np.full((n, n), np.nan)
            full[self.src, self.dst] = vals
            data[name] = (("src", "dst"), full)
        linked = np.zeros((n, n), dtype=bool)
        linked[self.src, self.dst] = True
        closes = np.zeros((n, n), dtype=bool)
        closes[self.src, self.dst] = self.closes
        data["linked"] = (("src", "dst"), linked)
        data["closes"] = (("src", "dst"), closes)
        data["egress_gbps"] = (("src",), np.bincount(self.src, weights=self.bandwidth_gbps, minlength=n))
        idx = np.arange(n)
        ds = xr.Dataset(
            data,
            coords={
                "src": idx,
                "dst": idx,
                "x_um": ("src", self.positions_um[:, 0]),
                "y_um": ("src", self.positions_um[:, 1]),
            },
        )
        units = {
            "length_um": "um", "parallel_length_um": "um", "path_loss_db": "dB", "insertion_loss_db": "dB",
            "laser_power_dbm": "dBm", "received_power_dbm": "dBm", "crosstalk_db": "dB",
            "crosstalk_penalty_db": "dB", "margin_db": "dB", "bandwidth_gbps": "Gb/s",
            "energy_pj_per_bit": "pJ/bit", "electrical_power_mw": "mW", "egress_gbps": "Gb/s",
        }
        for k, u in units.items():
            ds[k].attrs["units"] = u
        s = self.summary.to_dict()
        for k, v in s.items():
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                ds.attrs[k] = v
        ds.attrs["margin_quantiles_db_json"] = json.dumps(s["margin_quantiles_db"])
        ds.attrs["collectives_json"] = json.dumps(s["collectives"])
        ds.attrs["assumptions"] = "; ".join(self.summary.assumptions)
        ds.attrs["spec_json"] = self.spec.model_dump_json()
        return ds

    def to_netcdf(self, path: str) -> None:
        """Write :attr:`dataset` to a netCDF file (h5netcdf), atomically (a temporary file
        naming this process, renamed; those of killed writers are removed first)."""
        from photonics.tables.io import atomic_path

        with atomic_path(path, suffix=".nc.tmp") as tmp:
            self.dataset.to_netcdf(tmp, engine="h5netcdf")

    def with_failures(self, links: Any = (), accelerators: Any = (), **options: Any) -> Any:
        """This board with some links and accelerators failed, rerouted over the survivors.

        Args:
            links: Indices of failed links (into the board's link arrays, ``src``/``dst``).
            accelerators: Indices of failed accelerators (their links fail with them).
            **options: Passed to :func:`photonics.system.resilience.degrade`.

        Returns:
            A :class:`photonics.system.resilience.DegradedBoard`.
        """
        from photonics.system.resilience import degrade  # system sits above link

        return degrade(self, links=links, accelerators=accelerators, **options)

    # ----------------------------------------------------------------- collectives
    def collective(self, kind: str, message_bytes: float, algorithm: str | None = None) -> Any:
        """Time and energy of a collective (a :class:`photonics.system.collectives.CollectiveResult`).

        Args:
            kind: ``all_reduce``, ``all_gather``, ``reduce_scatter`` or ``all_to_all``.
            message_bytes: Bytes per accelerator, > 0.
            algorithm: ``ring``, ``bidirectional_ring``, ``bucket``, ``halving_doubling``
                (``direct`` for all-to-all); ``None`` picks the fastest valid one.
        """
        from photonics.system.collectives import BoardCollectives
        from photonics.system.graph import board_graph

        if self._collectives is None:
            self._collectives = BoardCollectives(board_graph(self))
        return self._collectives.time(kind, message_bytes, algorithm)

    def collective_time_s(self, kind: str, message_bytes: float, algorithm: str | None = None) -> float:
        """Completion time of a collective, s (see :meth:`collective`)."""
        return float(self.collective(kind, message_bytes, algorithm).time_s)

    # ----------------------------------------------------------------- queries
    def _check_ids(self, name: str, ids: np.ndarray) -> None:
        n = self.spec.accelerators
        bad = np.nonzero((ids < 0) | (ids >= n))[0]
        if bad.size:
            raise InputError(f"{name}[{bad[0]}]={ids[bad[0]]} is outside the valid range [0, {n - 1}]")

    def _predecessors(self) -> np.ndarray:
        if self._pred is None:
            from scipy.sparse import csr_matrix
            from scipy.sparse.csgraph import shortest_path

            n = self.spec.accelerators
            ok = self.closes
            g = csr_matrix((np.ones(int(ok.sum())), (self.src[ok], self.dst[ok])), shape=(n, n))
            _, pred = shortest_path(g, directed=True, unweighted=True, return_predecessors=True)
            self._pred = pred
        return self._pred

    def query(self, src: ArrayLike, dst: ArrayLike) -> BoardAnswer:
        """Budget of the links ``src -> dst`` (scalars or broadcastable integer arrays).

        Args:
            src: Source accelerator index or indices, in [0, N).
            dst: Destination index or indices, in [0, N), each different from its source.
        """
        s_in, d_in = np.asarray(src), np.asarray(dst)
        scalar = s_in.ndim == 0 and d_in.ndim == 0
        for name, a in (("src", s_in), ("dst", d_in)):
            if a.dtype.kind not in "iu" and not (a.dtype.kind == "f" and np.all(a == np.round(a))):
                raise InputError(f"{name} must be integer accelerator indices, got {a!r}")
        s, d = np.broadcast_arrays(np.atleast_1d(s_in).astype(np.int64), np.atleast_1d(d_in).astype(np.int64))
        s, d = s.ravel(), d.ravel()
        self._check_ids("src", s)
        self._check_ids("dst", d)
        same = np.nonzero(s == d)[0]
        if same.size:
            raise InputError(f"src[{same[0]}] and dst[{same[0]}] are both {s[same[0]]}: a link needs two accelerators")
        arrays = self.link_arrays()
        idx = self._link_index(s, d)
        linked = idx >= 0
        k = np.where(linked, idx, 0)
        out = {
            "margin_db": arrays["margin_db"][k].copy(),
            "ber": arrays["ber"][k].copy(),
            "insertion_loss_db": arrays["insertion_loss_db"][k].copy(),
            "received_power_dbm": arrays["received_power_dbm"][k].copy(),
            "crosstalk_penalty_db": arrays["crosstalk_penalty_db"][k].copy(),
            "laser_power_dbm": arrays["laser_power_dbm"][k].copy(),
            "bandwidth_gbps": arrays["bandwidth_gbps"][k].copy(),
            "energy_pj_per_bit": arrays["energy_pj_per_bit"][k].copy(),
        }
        hops = np.where(linked, 1, 0)
        multi = np.nonzero(~linked)[0]
        if multi.size:
            self._multi_hop(s[multi], d[multi], multi, out, hops, arrays)
        closes = out["margin_db"] >= self.spec.required_margin_db - _MARGIN_TOL_DB
        conv = (lambda v: v.item()) if scalar else (lambda v: v)
        return BoardAnswer(
            src=conv(s), dst=conv(d), linked=conv(linked), hops=conv(hops), closes=conv(closes),
            **{key: conv(v) for key, v in out.items()},
        )

    def _multi_hop(
        self, s: np.ndarray, d: np.ndarray, where: np.ndarray, out: dict[str, np.ndarray], hops: np.ndarray,
        arrays: dict[str, np.ndarray],
    ) -> None:
        """Fill ``out`` for pairs without a direct link, walking the shortest paths back."""
        pred = self._predecessors()
        reach = pred[s, d] >= 0
        worst = {"margin_db": np.full(s.size, np.inf), "received_power_dbm": np.full(s.size, np.inf),
                 "insertion_loss_db": np.zeros(s.size), "crosstalk_penalty_db": np.zeros(s.size),
                 "laser_power_dbm": np.full(s.size, -np.inf)}
        bw = np.full(s.size, np.inf)
        energy = np.zeros(s.size)
        ber = np.zeros(s.size)
        count = np.zeros(s.size, dtype=np.int64)
        cur = d.copy()
        active = reach.copy()
        while active.any():
            prev = np.where(active, pred[s, cur], 0)
            j = np.where(active, self._link_index(prev, cur), 0)
            a = active
            worst["margin_db"][a] = np.minimum(worst["margin_db"][a], arrays["margin_db"][j[a]])
            worst["received_power_dbm"][a] = np.minimum(worst["received_power_dbm"][a], arrays["received_power_dbm"][j[a]])
            worst["insertion_loss_db"][a] = np.maximum(worst["insertion_loss_db"][a], arrays["insertion_loss_db"][j[a]])
            worst["crosstalk_penalty_db"][a] = np.maximum(worst["crosstalk_penalty_db"][a], arrays["crosstalk_penalty_db"][j[a]])
            worst["laser_power_dbm"][a] = np.maximum(worst["laser_power_dbm"][a], arrays["laser_power_dbm"][j[a]])
            bw[a] = np.minimum(bw[a], arrays["bandwidth_gbps"][j[a]])
            energy[a] += arrays["energy_pj_per_bit"][j[a]]
            ber[a] += arrays["ber"][j[a]]
            count[a] += 1
            cur = np.where(active, prev, cur)
            active = active & (cur != s)
        for key, v in worst.items():
            out[key][where] = np.where(reach, v, -np.inf if key in ("margin_db", "received_power_dbm") else v)
        out["insertion_loss_db"][where] = np.where(reach, worst["insertion_loss_db"], np.inf)
        out["bandwidth_gbps"][where] = np.where(reach, bw, 0.0)
        out["energy_pj_per_bit"][where] = np.where(reach, energy, np.inf)
        out["ber"][where] = np.where(reach, np.minimum(ber, 0.5), 0.5)
        hops[where] = np.where(reach, count, 0)


def routed_budget(spec: BoardSpec, routed: Any, library: ComponentLosses | None = None) -> Board:
    """Every link's budget on routed geometry (the layout-aware budget).

    Args:
        spec: The board that was routed.
        routed: Its routed links, e.g. a :class:`photonics.layout.RoutedBoard`: ``paths``
            (:class:`RoutedPaths`) and ``src``, ``dst`` (the link of each entry, which must
            be the topology's links in order).
        library: Component library (the shipped default if None).
    """
    return Board(spec, library, router=FixedRoutes(routed.paths, routed.src, routed.dst))


def board_sweep(
    spec: BoardSpec,
    field: str,
    values: ArrayLike,
    library: ComponentLosses | None = None,
    *,
    router: RoutingModel | None = None,
) -> xr.Dataset:
    """System figures of ``spec`` as one field takes each of ``values``.

    Args:
        spec: The board.
        field: Dotted path of a numeric field of :class:`BoardSpec`, e.g.
            ``"components.propagation_loss_db_per_cm"``, ``"placement.pitch_um"``,
            ``"routing.guide_pitch_um"``, ``"link.laser.power_dbm"``.
        values: Values of that field (validated like the spec itself).
        library: Component library (see :class:`Board`).
        router: Routing model (see :class:`Board`).

    Returns:
        A Dataset over the dimension named ``field`` with the scalar figures of
        :class:`BoardSummary` and the margin quantiles (``margin_p0_db`` ...).
    """
    vals = np.atleast_1d(np.asarray(values, dtype=float))
    if vals.ndim != 1 or vals.size == 0:
        raise InputError(f"values must be a non-empty 1-D list of numbers, got {values!r}")
    base = spec.model_dump()
    keys = field.split(".")
    node = base
    for k in keys[:-1]:
        if not isinstance(node, dict) or k not in node or not isinstance(node[k], dict):
            raise InputError(f"field={field!r} is not a field of BoardSpec")
        node = node[k]
    if keys[-1] not in node:
        raise InputError(f"field={field!r} is not a field of BoardSpec")
    rows: list[dict[str, Any]] = []
    for v in vals:
        node[keys[-1]] = float(v)
        try:
            board = Board(BoardSpec.model_validate(base), library, router=router)
        except Exception as exc:  # pydantic ValidationError names the field
            from pydantic import ValidationError

            from photonics.validation import error_message

            if isinstance(exc, ValidationError):
                why = "; ".join(f"{'.'.join(map(str, e.get('loc', ()))) or 'spec'}: {error_message(e)}"
                                for e in exc.errors()[:3])
            else:
                why = (str(exc).splitlines() or [type(exc).__name__])[0]
            raise InputError(f"--sweep value {field}={v:g} (value {len(rows) + 1} of {vals.size}): {why}") from None
        s = board.summary
        row = {k: getattr(s, k) for k in (
            "links_closing", "links_failing", "bisection_bandwidth_gbps", "total_bandwidth_gbps",
            "total_optical_power_mw", "total_electrical_power_mw", "energy_pj_per_bit", "egress_min_gbps",
            "max_crossings", "max_length_um", "bend_radius_um")}
        for p, q in s.margin_quantiles_db.items():
            row[f"margin_{p}_db"] = q
        rows.append(row)
    ds = xr.Dataset(
        {k: ((field,), np.asarray([r[k] for r in rows], dtype=float)) for k in rows[0]},
        coords={field: vals},
    )
    ds.attrs["spec_json"] = spec.model_dump_json()
    return ds
