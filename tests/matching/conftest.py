import pytest

from matching import loaders


@pytest.fixture(autouse=True)
def _fresh_hierarchy_cache():
    """Each test builds its own skills; never reuse a credit matrix cached by another test."""
    loaders._hierarchy_cache.clear()
    yield
    loaders._hierarchy_cache.clear()
