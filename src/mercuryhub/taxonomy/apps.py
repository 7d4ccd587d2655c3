from django.apps import AppConfig
from django.core.signals import request_finished, request_started
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class TaxonomyConfig(AppConfig):
    name = "mercuryhub.taxonomy"
    label = "taxonomy"
    verbose_name = _("Reference data")

    def ready(self):
        from mercuryhub.taxonomy.actions import REFERENCE_MODELS, do_mark_reference_changed
        from mercuryhub.taxonomy.queries import end_request, start_request

        # A request reads the reference data's change mark once (taxonomy.queries.kept).
        request_started.connect(start_request, dispatch_uid="reference-mark-start")
        request_finished.connect(end_request, dispatch_uid="reference-mark-end")

        # Every save and deletion, from the loaders, the administration or a fixture.
        for model in REFERENCE_MODELS:
            post_save.connect(do_mark_reference_changed, sender=model, dispatch_uid=f"mark-{model}")
            post_delete.connect(
                do_mark_reference_changed, sender=model, dispatch_uid=f"unmark-{model}"
            )
