"""The name scan: no real name the public version masks reaches a public answer.

The public version of the minutes (meetings.minutes.public_content) masks
the name of everybody in the record (the roster, the attendees, the signature
block, every speaker: the content's ``redact`` list) wherever the remarks
print it: speaker headings read <000위원>, <위원장>, and a name inside a
statement or a resolution's question becomes 000. Two places keep names, as
published minutes do (see the reference): the attendance list of 〈회의개요〉
and the signature block (with the signature record of the sealed PDF). So a
scan has two strengths:

- ``assert_no_real_names(text, real_names_masked_in(meeting))`` on anything
  that is not those two lists: search snippets, API statements and headings,
  CSV rows, lists of minutes, and a minutes page or PDF once the lists are
  taken out (``outside_name_lists``, ``pdf_outside_name_lists``);
- ``assert_no_real_names(text, names_never_printed(meeting))`` on a whole
  answer: the masked names the public version prints nowhere at all (an
  absent member, a speaker covered by a group entry such as 담당 팀장 등).

Other helpers (search, API) use the same functions on their own answers.
"""

import io
import re

import lxml.html
import pypdfium2
from django.utils import translation

from meetings.minutes import public_content
from meetings.models import MinutesVersion, Signature

# Where the minutes page prints names on purpose (templates/meetings/_overview.html,
# _signature_block.html): the attendance list and the signature block.
NAME_LIST_IDS = ("signature-block", "overview-external", "overview-internal", "overview-attendees")


def published_content(meeting):
    """The internal content of the version ``meeting`` shows the public."""
    return MinutesVersion.objects.published().get(meeting=meeting).content_data()


def real_names_masked_in(meeting):
    """Every real name the public version of ``meeting`` masks, longest first."""
    names = published_content(meeting)["redact"]
    assert names, "the published version names nobody: the scan would prove nothing"
    return sorted(names, key=len, reverse=True)


def names_never_printed(meeting):
    """The masked names that the public version prints nowhere, not even in its lists."""
    content = published_content(meeting)
    public = public_content(content)
    attendance = public["attendance"]
    printed = " / ".join(
        [
            *attendance["external"],
            *(member["name"] for member in attendance["internal"]),
            *attendance["non_members"],
            *(signatory["name"] for signatory in public["signature_block"]),
        ]
    )
    never = [name for name in content["redact"] if name not in printed]
    return sorted(never, key=len, reverse=True)


def signer_addresses(meeting):
    """The IP addresses recorded with the signatures of ``meeting``: never public."""
    return sorted(
        {
            str(address)
            for address in Signature.objects.filter(version__meeting=meeting).values_list(
                "ip_address", flat=True
            )
            if address
        }
    )


def found_names(text, names):
    """{name: the text around its first occurrence} for each of ``names`` in ``text``."""
    found = {}
    for name in names:
        at = text.find(name)
        if at >= 0:
            found[name] = text[max(0, at - 30) : at + len(name) + 30].replace("\n", " ")
    return found


def assert_no_real_names(text, names, *, where="the answer"):
    """Fails naming each real name found in ``text`` and where it stands."""
    assert names, "no names to look for: the scan would prove nothing"
    found = found_names(text, names)
    assert not found, f"real names in {where}: " + "; ".join(
        f"{name!r} in …{around}…" for name, around in found.items()
    )


# --- the readable text of an answer ----------------------------------------------------


def page_text(html):
    """The text a reader sees on an HTML page (no markup, attributes or scripts)."""
    tree = lxml.html.fromstring(html)
    for element in tree.xpath("//script | //style"):
        element.drop_tree()
    return " ".join(tree.text_content().split())


def outside_name_lists(html):
    """The page's text without the attendance list and the signature block."""
    tree = lxml.html.fromstring(html)
    for element_id in NAME_LIST_IDS:
        for element in tree.xpath(f'//*[@id="{element_id}"]'):
            element.drop_tree()
    for element in tree.xpath("//script | //style"):
        element.drop_tree()
    return " ".join(tree.text_content().split())


def pdf_text(pdf):
    """The text layer of a PDF (pypdfium2), pages joined, lines as spaces."""
    document = pypdfium2.PdfDocument(io.BytesIO(pdf))
    try:
        pages = [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()
    return " ".join(" ".join(pages).split())


def pdf_outside_name_lists(pdf):
    """The PDF's text from the order of proceedings (after the attendance list) to the
    signature record (which names the signers): outline, agenda, resolutions, remarks."""
    text = pdf_text(pdf)
    with translation.override("ko"):
        start_label = translation.gettext("Order of proceedings")
        end_label = translation.gettext("Signature record")
    start = text.index(f"◆ {start_label}")
    end = text.find(end_label, start)
    return text[start : end if end >= 0 else len(text)]


MASKED_HEADING = re.compile(r"^(?:000\S+|위원장|부위원장|간사|위원)$")
