from django.urls import path

from mercuryhub.taxonomy import views

urlpatterns = [
    path("", views.index, name="taxonomy-index"),
    path("countries/", views.country_list, name="taxonomy-countries"),
    path("languages/", views.language_list, name="taxonomy-languages"),
    path("<slug:slug>/", views.vocabulary_detail, name="taxonomy-vocabulary"),
]
