from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "mercuryhub.review"
    label = "review"
    verbose_name = _("Review, versions and the annual update")

    def ready(self):
        from mercuryhub.accounts.actions import on_organizations_saved
        from mercuryhub.review.indexing import do_reindex_terms, terms_tagged_for
        from mercuryhub.review.organizations import do_index_organizations
        from mercuryhub.search import tags
        from mercuryhub.taxonomy.actions import on_terms_changed

        on_terms_changed(do_reindex_terms)
        # Which tags a word of a query finds entries by (their terms' labels and synonyms).
        tags.register(terms_tagged_for)
        on_organizations_saved(do_index_organizations)
