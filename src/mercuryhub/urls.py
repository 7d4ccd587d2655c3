from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from mercuryhub.api import api
from mercuryhub.core import basemap_views, offline_views
from mercuryhub.core import views as core_views

admin.site.site_header = "MercuryHub administration"
admin.site.site_title = "MercuryHub"
admin.site.index_title = "Catalogue, reference data and people"

# The OpenRosa server of each project, where ODK Collect is pointed (no language prefix): first,
# as devices send hundreds of requests in a row and each is resolved from the top.
urlpatterns = [
    path("v1/key/<str:token>/projects/<slug:slug>/", include("mercuryhub.forms.openrosa_urls")),
]

# Every page has an address per language: English without a prefix (/catalogue/), the others
# with theirs (/fr/catalogue/), so that a link shared in Spanish opens in Spanish.
urlpatterns += i18n_patterns(
    path("", core_views.home, name="core-home"),
    path("offline/", offline_views.offline, name="core-offline"),
    path("catalogue/", include("mercuryhub.catalogue.urls")),
    path("library/", include("mercuryhub.library.urls")),
    path("exchange/", include("mercuryhub.exchange.urls")),
    path("projects/", include("mercuryhub.forms.urls")),
    path("asgm/", include("mercuryhub.asgm.urls")),
    path("nap/", include("mercuryhub.nap.urls")),
    path("inventory/", include("mercuryhub.inventory.urls")),
    path("partnership/", include("mercuryhub.partnership.urls")),
    path("review/", include("mercuryhub.review.urls")),
    path("taxonomy/", include("mercuryhub.taxonomy.urls")),
    path("", include("mercuryhub.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    # The administration too is in its user's language: /ar/admin/ is right to left.
    path("admin/", admin.site.urls),
    prefix_default_language=False,
) + [
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    # Browsers ask for /favicon.ico whatever the page declares.
    # The service worker, at the root so that its scope is the whole site.
    path("sw.js", offline_views.service_worker, name="core-service-worker"),
    path("basemap/world.json", basemap_views.world, name="core-basemap-world"),
    path("basemap/cell.json", basemap_views.cell, name="core-basemap-cell"),
    path("favicon.ico", core_views.favicon, name="core-favicon"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/v1/", api.urls),
]
