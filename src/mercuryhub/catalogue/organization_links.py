"""What else an entry's organization has in the catalogue: the facilities an offering's provider
operates, and the offerings of a facility's operator, as each entry's page links them."""

from mercuryhub.catalogue.models import Facility, Offering
from mercuryhub.catalogue.queries import facilities_visible_to, offerings_visible_to


def facilities_of_provider(user, offering: Offering) -> list[Facility]:
    """The facilities the offering's provider operates that ``user`` may see, those already
    listed as using the offering left out."""
    return list(
        facilities_visible_to(user)
        .filter(operator=offering.provider_id)
        .exclude(offerings=offering)
        .select_related("country")
        .order_by("name", "pk")
    )


def offerings_of_operator(user, facility: Facility) -> list[Offering]:
    """The offerings of the facility's operator that ``user`` may see, those already listed as
    used at the facility left out."""
    return list(
        offerings_visible_to(user)
        .filter(provider=facility.operator_id)
        .exclude(facilities=facility)
        .order_by("kind", "name", "pk")
    )
