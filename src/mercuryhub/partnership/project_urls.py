"""The routes of the Partnership's project pages."""

urlpatterns = []
