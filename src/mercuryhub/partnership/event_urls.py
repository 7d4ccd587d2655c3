"""The routes of the Partnership's event pages."""

urlpatterns = []
