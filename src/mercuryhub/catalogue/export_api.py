"""Catalogue exports in the API: the entries of one type, filtered like the catalogue search, as
CSV or XLSX in the import layout (docs/import-format.md)."""

from typing import Literal

from django.http import StreamingHttpResponse
from ninja import Field, Query, Router

from mercuryhub.accounts.auth import request_user
from mercuryhub.catalogue.api import CatalogueFilters
from mercuryhub.catalogue.spreadsheets.exporting import (
    CONTENT_TYPES,
    export_file,
    parse_export_request,
)
from mercuryhub.lib.api import ERROR_RESPONSES
from mercuryhub.lib.streams import streamed_download

router = Router(tags=["catalogue exports"])


class ExportQuery(CatalogueFilters):
    """Which entries to export: one type, and the filters of the catalogue search."""

    type: Literal["facility", "offering", "expert"] = Field(
        "facility", description="The type of entries to export"
    )


def _file_response(file_format: str, description: str) -> dict:
    """What the OpenAPI schema says a successful export returns."""
    return {
        "responses": {
            200: {
                "description": description,
                "content": {
                    CONTENT_TYPES[file_format].split(";")[0]: {
                        "schema": {"type": "string", "format": "binary"}
                    }
                },
            }
        }
    }


def _export(request, file_format: str) -> StreamingHttpResponse:
    kind, filters = parse_export_request(request.GET)
    content, filename = export_file(kind, file_format, request_user(request), filters)
    return streamed_download(content, CONTENT_TYPES[file_format], filename)


@router.get(
    "/catalogue/export.csv",
    response={200: None, **ERROR_RESPONSES},
    summary="Export catalogue entries as CSV",
    openapi_extra=_file_response("csv", "A CSV file (UTF-8) in the import layout"),
)
def export_catalogue_csv(request, params: Query[ExportQuery]):
    """The published entries of one type that pass the filters, as CSV with the columns of the
    import layout (lists `;`-separated); importing the file again changes nothing. Expert e-mail
    addresses are never exported."""
    return _export(request, "csv")


@router.get(
    "/catalogue/export.xlsx",
    response={200: None, **ERROR_RESPONSES},
    summary="Export catalogue entries as XLSX",
    openapi_extra=_file_response("xlsx", "An XLSX workbook in the import layout"),
)
def export_catalogue_xlsx(request, params: Query[ExportQuery]):
    """The same entries and columns as the CSV export, as an Excel workbook."""
    return _export(request, "xlsx")
