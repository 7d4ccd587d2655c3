from django.urls import path

from mercuryhub.asgm import site_views, views

urlpatterns = [
    path("", views.country_list, name="asgm-country-list"),
    path("sites/<int:pk>/", site_views.site_detail, name="asgm-site-detail"),
    path("sites/<int:pk>/merge/", site_views.site_merge, name="asgm-site-merge"),
    path("sites/<int:pk>/split/", site_views.site_split, name="asgm-site-split"),
    path("<str:iso3>/", views.overview, name="asgm-overview"),
    path("<str:iso3>/sites.json", views.overview_sites, name="asgm-overview-sites"),
    path("<str:iso3>/overview.docx", views.overview_docx, name="asgm-overview-docx"),
    path("<str:iso3>/sites.<str:file_format>", views.export_sites, name="asgm-export-sites"),
    path("<str:iso3>/ratios/", views.national_ratio, name="asgm-national-ratio"),
]
