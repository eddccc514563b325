"""Random-draw slots: every rule's table is gathered, and no overlap is added to the known ones."""

from __future__ import annotations

from hyosan.rules import draws
from hyosan.rules.draws import CHECK_AGENTS, CHECK_ROUNDS, KNOWN_OVERLAPS, Draws, overlaps


def test_no_new_overlaps():
    found = overlaps(CHECK_ROUNDS, CHECK_AGENTS)
    assert found <= KNOWN_OVERLAPS, f"new slot overlaps: {sorted(found - KNOWN_OVERLAPS)}"


def test_known_overlaps_are_real():
    """The list only shrinks: an overlap fixed (with a stated regeneration) leaves it."""
    found = overlaps(CHECK_ROUNDS, CHECK_AGENTS)
    assert KNOWN_OVERLAPS <= found, f"fixed, remove from the list: {KNOWN_OVERLAPS - found}"


def test_contact_999_meets_bite_pick_at_899():
    """The overlap the issue names, by the table's own arithmetic."""
    from hyosan.rules import contact

    assert contact.BITE_PICK + 899 == contact.PRIO_SEQUENTIAL
    assert ("contact.bite_pick", "contact.priority_sequential") in overlaps(1, 900)
    assert ("contact.bite_pick", "contact.priority_sequential") not in overlaps(1, 899)


def test_overlap_detection(monkeypatch):
    """A block meeting another is found; exclusive alternatives and other streams are not."""
    a = Draws("s", "r", "a", 10, 4)
    b = Draws("s", "r", "b", 13)
    c = Draws("s", "r", "c", 12, alt=(("g", ("x",)),))
    d = Draws("s", "r", "d", 12, alt=(("g", ("y",)),))
    e = Draws("t", "r", "e", 10, 4)
    f = Draws("s", "r", "f", 100, 3, per_round=2)
    monkeypatch.setattr(draws, "all_draws", lambda: [a, b, c, d, e, f])
    got = overlaps(rounds=3, n=10)
    assert got == {("r.a", "r.b"), ("r.a", "r.c"), ("r.a", "r.d"), ("r.f", "r.f")}
