"""The routes of the Partnership's group pages."""

urlpatterns = []
