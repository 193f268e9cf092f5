"""Helpers of scripts/bench: settings, tools, processes, load generators, stages, report."""
