"""Uploading files to the library through the API: ``POST /documents`` (multipart, with a
token) stores a checked file whose id a resource or case study then takes as ``document``;
``GET /documents/{id}`` says how far the reading of its text is."""

from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from mercuryhub.accounts.auth import request_user, token_auth
from mercuryhub.lib.api import ERROR_RESPONSES, ApiError, ErrorBody
from mercuryhub.library import actions, queries
from mercuryhub.library.documents import FileTooLargeError

router = Router(tags=["library files"])


class DocumentOut(Schema):
    id: int
    name: str
    type: str
    content_type: str
    size: int
    pages: int | None
    sha256: str
    extraction: str
    extraction_label: str
    progress: int
    extraction_error: str
    url: str


@router.post(
    "/documents",
    auth=token_auth,
    response={201: DocumentOut, 413: ErrorBody, **ERROR_RESPONSES},
    summary="Upload a file to the library",
)
def create_document(request, file: File[UploadedFile]):
    """A PDF, Word (DOCX), Excel (XLSX), PowerPoint (PPTX) or plain UTF-8 text file, sent as
    multipart form data in the field `file`. Its type is checked from its content; a corrupt,
    encrypted, disguised file answers 422 and a file over the size limit 413, naming the
    problem, and nothing is kept. A small file's text is read at once (`extraction` is `done`);
    a larger one's is read in the background: follow it with `GET /documents/{id}`. Give the
    `id` as `document` to a resource or case study."""
    try:
        document = actions.do_upload_document(request.auth, file)
    except FileTooLargeError as error:
        raise ApiError(
            413, error.errors["file"], [{"field": "file", "message": error.errors["file"]}]
        ) from None
    return Status(201, queries.document_data(document))


@router.get(
    "/documents/{document_id}",
    response={200: DocumentOut, **ERROR_RESPONSES},
    summary="A library file and the reading of its text",
)
def get_document(request, document_id: int):
    """The file's type, size and pages, and how far the reading of its text is (`extraction`:
    `pending`, `running`, `done` or `failed` with `extraction_error`; `progress` 0 to 100).
    Files of published entries are public; others only for their uploader, the entries'
    editors and the secretariat."""
    return queries.document_data(queries.get_document_for_user(request_user(request), document_id))
