"""On a phone (390 px), the secretary asks for a big draft's PDF: a page with a progress
bar waits for the task queue's worker and offers the file when it is done, without a reload."""

import io
from pathlib import Path

from django.core.management import call_command
from django.utils.translation import gettext as _
from playwright.sync_api import expect

from meetings.models import Job, Meeting

from .conftest import BROWSER_TESTS, SCREENS, log_in
from .test_jobs import DATABASE_QUEUE, run_database_worker

pytestmark = BROWSER_TESTS


def fits_the_screen(page, selector):
    box = page.locator(selector).bounding_box()
    return box["x"] >= 0 and box["x"] + box["width"] <= 390


def test_a_big_draft_pdf_waits_on_its_job_page_and_is_offered_when_done(phone, site, settings):
    settings.TASKS = DATABASE_QUEUE
    settings.DRAFT_PDF_TASK_CHARACTERS = 100
    call_command("load_demo", stdout=io.StringIO())
    meeting = Meeting.objects.get(status=Meeting.Status.DRAFT, sequence=1)
    page = phone
    screens = SCREENS / "tasks"
    screens.mkdir(parents=True, exist_ok=True)

    log_in(page, site, "secretary", "minutes-demo")
    page.goto(site + meeting.get_absolute_url())
    page.get_by_role("button", name="PDF 내려받기").click()
    page.locator("#pdf-menu a[data-version='public'][data-variant='pdf/a-3b']").click()

    job = Job.objects.get(kind=Job.Kind.DRAFT_PDF)
    expect(page).to_have_url(site + job.get_absolute_url())
    expect(page.locator("#job-progress .job-label")).to_have_text(str(Job.State.QUEUED.label))
    expect(page.locator("#job-download")).to_be_hidden()
    assert fits_the_screen(page, "#job")
    page.screenshot(path=str(screens / "job-waiting-phone.png"), full_page=True)

    run_database_worker()

    expect(page.locator("#job-progress .job-label")).to_have_text(str(Job.State.DONE.label))
    expect(page.locator("#job-download")).to_be_visible()
    expect(page.locator("#job-progress .progress")).to_have_attribute("aria-valuenow", "100")
    assert fits_the_screen(page, "#job-download")
    page.screenshot(path=str(screens / "job-done-phone.png"), full_page=True)
    with page.expect_download() as download:
        page.locator("#job-download").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    assert download.value.suggested_filename.endswith(".pdf")
    assert _("Download the file") in page.locator("#job-download").inner_text()
