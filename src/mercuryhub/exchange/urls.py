from django.urls import path  # noqa: F401 - the exchange's pages join as they are built

urlpatterns: list = []
