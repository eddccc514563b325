"""The `grid-benchmark` model written the way Mesa 3's documentation and examples write models.

Idioms followed (checked against the installed Mesa 3.3 source and its wolf-sheep example):
``mesa.Model`` with ``seed=``, ``OrthogonalMooreGrid`` (torus, capacity 1) from
``mesa.discrete_space``, one ``CellAgent`` subclass per kind, agents placed with
``create_agents(..., cell=[...])``, moves by assigning ``self.cell``, neighbourhoods through
``self.cell.neighborhood`` and ``select(...)``, a turned human replaced by a new ``Zombie`` in the
same cell, and the model step ``self.agents.shuffle_do("step")`` (sequential, random order).

Update order: sequential. Agents alive at the start of a tick act one at a time in a fresh
random order; each moves to a uniformly chosen empty neighbouring cell (or stays), then a zombie
bites one uniformly chosen adjacent human with probability ``p_bite`` (the human turns at once),
and a human destroys one uniformly chosen adjacent zombie with probability ``p_kill``. An agent
removed earlier in the tick does not act (``shuffle_do`` holds weak references), and a zombie
created this tick first acts next tick.
"""

from __future__ import annotations

import mesa
from mesa.discrete_space import CellAgent, OrthogonalMooreGrid


class Walker(CellAgent):
    """An agent that random-walks to a free Moore neighbour, or stays when boxed in."""

    def __init__(self, model: ZombieGrid, cell=None) -> None:
        super().__init__(model)
        self.cell = cell

    def move(self) -> None:
        free = self.cell.neighborhood.select(lambda cell: cell.is_empty)
        if len(free) > 0:
            self.cell = free.select_random_cell()


class Human(Walker):
    """A human: walks, then destroys one adjacent zombie with probability ``p_kill``."""

    def step(self) -> None:
        self.move()
        zombies = [a for a in self.cell.neighborhood.agents if isinstance(a, Zombie)]
        if zombies and self.random.random() < self.model.p_kill:
            self.random.choice(zombies).remove()


class Zombie(Walker):
    """A zombie: walks, then bites one adjacent human with probability ``p_bite``; it turns."""

    def step(self) -> None:
        self.move()
        humans = [a for a in self.cell.neighborhood.agents if isinstance(a, Human)]
        if humans:
            victim = self.random.choice(humans)
            if self.random.random() < self.model.p_bite:
                cell = victim.cell
                victim.remove()
                Zombie(self.model, cell=cell)


class ZombieGrid(mesa.Model):
    """Humans and zombies on a ``height x width`` Moore torus, one agent per cell."""

    def __init__(
        self,
        n_agents: int = 10_000,
        width: int = 200,
        height: int = 200,
        zombie_fraction: float = 0.01,
        p_bite: float = 0.5,
        p_kill: float = 0.2,
        seed: int | None = None,
    ) -> None:
        super().__init__(seed=seed)
        self.p_bite = p_bite
        self.p_kill = p_kill
        self.grid = OrthogonalMooreGrid(
            (height, width), torus=True, capacity=1, random=self.random
        )
        n_zombies = max(1, round(zombie_fraction * n_agents))
        cells = self.random.sample(self.grid.all_cells.cells, k=n_agents)
        Zombie.create_agents(self, n_zombies, cell=cells[:n_zombies])
        Human.create_agents(self, n_agents - n_zombies, cell=cells[n_zombies:])

    @property
    def n_humans(self) -> int:
        return len(self.agents_by_type.get(Human, ()))

    @property
    def n_zombies(self) -> int:
        return len(self.agents_by_type.get(Zombie, ()))

    def step(self) -> None:
        self.agents.shuffle_do("step")


def run(
    n_agents: int, ticks: int, seed: int, *, width: int = 200, height: int = 200, **rates: float
) -> int:
    """Build and run the model for ``ticks`` steps; the number of humans left.

    ``rates`` may set ``zombie_fraction``, ``p_bite`` and ``p_kill``.
    """
    model = ZombieGrid(n_agents=n_agents, width=width, height=height, seed=seed, **rates)
    for _ in range(ticks):
        model.step()
    return model.n_humans


if __name__ == "__main__":
    import sys
    import time

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    t0 = time.perf_counter()
    humans = run(n, 100, seed=1)
    print(f"mesa {mesa.__version__}: {n} agents, 100 ticks, {humans} humans left, "
          f"{time.perf_counter() - t0:.2f} s")
