"""Field data: projects with their members and roles, XLSForms converted to XForms and kept by
version, the OpenRosa server that ODK Collect talks to, and the submissions it receives."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FormsConfig(AppConfig):
    name = "mercuryhub.forms"
    label = "forms"
    verbose_name = _("Forms and field data")
