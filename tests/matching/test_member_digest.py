"""The weekly digest (opt-in) lists the new needs for the member, in their language, one link
each, and leaves out the needs they said were not for them."""

import re

import pytest
from django.core import mail

from matching import member_services, services
from tests.matching.factories import SkillFactory, expert, need

pytestmark = pytest.mark.django_db


def test_digest_in_the_members_language_one_link_each_without_needs_set_aside(
    taxonomy, official_a, django_capture_on_commit_callbacks
):
    skill = SkillFactory()
    profile = expert(skills=[skill], user__preferred_language="ar")
    kept = need(skills=[skill], owner=official_a, title="Irrigation")
    refused = need(skills=[skill], owner=official_a, title="Tourisme rural")
    services.full_rematch()
    member_services.suggestion_set_aside(user=profile.user, need_id=refused.pk, reason="dates")
    services.digest_subscribe(user=profile.user, subscribed=True)

    with django_capture_on_commit_callbacks(execute=True):
        sent = services.weekly_digest_send()

    body = mail.outbox[0].body
    assert sent == 1
    assert kept.region.name_ar in body
    assert "Tourisme rural" not in body
    links = re.findall(r"https?://\S+/needs/\d+/", body)
    assert len(links) == 1
    assert links[0].endswith(f"/ar/regions/{kept.region.code}/needs/{kept.pk}/")
