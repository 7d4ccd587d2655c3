"""Real documents made for the tests with the libraries that write each format: fpdf2 for PDF,
python-docx, openpyxl and python-pptx for the Office formats."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile


def pdf_bytes(*pages: str) -> bytes:
    from fpdf import FPDF

    document = FPDF()
    document.set_font("helvetica", size=12)
    for text in pages or ("Mercury waste management",):
        document.add_page()
        document.multi_cell(0, 10, text)
    return bytes(document.output())


def encrypted_pdf_bytes(text: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(text))))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_bytes(text: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Amalgam separators", level=1)
    document.add_paragraph(text)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Clinic"
    table.rows[0].cells[1].text = "Kumasi"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes(text: str) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.title = "Inventory"
    workbook.active.append(["Waste", "Tonnes"])
    workbook.active.append([text, 12.5])
    workbook.create_sheet("Notes").append(["Collected in 2024"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def pptx_bytes(text: str) -> bytes:
    import pptx

    presentation = pptx.Presentation()
    for title in ("Training for miners", text):
        slide = presentation.slides.add_slide(presentation.slide_layouts[1])
        slide.shapes.title.text = title
        slide.placeholders[1].text = "Retorts recover mercury"
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def zip_bomb_docx() -> bytes:
    """A Word document with a part of 200 MB of zeros, a few hundred kilobytes compressed."""
    out = io.BytesIO(docx_bytes("bomb"))
    with (
        zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/media/zeros.bin", "w", force_zip64=True) as member,
    ):
        block = b"\0" * (1024 * 1024)
        for _ in range(200):
            member.write(block)
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)
