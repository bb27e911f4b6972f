"""The ``kechuang`` command: Django's management utility with kechuang's settings.

Every Django management command (``migrate``, ``runserver``…) and every kechuang command
(``import``, ``export``, ``template``, ``demo``, ``bench``, ``assess``, ``stats``, ``report``)
runs through it. It honours ``DATABASE_URL`` like the web process does.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kechuang.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kechuang", *(argv if argv is not None else sys.argv[1:])])


if __name__ == "__main__":
    main()
