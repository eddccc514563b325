"""Which published case each row is: NIST TN 1822, ISO 20414 and IMO MSC.1/Circ.1533.

Sources and what we could establish. IMO MSC.1/Circ.1533 (2016), Annex 3, keeps the eleven
component tests of MSC.1/Circ.1238; their geometry and criteria are written here from the
circular's widely reproduced summary (the basis of RiMEA's own tests), with 1.33 P/(m·s) the
exit flow it assumes. NIST TN 1822 (Ronchi et al. 2013) groups its verification tests in five
categories, Verif.1 pre-evacuation, Verif.2 movement (2.1–2.10), Verif.3 exit usage (3.1–3.3),
Verif.4 route availability, Verif.5 flow conditions (5.1 congestion, 5.2 maximum flow rate): 17
tests. ISO 20414:2020 took its verification components from that report; we number its
Tests 1–17 in NIST's order, which we could not check against the standard's text (not
public): the numbering, not the cases, is the uncertain part. Where our case is a simplified
reading (dimensions, counts), its docstring says so.

Each case function runs once per table even when two suites share it (the row says so).
"""

from __future__ import annotations

from functools import partial

from hyosan.validate.egress import crowds, groups, hazards, lifts, routes, walking

#: (case label, function or None, what it needs if not built). None + need: "not built"

#: shared case functions by id: (function, needs the IMO/NIST door-flow calibration)
CASES = {
    "pre_evacuation": routes.pre_evacuation,
    "corridor": walking.corridor_speed,
    "stairs_up": partial(walking.stairs_speed, up=True),
    "stairs_down": partial(walking.stairs_speed, up=False),
    "corner": walking.corner,
    "speeds": walking.assigned_speeds,
    "counterflow": crowds.counterflow,
    "slow": walking.slow_occupant,
    "assigned": routes.assigned_exits,
    "familiar": routes.familiar_exit,
    "exit_closed": routes.exit_closed,
    "congestion": crowds.congestion,
    "door_flow": crowds.door_flow,
    "response": routes.response_times,
    "exits_shut": crowds.exits_shut,
    "stair_width": crowds.stair_width,
    "shortcut": routes.stair_shortcut,
    "smoke_speed": hazards.smoke_speed,
    "incapacitation": hazards.incapacitation,
    "smoke_reroute": hazards.smoke_reroute,
    "groups": groups.group_cohesion,
    "social": routes.social_influence,
    "elevator": lifts.elevator_usage,
}

_NIST = [
    ("Verif.1.1 pre-evacuation time distributions", "pre_evacuation"),
    ("Verif.2.1 speed in a corridor", "corridor"),
    ("Verif.2.2 speed on stairs (up)", "stairs_up"),
    ("Verif.2.2 speed on stairs (down)", "stairs_down"),
    ("Verif.2.3 movement around a corner", "corner"),
    ("Verif.2.4 assigned demographics", "speeds"),
    ("Verif.2.5 reduced visibility vs walking speed", "smoke_speed"),
    ("Verif.2.6 occupant incapacitation", "incapacitation"),
    ("Verif.2.7 elevator usage", "elevator"),
    ("Verif.2.8 horizontal counterflow", "counterflow"),
    ("Verif.2.9 group behaviour", "groups"),
    ("Verif.2.10 people with movement disabilities", "slow"),
    ("Verif.3.1 exit route allocation", "assigned"),
    ("Verif.3.2 social influence", "social"),
    ("Verif.3.3 affiliation (familiar exits)", "familiar"),
    ("Verif.4.1 dynamic availability of exits", "exit_closed"),
    ("Verif.5.1 congestion", "congestion"),
    ("Verif.5.2 maximum flow rates", "door_flow"),
]

_IMO = [
    ("Test 1 speed in a corridor", "corridor"),
    ("Test 2 speed up a staircase", "stairs_up"),
    ("Test 3 speed down a staircase", "stairs_down"),
    ("Test 4 exit flow rate", "door_flow"),
    ("Test 5 response time", "response"),
    ("Test 6 rounding corners", "corner"),
    ("Test 7 assignment of demographics", "speeds"),
    ("Test 8 counterflow, two rooms and a corridor", "counterflow"),
    ("Test 9 exit flow, large room, exits shut", "exits_shut"),
    ("Test 10 exit route allocation", "assigned"),
    ("Test 11 staircase congestion", "congestion"),
]


def _iso() -> list[tuple[str, str]]:
    """ISO 20414 Tests 1–17 in NIST TN 1822's order (numbering unverified, see above)."""
    out = []
    k = 0
    last = None
    for label, case in _NIST:
        nist_id = label.split()[0]
        if nist_id != last:
            k += 1
            last = nist_id
        out.append((f"Test {k} ({nist_id}) " + label.split(" ", 1)[1], case))
    return out


#: issue 20's further cases that none of the three numbers on its own
_EXTRA = [
    ("stair flow rises with stair width", "stair_width"),
    ("the shortcut over stairs taken by most", "shortcut"),
    ("routes avoid smoke (hazard field)", "smoke_reroute"),
]

SUITES: dict[str, list[tuple[str, str]]] = {
    "NIST TN 1822": _NIST, "ISO 20414": _iso(), "IMO MSC.1/Circ.1533": _IMO, "extra": _EXTRA,
}
PLAN_FOLDER = {"NIST TN 1822": "nist", "ISO 20414": "iso", "IMO MSC.1/Circ.1533": "imo",
               "extra": "nist"}
