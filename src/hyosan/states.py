"""Agent states and roles: re-exported from ``hyosan.codes``, the one vocabulary (kept so that
``from hyosan.states import State`` goes on working)."""

from __future__ import annotations

from hyosan.codes import HUMAN_STATES, IS_HUMAN, ROLE_NAMES, STATE_NAMES, Role, State

__all__ = ["HUMAN_STATES", "IS_HUMAN", "ROLE_NAMES", "STATE_NAMES", "Role", "State"]
