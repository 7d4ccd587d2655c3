"""Artisanal and small-scale gold mining: the mining sites that approved baseline submissions
describe, the worst practices and the mercury use derived from them, and the national overview
a National Action Plan's baseline needs (Minamata Convention, Annex C 1(b) and 1(d))."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AsgmConfig(AppConfig):
    name = "mercuryhub.asgm"
    label = "asgm"
    verbose_name = _("Artisanal and small-scale gold mining")

    def ready(self):
        from mercuryhub.asgm.actions import do_record_site_from_submission
        from mercuryhub.asgm.baseline import FORM_ID
        from mercuryhub.forms.registry import on_submission_approved

        on_submission_approved(FORM_ID, do_record_site_from_submission)
