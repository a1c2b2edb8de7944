"""Every registered subcommand has --help with an example (covers every engineer's commands)."""
from __future__ import annotations

import argparse

import pytest

from textcompare.cli import build_parser, main


def _subcommands() -> list[str]:
    parser = build_parser()
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return sorted(name for action in actions for name in action.choices)


def test_the_corpus_commands_are_registered() -> None:
    assert {"clean", "add", "list", "check"} <= set(_subcommands())


@pytest.mark.parametrize("command", _subcommands())
def test_help_exits_0_and_shows_an_example(command: str, capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main([command, "--help"])
    out = capsys.readouterr().out
    assert info.value.code == 0
    assert "example" in out.lower()
    assert f"usage: textcompare {command}" in out
