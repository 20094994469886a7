"""Reads of an expert's personal data by someone else, logged for the expert.

The log is the diaspora app's (diaspora.access_log). Pages of apps below it show experts too (a
need's offers of help, in regions): they log through this function, which calls the recorder
the diaspora app registers when it starts (DiasporaConfig.ready), so the layers stay one-way.
"""

from collections.abc import Callable, Iterable

from django.core.exceptions import ImproperlyConfigured

from .enums import ReadPurpose

_recorder: Callable[..., int] | None = None


def register_profile_read_recorder(recorder: Callable[..., int]) -> None:
    global _recorder
    _recorder = recorder


def profile_reads_record(*, reader, reads: Iterable[tuple], purpose: ReadPurpose, need_id: int | None = None) -> int:
    """diaspora.access_log.profile_reads_record: one INSERT for every (profile id, category) read."""
    if _recorder is None:  # never show personal data without logging it
        raise ImproperlyConfigured("no profile read recorder registered (is the diaspora app installed?)")
    return _recorder(reader=reader, reads=reads, purpose=purpose, need_id=need_id)
