"""Permission-scoped reads of the catalogue: what a person may see, filtered, faceted, ranked,
found near a place. One module per meaning; the names below are the catalogue's reads."""

from mercuryhub.catalogue.queries.facets import (  # noqa: F401
    FACET_MATCHES_LOOKED_UP,
    ActiveFilter,
    Facet,
    FacetValue,
    active_filters,
    facets,
    kind_label,
)
from mercuryhub.catalogue.queries.filters import (  # noqa: F401
    SORTS,
    Filters,
    applies_to,
    check_codes,
    filtered,
    parse_filters,
    split_codes,
)
from mercuryhub.catalogue.queries.finder import (  # noqa: F401
    Found,
    facilities_in_view,
    facility_cells,
    facility_list_count,
    find_facilities,
    nearest_facilities,
    related_facilities,
)
from mercuryhub.catalogue.queries.ranking import (  # noqa: F401
    Hit,
    Results,
    search,
)
from mercuryhub.catalogue.queries.visibility import (  # noqa: F401
    KINDS,
    detailed,
    entries_of_organization,
    experts_visible_to,
    facilities_of_operator,
    facilities_visible_to,
    get_expert_for_user,
    get_facility_for_user,
    get_offering_for_user,
    offerings_visible_to,
    published_counts,
    search_kind,
    search_kinds,
    visible,
    with_codes,
    with_details,
)
