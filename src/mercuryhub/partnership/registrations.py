"""What the Partnership's parts register with the layers below them, called once from
``PartnershipConfig.ready``: its kinds of entry with the review layer's registry (workplans,
review reports, events, projects) and its sources with the matching engine. Each part adds its
own line here."""


def register_all():
    _register_projects()


def _register_projects():
    from django.utils.translation import gettext_lazy as _

    from mercuryhub.catalogue.editor_forms import register_form
    from mercuryhub.catalogue.spreadsheets.layouts import register_layout
    from mercuryhub.exchange import matching
    from mercuryhub.partnership.project_forms import ProjectForm
    from mercuryhub.partnership.project_kind import KIND
    from mercuryhub.partnership.project_layout import project_layout
    from mercuryhub.partnership.project_sources import PROJECTS
    from mercuryhub.review import registry

    registry.register(KIND)
    register_layout(project_layout())
    register_form("project", ProjectForm, _("project"))
    matching.register(PROJECTS)
