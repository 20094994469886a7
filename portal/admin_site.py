from django.contrib.admin import AdminSite

from .twofactor import session_is_verified


class JusurAdminSite(AdminSite):
    """Staff must have given their second factor in this session; the middleware sends them to
    it first, and this check stands even if a route escaped the middleware."""

    def has_permission(self, request):
        return super().has_permission(request) and session_is_verified(request)
