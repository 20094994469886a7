"""What an app contributes to a page of an app below it, without the page importing it.

A page asks for a named piece of context (`contribution("matching.investment_suggestions_for_project",
project=..., user=...)`); the app that computes it registers a provider when it starts
(its AppConfig.ready). With no provider registered, the page gets None and shows nothing.
"""

from collections.abc import Callable

_providers: dict[str, Callable[..., object]] = {}


def register_contribution(name: str, provider: Callable[..., object]) -> None:
    _providers[name] = provider


def contribution(name: str, **kwargs) -> object | None:
    provider = _providers.get(name)
    return provider(**kwargs) if provider is not None else None
