"""Help text as a user reads it: no ``<bool>`` beside flags, no ``{paths}`` for arguments.

typer (0.2x) prints the Python type of every parameter in ``--help``: ``--quiet <bool>``,
``paths... <list[Path]>``, and ``Usage: jixiao clean [OPTIONS] {paths}...``. The group class
:class:`TidyGroup` (the ``cls`` of the ``jixiao`` app) tidies every command it hands out:
flags get an empty metavar and arguments an upper-case one shown as such, so that help
reads ``--quiet -q  No progress bar or summary.`` and ``Usage: jixiao clean [OPTIONS]
PATHS...``. Options with choices list them in their own metavar or help text.
"""

from __future__ import annotations

import importlib
from typing import Any

import typer
from typer.core import TyperArgument, TyperGroup

# Commands whose modules load on first use. `jixiao clean` is the command users run most, on
# one filing as often as on a thousand: the training, norms, review-workspace and value-table
# commands (and what they import: the workspace store, the MLflow wrappers, the Dask map-reduce)
# cost it about a tenth of its cold start when loaded up front. Each module has a
# ``register(app)`` that adds its commands to a typer app; the order here is the order of --help.
LAZY_COMMANDS: dict[str, str] = {
    "values": "pipeline.cli.values",
    "train": "pipeline.cli.model",
    "evaluate": "pipeline.cli.model",
    "classify": "pipeline.cli.model",
    "norms": "pipeline.cli.norms",
    "review": "pipeline.cli.review",
}


class _PlainArgument(TyperArgument):
    """An argument shown by its metavar alone (no braces, no Python type)."""

    def _usage_display_name(self) -> str:
        return self.display_name_raw if self.required else f"[{self.display_name_raw}]"

    def display_type_rich(self, ctx: Any) -> str | None:
        return None


def tidy(command: Any) -> Any:
    """Set display metavars on ``command`` and every sub-command (see the module docstring)."""
    for p in command.params:
        # typer ships its own copy of click: the classes are typer's, checked by what they are
        if getattr(p, "is_flag", False) and p.metavar is None:
            p.metavar = ""
        elif isinstance(p, TyperArgument) and not isinstance(p, _PlainArgument):
            if p.metavar is None:
                p.metavar = (p.name or "arg").upper()
            if p.nargs != 1 and not p.metavar.endswith("..."):
                p.metavar += "..."
            p.__class__ = _PlainArgument
    if not getattr(command, "_jixiao_tidy", False):
        # --help is made per context by the command: tidy the option it makes too
        make_help = command.get_help_option

        def get_help_option(ctx: Any, _make=make_help) -> Any:
            opt = _make(ctx)
            if opt is not None and opt.metavar is None:
                opt.metavar = ""
            return opt

        command.get_help_option = get_help_option
        command._jixiao_tidy = True
    if isinstance(getattr(command, "commands", None), dict):
        for sub in command.commands.values():
            tidy(sub)
    return command


def _load(module_name: str) -> dict[str, Any]:
    """The click commands that ``module_name``'s ``register(app)`` adds, by name."""
    # a module-level import would load every command's stage for `jixiao clean` (see LAZY_COMMANDS)
    module = importlib.import_module(module_name)
    holder = typer.Typer()
    holder.callback()(lambda: None)     # a callback makes typer build a group even for one command
    module.register(holder)
    return dict(typer.main.get_group(holder).commands)


class TidyGroup(TyperGroup):
    """The ``jixiao`` group: tidy help (see the module docstring) and lazily loaded commands."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(super().list_commands(ctx)) + [n for n in LAZY_COMMANDS if n not in self.commands]

    def get_command(self, ctx: Any, cmd_name: str) -> Any | None:
        if cmd_name not in self.commands and cmd_name in LAZY_COMMANDS:
            for name, command in _load(LAZY_COMMANDS[cmd_name]).items():
                self.commands.setdefault(name, command)
        cmd = super().get_command(ctx, cmd_name)
        return tidy(cmd) if cmd is not None else None

    def format_help(self, ctx: Any, formatter: Any) -> None:
        tidy(self)
        super().format_help(ctx, formatter)
