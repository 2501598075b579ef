"""Photo checks: a real image (opened by Pillow) of an accepted type, not too large."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


def max_bytes() -> int:
    return int(getattr(settings, "TONGBAN_PHOTO_MAX_BYTES", 5 * 1024 * 1024))


def check_photo(upload: Any) -> str:
    """The photo's content type; ValidationError on the ``photos`` field otherwise."""
    name = getattr(upload, "name", "") or ""
    if upload.size > max_bytes():
        raise ValidationError(
            {
                "photos": _("照片“%(name)s”超过 %(mb)s MB，请压缩后重新上传")
                % {"name": name, "mb": max_bytes() // (1024 * 1024)}
            },
            code="too_large",
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            {"photos": _("文件“%(name)s”不是有效的图片") % {"name": name}}, code="not_image"
        ) from exc
    finally:
        upload.seek(0)
    if kind not in FORMATS:
        raise ValidationError(
            {
                "photos": _("照片“%(name)s”的格式不受支持，请上传 JPEG、PNG 或 WebP")
                % {"name": name}
            },
            code="format",
        )
    return FORMATS[kind]
