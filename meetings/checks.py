"""Warn at start-up when the PDF could not print Korean."""

import shutil
import subprocess

from django.core.checks import Error, Warning, register

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


@register(deploy=True)
def organisation_seal_check(app_configs, **kwargs):
    """What would stop sealing signed minutes in production (manage.py check --deploy)."""
    from .sealing import seal_problems

    return [Error(str(problem), hint=SEAL_HINT, id="meetings.E002") for problem in seal_problems()]


SEAL_HINT = (
    "Set DJANGO_SITE_URL to the site's public https address, and MINUTES_SEAL_FILE with "
    "MINUTES_SEAL_PASSWORD or MINUTES_SEAL_PASSWORD_FILE to the organisation's seal "
    "(README: Organisation seal)."
)
