"""Revisits: checking known articles again on a schedule, since listings rarely announce updates."""
