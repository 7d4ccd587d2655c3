"""The OpenRosa server ODK Collect talks to, at a project's key address
(``/v1/key/<token>/projects/<slug>/``, as ODK Central's app users have): the form list, each
form's XForm, manifest and media files, and the submission endpoint (HEAD, then multipart POST).

Every answer carries ``X-OpenRosa-Version: 1.0`` and ``Date``; errors are OpenRosa response
bodies with a message Collect shows, turned from the domain's exceptions in one place
(``_openrosa``)."""

import functools
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.urls import reverse
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from mercuryhub.forms import actions, queries
from mercuryhub.forms.instances import FIELD
from mercuryhub.lib.errors import InvalidInputError, StateError
from mercuryhub.lib.ratelimit import count_within

RESPONSE_NS = "http://openrosa.org/http/response"
XFORMS_LIST_NS = "http://openrosa.org/xforms/xformsList"
MANIFEST_NS = "http://openrosa.org/xforms/xformsManifest"
XML_TYPE = "text/xml; charset=utf-8"


def _headers(response: HttpResponse) -> HttpResponse:
    response["X-OpenRosa-Version"] = "1.0"
    response["Date"] = http_date()
    return response


def message_response(status: int, message: str, *, accept_length: bool = False) -> HttpResponse:
    """An OpenRosa response body (``<OpenRosaResponse>`` with its message) and headers."""
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<OpenRosaResponse xmlns="{RESPONSE_NS}">'
        f'<message nature="{"submit_success" if status < 300 else "error"}">'
        f"{escape(message)}</message></OpenRosaResponse>"
    )
    response = _headers(HttpResponse(body, status=status, content_type=XML_TYPE))
    if accept_length:
        response["X-OpenRosa-Accept-Content-Length"] = str(settings.FORMS_MAX_SUBMISSION_BYTES)
    return response


def _openrosa(view):
    """The key's app user for the view, and the one place where the domain's errors become
    OpenRosa responses."""

    @functools.wraps(view)
    def wrapped(request, token, slug, *args, **kwargs):
        accept_length = view.__name__ == "submission"
        try:
            app_user = queries.get_app_user_for_key(token, slug)
            response = view(request, app_user, *args, **kwargs)
        except InvalidInputError as error:
            message = " ".join(error.errors.values())
            return message_response(400, message, accept_length=accept_length)
        except Http404 as error:
            return message_response(404, str(error) or _("Not found."), accept_length=accept_length)
        except PermissionDenied as error:
            return message_response(403, str(error), accept_length=accept_length)
        except StateError as error:
            return message_response(409, str(error), accept_length=accept_length)
        return _headers(response)

    return wrapped


def _address(request, name: str, app_user, *args) -> str:
    return request.build_absolute_uri(
        reverse(name, args=[app_user.token, app_user.project.slug, *args])
    )


@require_safe
@_openrosa
def form_list(request, app_user):
    items = []
    for form in queries.forms_listed_to(app_user):
        version = form.current_version
        manifest = ""
        if version.media.all():
            url = _address(request, "forms-openrosa-manifest", app_user, form.xml_form_id)
            manifest = f"<manifestUrl>{escape(url)}</manifestUrl>"
        download = _address(request, "forms-openrosa-form", app_user, form.xml_form_id)
        items.append(
            f"<xform><formID>{escape(form.xml_form_id)}</formID>"
            f"<name>{escape(form.title)}</name>"
            f"<version>{escape(version.version)}</version>"
            f"<hash>{escape(version.hash)}</hash>"
            f"<downloadUrl>{escape(download)}</downloadUrl>{manifest}</xform>"
        )
    body = f'<?xml version="1.0" encoding="UTF-8"?>\n<xforms xmlns="{XFORMS_LIST_NS}">'
    return HttpResponse(body + "".join(items) + "</xforms>", content_type=XML_TYPE)


@require_safe
@_openrosa
def form_xml(request, app_user, xml_form_id):
    form = queries.get_form_for_app_user(app_user, xml_form_id)
    response = HttpResponse(form.current_version.xml, content_type=XML_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{xml_form_id}.xml"'
    return response


@require_safe
@_openrosa
def manifest(request, app_user, xml_form_id):
    form = queries.get_form_for_app_user(app_user, xml_form_id)
    files = "".join(
        f"<mediaFile><filename>{escape(media.name)}</filename>"
        f"<hash>md5:{media.md5}</hash>"
        "<downloadUrl>"
        + escape(_address(request, "forms-openrosa-media", app_user, xml_form_id, media.name))
        + "</downloadUrl></mediaFile>"
        for media in form.current_version.media.all()
    )
    body = f'<?xml version="1.0" encoding="UTF-8"?>\n<manifest xmlns="{MANIFEST_NS}">'
    return HttpResponse(body + files + "</manifest>", content_type=XML_TYPE)


@require_safe
@_openrosa
def media_file(request, app_user, xml_form_id, name):
    media = queries.get_media_for_app_user(app_user, xml_form_id, name)
    return FileResponse(
        media.file.open("rb"), content_type=media.content_type, as_attachment=True, filename=name
    )


@csrf_exempt
@require_http_methods(["HEAD", "POST"])
@_openrosa
def submission(request, app_user):
    """HEAD: 204 and the largest request accepted. POST: the multipart request Collect sends
    (``xml_submission_file`` and the attachments), 201 when stored, 202 when received already."""
    if request.method == "HEAD":
        response = HttpResponse(status=204)
        response["X-OpenRosa-Accept-Content-Length"] = str(settings.FORMS_MAX_SUBMISSION_BYTES)
        return response
    if (
        count_within(f"openrosa-submission:{app_user.pk}", 60)
        > settings.FORMS_SUBMISSIONS_PER_MINUTE
    ):
        # Collect keeps the submission and sends it again later.
        response = message_response(
            429,
            _("Too many submissions from this device in a minute: they will be sent again."),
        )
        response["Retry-After"] = "60"
        return response
    if _request_size(request) > settings.FORMS_MAX_SUBMISSION_BYTES:
        return message_response(
            413,
            _(
                "The submission is larger than the %(limit)d bytes accepted: send its "
                "attachments in smaller batches."
            )
            % {"limit": settings.FORMS_MAX_SUBMISSION_BYTES},
            accept_length=True,
        )
    xml_file = request.FILES.get(FIELD)
    if xml_file is None:
        raise InvalidInputError(
            {FIELD: _("The request has no xml_submission_file part (the instance XML).")}
        )
    attachments = [
        upload for key, uploads in request.FILES.lists() if key != FIELD for upload in uploads
    ]
    _submission, created = actions.do_receive_submission(
        app_user.project,
        xml_file.read(),
        attachments,
        app_user=app_user,
        device_id=request.GET.get("deviceID", ""),
    )
    if created:
        return message_response(201, _("Form received."), accept_length=True)
    return message_response(202, _("Submission already received."), accept_length=True)


def _request_size(request) -> int:
    """The request's declared length, or (sent in chunks) what its files come to."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    return declared or sum(upload.size for upload in request.FILES.values())
