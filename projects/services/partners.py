"""Partner organisations attached to a project, with the investor's consent."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import PartnerOrganisation, User
from portal.permissions import can_act_in_region

from ..models import Project, ProjectPartner
from .base import is_investor, notify, refuse_unless


@transaction.atomic
def project_partner_attach(*, project: Project, partner: PartnerOrganisation, by: User) -> ProjectPartner:
    """Attach a partner. Attached by the investor: active at once (their consent). Proposed by
    an official: waits for the investor's consent, and the investor is asked."""
    owner = is_investor(by, project)
    refuse_unless(owner or can_act_in_region(by, project.region_id))
    now = timezone.now()
    link = ProjectPartner.objects.select_for_update().filter(project=project, partner=partner).first()
    if link is not None and link.ended_at is None:
        raise ValidationError({"partner": _("This partner is already attached or proposed.")})
    link = link or ProjectPartner(project=project, partner=partner)
    link.proposed_by, link.proposed_at, link.ended_at = by, now, None
    link.consented_at = now if owner else None
    link.save()
    if not owner:
        notify(
            user=project.investor,
            kind="projects.partner_proposed",
            template="partner_proposed",
            refs={"project": project, "partner": partner},
            params={},
            url_name="projects:project_detail",
            pk=project.pk,
        )
    return link


@transaction.atomic
def project_partner_consent(*, link: ProjectPartner, by: User) -> ProjectPartner:
    refuse_unless(is_investor(by, link.project))
    if link.ended_at is not None or link.consented_at is not None:
        raise ValidationError(_("This proposal is no longer waiting for your consent."))
    link.consented_at = timezone.now()
    link.save(update_fields=["consented_at"])
    return link


@transaction.atomic
def project_partner_end(*, link: ProjectPartner, by: User) -> ProjectPartner:
    """The investor withdraws consent, or an official ends the attachment: the partner loses access."""
    refuse_unless(is_investor(by, link.project) or can_act_in_region(by, link.project.region_id))
    if link.ended_at is not None:
        raise ValidationError(_("This attachment has already ended."))
    link.ended_at = timezone.now()
    link.save(update_fields=["ended_at"])
    return link
