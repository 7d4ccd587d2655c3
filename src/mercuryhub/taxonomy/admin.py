from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from mercuryhub.taxonomy.actions import do_save_term
from mercuryhub.taxonomy.models import Country, Language, Term, Vocabulary


class NamedValuesListFilter(admin.AllValuesFieldListFilter):
    """A filter on a text field's values that leaves out the empty one, which would be a link
    without a name (countries outside any UN region, such as Antarctica)."""

    def choices(self, changelist):
        for choice in super().choices(changelist):
            if choice["display"] != "":
                yield choice


class TermInline(admin.TabularInline):
    model = Term
    extra = 0
    fields = ["code", "label", "parent", "position"]
    show_change_link = True


@admin.register(Vocabulary)
class VocabularyAdmin(admin.ModelAdmin):
    list_display = ["label", "name", "hierarchical"]
    search_fields = ["name", "label"]
    inlines = [TermInline]

    def save_formset(self, request, form, formset, change):
        """Terms are saved through the taxonomy's action, so that search follows their labels."""
        for term in formset.save(commit=False):
            changed = next((f.changed_data for f in formset.forms if f.instance is term), [])
            do_save_term(term, changed if term.pk else ["label"])
        for term in formset.deleted_objects:
            term.delete()
        formset.save_m2m()


@admin.register(Term)
class TermAdmin(SimpleHistoryAdmin):
    list_display = ["label", "code", "vocabulary", "parent"]
    list_filter = ["vocabulary"]
    search_fields = ["code", "label"]

    def save_model(self, request, obj, form, change):
        """Through the taxonomy's action, so that search follows the new label or synonyms."""
        do_save_term(obj, form.changed_data)


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["name", "iso3", "iso2", "numeric", "region", "subregion"]
    list_filter = ["region", "subregion"]
    search_fields = ["name", "iso3", "iso2", "official_name"]


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "iso3", "is_un_language"]
    list_filter = ["is_un_language"]
    search_fields = ["name", "code", "iso3"]
