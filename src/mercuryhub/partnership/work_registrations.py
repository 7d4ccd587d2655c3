"""The working groups' workplans and review reports join the review layer's registry and the
catalogue's editing pages."""

from django.utils.translation import gettext_lazy as _


def register():
    from mercuryhub.catalogue.editor_forms import register_form
    from mercuryhub.partnership.work_forms import ReportForm, WorkplanForm
    from mercuryhub.partnership.work_kinds import REPORT, WORKPLAN
    from mercuryhub.review import registry

    registry.register(WORKPLAN)
    registry.register(REPORT)
    register_form("workplan", WorkplanForm, _("workplan"))
    register_form("review_report", ReportForm, _("review report"))
