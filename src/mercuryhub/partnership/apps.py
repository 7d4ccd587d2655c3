"""Partnership operations: the partners of the Global Mercury Partnership, its working groups
(membership, leaders, workplans and their endorsements, yearly review reports), its events
(meetings, webinars, workshops, with registration and an iCal feed), the mercury waste and ASGM
projects its partners ran, and the digest e-mailed to partners."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipConfig(AppConfig):
    name = "mercuryhub.partnership"
    label = "partnership"
    verbose_name = _("Partnership operations")

    def ready(self):
        # Each part registers its kinds of entry with the review layer (and its sources with
        # the matching engine) in its own module; see ``registrations.py``.
        from mercuryhub.partnership import registrations

        registrations.register_all()
