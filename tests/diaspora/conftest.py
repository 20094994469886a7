import shutil

import pytest
from django.conf import settings

from taxonomy.models import Skill
from tests.diaspora.factories import ExpertProfileFactory
from tests.files import PDF


@pytest.fixture(autouse=True)
def private_media(tmp_path, settings):
    """Each test gets its own MEDIA_ROOT, so file assertions see only that test's files."""
    settings.MEDIA_ROOT = tmp_path / "media"
    yield settings.MEDIA_ROOT
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


@pytest.fixture
def member_profile(member, territories):
    return ExpertProfileFactory(user=member, display_name="Salma Amrani")


@pytest.fixture
def skills(taxonomy):
    return list(Skill.objects.order_by("pk")[:5])


PDF_BYTES = PDF


@pytest.fixture
def pdf_bytes():
    return PDF_BYTES


__all__ = ["settings"]
