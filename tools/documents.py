"""Reading officers' documents as plain text: .txt, .md, .pdf, .docx and .html.

PDFs are read with pypdf, Word files with python-docx (paragraphs and tables in document order, table
cells separated by tabs so a table keeps its header row), HTML with Beautiful Soup; text and HTML in any
encoding `tools.textfiles` accepts. A file that cannot be read raises `UnreadableFileError` naming the
file and the reason.
"""

from __future__ import annotations

from pathlib import Path

from tools.errors import UnreadableFileError
from tools.textfiles import check_file, read_text_file

SUPPORTED_SUFFIXES = (".txt", ".md", ".pdf", ".docx", ".html", ".htm")


def read_document(path: Path) -> str:
    """The text of a document, with paragraphs separated by blank lines.

    Raises:
        UnreadableFileError: missing, a folder, empty, binary, too large, corrupt, password-protected or
            of an unsupported type.
    """
    path = Path(path)
    check_file(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnreadableFileError(
            path, f"unsupported file type {suffix or '(none)'}; use one of {', '.join(SUPPORTED_SUFFIXES)}"
        )
    reader = {".pdf": _read_pdf, ".docx": _read_docx, ".html": _read_html, ".htm": _read_html}.get(
        suffix, _read_text
    )
    text = reader(path)
    if not text.strip():
        raise UnreadableFileError(path, "has no text to read (empty, or a scanned image without text)")
    return text


def _read_text(path: Path) -> str:
    return read_text_file(path).text


def _read_pdf(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path)
        # Many published PDFs are encrypted only against editing (empty user password): those read fine.
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableFileError(path, "is password-protected; save an unprotected copy and try again")
        pages = [page.extract_text() or "" for page in reader.pages]
    except UnreadableFileError:
        raise
    except (PdfReadError, ValueError, KeyError, OSError) as error:
        raise UnreadableFileError(path, f"is not a readable PDF ({error})") from None
    return "\n\n".join(pages)


def _read_docx(path: Path) -> str:
    import zipfile

    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        reason = (
            "is password-protected or not a Word .docx file"
            if _is_ole(path)
            else f"is not a readable .docx ({error})"
        )
        raise UnreadableFileError(path, reason) from None
    blocks: list[str] = []
    for item in document.iter_inner_content():
        if hasattr(item, "rows"):
            rows = ["\t".join(cell.text.strip() for cell in row.cells) for row in item.rows]
            blocks.append("\n".join(rows))
        elif item.text.strip():
            blocks.append(item.text.strip())
    return "\n\n".join(blocks)


def _is_ole(path: Path) -> bool:
    # Password-protected Office files are OLE compound documents, not zip packages.
    with path.open("rb") as handle:
        return handle.read(8) == bytes.fromhex("d0cf11e0a1b11ae1")


def _read_html(path: Path) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(_read_text(path), "html.parser")
    for tag in soup(["script", "style", "nav", "footer"]):
        tag.decompose()
    blocks = []
    for element in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "tr"]):
        if element.name == "tr":
            text = "\t".join(cell.get_text(" ", strip=True) for cell in element.find_all(["th", "td"]))
        else:
            text = element.get_text(" ", strip=True)
        if text:
            blocks.append(text)
    return "\n\n".join(blocks) if blocks else soup.get_text("\n", strip=True)
