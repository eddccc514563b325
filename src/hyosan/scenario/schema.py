"""The scenario schema: world, population, outbreak, behaviour, response and run settings.

Every field is validated by pydantic; quantities are written the way people write them
("2 min", "100 m", "1.3 m/s", "30 %") and stored in SI units. Unknown keys are errors.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from hyosan import limits
from hyosan.units import DEFAULT_UNIT, parse_quantity

#: the largest seed (it is stored as a 64-bit integer)
MAX_SEED = 2**63 - 1


def check_name(v: str) -> str:
    """A scenario name becomes a folder name (``runs/NAME``): a name, never a path."""
    if not v.strip() or v in (".", "..") or ".." in v or any(c in v for c in "/\\:") or any(
            ord(c) < 32 for c in v) or len(v) > 120:
        raise ValueError(f"{v!r} is not a usable name: a name becomes a folder name, so it "
                         "must be 1-120 characters without /, \\, :, '..' or control characters")
    return v


def _q(dimension: str, cap: float | None = None):
    """A quantity of ``dimension`` in SI units, refused above ``cap`` (a sane bound)."""

    def parse(v: object) -> float:
        x = parse_quantity(v, dimension)
        if cap is not None and x > cap:
            raise ValueError(f"{v!r} is more than {cap:g} {DEFAULT_UNIT[dimension]}, the most "
                             f"a {dimension} may be here")
        return x

    return BeforeValidator(parse)


def _fraction(v: object) -> float:
    x = parse_quantity(v, "fraction")
    if not 0.0 <= x <= 1.0:
        raise ValueError(f"{v!r} is not a fraction between 0 and 1 (0 %–100 %)")
    return x


def _clock(v: object) -> float:
    """Time of day "08:30" (or seconds after midnight) → seconds after midnight."""
    if isinstance(v, int | float) and not isinstance(v, bool):
        return float(v)
    if isinstance(v, str):
        m = re.fullmatch(r"\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*", v)
        if m and int(m.group(1)) < 24 and int(m.group(2)) < 60:
            return int(m.group(1)) * 3600.0 + int(m.group(2)) * 60.0 + int(m.group(3) or 0)
    raise ValueError(f"cannot read {v!r} as a time of day (write e.g. \"08:30\")")


#: sane upper bounds: far beyond any real scenario, low enough that no cell or tick count
#: computed from them overflows (a speed of 1e300 m/s once crashed a run mid-way)
MAX_SECONDS = 1e9  # 31 years
MAX_METRES = 1e7  # 10,000 km
MAX_SPEED = 100.0  # m/s, five times a sprinter

Seconds = Annotated[float, _q("time", MAX_SECONDS), Field(ge=0)]
Metres = Annotated[float, _q("length", MAX_METRES), Field(ge=0)]
Speed = Annotated[float, _q("speed", MAX_SPEED), Field(ge=0)]
#: a run's length: bounded by ``limits`` (raisable), not by ``MAX_SECONDS``
Duration = Annotated[float, _q("time"), Field(ge=0)]
Rate = Annotated[float, _q("rate"), Field(ge=0)]
Fraction = Annotated[float, BeforeValidator(_fraction)]
Clock = Annotated[float, BeforeValidator(_clock)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True, allow_inf_nan=False)


# ---------------------------------------------------------------------------------- world
class SchoolSpec(Strict):
    """Parameters of the school generator (see ``hyosan.world.generators.school``)."""

    floors: int = Field(4, ge=1, le=12)
    length: Metres = 100.0
    params: dict = Field(default_factory=dict, description="further generator keywords")


class TownSpec(Strict):
    size: Metres = 1000.0
    params: dict = Field(default_factory=dict, description="further generator keywords")


class CitySpec(Strict):
    """Parameters of the city generator (``hyosan.world.city``): several km², drawn coarser
    (default 1.5 m cells) and one building per block; ``scale`` multiplies every population
    count and the city's area, so the same scenario runs small in tests."""

    size: Metres = 2000.0
    block: Metres = 150.0
    street: Metres = 12.0
    roads_per_side: int = Field(2, ge=1, le=8)
    scale: float = Field(1.0, gt=0, le=1.0, description="share of the residents to simulate "
                         "(the area shrinks with it, down to min_size)")
    min_size: Metres = 700.0
    seed: int = Field(0, ge=0)
    params: dict = Field(default_factory=dict, description="further generator keywords")

    def size_at_scale(self) -> float:
        """The side of the city at this scale: the area shrinks with the population."""
        return max(min(self.min_size, self.size), self.size * self.scale ** 0.5)


class GridSpec(Strict):
    """A plain open grid (torus or walled), for benchmarks and reference models."""

    rows: int = Field(200, ge=2)
    cols: int = Field(200, ge=2)
    torus: bool = True


class WorldSpec(Strict):
    generator: Literal["town", "school", "grid", "floorplan", "city"] = "town"
    cell_size: Metres = 0.5
    school: SchoolSpec = Field(default_factory=SchoolSpec)
    town: TownSpec = Field(default_factory=TownSpec)
    city: CitySpec = Field(default_factory=CitySpec)
    grid: GridSpec = Field(default_factory=GridSpec)
    floorplan: str | None = Field(
        None, description="path of a text floor plan (generator: floorplan)")

    @model_validator(mode="after")
    def _floorplan_given(self) -> WorldSpec:
        if self.generator == "floorplan" and not self.floorplan:
            raise ValueError("generator 'floorplan' needs a 'floorplan' path")
        message = limits.over("cells", self.cells_estimate(),
                              f"this {self.generator} world at cell_size {self.cell_size} m")
        if message:
            raise ValueError(message)
        return self

    @field_validator("cell_size")
    @classmethod
    def _cell_size(cls, v: float) -> float:
        if v <= 0:
            raise ValueError("cell_size must be positive")
        return v

    def cells_estimate(self) -> float:
        """Roughly how many cells the generator will make (0 for a floor plan: its size is
        checked once parsed); an upper bound is enough to refuse absurd sizes early."""
        per_m = 1.0 / self.cell_size
        school = self.school.floors * (self.school.length * per_m + 40 * per_m) * 60 * per_m
        if self.generator == "grid":
            return float(self.grid.rows) * self.grid.cols
        if self.generator == "school":
            return school
        if self.generator == "town":
            return (self.town.size * per_m) ** 2 + school
        if self.generator == "city":
            return (self.city.size_at_scale() * per_m) ** 2 + school
        return 0.0


class ClockSpec(Strict):
    start: Clock = 8 * 3600.0 + 30 * 60.0
    dusk: Clock = 19 * 3600.0
    dawn: Clock = 6 * 3600.0


# ---------------------------------------------------------------------------------- people
RoleName = Literal["student", "teacher", "staff", "resident", "police", "soldier"]


class RoleSpec(Strict):
    """Per-role parameters (defaults differ by role, see ``DEFAULT_ROLES``)."""

    speed_mean: Speed = 1.34
    speed_sd: Speed = 0.26
    speed_min: Speed = 0.5
    speed_max: Speed = 2.2
    run_factor: float = Field(1.6, ge=1.0, description="running speed / walking speed")
    stamina: Seconds = 60.0
    kill_rate: Rate = Field(0.02, description="κ: rate of destroying an adjacent zombie")
    fights: Literal["never", "cornered", "always"] = "cornered"
    courage: Fraction = 0.2

    @model_validator(mode="after")
    def _speeds(self) -> RoleSpec:
        if self.speed_min > self.speed_max:
            raise ValueError(f"speed_min ({self.speed_min} m/s) is above speed_max "
                             f"({self.speed_max} m/s)")
        return self


class PreEvacuationSpec(Strict):
    """Pre-evacuation time: how long each agent goes on with what it was doing after being
    alerted, drawn once per agent (ISO 20414, IMO MSC.1/Circ.1533 and NIST TN 1822 test it).

    ``fixed``: ``value``; ``uniform``: ``min``–``max``; ``normal``: ``mean``, ``sd``;
    ``lognormal``: ``median`` (= e^μ), ``sigma`` (sd of the log); ``gamma`` and ``weibull``:
    ``shape``, ``scale``. The distribution is truncated to [``min`` (default 0), ``max``]: draws
come from its part between the bounds, none pile up on them.
    A zombie in sight ends the wait at once."""

    distribution: Literal["fixed", "uniform", "normal", "lognormal", "gamma", "weibull"]
    value: Seconds = 0.0
    min: Seconds = 0.0
    max: Seconds | None = None
    mean: Seconds = 0.0
    sd: Seconds = 0.0
    median: Seconds = 0.0
    sigma: float = Field(0.0, ge=0)
    shape: float = Field(1.0, gt=0)
    scale: Seconds = 0.0

    @model_validator(mode="after")
    def _bounds(self) -> PreEvacuationSpec:
        if self.max is not None and self.max < self.min:
            raise ValueError("pre_evacuation 'max' is below 'min'")
        if self.distribution == "uniform" and self.max is None:
            raise ValueError("a uniform pre-evacuation time needs 'min' and 'max'")
        needs = {"normal": ("sd",), "lognormal": ("median", "sigma"), "gamma": ("scale",),
                 "weibull": ("scale",)}.get(self.distribution, ())
        for key in needs:
            if getattr(self, key) <= 0:
                raise ValueError(f"a {self.distribution} pre-evacuation time needs a positive "
                                 f"'{key}'")
        if self.distribution not in ("fixed", "uniform"):
            law = self.law()
            hi = self.max if self.max is not None else float("inf")
            if law.cdf(hi) - law.cdf(self.min) <= 1e-12:
                raise ValueError(f"the {self.distribution} pre-evacuation time has no "
                                 f"probability between 'min' {self.min:g} s and 'max' {hi:g} s")
        return self

    def law(self):
        """The untruncated distribution as a frozen ``scipy.stats`` law (None when fixed)."""
        from scipy import stats  # lazy: scenario files load without SciPy's import cost

        d = self.distribution
        if d == "fixed":
            return None
        if d == "uniform":
            return stats.uniform(loc=self.min, scale=self.max - self.min)
        if d == "normal":
            return stats.norm(loc=self.mean, scale=self.sd)
        if d == "lognormal":
            return stats.lognorm(s=self.sigma, scale=self.median)
        if d == "gamma":
            return stats.gamma(a=self.shape, scale=self.scale)
        return stats.weibull_min(c=self.shape, scale=self.scale)


class WalkTogetherSpec(Strict):
    """Groups that walk together (``rules/groups.py``): the entry's agents, in spawn order, in
    groups of ``size`` that leave together, keep their slowest member's pace and wait for
    whoever is more than ``spread`` behind."""

    size: int = Field(ge=2, le=1000)
    spread: Metres = Field(2.0, description="how far ahead of the group's last member a "
                           "member goes before waiting")


class SpawnSpec(Strict):
    """Put ``count`` agents of a role into places (by name or kind), ``per_place`` at most."""

    role: RoleName
    count: int = Field(ge=0)
    places: list[str] = Field(default_factory=list)
    place_kinds: list[str] = Field(default_factory=list)
    per_place: int | None = Field(None, ge=1)
    fill: Fraction | None = Field(
        None, description="most share of each place's cells taken once these agents are in "
        "(people spread at random over more than ~0.6 of a room's cells leave no free path "
        "across it)")
    group_by_place: bool = True
    exit: str | None = Field(
        None, description="place these agents evacuate to (an exit they were told to use), "
        "instead of the nearest open exit")
    pre_evacuation: PreEvacuationSpec | None = Field(
        None, description="time these agents wait after being alerted before taking up their "
        "plan (default: none)")
    walk_together: WalkTogetherSpec | None = Field(
        None, description="walk in groups that wait for their slowest member (default: alone)")

    @model_validator(mode="after")
    def _somewhere(self) -> SpawnSpec:
        if not self.places and not self.place_kinds:
            raise ValueError("give 'places' or 'place_kinds' to say where these agents start")
        return self


class NamedSpec(Strict):
    """A named character with their own traits; their fate is reported."""

    name: str = Field(min_length=1)
    role: RoleName = "student"
    place: str
    speed: Speed | None = None
    kill_rate: Rate | None = None
    courage: Fraction | None = None
    immune: bool = Field(False, description="a carrier if bitten (keeps a human mind)")


# ---------------------------------------------------------------------------------- outbreak
class TurnSpec(Strict):
    """Time from bite to turning, drawn per bite."""

    distribution: Literal["lognormal", "exponential", "fixed", "instant"] = "lognormal"
    median: Seconds = 120.0
    sigma: float = Field(1.0, gt=0, description="lognormal shape (sd of log time)")
    min: Seconds = 5.0
    max: Seconds = 3600.0

    @model_validator(mode="after")
    def _bounds(self) -> TurnSpec:
        if self.min > self.max:
            raise ValueError(f"min ({self.min} s) is above max ({self.max} s)")
        if self.distribution in ("lognormal", "exponential") and self.median <= 0:
            raise ValueError(f"a {self.distribution} time to turn needs a median above 0 s "
                             "(use distribution: instant for no delay)")
        return self


class IndexCase(Strict):
    place: str
    count: int = Field(1, ge=1)
    turn_after: Seconds = 1800.0
    name: str | None = None
    already_zombie: bool = False


class OutbreakSpec(Strict):
    index_cases: list[IndexCase] = Field(default_factory=list)
    bite_rate: Rate = Field(1.0, description="β: bite rate per adjacent zombie–human pair")
    bite_probability: Fraction | None = Field(
        None, description="per tick instead of a rate (overrides bite_rate)")
    kill_probability: Fraction | None = Field(
        None, description="per tick for every role (overrides the roles' kill_rate)")
    contact: Literal["pairs", "one"] = Field(
        "pairs", description="pairs: every adjacent pair draws; one: each agent picks one target")
    neighbourhood: Literal["moore", "von_neumann"] = "moore"
    resolve: Literal["simultaneous", "sequential"] = Field(
        "simultaneous", description="simultaneous: every request of a tick lands; sequential: "
        "requests applied in a random order of their actors, earlier ones pre-empting later")
    turn: TurnSpec = Field(default_factory=TurnSpec)
    carrier_fraction: Fraction = 0.002
    rise_dead: bool = False
    rise_after: Seconds = 600.0


# ---------------------------------------------------------------------------------- behaviour
class ZombieSpec(Strict):
    speed: Speed = 2.8
    wander_speed: Speed = 0.7
    sight: Metres = 12.0
    hearing: Metres = 40.0
    barricade_damage: float = Field(1.0, ge=0, description="blows per second on a shut door")


#: named door-flow calibrations (P/(m·s)): RiMEA and Seyfried et al. 2009 measured about 1.9
#: through short bottlenecks; the IMO (MSC.1/Circ.1533, Test 4) and NIST TN 1822 (Verif.5.2)
#: verification cases assume at most 1.33, as does the SFPE hydraulic model (about 1.3)
DOOR_FLOW_PRESETS = {"seyfried": 1.9, "rimea": 1.9, "imo": 1.33, "nist": 1.33}


def _door_flow(v: object) -> object:
    if isinstance(v, str) and v.strip().lower() in DOOR_FLOW_PRESETS:
        return DOOR_FLOW_PRESETS[v.strip().lower()]
    if isinstance(v, str):
        raise ValueError(f"unknown door_flow preset {v!r} (choose: "
                         f"{', '.join(DOOR_FLOW_PRESETS)}, or a number in P/(m·s))")
    return v


class SocialInfluenceSpec(Strict):
    """Evacuees follow the exit most people around them take (``rules/social.py``)."""

    share: Fraction = Field(1.0, description="share of the evacuees without an assigned exit "
                            "who are open to influence")
    radius: Metres = Field(4.0, description="how far around them people look")
    majority: Fraction = Field(0.5, description="they switch when more than this share of "
                               "those around head for one other exit")
    every: Seconds = Field(1.0, gt=0, description="how often they look again")


class BehaviourSpec(Strict):
    profile: Literal["full", "random_walk", "mixing", "lattice"] = "full"
    sight_day: Metres = 25.0
    sight_night: Metres = 8.0
    hearing: Metres = 20.0
    flee_distance: Metres = 15.0
    on_alert: Literal["hide", "evacuate", "rooftop", "stay"] = "hide"
    barricade_probability: Fraction = 0.5
    barricade_strength: float = Field(40.0, ge=0, description="blows a barricade withstands")
    door_strength: float = Field(12.0, ge=0, description="blows a shut door withstands")
    wander_probability: Fraction = 0.05
    stairs_speed_factor: float = Field(0.5, gt=0, le=1)
    stairs_up_factor: float = Field(
        0.45, gt=0, le=1, description="speed on a flight going up / walking speed (Weidmann, "
        "RiMEA: 0.5–0.65 m/s horizontal at 1.34 m/s)")
    stairs_down_factor: float = Field(
        0.55, gt=0, le=1, description="speed on a flight going down / walking speed "
        "(0.65–0.8 m/s horizontal)")
    crowding: bool = Field(
        True, description="walking speed falls with the local density (Weidmann's v(ρ))")
    run_fade_density: float = Field(
        1.7, gt=0, description="P/m² at which running has faded to walking speed")
    door_flow: Annotated[float, BeforeValidator(_door_flow)] = Field(
        1.9, ge=0, description="most persons per second a doorway (door or exit cell) passes "
        "per metre of clear width (Seyfried et al. 2009: about 1.9), or a named calibration: "
        "'seyfried'/'rimea' (1.9), 'imo'/'nist' (1.33, what the IMO and NIST verification "
        "cases assume); 0 lifts the cap")
    stair_flow: float = Field(
        1.0, ge=0, description="most persons per second a stair flight admits per metre of "
        "width (Fruin 1971; SFPE: about 1.0); 0 lifts the cap. People on a flight are in "
        "transit for its length, so a flight passes a stream, not one person per climb")
    lanes: float = Field(
        1.0, ge=0, le=2, description="weight of the trail of recent walkers in choosing a step: "
        "a step onto the path the oncoming crowd just used scores up to this share of a cell's "
        "gain less, so lanes form in counterflow; 0 turns it off")
    lane_memory_s: float = Field(
        3.0, gt=0, description="seconds over which a walker's trail fades (e-folding)")
    pass_probability: Fraction = Field(
        0.5, description="chance per sub-step that someone who wants an occupied cell "
        "squeezes past its holder, when the holder is standing still and would gain by taking "
        "their cell (on floor and stair cells, not doorways); 0: nobody passes, and crowds "
        "crossing in a corridor can lock solid")
    oncoming_density: Fraction = Field(
        0.5, description="how much of a person someone walking the other way counts in the "
        "density ahead that sets walking speed (Weidmann's relation is for one-way crowds; "
        "the oncoming are passed, not followed); 1 slows counterflow as much as a queue and "
        "large crowds crossing head-on jam, 0 lets counterflow outrun a one-way stream")
    exit_choice: Literal["nearest", "queue"] = Field(
        "nearest", description="evacuees head for the nearest exit, or weigh the queue at each "
        "exit against the walk (RiMEA 11; one distance field per exit, at most 32 exits)")
    exit_flexible: Fraction = Field(
        0.5, description="share of evacuees who weigh queues under exit_choice 'queue'; the "
        "others keep to the nearest exit")
    social_influence: SocialInfluenceSpec | None = Field(
        None, description="evacuees follow the exit most people around them take (default: "
        "off)")
    zombies: ZombieSpec = Field(default_factory=ZombieSpec)
    roles: dict[RoleName, RoleSpec] = Field(default_factory=dict)


# ---------------------------------------------------------------------------------- response
class Trigger(Strict):
    """When an intervention fires: at a time, or once a count passes a threshold."""

    zombies_seen: int | None = Field(None, ge=1)
    zombies: int | None = Field(None, ge=1)
    infected_fraction: Fraction | None = None


Action = Literal["alarm", "broadcast", "lockdown", "police", "quarantine", "rescue", "strike",
                 "evacuate", "gather", "fire_alarm", "lure", "close_exit", "checkpoint"]


class Intervention(Strict):
    action: Action
    at: Seconds | None = None
    when: Trigger | None = None
    place: str | None = None
    count: int = Field(0, ge=0)
    every: Seconds | None = None
    capacity: int | None = Field(None, ge=1)
    fraction: Fraction = 0.9
    human_kill: Fraction = 0.0
    target: Literal["exits", "rooftop", "place"] = "exits"
    note: str = ""

    @model_validator(mode="after")
    def _when(self) -> Intervention:
        if self.at is None and self.when is None:
            raise ValueError("give 'at' (a time) or 'when' (a trigger) for this intervention")
        if self.action in ("rescue", "gather", "strike", "lure", "close_exit", "checkpoint") and \
                not self.place:
            raise ValueError(f"'{self.action}' needs a 'place'")
        return self


# ---------------------------------------------------------------------------------- hazard
class SmokeSpec(Strict):
    """A hazard source: smoke and gases filling a named place from ``at``, rising linearly to
    full over ``ramp`` (``rules/hazard.py``). Overlapping sources add up."""

    place: str = Field(min_length=1, description="the place (a set of cells) the smoke fills")
    at: Seconds = Field(0.0, description="onset")
    ramp: Seconds = Field(0.0, description="time from onset to full strength (0: at once)")
    extinction: float = Field(0.0, ge=0, le=100, description="extinction coefficient Ks in "
                              "1/m (visibility of a lit sign ≈ 8/Ks m, of a wall ≈ 3/Ks m)")
    co: float = Field(0.0, ge=0, le=1e6, description="carbon monoxide, ppm")
    co2: float = Field(0.0, ge=0, le=100, description="carbon dioxide, % by volume")
    o2: float = Field(20.9, ge=0, le=20.9, description="oxygen, % by volume")


class ZombieHazardSpec(Strict):
    """A zombie's presence as a hazard for route choice: cells within ``radius`` of a zombie
    cost ``1 + avoid`` per metre on the way out."""

    radius: Metres = 3.0
    avoid: float = Field(4.0, ge=0)


class HazardSpec(Strict):
    """A hazard field that slows, stops and reroutes people (FDS+Evac-style smoke and
    fractional effective dose; a zombie's presence). Absent: no hazard."""

    smoke: list[SmokeSpec] = Field(default_factory=list)
    speed_alpha: float = Field(0.706, gt=0, description="α of v = v0(1 + β·Ks/α), m/s")
    speed_beta: float = Field(-0.057, le=0, description="β of v = v0(1 + β·Ks/α), m²/s")
    min_speed_fraction: Fraction = Field(0.1, description="the least share of the free speed "
                                         "kept in dense smoke")
    incapacitation: float = Field(1.0, gt=0, description="fractional effective dose at which "
                                  "a person is incapacitated")
    avoid: float = Field(0.5, ge=0, description="route cost per metre in smoke: 1 + avoid·Ks "
                         "(0: routes ignore smoke)")
    reroute_every: Seconds = Field(10.0, gt=0, description="least time between route updates "
                                   "while smoke rises or zombies move")
    zombies: ZombieHazardSpec | None = None


# ---------------------------------------------------------------------------------- elevators
class ElevatorSpec(Strict):
    """One elevator car (``rules/elevators.py``): it serves ``lobbies`` (places, one per floor,
    the first the discharge floor) and carries those sent to a lobby (``population[].exit``)
    down to the first."""

    name: str = ""
    lobbies: list[str] = Field(min_length=2)
    capacity: int = Field(10, ge=1, le=1000, description="persons per trip")
    speed: Speed = Field(1.0, gt=0, description="car speed between floors")
    floor_height: Metres = Field(3.5, gt=0, description="height from one lobby to the next")
    door_time: Seconds = Field(5.0, gt=0, description="doors open (and closing) at each stop")


# ---------------------------------------------------------------------------------- schedule
class ActivitySpec(Strict):
    """One kind of day: a share of some roles leave home for a place of these kinds at about
    ``leave`` and set off home at about ``back`` (both drawn per person, normal with sd
    ``spread``, every day the same)."""

    roles: list[RoleName] = Field(min_length=1)
    share: Fraction = 1.0
    place_kinds: list[str] = Field(min_length=1)
    leave: Clock
    back: Clock
    spread: Seconds = 1800.0
    nearest: bool = Field(False, description="each goes to the nearest such place to home "
                          "(errands); otherwise places are filled in proportion to their size")
    fill: Fraction | None = Field(None, description="this activity's own schedule.fill (a "
                                  "class leaves all at once, so a classroom can be full)")

    @model_validator(mode="after")
    def _order(self) -> ActivitySpec:
        if self.back <= self.leave:
            raise ValueError("'back' must be later in the day than 'leave'")
        return self


class ScheduleSpec(Strict):
    """The day/night schedule: everyone starts at home; each person of the listed roles takes
    the first activity whose share their draw falls in (shares of one role add up to at most
    1), and travels between home and that place every day (``hyosan.rules.schedule``)."""

    activities: list[ActivitySpec] = Field(min_length=1)
    fill: Fraction = Field(0.85, description="most share of a place's cells given to people "
                           "who spend the day there")
    settle_after: Seconds = Field(300.0, description="not used since commutes are trips off "
                                  "the map (nobody walks them, nobody is stuck on the way); "
                                  "accepted so that older scenario files still load")


# ---------------------------------------------------------------------------------- run
class RunSpec(Strict):
    dt: Seconds = 0.2
    duration: Duration = 4 * 3600.0
    frames_every: Seconds = 5.0
    seed: int = Field(1, ge=0, le=MAX_SEED)

    @field_validator("dt")
    @classmethod
    def _dt(cls, v: float) -> float:
        if v <= 0:
            raise ValueError("dt must be positive")
        return v

    @field_validator("duration")
    @classmethod
    def _duration(cls, v: float) -> float:
        message = limits.over("duration_s", v, f"a duration of {v:g} s")
        if message:
            raise ValueError(message)
        return v

    @model_validator(mode="after")
    def _ticks(self) -> RunSpec:
        message = limits.over("ticks", self.duration / self.dt,
                              f"run.duration / run.dt = {self.duration:g} s / {self.dt:g} s")
        if message:
            raise ValueError(message)
        return self


class Scenario(Strict):
    """A whole scenario file."""

    name: str = "unnamed"
    description: str = ""

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        return check_name(v)
    world: WorldSpec = Field(default_factory=WorldSpec)
    clock: ClockSpec = Field(default_factory=ClockSpec)
    population: list[SpawnSpec] = Field(default_factory=list)
    named: list[NamedSpec] = Field(default_factory=list)
    outbreak: OutbreakSpec = Field(default_factory=OutbreakSpec)
    behaviour: BehaviourSpec = Field(default_factory=BehaviourSpec)
    response: list[Intervention] = Field(default_factory=list)
    hazard: HazardSpec | None = None
    elevators: list[ElevatorSpec] = Field(default_factory=list)


    schedule: ScheduleSpec | None = None
    run: RunSpec = Field(default_factory=RunSpec)

    @model_validator(mode="after")
    def _unique_names(self) -> Scenario:
        seen: set[str] = set()
        for n in self.named:
            if n.name in seen:
                raise ValueError(f"named character {n.name!r} appears twice")
            seen.add(n.name)
        agents = sum(self.scaled_count(s) for s in self.population) + len(self.named) + sum(
            ic.count for ic in self.outbreak.index_cases)
        message = limits.over("agents", agents, "the population (every count and index case)")
        if message:
            raise ValueError(message)
        return self

    def scaled_count(self, spec: SpawnSpec) -> int:
        """A population entry's count at the city's ``scale`` (as given, for other worlds)."""
        if self.world.generator != "city" or self.world.city.scale == 1.0:
            return spec.count
        return int(round(spec.count * self.world.city.scale))

    def role(self, name: str) -> RoleSpec:
        """Role parameters: scenario overrides on top of the built-in defaults."""
        base = DEFAULT_ROLES[name].model_dump()
        if name in self.behaviour.roles:
            base.update(self.behaviour.roles[name].model_dump(exclude_unset=True))
        return RoleSpec(**base)


DEFAULT_ROLES: dict[str, RoleSpec] = {
    "student": RoleSpec(kill_rate=0.02, fights="cornered", courage=0.15),
    "teacher": RoleSpec(speed_mean=1.25, kill_rate=0.03, fights="cornered", courage=0.4),
    "staff": RoleSpec(speed_mean=1.2, kill_rate=0.02, fights="cornered", courage=0.2),
    "resident": RoleSpec(speed_mean=1.25, kill_rate=0.02, fights="cornered", courage=0.15),
    "police": RoleSpec(speed_mean=1.45, kill_rate=0.15, fights="always", courage=0.9,
                       stamina=180.0),
    "soldier": RoleSpec(speed_mean=1.5, kill_rate=0.5, fights="always", courage=1.0,
                        stamina=300.0),
}
