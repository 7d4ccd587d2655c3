from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "mercuryhub.library"
    label = "library"
    verbose_name = _("Knowledge library")

    def ready(self):
        from mercuryhub.catalogue.editor_forms import register_form
        from mercuryhub.catalogue.spreadsheets.layouts import register_layout
        from mercuryhub.library.forms import CaseStudyForm, ResourceForm
        from mercuryhub.library.kinds import KINDS
        from mercuryhub.library.layouts import layouts
        from mercuryhub.review import registry

        for kind in KINDS:
            registry.register(kind)
        for layout in layouts():
            register_layout(layout)
        register_form("resource", ResourceForm, _("resource"))
        register_form("case_study", CaseStudyForm, _("case study"))
