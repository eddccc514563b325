"""Scenario files: schema (pydantic), YAML loading with clear errors, built-in scenarios."""

from hyosan.scenario.loader import (
    apply_overrides,
    builtin_names,
    describe_builtins,
    load_scenario,
    parse_scenario,
    scenario_to_yaml,
)
from hyosan.scenario.schema import Scenario

__all__ = ["Scenario", "apply_overrides", "builtin_names", "describe_builtins", "load_scenario",
           "parse_scenario", "scenario_to_yaml"]
