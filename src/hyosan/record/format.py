"""The run directory: what a run writes and every reader (report, viewer, ensemble) reads.

A run directory holds:

``scenario.yaml``       the resolved scenario (every default filled in)
``world.json``          cell size, levels (index, name, height, width, offset, origin, building,
                        floor), places (name, kind, level, floor, building, n_cells, centroid
                        [row, col], bbox [row0, col0, row1, col1] inclusive), door count
``world.npz``           ``kind`` (uint8 per global cell), ``place_of`` (int32, -1 none),
                        ``up``/``down`` (int64 stair partners, -1 none), ``door_cells`` (int64),
                        ``clear`` (float32 clear width in metres per global cell; runs written
                        before it existed lack it: read it as ``cell_size`` everywhere)
``timeseries.parquet``  one row per recorded tick: ``tick``, ``time_s`` and one column per state
                        name (``susceptible`` … ``escaped``), plus ``humans_L{k}`` and
                        ``zombies_L{k}`` for every level k
``events.parquet``      ``tick``, ``time_s``, ``kind``, ``agent``, ``other``, ``level``, ``row``,
                        ``col``, ``place``, ``detail`` (see ``EVENT_KINDS``)
``agents.parquet``      one row per agent: ``id``, ``role`` (name, e.g. "student"),
                        ``name`` ("" unless a named character), ``group``, ``start_level``,
                        ``start_row``, ``start_col``, ``start_place``, ``final_state`` (state
                        name), ``bitten_at_s``, ``turned_at_s``, ``ended_at_s`` (NaN where it
                        did not happen), ``bitten_by`` (-1 none), ``turn_delay_s`` (drawn
                        incubation, NaN if never bitten)
``frames/index.json``   frame index (see ``FRAMES_LAYOUT``) and ``frames/chunk_*.bin.gz``
``summary.json``        headline numbers; written last, with ``"complete": true``

A directory without ``summary.json`` (or with a ``RUNNING`` marker) is an unfinished run.

The Parquet tables are registered by name in ``record.outputs`` (file, column types): writers
write and ``RunDir.table`` reads whatever is registered there.
"""

from __future__ import annotations

FORMAT_VERSION = "hyosan-run/1"
FRAMES_FORMAT = "hyosan-frames/1"

SCENARIO_FILE = "scenario.yaml"
WORLD_JSON = "world.json"
WORLD_NPZ = "world.npz"
TIMESERIES_FILE = "timeseries.parquet"
EVENTS_FILE = "events.parquet"
AGENTS_FILE = "agents.parquet"
FRAMES_DIR = "frames"
FRAMES_INDEX = "index.json"
SUMMARY_FILE = "summary.json"
RUNNING_MARKER = "RUNNING"

#: event kinds and what ``agent`` / ``other`` / ``detail`` hold for each
EVENT_KINDS = {
    "bite": "agent = zombie, other = human bitten",
    "kill": "agent = human, other = zombie destroyed",
    "turn": "agent = the infected who became a zombie",
    "carrier": "agent = bitten human who proved immune (a carrier)",
    "escape": "agent = who left the map (detail: exit place or 'rescue')",
    "death": "agent = who died (detail: cause, e.g. 'strike')",
    "rise": "agent = a dead body that rose as a zombie",
    "alert": "agent = human alerted (detail: by what), recorded for named characters only",
    "hide": "agent = human who shut themselves in (place = the room)",
    "barricade": "agent = human who barricaded a door (place = the room)",
    "door_broken": "agent = zombie that broke a door (place = the room behind it)",
    "place_fell": "place = a room or place where zombies now outnumber the living humans",
    "intervention": "detail = the response action (alarm, lockdown, police, quarantine, ...)",
}

FRAMES_LAYOUT = (
    "Each chunk file is gzip of four arrays in this order, little-endian, C order: "
    "level uint8[count, n_agents], state uint8[count, n_agents], "
    "row int16[count, n_agents], col int16[count, n_agents], "
    "door_state uint8[count, n_doors]. Within a chunk the first frame's rows and cols are "
    "absolute and each later frame stores the difference from the frame before it "
    "(cumulative sum along frames restores them)."
)
