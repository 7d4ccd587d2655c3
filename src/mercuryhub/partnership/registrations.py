"""What the Partnership's parts register with the layers below them, called once from
``PartnershipConfig.ready``: its kinds of entry with the review layer's registry (workplans,
review reports, events, projects) and its sources with the matching engine. Each part adds its
own line here."""


def register_all():
    from mercuryhub.partnership import work_registrations

    work_registrations.register()
    _register_events()
    _register_projects()


def _register_events():
    """Events: a kind of the review layer, its editing form, its spreadsheet layout."""
    from django.utils.translation import gettext_lazy as _

    from mercuryhub.catalogue.editor_forms import register_form
    from mercuryhub.catalogue.spreadsheets.layouts import register_layout
    from mercuryhub.partnership.event_forms import EventForm
    from mercuryhub.partnership.event_kinds import KIND
    from mercuryhub.partnership.event_layouts import event_layout
    from mercuryhub.review import registry

    registry.register(KIND)
    register_form("event", EventForm, _("event"))
    register_layout(event_layout())


def _register_projects():
    """Projects: a kind of the review layer, its spreadsheet layout, its editing form, and a
    source of the matching engine."""
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
