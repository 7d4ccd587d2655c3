from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "mercuryhub.search"
    label = "search"
    verbose_name = _("Search index")

    def ready(self):
        post_migrate.connect(_drop_orphans, sender=self)


def _drop_orphans(sender, using="default", **kwargs):
    # Emptying the tables (flush) leaves the SQLite full-text table alone: clear what it kept.
    from mercuryhub.search.engine import do_drop_orphans

    do_drop_orphans(using)
