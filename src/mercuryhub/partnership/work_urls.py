"""The routes of the working groups' work (workplans, review reports) and of the partners'
digest."""

from django.urls import path

from mercuryhub.partnership import digest_views, work_views

urlpatterns = [
    path("workplans/<int:pk>/", work_views.workplan_detail, name="partnership-workplan-detail"),
    path(
        "workplans/<int:pk>/endorse/",
        work_views.workplan_endorse,
        name="partnership-workplan-endorse",
    ),
    path("reports/<int:pk>/", work_views.report_detail, name="partnership-report-detail"),
    path("reports/open/", work_views.reports_open, name="partnership-reports-open"),
    path("digest/", digest_views.digest_preference, name="partnership-digest-preference"),
    path(
        "digest/unsubscribe/<str:token>/",
        digest_views.digest_unsubscribe,
        name="partnership-digest-unsubscribe",
    ),
]
