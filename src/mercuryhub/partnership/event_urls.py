"""The routes of the Partnership's event pages."""

from django.urls import path

from mercuryhub.partnership import event_views

urlpatterns = [
    path("", event_views.event_list, name="partnership-event-list"),
    path("calendar.ics", event_views.event_calendar, name="partnership-event-calendar"),
    path("<int:pk>/", event_views.event_detail, name="partnership-event-detail"),
    path("<int:pk>/event.ics", event_views.event_ics, name="partnership-event-ics"),
    path("<int:pk>/register/", event_views.event_register, name="partnership-event-register"),
    path("<int:pk>/cancel/", event_views.event_cancel, name="partnership-event-cancel"),
    path(
        "<int:pk>/registrations/",
        event_views.event_registrations,
        name="partnership-event-registrations",
    ),
    path(
        "<int:pk>/registrations.csv",
        event_views.event_registrations_csv,
        name="partnership-event-registrations-csv",
    ),
]
