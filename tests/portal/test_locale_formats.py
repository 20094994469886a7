"""Dates, numbers and lists in each language: ar (Moroccan conventions), fr, en."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import formats, translation

from portal.models import Notification
from portal.notifications import notification_subject
from tests.factories import UserFactory
from tests.regions.factories import MeetingFactory, NeedFactory

KNOWN_DATE = dt.date(2026, 12, 4)
KNOWN_MOMENT = dt.datetime(2026, 12, 4, 14, 30, tzinfo=dt.UTC)  # 15:30 in Casablanca (UTC+1)


def _render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return Template("{% load usertext %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("language", "long", "short"),
    [
        ("ar", "4 ديسمبر 2026", "04/12/2026"),
        ("fr", "4 décembre 2026", "04/12/2026"),
        ("en", "4 December 2026", "04/12/2026"),
    ],
)
def test_known_date_in_each_language(language, long, short):
    rendered = _render('{{ d|date:"DATE_FORMAT" }}|{{ d|date:"SHORT_DATE_FORMAT" }}|{{ d }}', language, d=KNOWN_DATE)

    assert rendered == f"{long}|{short}|{long}"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("ar", "4 ديسمبر 2026 15:30|04/12/2026 15:30"), ("fr", "4 décembre 2026 15:30|04/12/2026 15:30"),
     ("en", "4 December 2026 15:30|04/12/2026 15:30")],
)  # fmt: skip
def test_known_moment_in_each_language(language, expected):
    rendered = _render('{{ m|date:"DATETIME_FORMAT" }}|{{ m|date:"SHORT_DATETIME_FORMAT" }}', language, m=KNOWN_MOMENT)

    assert rendered == expected


@pytest.mark.parametrize(
    ("language", "expected"), [("ar", "36.113.000,5"), ("fr", "36\xa0113\xa0000,5"), ("en", "36,113,000.5")]
)
def test_grouped_number_in_each_language(language, expected):
    with translation.override(language):
        assert formats.number_format(36113000.5, 1, force_grouping=True) == expected


@pytest.mark.parametrize(
    ("language", "expected"), [("ar", "فرنسا، ليون"), ("fr", "France, Lyon"), ("en", "France, Lyon")]
)
def test_list_separator_in_each_language(language, expected):
    values = ["فرنسا", "ليون"] if language == "ar" else ["France", "Lyon"]

    assert _render("{{ values|join_list }}", language, values=values) == expected
    assert _render("{{ a }}{% list_separator %}{{ b }}", language, a=values[0], b=values[1]) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [("ar", "4 ديسمبر 2026"), ("fr", "4 décembre 2026"), ("en", "4 December 2026")],
)
def test_email_deadline_in_the_recipients_format(language, expected, territories):
    need = NeedFactory(title="Irrigation")
    user = UserFactory(preferred_language=language)
    notification = Notification.objects.create(
        user=user,
        kind="need_deadline",
        template="regions/emails/before_deadline",
        refs={"need": ["regions.need", need.pk]},
        params={"deadline": KNOWN_DATE.isoformat()},
    )

    subject = notification_subject(notification)

    assert expected in subject
    assert "2026-12-04" not in subject


@pytest.mark.django_db
def test_meeting_ics_keeps_utc_times_and_names_the_text_language(client, territories):
    meeting = MeetingFactory(
        starts_at=KNOWN_MOMENT, ends_at=KNOWN_MOMENT + dt.timedelta(hours=2), text_language="fr", agenda="Ordre du jour"
    )

    body = client.get(f"/ar/regions/05/meetings/{meeting.pk}/meeting.ics").content.decode()

    assert "DTSTART:20261204T143000Z\r\n" in body
    assert "DESCRIPTION;LANGUAGE=fr:Ordre du jour\r\n" in body
