"""Command groups whose commands are built when the group is used, not when `commission` starts.

The commands generated from a tool's argument model (`assistant.commands.options`) import the tool package,
which loads and validates its rule tables: about 200 ms that `commission --help`, `commission chat` and
every other command would pay for nothing. A lazy group is listed in the root help by its own help text
and builds its commands the first time it is asked for one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer
from typer.core import TyperGroup


def lazy_group(build: Callable[[typer.Typer], None], base: type[TyperGroup] = TyperGroup) -> type[TyperGroup]:
    """A `TyperGroup` class (from `base`) whose commands `build(group)` registers on first use."""

    class LazyGroup(base):  # type: ignore[valid-type, misc]
        _built = False

        def _build(self) -> None:
            if self._built:
                return
            self._built = True
            commands = typer.Typer()
            build(commands)
            for name, command in typer.main.get_group(commands).commands.items():
                self.add_command(command, name)

        def list_commands(self, ctx: Any) -> list[str]:
            self._build()
            return super().list_commands(ctx)

        def get_command(self, ctx: Any, name: str) -> Any:
            self._build()
            return super().get_command(ctx, name)

        def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
            self._build()
            return super().parse_args(ctx, args)

    return LazyGroup
