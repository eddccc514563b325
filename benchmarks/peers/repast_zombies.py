"""The `grid-benchmark` model written after the structure of Repast4Py's own Zombies example.

Run it under MPI::

    mpirun --allow-run-as-root --oversubscribe -n 1 .venv/bin/python \
        benchmarks/peers/repast_zombies.py benchmarks/peers/repast_zombies.yaml '{"random.seed": 3}'

Structure taken from the example: agents subclass ``core.Agent`` with a ``TYPE`` and ``save()``,
a module-level ``restore_agent`` with an agent cache for ghosts, a ``Model`` holding a
``context.SharedContext``, a ``space.SharedGrid`` projection (here ``BorderType.Periodic`` and
``OccupancyType.Single``: the torus with one agent per cell), a numba neighbour finder, and a
schedule from ``schedule.init_schedule_runner`` that calls ``Model.step`` every tick and stops at
``stop.at``; parameters come from a YAML file through ``parameters.init_params``.

Update order: sequential, like Mesa. Each tick the rank's local agents act once each in an order
shuffled with ``context.agents(shuffle=True)``; an agent moves to a uniformly chosen empty Moore
neighbour (``SharedGrid.move`` refuses an occupied cell), then a zombie bites one uniformly chosen
adjacent human with probability ``p.bite`` (the human is replaced at once by a new zombie, which
acts from the next tick) and a human destroys one adjacent zombie with probability ``p.kill``.

With more than one rank, agents stay on their rank's part of the grid and only act on that
rank's agents: a ghost cannot be changed from here, and with one agent per cell two ranks could
both move an agent into the same border cell (the second then has no place on synchronisation).
So the rank border is a wall, one-rank runs are the reference model, and multi-rank runs are for
timing. Each rank seeds its generator with ``random.seed + rank``. Rank 0 prints one JSON
line: final humans and zombies (summed over ranks) and the seconds spent building and running
the model (the slowest rank), interpreter and MPI start-up excluded.
"""

from __future__ import annotations

import json
import time

import numpy as np
from mpi4py import MPI
from numba import njit
from repast4py import context as ctx
from repast4py import core, parameters, random, schedule, space
from repast4py.space import BorderType, OccupancyType
from repast4py.space import DiscretePoint as dpt

_OFFSETS = np.array(
    [(-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1)], dtype=np.int64
)


@njit(cache=True)
def moore_neighbours(x: int, y: int, width: int, height: int) -> np.ndarray:
    """The eight Moore neighbours of (x, y) on the torus, as an (8, 2) array of coordinates."""
    out = np.empty((8, 2), dtype=np.int64)
    for k in range(8):
        out[k, 0] = (x + _OFFSETS[k, 0]) % width
        out[k, 1] = (y + _OFFSETS[k, 1]) % height
    return out


class Walker(core.Agent):
    """Common behaviour: random walk to a free Moore neighbour."""

    TYPE = -1

    def __init__(self, a_id: int, rank: int) -> None:
        super().__init__(id=a_id, type=self.TYPE, rank=rank)
        self.removed = False  # set when destroyed or turned, so the tick's list skips it

    def save(self) -> tuple:
        return (self.uid,)

    def walk(self, model: Model) -> None:
        pt = model.grid.get_location(self)
        nghs = moore_neighbours(pt.x, pt.y, model.width, model.height)
        # Only cells of this rank: two ranks could otherwise both fill one border cell.
        free = [
            (x, y) for x, y in nghs
            if model.is_local(x, y) and model.grid.get_agent(dpt(x, y)) is None
        ]
        if free:
            x, y = free[random.default_rng.integers(len(free))]
            model.grid.move(self, dpt(x, y))

    def local_neighbours_of_type(self, model: Model, agent_type: int) -> list[core.Agent]:
        """Adjacent agents of ``agent_type`` that this rank owns (ghosts cannot be changed)."""
        pt = model.grid.get_location(self)
        found = []
        for x, y in moore_neighbours(pt.x, pt.y, model.width, model.height):
            if model.is_local(x, y):
                other = model.grid.get_agent(dpt(x, y))
                if other is not None and other.uid[1] == agent_type:
                    found.append(other)
        return found


class Human(Walker):
    TYPE = 0

    def step(self, model: Model) -> None:
        self.walk(model)
        zombies = self.local_neighbours_of_type(model, Zombie.TYPE)
        if zombies and random.default_rng.random() < model.p_kill:
            model.remove(zombies[random.default_rng.integers(len(zombies))])


class Zombie(Walker):
    TYPE = 1

    def step(self, model: Model) -> None:
        self.walk(model)
        humans = self.local_neighbours_of_type(model, Human.TYPE)
        if humans:
            victim = humans[random.default_rng.integers(len(humans))]
            if random.default_rng.random() < model.p_bite:
                pt = model.grid.get_location(victim)
                model.remove(victim)
                model.add_zombie(pt)


agent_cache: dict[tuple, Walker] = {}


def restore_agent(agent_data: tuple) -> Walker:
    """Recreate (or reuse) a ghost or moved agent from its ``save()`` tuple."""
    uid = agent_data[0]
    if uid not in agent_cache:
        cls = Human if uid[1] == Human.TYPE else Zombie
        agent_cache[uid] = cls(uid[0], uid[2])
    return agent_cache[uid]


class Model:
    """Humans and zombies on a shared periodic grid, one agent per cell."""

    def __init__(self, comm: MPI.Intracomm, params: dict) -> None:
        self.comm = comm
        self.rank = comm.Get_rank()
        random.init(int(params["random.seed"]) + self.rank)
        self.context = ctx.SharedContext(comm)
        self.runner = schedule.init_schedule_runner(comm)
        self.runner.schedule_repeating_event(1, 1, self.step)
        self.runner.schedule_stop(params["stop.at"])

        self.width = int(params["world.width"])
        self.height = int(params["world.height"])
        self.p_bite = float(params["p.bite"])
        self.p_kill = float(params["p.kill"])
        box = space.BoundingBox(0, self.width, 0, self.height, 0, 0)
        self.grid = space.SharedGrid(
            "grid", bounds=box, borders=BorderType.Periodic,
            occupancy=OccupancyType.Single, buffer_size=1, comm=comm,
        )
        self.context.add_projection(self.grid)

        # This rank's share of the agents, on distinct cells of its own part of the grid.
        world_size = comm.Get_size()
        n_total = int(params["agent.count"])
        n_zombies_total = max(1, round(float(params["zombie.fraction"]) * n_total))
        n_local = n_total // world_size + (self.rank < n_total % world_size)
        n_zombies = n_zombies_total // world_size + (self.rank < n_zombies_total % world_size)
        lb = self.local_bounds = self.grid.get_local_bounds()
        cells = random.default_rng.choice(lb.xextent * lb.yextent, size=n_local, replace=False)
        self.next_id = 0
        for i, c in enumerate(cells):
            pt = dpt(lb.xmin + int(c) % lb.xextent, lb.ymin + int(c) // lb.xextent)
            if i < n_zombies:
                self.add_zombie(pt)
            else:
                self.add(Human(self._new_id(), self.rank), pt)

    def is_local(self, x: int, y: int) -> bool:
        """Whether (x, y) lies in this rank's own part of the grid (not the ghost buffer)."""
        lb = self.local_bounds
        return lb.xmin <= x < lb.xmin + lb.xextent and lb.ymin <= y < lb.ymin + lb.yextent

    def _new_id(self) -> int:
        self.next_id += 1
        return self.next_id

    def add(self, agent: Walker, pt: dpt) -> None:
        self.context.add(agent)
        self.grid.move(agent, pt)

    def add_zombie(self, pt: dpt) -> None:
        self.add(Zombie(self._new_id(), self.rank), pt)

    def remove(self, agent: Walker) -> None:
        agent.removed = True
        self.context.remove(agent)

    def step(self) -> None:
        for agent in self.context.agents(shuffle=True):
            if not agent.removed:
                agent.step(self)
        self.context.synchronize(restore_agent)

    def counts(self) -> tuple[int, int]:
        """(humans, zombies) summed over all ranks."""
        local = self.context.size([Human.TYPE, Zombie.TYPE])
        mine = np.array([local.get(Human.TYPE, 0), local.get(Zombie.TYPE, 0)], dtype=np.int64)
        total = np.zeros(2, dtype=np.int64)
        self.comm.Allreduce(mine, total, op=MPI.SUM)
        return int(total[0]), int(total[1])

    def start(self) -> None:
        self.runner.execute()


def run(params: dict) -> dict:
    """Build and run the model; rank 0 gets the result record."""
    comm = MPI.COMM_WORLD
    comm.Barrier()
    t0 = time.perf_counter()
    model = Model(comm, params)
    model.start()
    elapsed = comm.allreduce(time.perf_counter() - t0, op=MPI.MAX)
    humans, zombies = model.counts()
    return {
        "humans": humans, "zombies": zombies, "seconds": elapsed, "ranks": comm.Get_size(),
        "agents": int(params["agent.count"]), "ticks": int(params["stop.at"]),
    }


if __name__ == "__main__":
    parser = parameters.create_args_parser()
    args = parser.parse_args()
    params = parameters.init_params(args.parameters_file, args.parameters)
    result = run(params)
    if MPI.COMM_WORLD.Get_rank() == 0:
        print(json.dumps(result), flush=True)
