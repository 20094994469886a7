from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.permissions import is_member, is_national, is_official, is_partner, region_ids_for

from .enums import OpportunityStatus, ProjectStatus


class OpportunityQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=OpportunityStatus.PUBLISHED)

    def visible_to(self, user):
        """Published and closed opportunities for everyone; drafts for the region's officials."""

        public = models.Q(status__in=[OpportunityStatus.PUBLISHED, OpportunityStatus.CLOSED])
        if is_national(user):
            return self.all()
        if is_official(user):
            return self.filter(public | models.Q(region_id__in=region_ids_for(user)))
        return self.filter(public)

    def managed_by(self, user):
        """The opportunities `user` may edit, publish and close."""
        if is_national(user):
            return self.all()
        if is_official(user):
            return self.filter(region_id__in=region_ids_for(user))
        return self.none()


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Investor: their own; official: their regions'; national: all; partner: attached with
        the investor's consent; anyone else: nothing."""
        if is_national(user):
            return self.all()
        if is_official(user):
            return self.filter(region_id__in=region_ids_for(user))
        if is_member(user):
            return self.filter(investor=user)
        if is_partner(user):
            return self.filter(
                partner_links__partner_id=user.partner_id,
                partner_links__consented_at__isnull=False,
                partner_links__ended_at__isnull=True,
            )
        return self.none()

    def managed_by(self, user):
        """The projects whose pipeline `user` may move (officials of the target region, national)."""
        if is_national(user):
            return self.all()
        if is_official(user):
            return self.filter(region_id__in=region_ids_for(user))
        return self.none()

    def open(self):
        return self.exclude(status__in=[ProjectStatus.LAUNCHED, ProjectStatus.DROPPED])


class AppendOnlyQuerySet(models.QuerySet):
    """History rows have no update path; deleting them one by one is refused too (a project's
    erasure still removes its history through the cascade, which bypasses these methods)."""

    def update(self, **kwargs):
        raise ValidationError(_("This record is part of the history and cannot be changed."))

    def delete(self):
        raise ValidationError(_("This record is part of the history and cannot be deleted."))
