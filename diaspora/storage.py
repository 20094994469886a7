"""CVs are private uploads: see portal/storage.py. The name stays for the migrations."""

from portal.storage import private_storage

__all__ = ["private_storage"]
