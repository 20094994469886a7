"""The machine-translation hook for content people write (needs, axes, opportunities, meetings'
public summaries, studies' abstracts).

Jusur translates nothing itself and calls no network service: the default translator returns no
translation. A deployment that wants machine translation writes a class with the `Translator`
interface and names it in the `JUSUR_TRANSLATOR` environment variable (a dotted path), e.g.

    class DeepLTranslator:
        def translate(self, *, text: str, source: str, target: str) -> str | None:
            ...  # call the service; return None on any failure

`translations_fill` asks it for every portal language the content lacks and stores what it gets
as machine translations (marked `"machine": true`, shown with a marker; a person's translation
is never replaced). The services that save multilingual content call `translations_fill_later`,
which queues the `portal.translations_fill` task through the outbox — and, with the default
translator, does nothing at all (no row, no task). Never inside a request: a real translator is
slow and may be down.
"""

from functools import cache
from typing import Protocol

from django.apps import apps
from django.conf import settings
from django.utils.module_loading import import_string

from .multilingual import MACHINE, portal_languages, text_language
from .outbox import outbox_enqueue

TASK_NAME = "portal.translations_fill"


class Translator(Protocol):
    def translate(self, *, text: str, source: str, target: str) -> str | None:
        """`text` (in language `source`) in language `target`, or None when it cannot."""


class NoTranslator:
    """The default: no translation, no network."""

    def translate(self, *, text: str, source: str, target: str) -> str | None:
        return None


@cache
def _translator(path: str) -> Translator:
    return import_string(path)()


def get_translator() -> Translator:
    return _translator(settings.JUSUR_TRANSLATOR)


def is_enabled() -> bool:
    """False with the default translator: callers then skip even enqueuing work."""
    return not isinstance(get_translator(), NoTranslator)


def translations_fill(obj, translator: Translator | None = None) -> list[str]:
    """Fill the portal languages `obj` lacks with machine translations; returns the languages
    added. Saves only the `translations` column, and only when something was added."""
    translator = translator or get_translator()
    source = text_language(obj)
    translations = dict(obj.translations or {})
    added = []
    for target in portal_languages():
        if target == source or translations.get(target):
            continue
        entry = {}
        for field in obj.TRANSLATED_FIELDS:
            original = getattr(obj, field) or ""
            if not original:
                continue
            text = translator.translate(text=original, source=source, target=target)
            if text:
                entry[field] = text
        if entry:
            translations[target] = {**entry, MACHINE: True}
            added.append(target)
    if added:
        obj.translations = translations
        obj.save(update_fields=["translations"])
    return added


def translations_fill_later(obj) -> None:
    """After the current transaction commits, fill `obj`'s missing languages (a no-op unless a
    translator is configured). Debounced: several saves in a row make one task."""
    if not is_enabled():
        return
    label = obj._meta.label_lower
    outbox_enqueue(
        task_name=TASK_NAME, kwargs={"model": label, "pk": obj.pk}, dedup_key=f"translations:{label}:{obj.pk}"
    )


def translations_fill_by_id(*, model: str, pk: int) -> list[str]:
    """The task's body: the row may be gone, or have stopped being multilingual."""
    obj = apps.get_model(model)._default_manager.filter(pk=pk).first()
    if obj is None or not hasattr(obj, "TRANSLATED_FIELDS"):
        return []
    return translations_fill(obj)
