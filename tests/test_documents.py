"""Reading officers' documents: every format, made by the tests, and every way a file can be unreadable."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.documents import read_document
from tools.errors import UnreadableFileError


def make_pdf(path: Path, lines: list[str]) -> Path:
    """A one-page PDF whose page shows `lines` in Helvetica (written by hand: no PDF library needed)."""
    shown = " ".join(f"({line}) Tj 0 -16 Td" for line in lines)
    content = f"BT /F1 12 Tf 72 720 Td {shown} ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))
    return path


def encrypt_pdf(source: Path, target: Path, *, user_password: str) -> Path:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="AES-128")
    with target.open("wb") as handle:
        writer.write(handle)
    return target


def make_docx(path: Path) -> Path:
    from docx import Document

    document = Document()
    document.add_heading("Homecare Recommissioning", level=1)
    document.add_paragraph("1 The council will recommission homecare in 2026.")
    table = document.add_table(rows=2, cols=2)
    for row, cells in zip(table.rows, [("Milestone", "Date"), ("Contract award", "March 2026")], strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    document.add_paragraph("2 Providers will be engaged early.")
    document.save(str(path))
    return path


HTML = """<html><head><style>p {color: red}</style><script>var tracking = 1;</script></head><body>
<nav>Home | News</nav><h1>Cabinet Report</h1><p>The envelope is <b>£12m</b>.</p>
<table><tr><th>Year</th><th>Budget</th></tr><tr><td>2025/26</td><td>£6m</td></tr></table>
<footer>Copyright</footer></body></html>"""


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        pytest.param("notes.txt", b"Line one\n\nLine two\n", "Line one\n\nLine two\n", id="txt-utf8"),
        pytest.param("bom.txt", "\ufeffBudget £5m".encode(), "Budget £5m", id="txt-bom"),
        pytest.param("old.txt", "Budget £5m".encode("cp1252"), "Budget £5m", id="txt-windows-1252"),
        pytest.param(
            "notepad.md", "\ufeff# Budget – £5m\r\n".encode("utf-16-le"), "# Budget – £5m\n", id="md-utf-16"
        ),
        pytest.param("paper.md", b"# Title\n\n- a point\n", "# Title\n\n- a point\n", id="markdown"),
    ],
)
def test_text_files(tmp_path: Path, name: str, content: bytes, expected: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert read_document(path) == expected


def test_html_keeps_headings_paragraphs_and_table_rows_but_not_scripts(tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    path.write_text(HTML, encoding="utf-8")
    assert read_document(path) == "Cabinet Report\n\nThe envelope is £12m .\n\nYear\tBudget\n\n2025/26\t£6m"


def test_docx_keeps_paragraphs_and_tables_in_document_order(tmp_path: Path) -> None:
    text = read_document(make_docx(tmp_path / "plan.docx"))
    assert text == (
        "Homecare Recommissioning\n\n1 The council will recommission homecare in 2026.\n\n"
        "Milestone\tDate\nContract award\tMarch 2026\n\n2 Providers will be engaged early."
    )


def test_pdf_text_is_extracted(tmp_path: Path) -> None:
    text = read_document(make_pdf(tmp_path / "paper.pdf", ["Estates pass through cost", "Budget 5m"]))
    assert "Estates pass through cost" in text
    assert "Budget 5m" in text


def test_a_pdf_protected_only_against_editing_is_still_read(tmp_path: Path) -> None:
    plain = make_pdf(tmp_path / "plain.pdf", ["Owner password only"])
    protected = encrypt_pdf(plain, tmp_path / "restricted.pdf", user_password="")
    assert "Owner password only" in read_document(protected)


def _corrupt_pdf(path: Path) -> Path:
    path.write_bytes(b"%PDF-1.4\nthis is not really a pdf\n%%EOF\n")
    return path


def _blank_pdf(path: Path) -> Path:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def _locked_docx(path: Path) -> Path:
    # An encrypted Office file is an OLE compound document, not a zip package.
    path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 504)
    return path


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        pytest.param(lambda d: d / "absent.txt", "no such file", id="missing"),
        pytest.param(lambda d: d, "is a folder; give a file", id="folder"),
        pytest.param(
            lambda d: _write(d / "image.txt", b"\x89PNG\r\n\x1a\n\0\0"), "looks binary", id="binary-text"
        ),
        pytest.param(
            lambda d: _write(d / "sheet.xlsx", b"PK"), "unsupported file type .xlsx", id="unsupported"
        ),
        pytest.param(lambda d: _write(d / "empty.txt", b"  \n"), "has no text", id="empty-text"),
        pytest.param(lambda d: _write(d / "empty.pdf", b""), "is not a readable PDF", id="empty-pdf"),
        pytest.param(lambda d: _corrupt_pdf(d / "corrupt.pdf"), "is not a readable PDF", id="corrupt-pdf"),
        pytest.param(lambda d: _blank_pdf(d / "scan.pdf"), "has no text", id="pdf-without-text"),
        pytest.param(
            lambda d: encrypt_pdf(make_pdf(d / "p.pdf", ["secret"]), d / "locked.pdf", user_password="pw"),
            "password-protected",
            id="password-pdf",
        ),
        pytest.param(lambda d: _locked_docx(d / "locked.docx"), "password-protected", id="password-docx"),
        pytest.param(
            lambda d: _write(d / "broken.docx", b"not a zip"), "not a readable .docx", id="corrupt-docx"
        ),
    ],
)
def test_unreadable_files_name_the_file_and_the_reason(tmp_path: Path, make, reason: str) -> None:  # type: ignore[no-untyped-def]
    path = make(tmp_path)
    with pytest.raises(UnreadableFileError) as caught:
        read_document(path)
    assert reason in caught.value.reason
    assert str(path) in str(caught.value)
    assert "\n" not in str(caught.value)


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
