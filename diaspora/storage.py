"""Private storage for CVs: under MEDIA_ROOT/private, with no URL. Files leave the server
only through the privacy centre's download (the owner) — never through a public link."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import cached_property


class PrivateStorage(FileSystemStorage):
    def __init__(self):
        super().__init__(base_url=None)

    @cached_property
    def base_location(self):
        # Read at use (and reset by Django when MEDIA_ROOT changes), never frozen at import.
        return os.path.join(settings.MEDIA_ROOT, "private")

    def url(self, name):
        raise NotImplementedError("Private files have no public URL.")


def private_storage() -> PrivateStorage:
    # A callable, so that the migration does not freeze a path.
    return PrivateStorage()
