from django.urls import path

from mercuryhub.catalogue import export_views, map_views, views

urlpatterns = [
    path("", views.catalogue_home, name="catalogue-home"),
    path("search/", views.search_results, name="catalogue-search"),
    path("facilities/<int:pk>/", views.facility_detail, name="catalogue-facility-detail"),
    path("offerings/<int:pk>/", views.offering_detail, name="catalogue-offering-detail"),
    path("experts/<int:pk>/", views.expert_detail, name="catalogue-expert-detail"),
    path("experts/<int:pk>/contact/", views.expert_contact, name="catalogue-expert-contact"),
    path("map/", map_views.facility_map, name="catalogue-map"),
    path("finder/", map_views.facility_finder, name="catalogue-finder"),
    path("export/<str:file_format>/", export_views.export_catalogue, name="catalogue-export"),
    path("publication.docx", export_views.publication, name="catalogue-publication"),
]
