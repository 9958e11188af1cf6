"""Pages of a list, one way for every list of the site (home, public lists, search)."""

from django.utils.translation import ngettext


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
