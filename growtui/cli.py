"""Command line: ``growtui`` runs the app (a training session on the built-in sandbox by default);
``growtui sandbox …`` runs the sandbox servers on their own; ``growtui sync|export|outbox`` are the
headless commands for scripts and cron (growtui.headless). This module only dispatches."""

from __future__ import annotations

import importlib
import os
import sys

HEADLESS = {"sync", "export", "outbox"}  # each is growtui.headless.<name>.main(argv)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args[:1] == ["sandbox"]:
            from growtui.sandbox.cli import main as sandbox_main

            return sandbox_main(args[1:])
        if args[:1] and args[0] in HEADLESS:
            return importlib.import_module(f"growtui.headless.{args[0]}").main(args[1:])
        from growtui.ui.launch import main as app_main

        return app_main(args)
    except BrokenPipeError:
        # `growtui sandbox users --json | head`: the reader left; that is not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
