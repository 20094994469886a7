from django.db import models


class ProvinceQuerySet(models.QuerySet):
    def provinces_and_prefectures(self):
        """The 75 provinces and prefectures, without Casablanca's 8 prefectures of arrondissements."""
        from .enums import ProvinceKind

        return self.exclude(kind=ProvinceKind.PREFECTURE_OF_ARRONDISSEMENTS)
