"""The factsheets per waste category: their index, each factsheet's page and its Word document."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from mercuryhub.library import factsheets
from mercuryhub.library.factsheet_docx import factsheet_docx as build_docx

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def factsheet_index(request):
    return render(request, "library/factsheet_index.html", {"categories": factsheets.categories()})


def factsheet(request, code):
    sheet = factsheets.factsheet(code, request.user)
    return render(
        request,
        "library/factsheet.html",
        {"sheet": sheet, "world_path": factsheets.world_path()},
    )


def factsheet_docx(request, code):
    sheet = factsheets.factsheet(code, request.user)
    address = request.build_absolute_uri(reverse("library-factsheet", args=[sheet.term.code]))
    content = build_docx(sheet, timezone.now(), address)
    response = HttpResponse(content, content_type=DOCX)
    filename = f"mercuryhub-factsheet-{sheet.term.code}-{get_language() or 'en'}.docx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
