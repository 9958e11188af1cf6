"""Forms are printed without re-running heavy template machinery on every request.

The editor's overview and agenda are laid out by plain templates
(templates/agenda/_overview_fields.html, templates/forms/_field.html) instead
of crispy-forms; every widget on the site is printed by minutes_site.forms.
FlatWidgets, whose input/textarea/select templates are Django's own with the
per-option includes written inline, so they must print exactly the same HTML.
The admin's meeting page joins what its rows' titles read. A draft's content
reads its statements as plain texts.
"""

import re

import pytest
from django import forms
from django.db.models.signals import post_init
from django.forms.renderers import DjangoTemplates
from django.urls import reverse

from agenda.forms import AgendaItemFormSet, OverviewForm
from agenda.models import Statement
from meetings.minutes import minutes_content
from meetings.models import Attendance, Meeting

from .conftest import make_member
from .test_admin import change_url, secretary, secretary_admin  # noqa: F401 (fixtures)
from .test_editor import overview_data

pytestmark = pytest.mark.django_db

DJANGO_OWN = DjangoTemplates()


class EveryWidget(forms.Form):
    text = forms.CharField(max_length=5, help_text="help")
    number = forms.IntegerField(min_value=1)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    secret = forms.CharField(widget=forms.HiddenInput)
    tick = forms.BooleanField(required=False)
    pick = forms.ChoiceField(
        choices=[("", "---"), ("Group", [("a", "A & B"), ("b", "<B>")]), ("c", "C")]
    )
    many = forms.MultipleChoiceField(choices=[("1", "one"), ("2", "two")], required=False)
    boxes = forms.MultipleChoiceField(
        choices=[("1", "one"), ("2", "two")], widget=forms.CheckboxSelectMultiple
    )


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"text": "toolong", "number": "0", "pick": "b", "many": ["1", "2"], "boxes": ["2"]},
    ],
)
def test_the_flat_widget_templates_print_what_djangos_own_print(data):
    flat, own = EveryWidget(data), EveryWidget(data, renderer=DJANGO_OWN)
    if data:
        assert not flat.is_valid() and not own.is_valid()
    for name in flat.fields:
        assert str(flat[name]) == str(own[name]), name
        for mine, theirs in zip(flat[name].subwidgets, own[name].subwidgets, strict=True):
            assert mine.tag() == theirs.tag(), name


def test_the_overview_form_prints_what_djangos_own_templates_print(world):
    world.add_remarks(1)
    meeting = world.meeting
    flat = OverviewForm(instance=meeting)
    own = OverviewForm(instance=meeting, renderer=DJANGO_OWN)
    for name in flat.fields:
        assert str(flat[name]) == str(own[name]), name
    items = AgendaItemFormSet(instance=meeting, prefix="items")
    twins = AgendaItemFormSet(
        instance=meeting, prefix="items", form_kwargs={"renderer": DJANGO_OWN}
    )
    for form, twin in zip(items, twins, strict=True):
        for name in form.fields:
            assert str(form[name]) == str(twin[name]), name


def test_the_editor_prints_its_forms_without_crispy(secretary_client, world):
    response = secretary_client.get(reverse("editor:page", args=[world.meeting.pk]))
    assert response.status_code == 200
    used = {template.name for template in response.templates}
    assert "forms/_field.html" in used
    assert not [name for name in used if name and name.startswith("bootstrap5/")]
    page = response.content.decode()
    # The ids, classes and labels the scripts, the tests and the eye rely on.
    for piece in [
        'id="div_id_year" class="mb-3"',
        'class="form-label requiredField"',
        'required class="form-control" id="id_year"',
        'class="form-select" id="id_signer_1"',
        '<fieldset id="signature-block-fields">',
        'class="attendance-checklist"',
        'id="id_present_0" class="form-check-input"',
        'for="id_present_0" class="form-check-label"',
        'id="id_non_members_helptext" class="form-text"',
        'name="items-TOTAL_FORMS"',
        'id="div_id_items-0-title"',
    ]:
        assert piece in page, piece
    # One CSRF token in the overview form (crispy's formset printed a second one).
    start = page.index('id="overview-form"')
    form = page[start : page.index("</form>", start)]
    assert form.count("csrfmiddlewaretoken") == 1


def test_a_refused_overview_marks_its_fields_as_bootstrap_does(secretary_client, world):
    meeting = world.meeting
    data = overview_data(meeting, starts="17:00", ends="15:00", year="1700")
    data.update(starts="17:00", ends="15:00", year="1700")
    response = secretary_client.post(reverse("editor:page", args=[meeting.pk]), data)
    assert response.status_code == 400
    page = response.content.decode()
    for name in ("ends", "year"):
        widget = re.search(f'<input [^>]*id="id_{name}">', page).group(0)
        assert 'aria-invalid="true"' in widget and 'class="form-control is-invalid"' in widget
        # The widget names its messages (aria-describedby): they carry that id.
        assert f'aria-describedby="id_{name}_error"' in widget
        assert (
            f'<div id="id_{name}_error" class="invalid-feedback"><p id="error_1_id_{name}"' in page
        )
    assert "<details" in page and 'id="overview-panel" open' in page


def test_the_admin_meeting_page_reads_each_rows_title_in_its_row_query(
    secretary_admin,  # noqa: F811
    world,
    django_assert_max_num_queries,
):
    with django_assert_max_num_queries(200) as few:
        secretary_admin.get(change_url(world.meeting))
    for number in range(8):
        member = make_member(world.committee, f"추가위원{number}")
        Attendance.objects.create(meeting=world.meeting, member=member, status="present")
    # Eight more attendance rows (and roster members): not one query more.
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = secretary_admin.get(change_url(world.meeting))
    assert response.status_code == 200
    assert "추가위원7" in response.content.decode()


def test_a_drafts_content_reads_its_statements_as_plain_texts(world):
    world.add_remarks(5)
    block = world.meeting.speaker_blocks.order_by("position").first()
    # Typed out of order: the content follows the positions.
    block.statements.create(position=9, text="끝 문장")
    block.statements.create(position=8, text="앞 문장")
    built = []

    def count(sender, instance, **kwargs):
        built.append(instance)

    post_init.connect(count, sender=Statement)
    try:
        content = minutes_content(Meeting.objects.with_minutes().get(pk=world.meeting.pk))
    finally:
        post_init.disconnect(count, sender=Statement)
    assert built == []
    assert content["remarks"][0]["statements"][-2:] == ["앞 문장", "끝 문장"]
    assert [len(remark["statements"]) for remark in content["remarks"]] == [
        b.statements.count() for b in world.meeting.speaker_blocks.order_by("position")
    ]
