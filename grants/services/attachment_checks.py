"""Structure checks for ZIP-based attachments (DOCX, XLSX, ODT, ODS).

``filetype`` recognises these formats from their first bytes only, so any zip with a
``word/`` entry near its start passes for a DOCX. Here the archive is opened and checked
for the parts the format cannot do without, and its integrity is verified, within fixed
bounds on the number of entries and on what is decompressed (a zip bomb is refused from
its central directory, before anything is inflated).
"""

import zipfile
import zlib

from django.utils.translation import gettext as _

from fundapp.core.errors import ValidationFailed

MAX_ENTRIES = 5000
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024  # the sum of the sizes the archive declares
MAX_RATIO = 200  # uncompressed / compressed, for the archive as a whole
READ_CHUNK = 1024 * 1024

# extension -> entries the archive must hold, and the value of its ``mimetype`` entry
ZIP_FORMATS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "docx": (("[Content_Types].xml", "word/document.xml"), None),
    "xlsx": (("[Content_Types].xml", "xl/workbook.xml"), None),
    "odt": (("mimetype", "content.xml"), "application/vnd.oasis.opendocument.text"),
    "ods": (("mimetype", "content.xml"), "application/vnd.oasis.opendocument.spreadsheet"),
}


def _refuse(message: str) -> ValidationFailed:
    return ValidationFailed.on("file", message)


def _not_a_document(extension: str) -> ValidationFailed:
    return _refuse(_("This file is not a valid %(format)s document: it is damaged or "
                     "incomplete.") % {"format": extension.upper()})


def check_zip_structure(uploaded, extension: str) -> None:
    """Raise ValidationFailed unless ``uploaded`` is a sound archive of ``extension``.

    Formats that are not ZIP-based pass untouched. The file is left at position 0.
    """
    if extension not in ZIP_FORMATS:
        return
    required, mimetype = ZIP_FORMATS[extension]
    uploaded.seek(0)
    try:
        with zipfile.ZipFile(uploaded) as archive:
            entries = archive.infolist()
            _check_bounds(entries, uploaded.size)
            names = {info.filename for info in entries}
            if not all(name in names for name in required):
                raise _not_a_document(extension)
            if mimetype is not None:
                with archive.open("mimetype") as part:
                    if part.read(len(mimetype) + 1).strip() != mimetype.encode("ascii"):
                        raise _not_a_document(extension)
            for info in entries:  # every entry inflates and matches its CRC
                _read_through(archive, info)
    except ValidationFailed:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError,
            NotImplementedError, ValueError, KeyError):
        # KeyError, NotImplementedError: a name listed twice, an unknown compression method
        raise _not_a_document(extension) from None
    finally:
        uploaded.seek(0)


def _check_bounds(entries: list[zipfile.ZipInfo], size: int) -> None:
    if len(entries) > MAX_ENTRIES:
        raise _refuse(_("This archive holds too many parts (more than %(n)s).")
                      % {"n": MAX_ENTRIES})
    declared = sum(info.file_size for info in entries)
    if declared > MAX_UNCOMPRESSED_BYTES or declared > MAX_RATIO * max(size, 1):
        raise _refuse(_("This archive would expand to more than we can check "
                        "(%(mb)s MB at most).") % {"mb": MAX_UNCOMPRESSED_BYTES // (1024 * 1024)})


def _read_through(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Inflate one entry, in chunks; zipfile stops at its declared size and checks the CRC."""
    if info.is_dir():
        return
    with archive.open(info) as part:
        while part.read(READ_CHUNK):
            pass
