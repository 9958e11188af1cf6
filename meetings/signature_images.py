"""Signature and seal images: only real raster images, re-encoded by us.

What a browser uploads is never stored or embedded as it came: Pillow decodes
it (PNG or JPEG only, never SVG), checks its size, flattens it onto white
(PDF/A-1 allows no transparency) and writes a fresh PNG.
"""

import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_BYTES = 2 * 1024 * 1024
MAX_SIDE = 2000
MIN_SIDE = 20
ACCEPTED_FORMATS = {"PNG", "JPEG"}


def clean_signature_image(data):
    """PNG bytes of the signature in ``data``, or ValidationError saying why not."""
    if not data:
        raise ValidationError(_("Draw your signature or choose an image of your seal."))
    if len(data) > MAX_BYTES:
        raise ValidationError(_("The image is larger than 2 MB."))
    try:
        with Image.open(io.BytesIO(data)) as probe:
            image_format = probe.format
            width, height = probe.size
            if image_format not in ACCEPTED_FORMATS:
                raise ValidationError(_("Use a PNG or JPEG image."))
            if max(width, height) > MAX_SIDE or min(width, height) < MIN_SIDE:
                raise ValidationError(
                    _("The image must be between %(min)s and %(max)s pixels on each side.")
                    % {"min": MIN_SIDE, "max": MAX_SIDE}
                )
            probe.load()
            rgba = probe.convert("RGBA")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("This file is not a readable PNG or JPEG image.")) from exc
    flat = Image.new("RGB", rgba.size, "white")
    flat.paste(rgba, mask=rgba.getchannel("A"))
    output = io.BytesIO()
    flat.save(output, format="PNG", optimize=True)
    return output.getvalue()
