"""The ``mercuryhub`` console command: every Django management command, under one name.

``mercuryhub --help`` lists MercuryHub's own commands first, one line each, then the commands of
Django and the libraries; ``mercuryhub --version`` prints MercuryHub's version.
"""

import os
import sys
from collections import defaultdict
from importlib.metadata import version

from django.core.management import ManagementUtility, get_commands, load_command_class
from django.core.management.color import color_style

_OWN_APPS = "mercuryhub."


def _summary(help_text: str) -> str:
    """The first sentence of a command's help, on one line."""
    text = " ".join(help_text.split())
    sentence, separator, _rest = text.partition(". ")
    return sentence + "." if separator else text


class _Utility(ManagementUtility):
    def execute(self):
        if self.argv[1:2] == ["--version"]:
            sys.stdout.write(version("mercuryhub") + "\n")
            return
        super().execute()

    def main_help_text(self, commands_only=False):
        if commands_only:
            return super().main_help_text(commands_only=True)
        style = color_style()
        commands = get_commands()
        own = sorted(
            name
            for name, app in commands.items()
            if isinstance(app, str) and app.startswith(_OWN_APPS)
        )
        lines = [
            "",
            f"Type '{self.prog_name} help <subcommand>' for help on a specific subcommand.",
            "",
            style.NOTICE("MercuryHub's commands:"),
        ]
        width = max((len(name) for name in own), default=0)
        for name in own:
            command = load_command_class(commands[name], name)
            lines.append(f"    {name:<{width}}  {_summary(command.help)}")
        others = defaultdict(list)
        for name, app in commands.items():
            if name not in own:
                others["django" if app == "django.core" else app.rpartition(".")[-1]].append(name)
        lines += ["", "Django's commands and those of the libraries MercuryHub uses:"]
        for app in sorted(others):
            lines += ["", style.NOTICE(f"[{app}]")]
            lines += [f"    {name}" for name in sorted(others[app])]
        if self.settings_exception is not None:
            lines.append(
                style.NOTICE(
                    "Note that only Django core commands are listed as settings are not properly "
                    f"configured (error: {self.settings_exception})."
                )
            )
        return "\n".join(lines)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mercuryhub.settings")
    _Utility(["mercuryhub", *sys.argv[1:]]).execute()


if __name__ == "__main__":
    main()
