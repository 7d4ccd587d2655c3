from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog

from mercuryhub.api import api
from mercuryhub.core import basemap_views, offline_views, opendata_views
from mercuryhub.core import views as core_views

admin.site.site_header = "MercuryHub administration"
admin.site.site_title = "MercuryHub"
admin.site.index_title = "Catalogue, reference data and people"

# The OpenRosa server of each project, where ODK Collect is pointed (no language prefix): first,
# as devices send hundreds of requests in a row and each is resolved from the top.
# The API's errors are JSON (core/middleware.py); a request whose body could not be read too.
handler400 = core_views.bad_request

urlpatterns = [
    path("v1/key/<str:token>/projects/<slug:slug>/", include("mercuryhub.forms.openrosa_urls")),
]

# Every page has an address per language: English without a prefix (/catalogue/), the others
# with theirs (/fr/catalogue/), so that a link shared in Spanish opens in Spanish.
urlpatterns += i18n_patterns(
    path("", core_views.home, name="core-home"),
    path("offline/", offline_views.offline, name="core-offline"),
    path("open-data/", opendata_views.open_data, name="core-open-data"),
    path(
        "open-data/mercuryhub-open-data.zip",
        opendata_views.open_data_download,
        name="core-open-data-download",
    ),
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
    # The administration signs people in through the site's own sign-in, throttled like it.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
        name="admin-login",
    ),
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

# A write refused because the database was busy, met outside a view (a session saved as the
# response leaves): 503 with Retry-After; any other error: the server-error page.
handler500 = "mercuryhub.core.views.server_error"
