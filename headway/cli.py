"""The ``headway`` command for operators: Django's management commands under one name.

``headway check`` runs the deployment checks and fails on any warning;
``headway import`` is the ``import_file`` command.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "headway.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    if args[1:2] == ["check"] and "--deploy" not in args:
        args[2:2] = ["--deploy", "--fail-level", "WARNING"]
    aliases = {"import": "import_file", "demo-data": "demo_data"}  # names modules can't have
    if args[1:2] and args[1] in aliases:
        args[1] = aliases[args[1]]
    args[0] = "headway"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
