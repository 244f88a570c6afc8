"""Uploads on documents: size cap, allow-listed types checked by their first bytes,
generated storage names (the client's file name is only displayed), and for
zip-based Office files a cap on the inflated size.
"""

import os
import uuid
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from salesops.core.errors import InvalidInput, NotFound

from .models import Attachment, Document
from .services import joined_atomic, record_event


@dataclass(frozen=True)
class FileKind:
    extension: str
    mime: str
    magic: tuple[bytes, ...]


ALLOWED = {
    "pdf": FileKind("pdf", "application/pdf", (b"%PDF-",)),
    "png": FileKind("png", "image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": FileKind("jpg", "image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": FileKind("jpg", "image/jpeg", (b"\xff\xd8\xff",)),
    "xlsx": FileKind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    "docx": FileKind(
        "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)
    ),
    "xml": FileKind("xml", "application/xml", (b"<?xml", b"\xef\xbb\xbf<?xml", b"<EInvoice")),  # 数电 invoice XML
}


def check_upload(upload: UploadedFile) -> FileKind:
    """Return the file's kind or raise InvalidInput naming the field and the reason."""
    if upload.size is None or upload.size > settings.UPLOAD_MAX_BYTES:
        raise InvalidInput(
            _("The file is too large."),
            fields={"file": [_("At most %(mb)s MB.") % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}]},
        )
    if upload.size == 0:
        raise InvalidInput(_("The file is empty."), fields={"file": [_("The file is empty.")]})
    name = os.path.basename((upload.name or "").replace("\\", "/"))
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = ALLOWED.get(extension)
    if kind is None:
        raise InvalidInput(
            _("This type of file is not accepted."),
            fields={"file": [_("Accepted: PDF, PNG, JPEG, XLSX, DOCX.")]},
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(m) for m in kind.magic):
        raise InvalidInput(
            _("The file's content does not match its name."),
            fields={"file": [_("The file is not a real %(ext)s file.") % {"ext": extension.upper()}]},
        )
    if kind.magic == (b"PK\x03\x04",):
        check_zip_inflation(upload)
    return kind


# A signed scan is a PDF or a picture of the paper (not an Office file).
SCAN_EXTENSIONS = frozenset({"pdf", "png", "jpg"})


def scan_problems(upload, *, missing: str) -> list[str]:
    """What is wrong with the scan of a signed paper (a contract, a customer's receipt), for the
    form's field: missing, not a file we store, or not a PDF or an image. Empty when it is fine."""
    if not isinstance(upload, UploadedFile):
        return [missing]
    try:
        kind = check_upload(upload)
    except InvalidInput as exc:
        return exc.extra["fields"].get("file", [exc.message])
    if kind.extension not in SCAN_EXTENSIONS:
        return [_("The signed scan must be a PDF or an image (PNG, JPEG).")]
    return []


def check_zip_inflation(upload) -> None:
    try:
        with zipfile.ZipFile(upload) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise InvalidInput(_("The file is damaged."), fields={"file": [_("Not a valid Office file.")]}) from exc
    finally:
        upload.seek(0)
    if inflated > settings.XLSX_MAX_UNCOMPRESSED_BYTES:
        raise InvalidInput(_("The file unpacks to too much data."), fields={"file": [_("The file is too large.")]})


def attachment_add(doc: Document, *, actor, upload: UploadedFile, in_scope: bool = False) -> Attachment:
    """Attach ``upload`` to ``doc`` for ``actor``. ``in_scope``: the calling service has just read
    ``doc`` through ``visible_to(actor)`` in this same transaction, so that check is not repeated."""
    # Refuses before it writes: inside a service's transaction it joins it (no savepoint).
    with joined_atomic():
        return _attachment_add(doc, actor=actor, upload=upload, in_scope=in_scope)


def _attachment_add(doc: Document, *, actor, upload: UploadedFile, in_scope: bool) -> Attachment:
    if not in_scope and not type(doc).objects.visible_to(actor).filter(pk=doc.pk).exists():
        raise NotFound(_("Document not found."))
    kind = check_upload(upload)
    original = os.path.basename((upload.name or "").replace("\\", "/"))[:200]
    upload.name = f"{uuid.uuid4().hex}.{kind.extension}"
    attachment = Attachment.objects.create(
        content_type=ContentType.objects.get_for_model(doc),
        object_id=doc.pk,
        file=upload,
        original_name=original,
        mime_type=kind.mime,
        size=upload.size or 0,
        uploaded_by=actor,
    )
    record_event(doc, "attach", actor=actor, from_state=doc.state, to_state=doc.state, comment=original)
    return attachment
