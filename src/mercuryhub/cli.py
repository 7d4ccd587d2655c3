"""The ``mercuryhub`` console command: every Django management command, under one name."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mercuryhub.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["mercuryhub", *sys.argv[1:]])


if __name__ == "__main__":
    main()
