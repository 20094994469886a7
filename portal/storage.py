"""Where uploads live: `settings.STORAGES["private"]` for what only permission-checked views may
stream (CVs, project and opportunity documents), `"default"` for the rest (studies, roadmap
documents — also streamed by views). The local disk by default; an S3-compatible object store
when `JUSUR_STORAGE=s3`, so that several web and worker hosts share the files (decision 0019).

Models name `private_storage` (a callable: migrations keep no path). It returns a proxy that
resolves the configured backend on use, so a deployment's STORAGES and a test's override both
apply to fields defined at import time."""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.utils.functional import LazyObject, cached_property, empty


class PrivateFileSystemStorage(FileSystemStorage):
    """MEDIA_ROOT/private on the local disk, read when used (so overrides of MEDIA_ROOT apply,
    Django clears the cached location when it changes). No URL serves it."""

    @cached_property
    def base_location(self):
        return str(Path(settings.MEDIA_ROOT) / "private")

    def url(self, name):
        raise NotImplementedError("Private files have no public URL: views stream them after a permission check.")


class _PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages["private"]


PRIVATE_STORAGE = _PrivateStorage()


def private_storage():
    return PRIVATE_STORAGE


def _reset(*, setting, **kwargs):
    if setting in ("STORAGES", "MEDIA_ROOT"):
        PRIVATE_STORAGE._wrapped = empty


setting_changed.connect(_reset)
