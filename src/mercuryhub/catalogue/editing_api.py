"""Writing to the catalogue through the API: drafts, edits checked against the version they
started from, submission, and the secretariat's decisions. Token authentication; the same
permissions as the web."""

from ninja import Field

from mercuryhub.catalogue.api import router
from mercuryhub.review import registry
from mercuryhub.review.editing_api import register_editing_routes, texts_in

# The same router as the reads: one path, several methods (GET public, PATCH and DELETE with a
# token) must live in one place for the URL to answer them all.
TAGS = ["catalogue editing"]


class FacilityIn(texts_in(registry.get("facility"))):
    external_id: str | None = None
    name: str | None = None
    operator: str | None = Field(None, description="Organization slug or exact name")
    country: str | None = Field(None, description="ISO 3166-1 alpha-3")
    city: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    coordinates_precision: str | None = None
    status: str | None = None
    accepted_wastes: list[str] | None = None
    phases: list[str] | None = None
    technologies: list[str] | None = None
    languages: list[str] | None = None
    capacity: str | None = None
    capacity_tonnes_per_year: float | None = None
    permits: str | None = None
    accepts_foreign_waste: bool | None = None
    contact_route: str | None = None
    website: str | None = None
    source: str | None = None
    description: str | None = None


class OfferingIn(texts_in(registry.get("offering"))):
    external_id: str | None = None
    name: str | None = None
    provider: str | None = Field(None, description="Organization slug or exact name")
    kind: str | None = Field(None, description="technology, equipment or service")
    waste_categories: list[str] | None = None
    phases: list[str] | None = None
    technologies: list[str] | None = None
    support_types: list[str] | None = None
    countries_served: list[str] | None = None
    regions_served: list[str] | None = None
    languages: list[str] | None = None
    website: str | None = None
    source: str | None = None
    description: str | None = None


class ExpertIn(texts_in(registry.get("expert"))):
    external_id: str | None = None
    name: str | None = None
    organization: str | None = Field(
        None, description="Organization slug; none to nominate yourself"
    )
    email: str | None = None
    country: str | None = None
    languages: list[str] | None = None
    waste_categories: list[str] | None = None
    phases: list[str] | None = None
    support_types: list[str] | None = None
    nap_elements: list[str] | None = None
    countries_of_experience: list[str] | None = None
    biography: str | None = None
    consent_to_publication: bool | None = None
    website: str | None = None
    source: str | None = None


class FacilityPatch(FacilityIn):
    version: int = Field(..., ge=0, description="The version your changes start from")


class OfferingPatch(OfferingIn):
    version: int = Field(..., ge=0, description="The version your changes start from")


class ExpertPatch(ExpertIn):
    version: int = Field(..., ge=0, description="The version your changes start from")


def _register(plural: str, kind: str, schema_in, schema_patch) -> None:
    label = plural[:-1] if plural != "facilities" else "facility"
    register_editing_routes(router, plural, kind, schema_in, schema_patch, label=label, tags=TAGS)


_register("facilities", "facility", FacilityIn, FacilityPatch)
_register("offerings", "offering", OfferingIn, OfferingPatch)
_register("experts", "expert", ExpertIn, ExpertPatch)
