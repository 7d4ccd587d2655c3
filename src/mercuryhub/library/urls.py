from django.urls import path

from mercuryhub.library import views

urlpatterns = [
    path("", views.library_home, name="library-home"),
    path("resources/", views.resource_list, name="library-resource-list"),
    path("resources/<int:pk>/", views.resource_detail, name="library-resource-detail"),
    path("case-studies/<int:pk>/", views.case_study_detail, name="library-case-study-detail"),
]
