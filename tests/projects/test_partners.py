import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from portal.models import Notification
from projects.models import ProjectPartner
from projects.services import project_partner_attach, project_partner_consent, project_partner_end

pytestmark = pytest.mark.django_db


def test_investor_attaching_a_partner_is_their_consent(project, member, partner_user):
    link = project_partner_attach(project=project, partner=partner_user.partner, by=member)
    assert link.is_active
    assert link.proposed_by == member


def test_official_proposal_waits_for_the_investor(project, member, official_a, partner_user):
    link = project_partner_attach(project=project, partner=partner_user.partner, by=official_a)
    assert not link.is_active
    assert Notification.objects.filter(user=member, kind="projects.partner_proposed").count() == 1
    with pytest.raises(PermissionDenied):
        project_partner_consent(link=link, by=official_a)  # only the investor consents
    link.refresh_from_db()
    assert link.consented_at is None
    project_partner_consent(link=link, by=member)
    link.refresh_from_db()
    assert link.is_active


def test_refused_attachments_change_nothing(project, official_b, partner_user, other_member):
    for user in (official_b, partner_user, other_member):
        with pytest.raises(PermissionDenied):
            project_partner_attach(project=project, partner=partner_user.partner, by=user)
    assert ProjectPartner.objects.count() == 0


def test_attaching_twice_is_a_clear_error(project, member, partner_user):
    project_partner_attach(project=project, partner=partner_user.partner, by=member)
    with pytest.raises(ValidationError):
        project_partner_attach(project=project, partner=partner_user.partner, by=member)
    assert ProjectPartner.objects.count() == 1


def test_ended_attachment_can_be_renewed(project, member, partner_user):
    link = project_partner_attach(project=project, partner=partner_user.partner, by=member)
    project_partner_end(link=link, by=member)
    renewed = project_partner_attach(project=project, partner=partner_user.partner, by=member)
    assert renewed.pk == link.pk
    assert renewed.is_active


def test_partner_sees_only_its_own_attachment_on_the_page(client_for, project, member, partner_user, partner_user_b):
    project_partner_attach(project=project, partner=partner_user.partner, by=member)
    project_partner_attach(project=project, partner=partner_user_b.partner, by=member)
    content = client_for(partner_user).get(f"/fr/investment/projects/{project.pk}/").content.decode()
    assert partner_user.partner.name in content
    assert partner_user_b.partner.name not in content


def test_end_asks_for_confirmation(client_for, project, member, partner_user):
    link = project_partner_attach(project=project, partner=partner_user.partner, by=member)
    client = client_for(member)
    assert client.get(f"/fr/investment/partners/{link.pk}/end/").status_code == 200
    link.refresh_from_db()
    assert link.is_active
    assert client.post(f"/fr/investment/partners/{link.pk}/end/").status_code == 302
    link.refresh_from_db()
    assert not link.is_active
