from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate
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
        post_migrate.connect(_load_validation_criteria, sender=self)


def _load_validation_criteria(sender, apps=global_apps, using="default", **kwargs):
    """The published criteria of case studies come from library/data/case_study_criteria.json
    and are brought in step after every migrate, as Django brings permissions in step: on
    ``serve``, on ``migrate``, and when a test database is created or flushed. Idempotent."""
    try:
        model = apps.get_model("library", "ValidationCriterion")
    except LookupError:
        return  # migrated back before the criteria existed
    from mercuryhub.library.actions import do_load_validation_criteria

    do_load_validation_criteria(model, using=using)
