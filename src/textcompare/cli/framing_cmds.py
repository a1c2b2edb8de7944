"""Placeholder: commands are registered here by their owner module."""
from __future__ import annotations


def register(subparsers) -> None:
    """Add this module's subcommands to ``subparsers``."""
