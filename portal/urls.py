from csp.decorators import csp_update
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path, register_converter
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from . import converters, metrics, twofactor_views, views
from .api import views as api_views

register_converter(converters.HcpRegionCode, "region_code")

admin.site.site_header = _("Jusur administration")
admin.site.site_title = _("Jusur")

# ReDoc's bundle inserts two <style> elements as it loads, before redoc-init.js can hand it the
# page's nonce (it styles everything after that with the nonce): they are allowed by the hash of
# their exact content, on that page only. tests/e2e/test_csp.py fails if a new bundle differs.
REDOC_STYLE_HASHES = [
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",  # an empty element
    "'sha256-QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc='",
]
redoc_view = csp_update({"style-src": REDOC_STYLE_HASHES})(SpectacularRedocView.as_view(url_name="api-schema"))


urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("healthz/live", views.healthz_live, name="healthz-live"),
    path("healthz/ready", views.healthz_ready, name="healthz-ready"),
    path("metrics", metrics.metrics_view, name="metrics"),  # bearer token only (portal/metrics.py)
    re_path(r"^api/(?P<version>v1)/", include("portal.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(api_version="v1"), name="api-schema"),
    # The split view serves its init script from its own URL: no inline script (CSP).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", redoc_view, name="api-redoc"),
    # Any other /api/ address (no version, an unknown version) answers in the API's error format.
    re_path(r"^api(?:/|$)", api_views.not_found),
]

urlpatterns += i18n_patterns(
    # Apps are mounted by module name: the core imports none of them. `portal:start` is where
    # signing in leads (each role's home); `portal:home` is the regions' public home page.
    path(
        "",
        include(([path("start/", views.start, name="start"), path("", include("regions.home_urls"))], "portal")),
    ),
    # Inside the language prefix, so that set_language resolves `next` in the page's own
    # language and can translate it (outside, it resolves in the browser's language and fails).
    path("i18n/", include("django.conf.urls.i18n")),
    path("regions/", include("regions.urls")),
    path("diaspora/", include("diaspora.urls")),
    path("investment/", include("projects.urls")),
    path("matching/", include("matching.urls")),
    path("partners/", include("partners.urls")),
    path("dashboards/", include("dashboards.urls")),
    # One sign-in page: the diaspora app's, which also refuses unverified e-mail addresses.
    path("accounts/", include("diaspora.account_urls")),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/two-factor/", twofactor_views.two_factor_verify, name="two_factor_verify"),
    path("accounts/two-factor/setup/", twofactor_views.two_factor_setup, name="two_factor_setup"),
    path(
        "accounts/two-factor/recovery-codes/",
        twofactor_views.two_factor_recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path(
        "accounts/two-factor/recovery-codes/new/",
        twofactor_views.recovery_codes_regenerate,
        name="recovery_codes_regenerate",
    ),
    path("accounts/security/", twofactor_views.account_security, name="account_security"),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)

handler500 = "portal.views.server_error"
