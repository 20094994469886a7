#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    # A machine with no DJANGO_SECRET_KEY is a developer's: management commands run in local
    # development mode there. The web process (portal/wsgi.py) never does this and refuses to
    # start without a secret; production sets one, so nothing changes for it.
    if not os.environ.get("DJANGO_SECRET_KEY"):
        os.environ.setdefault("DJANGO_DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
