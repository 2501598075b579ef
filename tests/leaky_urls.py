"""The project's URLs plus two routes planted to show that the permission matrix fails:
a page that reads and changes a person without ``restrict``, and a page nobody classified.
Used only by ``tests/test_permission_matrix.py``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path

from tongban.core.models import Person
from tongban.urls import urlpatterns as project


@login_required
def leaky_person(request: HttpRequest, pk: int) -> HttpResponse:
    person = Person.objects.get(pk=pk)  # the planted leak: no restrict(user, action)
    if request.method == "POST":
        person.education = "doctorate"
        person.save(update_fields=["education"])
    return HttpResponse(person.name)


@login_required
def unclassified_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")


urlpatterns = [
    *project,
    path("leaky/people/<int:pk>/", leaky_person, name="leaky_person"),
    path("leaky/new/", unclassified_page, name="leaky_new"),
]
