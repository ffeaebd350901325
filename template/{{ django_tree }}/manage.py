#!/usr/bin/env python
"""Django's command-line utility for administrative tasks.

Development settings unless ENVIRONMENT or DJANGO_SETTINGS_MODULE says otherwise.
"""

import sys


def main() -> None:
    from config.settings import select_settings

    select_settings(default="development")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
