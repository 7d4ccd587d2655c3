"""The versioned JSON API, mounted at /api/v1/; each app contributes its router."""

from ninja import NinjaAPI

from mercuryhub.accounts.api import router as accounts_router
from mercuryhub.asgm.api import router as asgm_router
from mercuryhub.catalogue import editing_api  # noqa: F401 - adds the write operations
from mercuryhub.catalogue.api import router as catalogue_router
from mercuryhub.catalogue.export_api import router as export_router
from mercuryhub.core.api_reference import ApiReference
from mercuryhub.exchange.api import router as exchange_router
from mercuryhub.exchange.matching_api import router as matching_router
from mercuryhub.exchange.offer_api import router as offer_router
from mercuryhub.forms.analysis_api import router as forms_analysis_router
from mercuryhub.forms.api import router as forms_router
from mercuryhub.forms.submission_api import router as submission_router
from mercuryhub.lib.api import JsonBodyParser, install_error_handlers, limit_parameters
from mercuryhub.library.api import router as library_router
from mercuryhub.library.document_api import router as library_documents_router
from mercuryhub.nap.api import router as nap_router
from mercuryhub.nap.assistance_api import router as nap_assistance_router
from mercuryhub.nap.reference_api import router as nap_reference_router
from mercuryhub.nap.review_api import router as nap_review_router
from mercuryhub.partnership.event_api import router as partnership_events_router
from mercuryhub.partnership.project_api import router as partnership_projects_router
from mercuryhub.taxonomy.api import router as taxonomy_router


class MercuryHubAPI(NinjaAPI):
    """Operation ids follow one scheme, ``verb_noun`` (``list_facilities``, ``get_facility``,
    ``create_facility``, ``export_catalogue_csv``), for the method names of generated clients:
    each route's function name, unless the route names its operation itself."""

    def get_openapi_operation_id(self, operation) -> str:
        return operation.view_func.__name__


api = MercuryHubAPI(
    title="MercuryHub API",
    version="1",
    description=(
        "Open data on mercury waste management: the catalogue of facilities, technologies, "
        "services and experts, the knowledge library's resources and case studies, one search "
        "across them and organizations, match previews for a need, the reference "
        "vocabularies, countries and languages, field-data projects and their submissions, the "
        "ASGM baseline's mining sites and national overviews, and the ASGM National Action "
        "Plans: their sections, objectives, actions and stakeholders, each checked against "
        "Annex C of the Minamata Convention, with their schedules and budgets. "
        "Reads are "
        "public; writes need a token (`Authorization: Bearer <token>`) created on your profile "
        "page. Lists take `limit` and `offset` and return `{count, items}`; errors return "
        "`{detail, errors: [{field, message}]}`. Every operation answers in the language asked "
        "for by `?lang=` (`en`, `fr`, `es`, `ru`, `zh`, `ar`) or else the `Accept-Language` "
        "header: the entries' names and descriptions where given in that language (each item "
        "says in `text_languages` which language every text is shown in) and the vocabularies' "
        "labels."
    ),
    urls_namespace="api-v1",
    docs_url="/docs",
    docs=ApiReference(),  # a page of the site, rendered from the schema (core/api_reference.py)
    openapi_url="/openapi.json",
    parser=JsonBodyParser(),
)
install_error_handlers(api)
api.add_router("/", taxonomy_router)
api.add_router("/", accounts_router)
api.add_router("/", catalogue_router)
api.add_router("/", export_router)
api.add_router("/", library_documents_router)
api.add_router("/", library_router)
api.add_router("/", matching_router)
api.add_router("/", offer_router)
api.add_router("/", exchange_router)
api.add_router("/", forms_router)
api.add_router("/", forms_analysis_router)
api.add_router("/", submission_router)
api.add_router("/", asgm_router)
api.add_router("/", nap_router)
api.add_router("/", nap_review_router)
api.add_router("/", nap_assistance_router)
api.add_router("/", nap_reference_router)
api.add_router("/", partnership_events_router)
api.add_router("/", partnership_projects_router)
limit_parameters(router for _prefix, router in api._routers)
