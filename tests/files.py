"""Real files for upload tests: a PDF that parses, office containers, and what must be refused."""

import io
import zipfile

from pypdf import PdfWriter

OOXML_MAIN = {
    "docx": ("word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
    "xlsx": ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
    "docm": ("word/document.xml", "application/vnd.ms-word.document.macroEnabled.main+xml"),
}


def pdf_bytes(*, size: int | None = None, pages: int = 1) -> bytes:
    """A PDF pypdf writes, padded (in its metadata) to exactly `size` bytes when given."""

    def build(padding: int) -> bytes:
        writer = PdfWriter()
        for _ in range(pages):
            writer.add_blank_page(width=595, height=842)
        if padding:
            writer.add_metadata({"/Padding": "0" * padding})
        buffer = io.BytesIO()
        writer.write(buffer)
        return buffer.getvalue()

    content = build(0)
    if size is None:
        return content
    padding = size - len(content)
    for _attempt in range(5):  # offsets written in decimal grow with the padding: converge
        content = build(padding)
        if len(content) == size:
            return content
        padding += size - len(content)
    raise AssertionError(f"cannot build a PDF of exactly {size} bytes")


PDF = pdf_bytes()
NO_PAGE_PDF = pdf_bytes(pages=0)
# The polyglot of issue 14: a PDF header, then a page for a browser.
POLYGLOT = b"%PDF-1.7\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF\n"
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="4"/></svg>'
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64 + b"This program cannot be run in DOS mode."


def ooxml_bytes(kind: str) -> bytes:
    part, content_type = OOXML_MAIN[kind]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/{part}" ContentType="{content_type}"/></Types>',
        )
        archive.writestr(part, "<document/>")
    return buffer.getvalue()


def odf_bytes(mimetype: str = "application/vnd.oasis.opendocument.text") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype)  # first and stored, as ODF asks
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("page.html", HTML)
    return buffer.getvalue()


def broken_ooxml() -> bytes:
    """A .docx whose manifest's compressed bytes are damaged (zlib fails while reading it)."""
    content = bytearray(ooxml_bytes("docx"))
    start = content.find(b"[Content_Types].xml") + len("[Content_Types].xml")
    for index in range(start, start + 20):
        content[index] ^= 0xFF
    return bytes(content)
