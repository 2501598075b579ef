"""Pages of the lifelong e-archive: a worker's own (我的档案), staff finding one by
document or social-security-card number, the PDF and signed JSON downloads, and the
credit bank's actions on a person (accrue, recognise another institution's credits)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongban.core.masking import mask_document_number, mask_social_security_card
from tongban.core.models import Person
from tongban.core.permissions import Role, assignments, has_any
from tongban.core.services import get_scoped
from tongban.core.validators import normalize_document_number
from tongban.skills import archive_export, credits
from tongban.skills.archive import archive_for, kind_label, may_read_archives
from tongban.skills.training_forms import ArchiveSearchForm, RecognitionForm
from tongban.skills.training_pages import form_errors, messages_of


def own_person(user: Any) -> Person | None:
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user_id=user.pk).first()


def scoped_person(request: HttpRequest, pk: int) -> Person:
    if not may_read_archives(request.user):
        raise Http404
    return get_scoped(Person.objects.all(), request.user, "view", pk=pk)


def _render(request: HttpRequest, person: Person, *, mine: bool) -> HttpResponse:
    entries = archive_for(person)
    may_manage = not mine and _may_add_credit(request.user)
    base = "skills:my_archive" if mine else "skills:person_archive"
    args: list[Any] = [] if mine else [person.pk]
    return render(
        request,
        "skills/archive.html",
        {
            "title": _("我的档案")
            if mine
            else _("%(name)s的终身职业技能培训档案") % {"name": person.name},
            "person": person,
            "document_number": mask_document_number(person.document_number),
            "card_number": mask_social_security_card(person.social_security_card_number),
            "entries": [(e, kind_label(e.kind)) for e in entries],
            "standing": credits.standing(person),
            "pdf_url": reverse(f"{base}_pdf", args=args),
            "json_url": reverse(f"{base}_json", args=args),
            "mine": mine,
            "may_manage": may_manage,
            "recognition_form": RecognitionForm(),
            "error": request.GET.get("error", ""),
        },
    )


def _may_add_credit(user: Any) -> bool:
    return has_any(user, "skills.creditentry", "add")


@login_required
def my_archive(request: HttpRequest) -> HttpResponse:
    person = own_person(request.user)
    if person is None:
        raise Http404(_("您的账号未关联人员档案"))
    return _render(request, person, mine=True)


@login_required
def archive_search(request: HttpRequest) -> HttpResponse:
    """Staff find an archive by document number or 社会保障卡号 (within their scope);
    a worker (an account holding only the worker role) sees their own here."""
    mine = own_person(request.user)
    staff = any(a.role != Role.WORKER for a in assignments(request.user))
    if mine is not None and not staff and not request.GET:
        return _render(request, mine, mine=True)
    if not may_read_archives(request.user):
        raise Http404
    form = ArchiveSearchForm(request.GET or None)
    error = ""
    if form.is_bound and form.is_valid():
        number = form.cleaned_data["number"].strip()
        found = (
            Person.objects.restrict(request.user, "view")
            .filter(
                Q(document_number=normalize_document_number(number))
                | Q(social_security_card_number=number.upper())
            )
            .first()
        )
        if found is not None:
            return HttpResponseRedirect(reverse("skills:person_archive", args=[found.pk]))
        error = _("未找到该证件号码或社会保障卡号对应的人员，或该人员不在您的管辖范围内")
    return render(
        request,
        "skills/archive_search.html",
        {"title": _("终身职业技能培训档案"), "form": form, "error": error},
    )


@login_required
def person_archive(request: HttpRequest, pk: int) -> HttpResponse:
    return _render(request, scoped_person(request, pk), mine=False)


def _pdf(person: Person) -> HttpResponse:
    response = HttpResponse(archive_export.render_pdf(person), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{archive_export.filename(person, "pdf")}"'
    )
    return response


def _json(person: Person) -> HttpResponse:
    response = HttpResponse(
        archive_export.signed_json(person), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{archive_export.filename(person, "json")}"'
    )
    return response


@login_required
def my_archive_pdf(request: HttpRequest) -> HttpResponse:
    person = own_person(request.user)
    if person is None:
        raise Http404
    return _pdf(person)


@login_required
def my_archive_json(request: HttpRequest) -> HttpResponse:
    person = own_person(request.user)
    if person is None:
        raise Http404
    return _json(person)


@login_required
def person_archive_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _pdf(scoped_person(request, pk))


@login_required
def person_archive_json(request: HttpRequest, pk: int) -> HttpResponse:
    return _json(scoped_person(request, pk))


def _back(pk: int, error: str = "") -> HttpResponseRedirect:
    url = reverse("skills:person_archive", args=[pk])
    return HttpResponseRedirect(url + ("?" + urlencode({"error": error}) if error else ""))


@login_required
@require_POST
def archive_accrue(request: HttpRequest, pk: int) -> HttpResponse:
    """Deposit the credits the person's records earn under the current rules."""
    person = scoped_person(request, pk)
    if not _may_add_credit(request.user):
        raise Http404
    credits.accrue(person)
    return _back(person.pk)


@login_required
@require_POST
def archive_recognise(request: HttpRequest, pk: int) -> HttpResponse:
    person = scoped_person(request, pk)
    form = RecognitionForm(request.POST)
    if not form.is_valid():
        return _back(person.pk, form_errors(form))
    try:
        credits.recognise(person, user=request.user, **form.cleaned_data)
    except ValidationError as exc:
        return _back(person.pk, messages_of(exc))
    return _back(person.pk)
