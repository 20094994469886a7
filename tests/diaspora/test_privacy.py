import io
import json
import zipfile

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import models

from diaspora.access_log import profile_reads_record
from diaspora.enums import ConsentPurpose, ReadCategory, ReadPurpose
from diaspora.models import (
    AnonymousExpertTrace,
    AssociationMembership,
    ConsentRecord,
    Education,
    EmailVerification,
    ErasureLog,
    ExpertProfile,
    WorkExperience,
)
from diaspora.services import account_erase, association_join, consent_set
from portal.enums import Role
from portal.models import Notification
from portal.privacy import SECRET_FIELDS, personal_data_export, registered_models
from taxonomy.models import Sector
from tests.diaspora.factories import (
    AssociationFactory,
    ExpertFormatFactory,
    ExpertLanguageFactory,
    ExpertProfileFactory,
    ExpertSkillFactory,
)
from tests.factories import UserFactory

User = get_user_model()
PROJECT_APPS = ["portal", "taxonomy", "regions", "diaspora", "projects", "matching", "partners"]

# Foreign keys to the User or to an ExpertProfile that are NOT personal data, each with why.
# Adding a line here is a privacy decision: say why in the comment.
NOT_PERSONAL: dict[str, str] = {
    # Bookkeeping that an alert was sent once per stage: ids, a kind, a count and a date; no
    # content about the investor, and deleted with the project.
    "projects.ProjectDeadlineAlert.project": "send-once bookkeeping, no content",
    "projects.ProjectDeadlineAlert.transition": "send-once bookkeeping, no content",
    # That an investor was told of a suggestion (a pair of ids and a date), deleted with the project.
    "matching.InvestmentSuggestionNotice.project": "send-once bookkeeping, no content",
}


def person_links():
    """(model label, field name) of every foreign key / one-to-one / many-to-many to a person."""
    targets = {User, ExpertProfile}
    for app in PROJECT_APPS:
        if not apps.is_installed(app):
            continue
        for model in apps.get_app_config(app).get_models():
            for field in model._meta.get_fields():
                if not (field.is_relation and field.concrete and field.related_model in targets):
                    continue
                if field.many_to_many:
                    through = field.remote_field.through
                    # An explicit through model is checked on its own foreign keys.
                    if through._meta.auto_created:
                        yield model._meta.label, field.name, field
                    continue
                yield model._meta.label, field.name, field


def test_every_model_linked_to_a_person_is_registered_for_export_and_erasure():
    registry = registered_models()
    missing = []
    for label, name, _field in person_links():
        if f"{label}.{name}" in NOT_PERSONAL:
            continue
        entry = registry.get(label)
        if entry is None or not any(path.split("__")[0] == name for path in entry.user_paths):
            missing.append(f"{label}.{name}")
    assert missing == [], (
        "These fields link to a person but are not covered by portal.privacy.register_personal_data "
        "(register the model with a user_path starting with the field, from your AppConfig.ready), "
        "nor listed with a reason in NOT_PERSONAL of this test: " + ", ".join(missing)
    )


def person_rows() -> set:
    """Models whose rows are a person's own: the User and the ExpertProfile, every model
    registered with erase="delete", and, transitively, every model deleted with one of those
    (a CASCADE foreign key): an Engagement goes with its Match, which goes with the profile."""
    found = {User, ExpertProfile}
    registry = registered_models()
    project_models = [
        m for app in PROJECT_APPS if apps.is_installed(app) for m in apps.get_app_config(app).get_models()
    ]
    grew = True
    while grew:
        grew = False
        for model in project_models:
            if model in found:
                continue
            entry = registry.get(model._meta.label)
            deleted_with_person = (
                entry is not None and entry.erase == "delete" and getattr(entry, "lookup", None) is None
            )
            cascades = any(
                f.concrete
                and (f.many_to_one or f.one_to_one)
                and f.related_model in found
                and f.remote_field.on_delete is models.CASCADE
                for f in model._meta.get_fields()
                if f.is_relation
            )
            if deleted_with_person or cascades:
                found.add(model)
                grew = True
    return found


def test_every_model_hanging_off_a_persons_rows_is_registered():
    """One step further than the test above: data attached to a person's own rows (an
    engagement's ratings and deliverable note, a project's documents) is theirs too, and must be
    exported and erased: the model is registered with a user_path through that link."""
    registry = registered_models()
    own = person_rows() - {User, ExpertProfile}  # links to these two: the test above
    missing = []
    for app in PROJECT_APPS:
        for model in apps.get_app_config(app).get_models() if apps.is_installed(app) else ():
            for field in model._meta.get_fields():
                if not (field.is_relation and field.concrete and field.related_model in own):
                    continue
                label = f"{model._meta.label}.{field.name}"
                entry = registry.get(model._meta.label)
                if label in NOT_PERSONAL:
                    continue
                if entry is None or not any(path.split("__")[0] == field.name for path in entry.user_paths):
                    missing.append(label)
    assert missing == [], (
        "These fields attach rows to a person's own data but no registered user_path goes through "
        "them (register one, e.g. 'match__profile__user', or list them with a reason in NOT_PERSONAL): "
        + ", ".join(sorted(missing))
    )


def test_the_user_model_and_notifications_are_registered():
    registry = registered_models()
    assert registry["portal.User"].is_user_model
    assert registry["portal.Notification"].user_paths == ("user",)


@pytest.fixture
def full_member(member, territories, taxonomy, pdf_bytes, region_a):
    """A member with a row in every diaspora model that holds personal data."""
    profile = ExpertProfileFactory(
        user=member,
        display_name="Salma Amrani",
        birth_year=1988,
        origin_region=region_a,
        bio="Hydraulicienne.",
    )
    profile.sectors.set(Sector.objects.order_by("code")[:2])
    profile.cv.save("cv.pdf", ContentFile(pdf_bytes), save=True)
    ExpertSkillFactory(profile=profile, skill=taxonomy_skill())
    ExpertLanguageFactory(profile=profile)
    ExpertFormatFactory(profile=profile)
    WorkExperience.objects.create(profile=profile, title="Ingénieure", start_year=2010)
    Education.objects.create(profile=profile, degree="Master", year=2009)
    consent_set(profile=profile, choices={p.value: True for p in ConsentPurpose})
    association_join(association=AssociationFactory(), user=member)
    EmailVerification.objects.create(user=member)
    Notification.objects.create(user=member, kind="test", template="tests/ping")
    official = UserFactory(role=Role.OFFICIAL, regions=[region_a])
    profile_reads_record(reader=official, reads=[(profile.pk, ReadCategory.PROFILE)], purpose=ReadPurpose.EXPERT_SEARCH)
    profile.refresh_from_db()
    return member


def taxonomy_skill():
    from taxonomy.models import Skill

    return Skill.objects.order_by("pk").first()


def test_export_contains_every_personal_field_of_every_registered_model(full_member):
    data = personal_data_export(full_member)

    for label, entry in registered_models().items():
        rows = data["models"][label]
        expected = list(entry.queryset_for(full_member).order_by("pk"))
        assert len(rows) == len(expected), label
        for row, obj in zip(rows, expected, strict=True):
            for field in obj._meta.concrete_fields:
                if field.name in SECRET_FIELDS:
                    assert field.attname not in row
                    continue
                assert field.attname in row, f"{label}.{field.attname} missing from the export"
    profile_row = data["models"]["diaspora.ExpertProfile"][0]
    assert (profile_row["display_name"], profile_row["birth_year"], profile_row["phone"]) == (
        "Salma Amrani",
        1988,
        "+33 6 12 34 56 78",
    )
    assert profile_row["country_of_residence"] == "FR"
    assert len(profile_row["sectors"]) == 2
    assert len(data["models"]["diaspora.ConsentRecord"]) == len(ConsentPurpose)
    assert data["models"]["portal.User"][0]["email"] == full_member.email
    assert [f["name"] for f in data["files"]] == [ExpertProfile.objects.get().cv.name]


def test_download_is_a_zip_with_the_json_and_the_cv(client_for, full_member, pdf_bytes):
    response = client_for(full_member).get("/fr/diaspora/me/privacy/export/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["data.json", "files/1-cv.pdf"]
    payload = json.loads(archive.read("data.json"))
    assert payload["user_id"] == full_member.pk
    assert "password" not in payload["models"]["portal.User"][0]
    assert archive.read("files/1-cv.pdf") == pdf_bytes


def test_erasure_leaves_no_row_and_no_file_and_keeps_an_anonymous_trace(
    full_member, private_media, django_capture_on_commit_callbacks
):
    profile = ExpertProfile.objects.get(user=full_member)
    cv_path = private_media / "private" / profile.cv.name
    assert cv_path.exists()
    before = {
        label: list(e.queryset_for(full_member).values_list("pk", flat=True))
        for label, e in registered_models().items()
        if label.split(".")[0] in ("portal", "diaspora")
    }
    assert all(before.values()), before  # the fixture really filled every registered model

    with django_capture_on_commit_callbacks(execute=True):
        account_erase(user=full_member)

    for label, pks in before.items():
        model = apps.get_model(label)
        assert not model._default_manager.filter(pk__in=pks).exists(), label
    assert not cv_path.exists()
    assert list((private_media / "private" / "cv").iterdir()) == []
    log = ErasureLog.objects.get()
    assert (log.user_id, log.profile_id) == (full_member.pk, profile.pk)
    trace = AnonymousExpertTrace.objects.get()
    assert (trace.country_of_residence.code, trace.origin_region.code) == ("FR", "05")
    assert len(trace.sector_codes.split(",")) == 2
    assert [f.name for f in AnonymousExpertTrace._meta.concrete_fields if isinstance(f, models.ForeignKey)] == [
        "origin_region"
    ]


def test_erasure_without_statistics_consent_keeps_no_trace(member_profile):
    account_erase(user=member_profile.user)
    assert AnonymousExpertTrace.objects.count() == 0
    assert ExpertProfile.objects.count() == 0


def test_delete_account_needs_the_password_and_confirmation(client_for, full_member):
    client = client_for(full_member)

    refused = client.post("/fr/diaspora/me/privacy/delete/", {"password": "wrong", "confirm": "on"})
    assert refused.status_code == 400
    assert User.objects.filter(pk=full_member.pk).exists()
    assert ConsentRecord.objects.filter(user=full_member).count() == len(ConsentPurpose)

    done = client.post("/fr/diaspora/me/privacy/delete/", {"password": "correct horse battery", "confirm": "on"})
    assert done.status_code == 302
    assert not User.objects.filter(pk=full_member.pk).exists()
    assert AssociationMembership.objects.count() == 0
    assert "_auth_user_id" not in client.session


def test_replay_erasures_erases_an_account_restored_from_a_backup(member_profile):
    user_pk, profile_pk, email = member_profile.user.pk, member_profile.pk, member_profile.user.email
    joined = member_profile.user.date_joined
    account_erase(user=member_profile.user)
    # A backup taken before the erasure is restored: the rows come back with their ids.
    restored = User.objects.create(pk=user_pk, email=email, date_joined=joined)
    ExpertProfileFactory(pk=profile_pk, user=restored)

    call_command("replay_erasures", stdout=io.StringIO())

    assert not User.objects.filter(pk=user_pk).exists()
    assert not ExpertProfile.objects.filter(pk=profile_pk).exists()
    assert ErasureLog.objects.get().replayed_at is not None
