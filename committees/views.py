"""Committee and roster pages for the people who keep them (CommitteeQuerySet.managed_by).

A committee the user does not keep is a 404, unless they sit on it (then they
know it exists, and it is a 403). Each POST calls one service and redirects;
a refused one shows the form again, with its errors, and status 400.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from minutes_site.errors import NotFound

from . import services
from .forms import CommitteeForm, EndTermForm, MemberForm, RoleForm
from .models import Committee, Member, MemberRole


def get_committee_for(user, slug):
    """The committee ``user`` keeps: 404 if they may not know it, 403 if they sit on it."""
    committee = Committee.objects.managed_by(user).filter(slug=slug).first()
    if committee is not None:
        return committee
    if Member.objects.filter(committee__slug=slug, person__user=user).exists():
        raise PermissionDenied
    raise NotFound(_("There is no committee at this address that you keep."))


def may_create(user):
    return user.is_superuser or (user.is_staff and user.has_perm("committees.add_committee"))


def _apply(form, action):
    """Run ``action``; a ValidationError lands on the form's fields. True if it worked."""
    try:
        action()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, problems in error.error_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            form.add_error(None, error)
        return False
    return True


@login_required
def committee_list(request):
    serving = Member.objects.serving_on(timezone.localdate()).values("pk")
    committees = (
        Committee.objects.managed_by(request.user)
        .annotate(serving=Count("members", filter=Q(members__in=serving)))
        .prefetch_related("secretaries")
        .order_by("name")
    )
    return render(
        request,
        "committees/committee_list.html",
        {"committees": committees, "may_create": may_create(request.user)},
    )


@login_required
def committee_new(request):
    if not may_create(request.user):
        raise PermissionDenied
    return committee_form(request, None, _("The committee is created: now add its members."))


@login_required
def committee_edit(request, slug):
    committee = get_committee_for(request.user, slug)
    return committee_form(request, committee, _("The committee is saved."))


def committee_form(request, committee, saved):
    """The committee's own fields, new (``committee`` None) or changed."""
    form = CommitteeForm(request.POST or None, instance=committee)
    if request.method == "POST" and form.is_valid():
        messages.success(request, saved)
        return redirect(form.save(by=request.user))
    return render(
        request,
        "committees/committee_form.html",
        {"form": form, "committee": committee},
        status=400 if form.is_bound else 200,
    )


def roster(committee):
    """The committee's seats with their people and roles: three queries."""
    return committee.members.select_related("person__user").prefetch_related(
        Prefetch("roles", queryset=MemberRole.objects.order_by("since", "id"))
    )


@login_required
def committee_detail(request, slug):
    committee = get_committee_for(request.user, slug)
    today = timezone.localdate()
    current, past = [], []
    for member in roster(committee).order_by("kind", "person__name", "term_start"):
        member.role_today = member.role_on(today) if member.serves_on(today) else None
        (current if member.term_end is None or member.term_end >= today else past).append(member)
    return render(
        request,
        "committees/committee_detail.html",
        {
            "committee": committee,
            "secretaries": committee.secretaries.select_related("person"),
            "current": current,
            "past": past,
            "today": today,
        },
    )


@login_required
def member_add(request, slug):
    committee = get_committee_for(request.user, slug)
    form = MemberForm(request.POST or None, committee=committee)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _apply(
            form,
            lambda: services.add_member(
                committee,
                person=form.person_to_seat(),
                kind=data["kind"],
                term_start=data["term_start"],
                term_end=data["term_end"],
                role=data["role"],
            ),
        ):
            messages.success(request, _("The member is added to the roster."))
            if "add_another" in request.POST:
                return redirect("committees:member_add", slug=committee.slug)
            return redirect(committee)
    return render(
        request,
        "committees/member_form.html",
        {"committee": committee, "form": form},
        status=400 if form.is_bound else 200,
    )


def _member_page(request, committee, member, *, end_form=None, role_form=None):
    bound = (end_form or role_form) is not None
    return render(
        request,
        "committees/member_detail.html",
        {
            "committee": committee,
            "member": member,
            "end_form": end_form or EndTermForm(initial={"term_end": timezone.localdate()}),
            "role_form": role_form
            or RoleForm(initial={"since": timezone.localdate(), "role": MemberRole.Role.MEMBER}),
        },
        status=400 if bound else 200,
    )


def _member(committee, pk):
    return get_object_or_404(roster(committee), pk=pk)


@login_required
def member_detail(request, slug, pk):
    committee = get_committee_for(request.user, slug)
    return _member_page(request, committee, _member(committee, pk))


@login_required
def member_end(request, slug, pk):
    committee = get_committee_for(request.user, slug)
    member = _member(committee, pk)
    if request.method != "POST":
        return redirect("committees:member", slug=slug, pk=pk)
    form = EndTermForm(request.POST)
    if form.is_valid() and _apply(
        form, lambda: services.end_term(member, on=form.cleaned_data["term_end"])
    ):
        messages.success(request, _("The term is ended."))
        return redirect(committee)
    return _member_page(request, committee, member, end_form=form)


@login_required
def member_role(request, slug, pk):
    committee = get_committee_for(request.user, slug)
    member = _member(committee, pk)
    if request.method != "POST":
        return redirect("committees:member", slug=slug, pk=pk)
    form = RoleForm(request.POST)
    if form.is_valid() and _apply(
        form,
        lambda: services.change_role(
            member, role=form.cleaned_data["role"], since=form.cleaned_data["since"]
        ),
    ):
        messages.success(request, _("The new role is recorded."))
        return redirect("committees:member", slug=slug, pk=pk)
    return _member_page(request, committee, _member(committee, pk), role_form=form)
