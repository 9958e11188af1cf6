"""Pages of a list, one way for every list of the site (home, public lists, search)."""

from django import forms
from django.utils.translation import gettext_lazy, ngettext

# Beyond any list's last page: a larger number is a field error, not a query.
PAGE_LIMIT = 100_000


def page_field():
    """The hidden ``page`` field of a list's filter form (read by page_number())."""
    return forms.IntegerField(
        label=gettext_lazy("page"),
        required=False,
        min_value=1,
        max_value=PAGE_LIMIT,
        widget=forms.HiddenInput,
    )


def page_number(form, pages, field="page"):
    """The page ``form`` asked for among ``pages``; past the last one, page 1
    with a field error saying how many there are (the list is still shown)."""
    number = form.cleaned_data.get(field) or 1
    if number <= pages:
        return number
    form.add_error(
        field,
        ngettext(
            "There is no page %(number)s: the list has %(count)s page.",
            "There is no page %(number)s: the list has %(count)s pages.",
            pages,
        )
        % {"number": number, "count": pages},
    )
    return 1


def page_links(paginator, number):
    """The page numbers to link, with an ellipsis for long runs (templates/_pagination.html)."""
    return paginator.get_elided_page_range(number, on_each_side=2, on_ends=1)
