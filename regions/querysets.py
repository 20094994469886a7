from django.db import models
from django.db.models import Q

from portal.permissions import region_ids_for

from .enums import PUBLIC_NEED_STATUSES, MeetingStatus, NeedStatus, ProvinceKind, RoadmapStatus


class ProvinceQuerySet(models.QuerySet):
    def provinces_and_prefectures(self):
        """The 75 provinces and prefectures, without Casablanca's 8 prefectures of arrondissements."""

        return self.exclude(kind=ProvinceKind.PREFECTURE_OF_ARRONDISSEMENTS)


class RegionScopedQuerySet(models.QuerySet):
    """Rows that carry a `region` column; `writable_by` is the scope of every write."""

    def in_region(self, region):
        return self.filter(region=region)

    def writable_by(self, user):
        ids = region_ids_for(user)
        return self if ids is None else self.filter(region_id__in=ids)


class RoadmapQuerySet(RegionScopedQuerySet):
    def adopted(self):
        return self.filter(status=RoadmapStatus.ADOPTED)

    def visible_to(self, user):
        """Adopted and closed versions for everyone; drafts for the region's officials and coordinators."""

        ids = region_ids_for(user)
        if ids is None:
            return self
        return self.filter(~Q(status=RoadmapStatus.DRAFT) | Q(region_id__in=ids))


class NeedQuerySet(RegionScopedQuerySet):
    def open(self):
        return self.filter(status=NeedStatus.OPEN)

    def public(self):
        """What the anonymous visitor sees: open, in-progress and fulfilled needs of non-draft roadmaps."""

        return self.filter(status__in=PUBLIC_NEED_STATUSES).exclude(roadmap__status=RoadmapStatus.DRAFT)

    def visible_to(self, user):
        """Public needs; plus every need (drafts included) of the regions `user` acts for."""

        ids = region_ids_for(user)
        if ids is None:
            return self
        public = Q(status__in=PUBLIC_NEED_STATUSES) & ~Q(roadmap__status=RoadmapStatus.DRAFT)
        return self.filter(public | Q(region_id__in=ids)) if ids else self.filter(public)


class StakeholderQuerySet(RegionScopedQuerySet):
    def active(self):
        return self.filter(is_active=True)


class MeetingQuerySet(RegionScopedQuerySet):
    def past(self, now=None):
        from django.utils import timezone

        return self.filter(starts_at__lt=now or timezone.now()).exclude(status=MeetingStatus.CANCELLED)


class DecisionQuerySet(RegionScopedQuerySet):
    pass


class PartnershipQuerySet(RegionScopedQuerySet):
    pass


class StudyQuerySet(models.QuerySet):
    def in_region(self, region):
        return self.filter(regions=region)

    def search(self, query: str):
        """Substring search over title, authors, institutions and abstract (both backends)."""
        query = (query or "").strip()[:200]
        if not query:
            return self
        return self.filter(
            Q(title__icontains=query)
            | Q(authors__icontains=query)
            | Q(institutions__icontains=query)
            | Q(abstract__icontains=query)
        )
