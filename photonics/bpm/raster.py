"""Permittivity of a device on the BPM grid, plane by plane along z.

At each plane z every guide crossing it is placed at its (x, y) there and its profile is
evaluated in the guide's own cross-section frame (oblique cut for tilted or bent guides;
see :mod:`photonics.device.device`). ε is averaged over ``S x S`` sub-samples of each
cell (the cell-averaged ε the mode solver uses for its node values), and only inside the
guides' bounding boxes; outside them the cladding's ε is exact. Overlapping guides
combine by the device's overlap rule. A plane whose guides sit where they sat on the
previous plane reuses the previous map.
"""

from __future__ import annotations

import numpy as np

from photonics.bpm.grid import BPMGrid
from photonics.device.device import Device, TaperedProfile
from photonics.profiles import Profile

__all__ = ["Rasteriser"]


class Rasteriser:
    """Cell-averaged ε(x, y) of a device at given planes z.

    Args:
        device: A device whose guides advance monotonically along +z.
        grid: The BPM grid.
        wavelength_um: Vacuum wavelength in µm (within the cladding's range).
        subpixel: Sub-samples per cell axis (≥ 1), or None for 6 on step-index cores
            and 2 on graded ones.
    """

    def __init__(self, device: Device, grid: BPMGrid, wavelength_um: float, subpixel: int | None = None) -> None:
        device.check_z_monotonic()
        self.device = device
        self.grid = grid
        self.n_clad = float(device.cladding.n(wavelength_um))
        step = any(g.profile.is_step or (g.profile_end is not None and g.profile_end.is_step) for g in device.guides)
        self.subpixel = int(subpixel or (6 if step else 2))
        self._tables: list[dict] = []
        self._last_key: tuple | None = None
        self._last_eps: np.ndarray | None = None

    def prepare(self, z_um: np.ndarray) -> None:
        """Locate every guide on the planes ``z_um`` (µm, increasing) in one vectorised pass."""
        z = np.asarray(z_um, dtype=float)
        self._z = z
        self._tables = []
        for g in self.device.guides:
            a, b = g.path.z_range_um
            tol = 1e-9 * max(1.0, b - a)
            active = (z >= a - tol) & (z <= b + tol)
            tab: dict = {"guide": g, "active": active}
            if np.any(active):
                s = g.path.s_at_z(np.clip(z[active], a, b))
                pos = g.path.position(s)
                frame = g.path.frame(s)
                full_pos = np.full((z.size, 3), np.nan)
                full_pos[active] = pos
                full_frame = np.full((z.size, 3, 3), np.nan)
                full_frame[active] = frame
                frac = np.zeros(z.size)
                frac[active] = s / g.path.length_um
                tab.update(pos=full_pos, frame=full_frame, frac=frac)
            self._tables.append(tab)

    def _placed(self, k: int) -> list[tuple[Profile, float, float, np.ndarray]]:
        out = []
        for tab in self._tables:
            if not tab["active"][k]:
                continue
            g = tab["guide"]
            prof = g.profile if g.profile_end is None else TaperedProfile(g.profile, g.profile_end,
                                                                          float(tab["frac"][k]))
            pos = tab["pos"][k]
            out.append((prof, float(pos[0]), float(pos[1]), tab["frame"][k]))
        return out

    def eps(self, k: int) -> tuple[np.ndarray, bool]:
        """ε on the grid nodes at plane ``k`` of :meth:`prepare`'s planes, and whether it
        differs from the map returned by the previous call."""
        placed = self._placed(k)
        key = tuple(
            (id(p) if not isinstance(p, TaperedProfile) else (id(p.start), round(p.fraction, 12)),
             round(x, 9), round(y, 9), tuple(np.round(f[:2, :2].ravel(), 12)))
            for p, x, y, f in placed
        )
        if key == self._last_key and self._last_eps is not None:
            return self._last_eps, False
        eps = self._rasterise(placed)
        self._last_key, self._last_eps = key, eps
        return eps, True

    def _box(self, prof: Profile, x: float, y: float, f: np.ndarray) -> tuple[int, int, int, int]:
        """Node index ranges [i0, i1) x [j0, j1) enclosing the guide's cut."""
        hx, hy = prof.extent_um()
        # (u, v) = M (dx, dy); the cut's box is M⁻¹ applied to the profile's box corners
        a, b, c, d = f[0, 0], f[1, 0], f[0, 1], f[1, 1]
        det = a * d - b * c
        # |M⁻¹ (±hx, ±hy)| maximised over the corners, per component
        bx = (abs(d) * hx + abs(b) * hy) / abs(det)
        by = (abs(c) * hx + abs(a) * hy) / abs(det)
        g, h = self.grid, self.grid.step_um
        i0 = max(0, int(np.floor((x - bx - g.x0_um) / h)) - 1)
        i1 = min(g.nx, int(np.ceil((x + bx - g.x0_um) / h)) + 2)
        j0 = max(0, int(np.floor((y - by - g.y0_um) / h)) - 1)
        j1 = min(g.ny, int(np.ceil((y + by - g.y0_um) / h)) + 2)
        return i0, i1, j0, j1

    def _rasterise(self, placed: list[tuple[Profile, float, float, np.ndarray]]) -> np.ndarray:
        g = self.grid
        eps = np.full((g.nx, g.ny), self.n_clad**2)
        boxes = [self._box(*p) for p in placed]
        # clusters of overlapping boxes are evaluated together (overlap rule)
        clusters: list[tuple[list[int], list[int]]] = []
        for idx, b in enumerate(boxes):
            if b[0] >= b[1] or b[2] >= b[3]:
                continue  # entirely outside the window
            box = list(b)
            members = [idx]
            merged = True
            while merged:
                merged = False
                for c in list(clusters):
                    cb = c[1]
                    if box[0] < cb[1] and cb[0] < box[1] and box[2] < cb[3] and cb[2] < box[3]:
                        clusters.remove(c)
                        members += c[0]
                        box = [min(box[0], cb[0]), max(box[1], cb[1]), min(box[2], cb[2]), max(box[3], cb[3])]
                        merged = True
            clusters.append((members, box))
        s = self.subpixel
        off = ((np.arange(s) + 0.5) / s - 0.5) * g.step_um
        xs_all, ys_all = g.x_um, g.y_um
        for members, (i0, i1, j0, j1) in clusters:
            xs = (xs_all[i0:i1, None] + off[None, :]).ravel()[:, None]
            ys = (ys_all[j0:j1, None] + off[None, :]).ravel()[None, :]
            dn = None
            for idx in members:
                prof, x, y, f = placed[idx]
                dx, dy = xs - x, ys - y
                d = prof.delta_n(dx * f[0, 0] + dy * f[1, 0], dx * f[0, 1] + dy * f[1, 1])
                if dn is None:
                    dn = d
                elif self.device.overlap == "sum":
                    dn = dn + d
                else:
                    dn = np.where(np.abs(d) > np.abs(dn), d, dn)
            sub = (self.n_clad + dn) ** 2
            eps[i0:i1, j0:j1] = sub.reshape(i1 - i0, s, j1 - j0, s).mean(axis=(1, 3))
        return eps
