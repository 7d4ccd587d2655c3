"""Refuse input no database can store before it reaches a view: NUL characters in query
parameters or form fields (PostgreSQL text cannot hold them)."""

from django.http import HttpResponseBadRequest, JsonResponse


class RejectNulCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        bad = _field_with_nul(request)
        if bad is None:
            return self.get_response(request)
        message = f"The parameter {bad[1]!r} contains a NUL character, which is not allowed"
        if request.path.startswith("/api/"):
            return JsonResponse(
                {
                    "detail": message,
                    "errors": [{"field": f"{bad[0]}.{bad[1]}", "message": message}],
                },
                status=400,
            )
        return HttpResponseBadRequest(message)


def _field_with_nul(request) -> tuple[str, str] | None:
    if "\x00" in request.path:
        return ("path", "path")
    for name, values in request.GET.lists():
        if "\x00" in name or any("\x00" in value for value in values):
            return ("query", name.replace("\x00", ""))
    if request.method == "POST" and request.content_type in {
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    }:
        for name, values in request.POST.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                return ("form", name.replace("\x00", ""))
    return None
