"""Validated input of a board: placement, topology, routing, link template, components.

Frozen pydantic models with ``extra="forbid"``, shared by the Python API, the CLI (YAML or
JSON) and the HTTP service. Units are in the field names.
"""

from __future__ import annotations

from typing import Annotated, Literal, Optional, Union

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, StrictInt, model_validator

from photonics.errors import InputError
from photonics.link.spec import LinkSpec

__all__ = [
    "GridPlacement",
    "CoordinatePlacement",
    "TopologySpec",
    "RoutingSpec",
    "placement_positions",
    "BoardComponents",
    "BoardSpec",
    "BoardQuery",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GridPlacement(_Frozen):
    """Accelerators on a grid, row by row: index ``i`` at column ``i % columns``."""

    kind: Literal["grid"] = "grid"
    columns: int = Field(ge=1, le=4096, description="Accelerators per row")
    pitch_um: float = Field(gt=0.0, le=1e7, description="Centre-to-centre pitch, µm")
    pitch_y_um: Optional[float] = Field(default=None, gt=0.0, le=1e7, description="Row pitch, µm (default pitch_um)")


class CoordinatePlacement(_Frozen):
    """Accelerators at given centre coordinates (x, y), µm."""

    kind: Literal["coordinates"] = "coordinates"
    coordinates_um: tuple[tuple[float, float], ...] = Field(min_length=2, description="(x, y) of each accelerator, µm")


Placement = Annotated[Union[GridPlacement, CoordinatePlacement], Field(discriminator="kind")]


class TopologySpec(_Frozen):
    """Which accelerators are linked. Links are directed; ``links`` lists ``(src, dst)``."""

    kind: Literal["full_mesh", "mesh2d", "torus2d", "folded_torus2d", "hypercube", "torus3d", "links"] = "full_mesh"
    links: Optional[tuple[tuple[int, int], ...]] = Field(default=None, description="(src, dst) pairs for kind 'links'")
    bidirectional: bool = Field(default=True, description="For 'links': add the reverse of every pair")
    shape: Optional[tuple[int, int, int]] = Field(
        default=None, description="(X, Y, Z) of kind 'torus3d': X·Y·Z accelerators on X·Z columns and Y rows"
    )

    @model_validator(mode="after")
    def _links_given(self) -> "TopologySpec":
        if (self.kind == "links") != (self.links is not None):
            raise ValueError("links must be given exactly when kind is 'links'")
        if (self.kind == "torus3d") != (self.shape is not None):
            raise ValueError(f"topology.shape must be given exactly when kind is 'torus3d' (kind={self.kind!r}, "
                             f"shape={self.shape!r})")
        if self.shape is not None and not all(1 <= v <= 4096 for v in self.shape):
            raise ValueError(f"topology.shape={self.shape!r}: every size must be in [1, 4096]")
        return self


class RoutingSpec(_Frozen):
    """Manhattan routing (see :class:`photonics.link.routing.ManhattanRouter`)."""

    model: Literal["manhattan"] = "manhattan"
    guide_pitch_um: float = Field(gt=0.0, le=1e4, description="Pitch of guides sharing a channel, µm")
    max_bend_loss_db_per_90deg: Optional[float] = Field(default=None, gt=0.0, le=10.0, description="Bend-loss target, dB")
    bend_radius_um: Optional[float] = Field(default=None, gt=0.0, le=1e6, description="Bend radius, µm")
    depth_layers: Literal[1, 2] = Field(default=1, description="1: crossings in plane; 2: x and y runs on two layers")
    layer_separation_um: Optional[float] = Field(default=None, gt=0.0, le=1e4, description="Layer separation, µm")

    @model_validator(mode="after")
    def _radius_rule(self) -> "RoutingSpec":
        if self.bend_radius_um is None and self.max_bend_loss_db_per_90deg is None:
            raise ValueError("give bend_radius_um or max_bend_loss_db_per_90deg")
        if self.depth_layers == 2 and self.layer_separation_um is None:
            raise ValueError("depth_layers=2 needs layer_separation_um")
        return self


class BoardComponents(_Frozen):
    """Component figures that override the library's (each optional; others from the tables)."""

    propagation_loss_db_per_cm: Optional[float] = Field(default=None, ge=0.0, le=100.0)
    bend_loss_db_per_90deg: Optional[float] = Field(default=None, ge=0.0, le=60.0)
    bend_transition_loss_db: Optional[float] = Field(default=None, ge=0.0, le=60.0)
    crossing_loss_db: Optional[float] = Field(default=None, ge=0.0, le=60.0)
    crossing_crosstalk_db: Optional[float] = Field(default=None, ge=-200.0, le=0.0)
    parallel_crosstalk_db: Optional[float] = Field(
        default=None, ge=-200.0, le=0.0, description="Per neighbour over the whole parallel run, dB"
    )


class BoardSpec(_Frozen):
    """A glass board linking accelerators.

    ``link`` is the template of every link: transceiver, modulation, energy terms, and the
    fixed elements every link has besides its routed guide (e.g. two couplers); its
    ``laser.power_dbm`` is the laser power (``laser_policy="fixed"``) or the cap on it
    (``"minimum"``: each link's laser is set to the least power that closes it with
    ``required_margin_db``).
    """

    name: Optional[str] = Field(default=None, max_length=200)
    accelerators: int = Field(ge=2, le=4096, description="Number of accelerators")
    placement: Placement
    ports_per_accelerator: Optional[int] = Field(default=None, ge=1, le=10**6, description="Optical ports (lanes) each")
    topology: TopologySpec = Field(default_factory=TopologySpec)
    routing: RoutingSpec
    link: LinkSpec
    components: BoardComponents = Field(default_factory=BoardComponents)
    laser_policy: Literal["fixed", "minimum"] = "fixed"
    required_margin_db: float = Field(default=0.0, ge=-20.0, le=40.0, description="Margin a link needs to count as closing, dB")
    collective_message_bytes: int = Field(
        default=2**30, ge=1, le=2**50, description="Message per accelerator of the summary's collectives, bytes"
    )

    @model_validator(mode="after")
    def _consistent(self) -> "BoardSpec":
        if isinstance(self.placement, CoordinatePlacement):
            if len(self.placement.coordinates_um) != self.accelerators:
                raise ValueError(
                    f"placement.coordinates_um has {len(self.placement.coordinates_um)} entries for "
                    f"{self.accelerators} accelerators"
                )
            if self.topology.kind in ("mesh2d", "torus2d", "folded_torus2d", "torus3d"):
                raise ValueError(f"topology {self.topology.kind} needs a grid placement")
        n, kind = self.accelerators, self.topology.kind
        if kind == "hypercube" and n & (n - 1):
            raise ValueError(f"topology.kind='hypercube' needs accelerators to be a power of two (2, 4, ..., 4096), "
                             f"got accelerators={n}")
        if kind in ("torus2d", "folded_torus2d") and isinstance(self.placement, GridPlacement):
            if n % self.placement.columns:
                raise ValueError(f"topology {kind} needs full rows: accelerators={n} is not a multiple of "
                                 f"placement.columns={self.placement.columns}")
        if self.topology.shape is not None:
            sx, sy, sz = self.topology.shape
            if sx * sy * sz != n:
                raise ValueError(f"topology.shape={self.topology.shape!r} has {sx * sy * sz} nodes; its product must "
                                 f"equal accelerators={n}")
            if isinstance(self.placement, GridPlacement) and self.placement.columns != sx * sz:
                raise ValueError(f"topology.shape={self.topology.shape!r} needs placement.columns = X·Z = {sx * sz}, "
                                 f"got {self.placement.columns}")
        if self.topology.links is not None:
            for i, (a, b) in enumerate(self.topology.links):
                if not (0 <= a < self.accelerators and 0 <= b < self.accelerators) or a == b:
                    raise ValueError(
                        f"topology.links[{i}]=({a}, {b}) must be two different indices in [0, {self.accelerators - 1}]"
                    )
        return self


class BoardQuery(_Frozen):
    """Which links to report: ``src[i] -> dst[i]`` (scalars or equal-length lists).

    ``failed_links`` (indices into the board's link order) and ``failed_accelerators``
    answer on the board with those failed, rerouted around them
    (:meth:`photonics.link.Board.with_failures`).
    """

    src: Union[StrictInt, tuple[StrictInt, ...]] = Field(description="Source accelerator index or indices")
    dst: Union[StrictInt, tuple[StrictInt, ...]] = Field(description="Destination accelerator index or indices")
    failed_links: Optional[tuple[Annotated[StrictInt, Field(ge=0)], ...]] = Field(
        default=None, max_length=100_000, description="Failed links (indices into the board's links), at most 1e5")
    failed_accelerators: Optional[tuple[Annotated[StrictInt, Field(ge=0)], ...]] = Field(
        default=None, max_length=4096, description="Failed accelerators, at most 4096")

    @model_validator(mode="after")
    def _same_length(self) -> "BoardQuery":
        ls = 1 if isinstance(self.src, int) else len(self.src)
        ld = 1 if isinstance(self.dst, int) else len(self.dst)
        if ls != ld and 1 not in (ls, ld):
            raise ValueError(f"src and dst must have the same length (got {ls} and {ld})")
        if max(ls, ld) > 1_000_000:
            raise ValueError("at most 1e6 pairs per query")
        return self


def placement_positions(spec: BoardSpec) -> np.ndarray:
    """Accelerator centres, shape ``(N, 2)``, µm."""
    pl = spec.placement
    if isinstance(pl, CoordinatePlacement):
        pos = np.asarray(pl.coordinates_um, dtype=float)
        if len(np.unique(pos, axis=0)) != len(pos):
            raise InputError("placement.coordinates_um has two accelerators at the same position")
        return pos
    assert isinstance(pl, GridPlacement)
    i = np.arange(spec.accelerators)
    py = pl.pitch_um if pl.pitch_y_um is None else pl.pitch_y_um
    return np.column_stack([(i % pl.columns) * pl.pitch_um, (i // pl.columns) * py]).astype(float)
