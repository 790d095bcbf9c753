"""The hand-written quantile sketch the norms used before ddsketch (kept only so that
`make bench` can measure the new sketch against it in the same run: bench_norms.py
--sketch legacy). Not used by jixiao."""

from __future__ import annotations

import math


class LegacySketch:
    """Mergeable summary of target values: exact value counts while there are at most
    ``limit`` distinct values, then log-spaced buckets with relative error ``alpha``
    (the DDSketch idea). Quantiles use the nearest-rank rule in both modes."""

    __slots__ = ("exact", "pos", "neg", "zeros", "n", "alpha", "limit")

    def __init__(self, alpha: float = 0.005, limit: int = 2048):
        self.exact: dict[float, int] | None = {}
        self.pos: dict[int, int] = {}
        self.neg: dict[int, int] = {}
        self.zeros = 0
        self.n = 0
        self.alpha = alpha
        self.limit = limit

    @property
    def gamma(self) -> float:
        return (1 + self.alpha) / (1 - self.alpha)

    def _bucket(self, v: float) -> int:
        return math.ceil(math.log(v) / math.log(self.gamma))

    def _rep(self, i: int) -> float:
        return 2 * self.gamma ** i / (self.gamma + 1)

    def _add_bucketed(self, v: float, c: int) -> None:
        if v == 0:
            self.zeros += c
        elif v > 0:
            b = self._bucket(v)
            self.pos[b] = self.pos.get(b, 0) + c
        else:
            b = self._bucket(-v)
            self.neg[b] = self.neg.get(b, 0) + c

    def _compress(self) -> None:
        exact, self.exact = self.exact, None
        for v, c in exact.items():
            self._add_bucketed(v, c)

    def add(self, v: float, count: int = 1) -> None:
        self.n += count
        if self.exact is not None:
            self.exact[v] = self.exact.get(v, 0) + count
            if len(self.exact) > self.limit:
                self._compress()
        else:
            self._add_bucketed(v, count)

    def merge(self, other: "LegacySketch") -> "LegacySketch":
        if self.exact is not None and other.exact is not None:
            for v, c in other.exact.items():
                self.exact[v] = self.exact.get(v, 0) + c
            self.n += other.n
            if len(self.exact) > self.limit:
                self._compress()
            return self
        if self.exact is not None:
            self._compress()
        if other.exact is not None:
            for v, c in other.exact.items():
                self._add_bucketed(v, c)
        else:
            for b, c in other.pos.items():
                self.pos[b] = self.pos.get(b, 0) + c
            for b, c in other.neg.items():
                self.neg[b] = self.neg.get(b, 0) + c
            self.zeros += other.zeros
        self.n += other.n
        return self

    @property
    def is_exact(self) -> bool:
        return self.exact is not None

    def items(self) -> list[tuple[float, int]]:
        """(value, count) in increasing order (bucket representatives once compressed)."""
        if self.exact is not None:
            return sorted(self.exact.items())
        out = [(-self._rep(b), c) for b, c in self.neg.items()]
        if self.zeros:
            out.append((0.0, self.zeros))
        out += [(self._rep(b), c) for b, c in self.pos.items()]
        return sorted(out)

    def quantile(self, q: float) -> float | None:
        if self.n == 0:
            return None
        rank = max(1, math.ceil(q * self.n))
        seen = 0
        for v, c in self.items():
            seen += c
            if seen >= rank:
                return v
        return self.items()[-1][0]  # pragma: no cover - counts always reach n



