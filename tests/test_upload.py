"""회의록 파일에서 가져오기: an uploaded TXT, PDF, HWPX or HWP file becomes a draft.

The file is read by its content (agenda/uploads.py), held on the server for
its uploader while the preview shows what the import would make of it, and
the draft is created by the same code as the command, with the values the
secretary corrected in the preview's form.
"""

import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agenda.importing import import_minutes
from agenda.uploads import UnreadableFile, extract_text
from committees.models import Committee
from meetings.minutes import minutes_content
from meetings.models import Job, Meeting, MeetingCheck
from meetings.pdf import render_minutes_pdf

from .reference import REFERENCE

pytestmark = pytest.mark.django_db

needs_reference = pytest.mark.skipif(not REFERENCE.exists(), reason="no reference document")

# Invented minutes in the ○-transcript convention, with the world's people.
TRANSCRIPT = """\
2031년 2차 「교통정책위원회」 회의록

◆ 일 시 : 2031. 3. 4.(화) 14:00~15:40
◆ 장 소 : 시청 소회의실
◆ 참석위원 : 2명
  - 외부위원(2명) : 한도윤, 문가람

□ 위원 발언내용

○위원장 한도윤  성원이 되었으므로 회의를 시작하겠습니다.
○문가람 위원  버스 노선 개편안에 대해 질의하겠습니다.
○위원장 한도윤  답변은 다음 회의에서 듣겠습니다.
"""


# --- files of every kind, made here ----------------------------------------------------


def upload(name, data):
    return SimpleUploadedFile(name, data)


def hwpx_document(paragraphs, table=(), *, hwp=False):
    """An HWPX (or HWP 5) document made by python-hwpx: a title, a table, paragraphs."""
    from hwpx import HwpxDocument

    document = HwpxDocument.new()
    document.add_paragraph(paragraphs[0])
    if table:
        grid = document.add_table(len(table), len(table[0]))
        for row, cells in enumerate(table):
            for column, text in enumerate(cells):
                grid.set_cell_text(row, column, text)
    for paragraph in paragraphs[1:]:
        document.add_paragraph(paragraph)
    return document.to_bytes(format="hwp" if hwp else "hwpx")


def transcript_hwpx(*, hwp=False):
    lines = [line for line in TRANSCRIPT.splitlines() if line.strip()]
    return hwpx_document(lines, hwp=hwp)


def html_pdf(body):
    import weasyprint

    html = (
        "<html><head><style>@page { size: A4; margin: 2cm }"
        " body { font-family: 'NanumGothic'; font-size: 10pt }"
        " .columns { column-count: 2; column-gap: 1cm }</style></head>"
        f"<body>{body}</body></html>"
    )
    return weasyprint.HTML(string=html).write_pdf()


def reference_pdf():
    """The reference, imported and printed by the project's own renderer (internal version)."""
    source = Committee.objects.create(name="빅데이터심의위원회(원본)", slug="reference-source")
    meeting = import_minutes(REFERENCE.read_text(encoding="utf-8"), source).meeting
    return render_minutes_pdf(minutes_content(Meeting.objects.with_minutes().get(pk=meeting.pk)))


# --- reading the file -------------------------------------------------------------------


@pytest.mark.parametrize(
    "encoding, note",
    [
        ("utf-8", "UTF-8"),
        ("utf-8-sig", "UTF-8"),
        ("utf-16", "UTF-16"),
        ("cp949", "CP949"),
        ("euc-kr", "CP949"),
    ],
)
def test_a_text_file_is_read_in_the_encodings_korean_offices_use(encoding, note):
    extracted = extract_text(upload("회의록.txt", TRANSCRIPT.encode(encoding)))

    assert extracted.kind == "txt"
    assert extracted.text.strip() == TRANSCRIPT.strip()
    assert any(note in str(line) for line in extracted.notes)


def test_a_stray_control_character_is_taken_out_and_counted():
    extracted = extract_text(upload("a.txt", TRANSCRIPT.replace("성원이", "성\x00원이").encode()))

    assert "성원이" in extracted.text
    assert "\x00" not in extracted.text
    assert any("제어 문자 1개" in note for note in extracted.notes)


@needs_reference
def test_the_reference_printed_by_our_renderer_reads_back_to_its_57_blocks_and_70_statements(
    world,
):
    from agenda.importing import preview

    extracted = extract_text(upload("minutes.pdf", reference_pdf()))

    assert extracted.kind == "pdf" and extracted.pages >= 5
    report = preview(extracted.text, world.committee)
    assert (report.blocks, report.statements) == (57, 70)


def test_a_two_column_pdf_is_read_column_after_column():
    columns = "".join(f"<p>○위원장 한도윤 제{n}항을 상정합니다.</p>" for n in range(1, 9))
    pdf = html_pdf(
        "<table><tr><td>일 시</td><td>2031년 3월 4일</td></tr></table>"
        f"<div class='columns'>{columns}</div>"
    )

    text = extract_text(upload("two-columns.pdf", pdf)).text

    assert "일 시 2031년 3월 4일" in text  # a table row on one line, its spacing kept
    numbers = [int(n) for n in re.findall(r"제(\d)항", text)]
    assert numbers == list(range(1, 9))


def test_a_pdf_without_a_text_layer_is_refused_as_a_scan():
    pdf = html_pdf("<div style='width: 5cm; height: 5cm; background: #333'></div>")

    with pytest.raises(UnreadableFile) as refused:
        extract_text(upload("scan.pdf", pdf))

    assert refused.value.code == "no_text"
    assert "스캔본" in refused.value.message


def test_a_pdf_with_a_password_is_refused():
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(html_pdf("<p>비밀 회의록</p>"))))
    writer.encrypt(user_password="secret", owner_password="owner")
    protected = io.BytesIO()
    writer.write(protected)

    with pytest.raises(UnreadableFile) as refused:
        extract_text(upload("protected.pdf", protected.getvalue()))

    assert refused.value.code == "encrypted"


def test_an_hwpx_document_gives_its_paragraphs_in_order_and_each_table_row_on_a_line():
    data = hwpx_document(
        ["2031년 2차 「교통정책위원회」 회의록", "○위원장 한도윤  회의를 시작하겠습니다."],
        table=[["일 시", "2031. 3. 4.(화) 14:00~15:40"], ["장 소", "시청 소회의실"]],
    )

    extracted = extract_text(upload("회의록.hwpx", data))

    assert extracted.kind == "hwpx"
    assert extracted.text.splitlines() == [
        "2031년 2차 「교통정책위원회」 회의록",
        "일 시\t2031. 3. 4.(화) 14:00~15:40",
        "장 소\t시청 소회의실",
        "○위원장 한도윤  회의를 시작하겠습니다.",
    ]


def test_an_hwp_5_document_is_read_like_its_hwpx():
    extracted = extract_text(upload("회의록.hwp", transcript_hwpx(hwp=True)))

    assert extracted.kind == "hwp"
    assert extracted.text == extract_text(upload("회의록.hwpx", transcript_hwpx())).text


@pytest.mark.parametrize(
    "name, kind",
    [("회의록", "hwpx"), ("회의록.HWPX", "hwpx"), ("minutes.data", "hwpx")],
)
def test_the_type_is_decided_by_the_content(name, kind):
    assert extract_text(upload(name, transcript_hwpx())).kind == kind


def test_a_name_promising_another_type_is_refused():
    with pytest.raises(UnreadableFile) as refused:
        extract_text(upload("회의록.pdf", transcript_hwpx()))

    assert refused.value.code == "mismatch"
    assert "HWPX" in refused.value.message


def test_a_file_over_the_limit_is_refused_without_being_read(settings):
    settings.IMPORT_MAX_BYTES = 20 * 1024 * 1024

    class Huge:
        name = "huge.txt"
        size = 21 * 1024 * 1024

        def seek(self, *args):
            pytest.fail("the file was read")

        read = seek

    with pytest.raises(UnreadableFile) as refused:
        extract_text(Huge())

    assert refused.value.code == "too_large"
    assert re.search(r"20 ?MB", refused.value.message)


# --- the pages --------------------------------------------------------------------------


@pytest.fixture
def keeper_client(client, keeper):
    client.force_login(keeper)
    return client


def post_file(client, data, name="회의록.txt", committee="traffic"):
    return client.post(
        reverse("editor:import"), {"committee": committee, "file": upload(name, data)}
    )


def held(response):
    """The held upload the upload page redirected to."""
    assert response.status_code == 302, response.content[:500]
    token = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    return Job.objects.get(pk=token)


def test_the_upload_page_offers_only_the_committees_the_user_keeps(keeper_client, world):
    Committee.objects.create(name="다른위원회", slug="other")

    response = keeper_client.get(reverse("editor:import"))

    assert response.status_code == 200
    choices = [
        value.instance.slug
        for value, _label in response.context["form"].fields["committee"].choices
        if value
    ]
    assert choices == ["traffic"]


def test_a_user_who_keeps_no_committee_may_not_import(client, world):
    client.force_login(world.member_a.person.user)

    assert client.get(reverse("editor:import")).status_code == 403


def test_the_new_meeting_page_and_home_link_the_import(keeper_client):
    for url in (reverse("meetings:new"), reverse("meetings:list")):
        page = keeper_client.get(url).content.decode()
        assert reverse("editor:import") in page, url


def test_an_upload_shows_its_preview_and_saves_nothing(keeper_client, world):
    meetings = Meeting.objects.count()

    job = held(post_file(keeper_client, TRANSCRIPT.encode("cp949")))
    response = keeper_client.get(reverse("editor:import_preview", args=[job.pk]))

    assert response.status_code == 200
    report = response.context["report"]
    assert (report.blocks, report.statements) == (3, 3)
    page = response.content.decode()
    assert "CP949" in page  # how the file was read
    assert "버스 노선 개편안에 대해 질의하겠습니다." in page  # the first remarks as a sample
    assert 'id="import-counts"' in page and 'id="import-checks"' in page
    assert Meeting.objects.count() == meetings


def test_the_text_stays_on_the_server_with_its_uploader(keeper_client):
    job = held(post_file(keeper_client, TRANSCRIPT.encode()))

    page = keeper_client.get(reverse("editor:import_preview", args=[job.pk])).content.decode()

    assert job.parameters["text"].strip() == TRANSCRIPT.strip()
    assert job.state == Job.State.QUEUED and not job.task_id
    hidden = re.findall(r'<input type="hidden"[^>]*name="([^"]+)"', page)
    assert set(hidden) <= {"csrfmiddlewaretoken"}


def test_the_preview_form_is_filled_from_the_document_and_marks_what_it_lacks(keeper_client):
    without_place = TRANSCRIPT.replace("◆ 장 소 : 시청 소회의실\n", "")

    job = held(post_file(keeper_client, without_place.encode()))
    response = keeper_client.get(reverse("editor:import_preview", args=[job.pk]))

    form = response.context["form"]
    assert form.initial["day"] == datetime.date(2031, 3, 4)
    assert form.initial["starts"] == datetime.time(14, 0)
    assert "place" not in form.initial
    assert form.missing == ["place"]
    assert re.search(r'<input[^>]*name="place"[^>]*import-missing', response.content.decode())


def test_creating_the_draft_applies_the_corrections_and_opens_the_editor(keeper_client, world):
    job = held(post_file(keeper_client, TRANSCRIPT.encode()))

    response = keeper_client.post(
        reverse("editor:import_preview", args=[job.pk]),
        {
            "year": "2031",
            "sequence": "7",
            "day": "2031-03-04",
            "starts": "14:00",
            "ends": "16:00",
            "place": "시청 대회의실",
        },
        follow=True,
    )

    meeting = Meeting.objects.get(committee=world.committee, year=2031)
    assert response.redirect_chain[-1][0] == reverse("editor:page", args=[meeting.pk])
    assert (meeting.sequence, meeting.place) == (7, "시청 대회의실")
    assert meeting.speaker_blocks.count() == 3
    assert "회의록.txt" in " ".join(str(m) for m in response.context["messages"])
    job.refresh_from_db()
    assert (job.state, job.meeting) == (Job.State.DONE, meeting)
    assert "text" not in job.parameters  # the draft holds it now


def test_a_second_create_shows_the_first_result_instead_of_a_second_draft(keeper_client):
    job = held(post_file(keeper_client, TRANSCRIPT.encode()))
    url = reverse("editor:import_preview", args=[job.pk])
    keeper_client.post(url, {})

    again = keeper_client.post(url, {})

    assert again.status_code == 302 and again["Location"] == job.get_absolute_url()
    assert Meeting.objects.filter(year=2031).count() == 1


def test_a_refused_number_keeps_the_upload_for_another_try(keeper_client, world):
    from .conftest import make_meeting

    make_meeting(world.committee, year=2031, sequence=2, day=datetime.date(2031, 1, 5))
    job = held(post_file(keeper_client, TRANSCRIPT.encode()))
    url = reverse("editor:import_preview", args=[job.pk])

    refused = keeper_client.post(url, {"sequence": "2"})

    assert refused.status_code == 400
    assert refused.context["form"].non_field_errors()
    job.refresh_from_db()
    assert job.state == Job.State.QUEUED and "text" in job.parameters
    accepted = keeper_client.post(url, {"sequence": "3"})
    assert accepted.status_code == 302
    assert Meeting.objects.filter(committee=world.committee, year=2031, sequence=3).exists()


def test_the_draft_lists_what_to_check(keeper_client, world):
    without_place = TRANSCRIPT.replace("◆ 장 소 : 시청 소회의실\n", "")
    job = held(post_file(keeper_client, without_place.encode()))

    keeper_client.post(reverse("editor:import_preview", args=[job.pk]), {})

    meeting = Meeting.objects.get(committee=world.committee, year=2031)
    assert MeetingCheck.objects.filter(meeting=meeting, topic="place").exists()


def test_a_long_document_is_imported_by_a_task_with_a_progress_page(keeper_client, world, settings):
    settings.IMPORT_TASK_CHARACTERS = 100
    job = held(post_file(keeper_client, TRANSCRIPT.encode()))
    preview_page = keeper_client.get(reverse("editor:import_preview", args=[job.pk]))
    assert 'id="import-background"' in preview_page.content.decode()

    response = keeper_client.post(reverse("editor:import_preview", args=[job.pk]), {})

    job.refresh_from_db()
    assert job.task_id  # handed to the task queue, not imported in the request
    # Tests run tasks at once, so the draft is there and the page goes straight to it.
    assert job.state == Job.State.DONE
    assert response["Location"] == reverse("editor:page", args=[job.meeting_id])
    page = keeper_client.get(job.get_absolute_url()).content.decode()
    assert reverse("editor:page", args=[job.meeting_id]) in page
    assert 'id="job-open-draft"' in page


def test_every_kind_of_file_becomes_a_draft_through_the_page(keeper_client, world):
    for year, (name, data) in enumerate(
        [
            ("회의록.txt", TRANSCRIPT.encode("utf-16")),
            ("회의록.hwpx", transcript_hwpx()),
            ("회의록.hwp", transcript_hwpx(hwp=True)),
        ],
        start=2031,
    ):
        job = held(post_file(keeper_client, data, name=name))
        response = keeper_client.post(
            reverse("editor:import_preview", args=[job.pk]),
            {"year": str(year), "day": f"{year}-03-04"},
        )
        assert response.status_code == 302, (name, response.content[:300])
        meeting = Meeting.objects.get(committee=world.committee, year=year)
        assert meeting.speaker_blocks.count() == 3, name
