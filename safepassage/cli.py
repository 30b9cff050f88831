"""The `safepassage` console command: Django's management commands under one name."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safepassage.settings")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["field"]:
        # The laptop's field instance (docs/field.md): an in-memory database and keys from the
        # opened package, chosen before the settings load.
        os.environ["SAFEPASSAGE_FIELD"] = "1"
    execute_from_command_line(["safepassage", *args])


if __name__ == "__main__":
    main()
