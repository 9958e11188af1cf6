"""Warn at start-up when the PDF could not print Korean."""

import shutil
import subprocess

from django.core.checks import Warning, register

KOREAN_FONTS = ("NanumMyeongjo", "NanumGothic")


def installed_font_families():
    """Font families fontconfig (and so WeasyPrint) can use; empty if unknown."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return set()
    try:
        listing = subprocess.run(
            [fc_list, "--format", "%{family}\\n"], capture_output=True, text=True, timeout=10
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return set()
    return {family.strip() for line in listing.splitlines() for family in line.split(",")}


@register()
def korean_fonts_check(app_configs, **kwargs):
    missing = [family for family in KOREAN_FONTS if family not in installed_font_families()]
    if not missing:
        return []
    return [
        Warning(
            f"Korean fonts missing for the minutes PDF: {', '.join(missing)}. "
            "Without them every Korean character prints as an empty box.",
            hint="Install Debian's fonts-nanum: sudo apt-get install fonts-nanum "
            "(make run and make test do this).",
            id="meetings.W001",
        )
    ]
