"""Signature and seal images: only real raster images, re-encoded by us.

What a browser uploads is never stored or embedded as it came: Pillow decodes
it (PNG or JPEG only, never SVG), checks its size, flattens it onto white
(PDF/A-1 allows no transparency) and writes a fresh PNG.
"""

import contextlib
import io
import threading

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, UnidentifiedImageError

MAX_BYTES = 2 * 1024 * 1024
MAX_SIDE = 2000
MIN_SIDE = 20
ACCEPTED_FORMATS = {"PNG", "JPEG"}


_STRICT = threading.Lock()


@contextlib.contextmanager
def strict_decoding():
    """Pillow refusing truncated images while we decode one.

    WeasyPrint switches Pillow's LOAD_TRUNCATED_IMAGES on for the whole process
    (a web page's broken image should not stop a render), which would let a
    half-uploaded signature through, padded with blank rows. Our own PDFs only
    embed images re-encoded here, so switching it off for this decode is safe.
    """
    with _STRICT:
        previous = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous


def clean_signature_image(data):
    """PNG bytes of the signature in ``data``, or ValidationError saying why not."""
    if not data:
        raise ValidationError(_("Draw your signature or choose an image of your seal."))
    if len(data) > MAX_BYTES:
        raise ValidationError(_("The image is larger than 2 MB."))
    try:
        with strict_decoding(), Image.open(io.BytesIO(data)) as probe:
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
        if image_format == "PNG":
            # Every chunk's checksum, up to the end marker: a cut file fails here.
            with strict_decoding(), Image.open(io.BytesIO(data)) as whole:
                whole.verify()
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
    ) as exc:
        raise ValidationError(_("This file is not a readable PNG or JPEG image.")) from exc
    flat = Image.new("RGB", rgba.size, "white")
    flat.paste(rgba, mask=rgba.getchannel("A"))
    output = io.BytesIO()
    flat.save(output, format="PNG", optimize=True)
    return output.getvalue()
