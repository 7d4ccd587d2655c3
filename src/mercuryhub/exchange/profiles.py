"""What a need says about itself, for matching: a ``Profile`` from the fields of a need (the
preview, without an account) or from a posted need."""

from dataclasses import dataclass

from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.taxonomy.models import Country, Language, Term
from mercuryhub.taxonomy.queries import resolve_country, resolve_terms

# The need's dimensions of subject, each with its vocabulary.
DIMENSIONS = {
    "waste_categories": "waste_categories",
    "phases": "management_phases",
    "support_types": "support_types",
}


@dataclass(frozen=True)
class Profile:
    """What a need says about itself, for matching."""

    title: str = ""
    description: str = ""
    country: Country | None = None
    waste_categories: tuple[Term, ...] = ()
    phases: tuple[Term, ...] = ()
    support_types: tuple[Term, ...] = ()
    languages: tuple[Language, ...] = ()

    @property
    def text(self) -> str:
        return f"{self.title} {self.description}".strip()

    def is_empty(self) -> bool:
        return not (
            self.text
            or self.country
            or self.waste_categories
            or self.phases
            or self.support_types
            or self.languages
        )


def profile_from_data(data: dict) -> Profile:
    """A profile from the fields of a need (codes), or InvalidInputError naming each bad field;
    at least one field must be given."""
    errors: dict[str, str] = {}
    values: dict = {}
    for name in ("title", "description"):
        value = data.get(name) or ""
        if not isinstance(value, str):
            errors[name] = "Give text"
        else:
            values[name] = value.strip()
    if data.get("country"):
        try:
            values["country"] = resolve_country(data["country"])
        except InvalidInputError as error:
            errors.update(error.errors)
    for name, vocabulary in DIMENSIONS.items():
        try:
            values[name] = tuple(resolve_terms(vocabulary, data.get(name) or [], field=name))
        except InvalidInputError as error:
            errors.update(error.errors)
    codes = [code.strip().lower() for code in data.get("languages") or [] if code.strip()]
    found = {language.code: language for language in Language.objects.filter(code__in=codes)}
    unknown = [code for code in codes if code not in found]
    if unknown:
        errors["languages"] = (
            f"Unknown language code{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(map(repr, unknown))}; use ISO 639-1 codes such as fr or ar"
        )
    values["languages"] = tuple(found[code] for code in dict.fromkeys(codes) if code in found)
    if errors:
        raise InvalidInputError(errors)
    profile = Profile(**values)
    if profile.is_empty():
        raise InvalidInputError(
            {
                "need": "Say something about the need: a title, a description, a country, a "
                "waste category, a phase, a type of support or a language"
            }
        )
    return profile


def profile_of(need) -> Profile:
    """The profile of a posted need (or any entry with a need's fields), in its own words."""
    return Profile(
        title=need.name,
        description=need.description,
        country=need.country,
        waste_categories=tuple(need.waste_categories.all()),
        phases=tuple(need.phases.all()),
        support_types=tuple(need.support_types.all()),
        languages=tuple(need.languages.all()),
    )
