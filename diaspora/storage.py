"""Private storage for CVs: under MEDIA_ROOT/private, with no URL. Files leave the server
only through the privacy centre's download (the owner) — never through a public link."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    def __init__(self):
        super().__init__(location=str(settings.MEDIA_ROOT / "private"), base_url=None)

    def url(self, name):
        raise NotImplementedError("Private files have no public URL.")


def private_storage() -> PrivateStorage:
    # A callable, so that MEDIA_ROOT is read when used (tests point it elsewhere) and the
    # migration does not freeze a path.
    return PrivateStorage()
