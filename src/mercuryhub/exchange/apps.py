"""The solution exchange: needs that stakeholders post, the matching engine that proposes who and
what can help and why, offers and introductions between the two sides."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "mercuryhub.exchange"
    label = "exchange"
    verbose_name = _("Solution exchange")

    def ready(self):
        from mercuryhub.catalogue.editor_forms import register_form
        from mercuryhub.exchange.actions import do_post_questionnaire_needs
        from mercuryhub.exchange.forms import NeedForm
        from mercuryhub.exchange.kinds import KIND
        from mercuryhub.exchange.questionnaire import FORM_ID
        from mercuryhub.exchange.sources import register_sources
        from mercuryhub.forms.registry import on_submission_approved
        from mercuryhub.review import registry

        registry.register(KIND)
        register_form("need", NeedForm, _("need"))
        register_sources()
        on_submission_approved(FORM_ID, do_post_questionnaire_needs)
