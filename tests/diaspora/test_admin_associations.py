import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from diaspora.admin import ExpertProfileAdmin
from diaspora.models import AssociationMembership, ExpertProfile
from portal.enums import Role
from tests.diaspora.factories import AssociationFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def admin_request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_personal_fields_are_read_only_for_staff_but_not_for_superusers(member_profile):
    model_admin = ExpertProfileAdmin(ExpertProfile, site)
    staff = UserFactory(role=Role.ADMIN, is_staff=True)
    superuser = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)

    staff_readonly = set(model_admin.get_readonly_fields(admin_request(staff), member_profile))
    super_readonly = set(model_admin.get_readonly_fields(admin_request(superuser), member_profile))

    assert {"display_name", "birth_year", "phone", "city", "bio", "cv", "user"} <= staff_readonly
    assert super_readonly.isdisjoint({"display_name", "birth_year", "phone", "city", "bio", "cv"})
    assert {"consent_matching", "consent_contact"} <= super_readonly  # consent only through the member


def test_staff_post_cannot_change_personal_fields(client_for, member_profile):
    staff = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=False)
    from django.contrib.auth.models import Permission

    staff.user_permissions.set(Permission.objects.filter(codename__in=["change_expertprofile", "view_expertprofile"]))
    client = client_for(staff)
    url = f"/fr/admin/diaspora/expertprofile/{member_profile.pk}/change/"

    page = client.get(url)
    client.post(url, {"display_name": "Changed", "country_of_residence": "FR"})

    member_profile.refresh_from_db()
    assert page.status_code == 200
    assert member_profile.display_name == "Salma Amrani"


def test_associations_are_listed_publicly(client):
    association = AssociationFactory(name="Atlas Brug Rotterdam", country="NL", city="Rotterdam")
    AssociationFactory(name="Hidden", is_active=False)

    listing = client.get("/fr/diaspora/associations/").content.decode()
    detail = client.get(f"/fr/diaspora/associations/{association.pk}/")

    assert "Atlas Brug Rotterdam" in listing
    assert "Hidden" not in listing
    assert detail.status_code == 200
    assert client.get("/fr/diaspora/associations/999999/").status_code == 404


def test_member_joins_and_leaves_an_association(client_for, member):
    association = AssociationFactory()
    client = client_for(member)

    client.post(f"/fr/diaspora/associations/{association.pk}/join/")
    assert AssociationMembership.objects.filter(association=association, user=member).count() == 1
    client.post(f"/fr/diaspora/associations/{association.pk}/leave/")
    assert AssociationMembership.objects.filter(association=association, user=member).count() == 0


def test_anonymous_cannot_join_and_nothing_changes(client):
    association = AssociationFactory()
    response = client.post(f"/fr/diaspora/associations/{association.pk}/join/")
    assert response.status_code == 302
    assert AssociationMembership.objects.count() == 0


def test_join_needs_post(client_for, member):
    association = AssociationFactory()
    assert client_for(member).get(f"/fr/diaspora/associations/{association.pk}/join/").status_code == 405
    assert AssociationMembership.objects.count() == 0
