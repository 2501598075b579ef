"""The permission matrix: every URL pattern of the project, classified, and checked for
every role against records inside and outside the user's scope and without a login.

``routes()`` walks the URL configuration. ``classify()`` says what a route is: a public
route (listed below), a page of 系统管理, a page or endpoint without a record, a list, or a
route on one record of a model. Most classifications are derived from the view itself
(DRF viewsets name their model, the generic list/detail/edit pages carry their class);
the other views are declared in ``DECLARED``. A route that is neither derived nor declared
is *unclassified*, and the matrix fails on it.

``check_route()`` runs the cases of one route for one user and returns the failures as
sentences naming the route, so a test can both assert that the project has none and that
a planted leak is reported.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from tongban.core.permissions import PUBLIC_REFERENCE, Action, has_any, is_platform_admin
from tongban.web.generic import ObjectDetailView, ObjectEditView, ObjectListView

PUBLIC = "public"  # anyone, no login (listed by name below)
ADMIN = "admin"  # 系统管理: staff only, Django's own permission system
PAGE = "page"  # signed-in users, no record in the URL (forms, dashboards, lookups)
LIST = "list"  # the records of a model the user may see (rows checked against restrict)
OBJECT = "object"  # one record of a model, named by the URL

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


@dataclass(frozen=True)
class Route:
    key: str  # the namespaced URL name, or the pattern when the route has none
    pattern: str
    callback: Callable[..., Any]
    kwargs: tuple[str, ...]


@dataclass(frozen=True)
class Rule:
    kind: str
    model: str | None = None  # model label, for LIST and OBJECT
    api: bool = False  # answers 401/403 instead of redirecting to the login page
    methods: tuple[str, ...] = ("GET",)
    # OBJECT: the kwarg naming the record, and the attribute it carries
    lookup: str = "pk"
    lookup_attr: str = "pk"
    # OBJECT: a record in scope answers 200 to GET (the model's own detail page or endpoint)
    detail: bool = False
    inside_action: str = "view"  # the action the positive case needs (edit pages: change)
    # OBJECT: the other URL arguments, from the record
    arguments: Callable[[Any], dict[str, Any]] | None = None
    # OBJECT: the record named by the URL for a user, when scope is not ``restrict``
    # (records owned by one account): (user, world) -> (outside record, inside record)
    subject: Callable[[Any, Any], tuple[Any, Any]] | None = None
    # LIST: the URL name of the detail page whose links are looked for, and whether the
    # page exports (``?_export=csv``)
    detail_name: str | None = None
    export: bool = False
    permission: str | None = None  # LIST: the grant the page checks, when not the model's
    # PUBLIC: URL arguments for the anonymous request
    public_kwargs: dict[str, str] = field(default_factory=dict)


# -- the routes ---------------------------------------------------------------------------------
_ARG = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>|\(\?P<([^>]+)>[^)]*\)")


def _arguments(pattern: str) -> tuple[str, ...]:
    return tuple(a or b for a, b in _ARG.findall(pattern))


def routes(urlconf: Any = None) -> dict[str, Route]:
    """Every URL pattern, keyed by its name (a pattern without a name by its text).

    A DRF format-suffix twin (``…\\.(?P<format>…)``) has its route's name and is checked
    through it."""
    found: dict[str, Route] = {}

    def walk(resolver: URLResolver, prefix: str, namespace: str) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                walk(entry, prefix + str(entry.pattern), inner)
                continue
            assert isinstance(entry, URLPattern)
            text = prefix + str(entry.pattern)
            name = entry.name
            key = (f"{namespace}:{name}" if namespace else name) if name else text
            args = _arguments(text)
            if key in found and "format" in args:
                continue
            if key not in found or "format" in found[key].kwargs:
                found[key] = Route(key, text, entry.callback, args)

    walk(get_resolver(urlconf), "", "")
    return found


def url_of(route: Route, values: dict[str, Any]) -> str:
    """The route's URL with its arguments filled in (from the pattern text, not reverse())."""

    def fill(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        return str(values[name])

    text = _ARG.sub(fill, route.pattern)
    text = text.replace("^", "").replace("$", "").replace("\\.", ".")
    return "/" + text


# -- classification -------------------------------------------------------------------------------
def _person_of_user(user: Any, world: Any) -> tuple[Any, Any]:
    from tongban.core.models import Person

    return (Person.objects.exclude(user=user).order_by("pk").first(), None)


def _import_jobs(user: Any, world: Any) -> tuple[Any, Any]:
    from tongban.core.models import ImportJob

    return (
        ImportJob.objects.exclude(user=user).order_by("pk").first(),
        ImportJob.objects.filter(user=user).order_by("pk").first(),
    )


def _saved_searches(user: Any, world: Any) -> tuple[Any, Any]:
    from tongban.skills.models import SavedSearch

    return (
        SavedSearch.objects.exclude(owner=user).order_by("pk").first(),
        SavedSearch.objects.filter(owner=user).order_by("pk").first(),
    )


def _party(case: Any) -> dict[str, Any]:
    party = case.parties.order_by("pk").first()
    return {"party_pk": party.pk if party else 0}


def obj(model: str, methods: tuple[str, ...] = ("GET", "POST"), **kw: Any) -> Rule:
    return Rule(OBJECT, model=model, methods=methods, **kw)


def page(api: bool = False) -> Rule:
    return Rule(PAGE, api=api)


def public(**kwargs: str) -> Rule:
    return Rule(PUBLIC, public_kwargs=kwargs)


# Views that are not a DRF viewset nor a generic list/detail/edit page. Keep in step with
# the URL configuration: a route missing here and not derivable fails the matrix.
DECLARED: dict[str, Rule] = {
    # public: the domain rules decide what they show (docs/security.md)
    "healthz": public(),
    "admin:login": public(),
    "admin:logout": public(),
    # the API's description (no data): anyone may read it and generate a client
    "schema": public(),
    "swagger-ui": public(),
    "login": public(),
    "logout": public(),
    "set_language": public(),
    "api-token": public(),
    "public-certificate-verify": public(),
    "skills:public_keys": public(),
    "skills:verify": public(),
    "governance:public_lookup": public(),
    "governance:public_status": public(code="E-NOT-A-CODE"),
    "governance:open311_root": public(),
    "governance:open311_discovery": public(fmt="json"),
    "governance:open311_services": public(fmt="json"),
    "governance:open311_service": public(code="none", fmt="json"),
    "governance:open311_requests": public(fmt="json"),
    "governance:open311_request": public(code="none", fmt="json"),
    "governance:open311_token": public(token="none", fmt="json"),
    # signed in, no record in the URL
    "home": page(),
    "password_change": page(),
    "core:region_options": page(),
    "core:organization_options": page(),
    "core:import_index": page(),
    "core:import_upload": page(),
    "core:import_template": page(),
    "skills:eligibility": page(),
    "skills:direct_certification": page(),
    "skills:exceptional_promotion": page(),
    "skills:limitbreakingrequest_add": page(),
    "skills:appointment_add": page(),
    "skills:awardconferral_add": page(),
    "skills:allowancescheme_add": page(),
    "skills:shortagelist_add": page(),
    "skills:talent_search_save": page(),
    "skills:credit_rules": page(),
    "skills:fund_flags": page(),
    "skills:archive_search": page(),
    "skills:my_archive": page(),
    "skills:my_archive_pdf": page(),
    "skills:my_archive_json": page(),
    "skills:statistics": page(),
    "skills:wage_prices": page(),
    "governance:event_queue": page(),
    "governance:event_report": page(),
    "governance:event_hotline": page(),
    "governance:event_add": page(),
    "governance:event_duplicates": page(),
    "governance:dashboard": page(),
    "governance:mediationcase_add": page(),
    "governance:warning_board": page(),
    "governance:grid_add": page(),
    "governance:patroltask_add": page(),
    "governance:volunteerdemand_add": page(),
    "governance:community_dashboard": page(),
    "api-root": page(api=True),
    "skills-eligibility": page(api=True),
    "skills-routes": page(api=True),
    "skills-competition-results": page(api=True),
    "skills-statistics": page(api=True),
    "skills-wage-prices": page(api=True),
    "governance-community-figures": page(api=True),
    # one record
    "core:person_reveal": obj("core.person"),
    "core:import_job": obj("core.importjob", subject=_import_jobs),
    "core:import_errors": obj(
        "core.importjob", subject=_import_jobs, arguments=lambda o: {"fmt": "csv"}
    ),
    "skills-archive": obj("core.person", methods=("GET",), api=True, lookup="person"),
    "skills:evaluator_transition": obj("skills.evaluator"),
    "skills:plan_apply": obj("skills.evaluationplan"),
    "skills:plan_objection": obj("skills.evaluationplan"),
    "skills:plan_transition": obj("skills.evaluationplan"),
    "skills:objection_reveal": obj("skills.objection"),
    "skills:objection_transition": obj("skills.objection"),
    "skills:application_scores": obj("skills.certificationapplication"),
    "skills:application_transition": obj("skills.certificationapplication"),
    "skills:certificate_pdf": obj("skills.certificate"),
    "skills:certificate_transition": obj("skills.certificate"),
    "skills:limitbreakingrequest_transition": obj("skills.limitbreakingrequest"),
    "skills:appointment_transition": obj("skills.appointment"),
    "skills:competition_enter": obj("skills.competition"),
    "skills:competition_result": obj("skills.competition"),
    "skills:competition_transition": obj("skills.competition"),
    "skills:allowancescheme_edit": obj("skills.allowancescheme"),
    "skills:talent_search_delete": obj("skills.savedsearch", subject=_saved_searches),
    "skills:trainingclass_enrol": obj("skills.trainingclass"),
    "skills:trainingclass_session": obj("skills.trainingclass"),
    "skills:trainingclass_attendance": obj("skills.trainingclass"),
    "skills:trainingclass_transition": obj("skills.trainingclass"),
    "skills:person_archive": obj("core.person"),  # needs the archive grant, not people's
    "skills:person_archive_pdf": obj("core.person"),
    "skills:person_archive_json": obj("core.person"),
    "skills:archive_accrue": obj("core.person"),
    "skills:archive_recognise": obj("core.person"),
    "governance:event_detail": obj("governance.event", detail=True),
    "governance:event_transition": obj("governance.event"),
    "governance:event_reveal_phone": obj("governance.event"),
    "governance:event_photo": obj("governance.eventphoto"),
    "governance:event_add_photos": obj("governance.event"),
    "governance:mediationcase_detail": obj("governance.mediationcase", detail=True),
    "governance:mediationcase_transition": obj("governance.mediationcase"),
    "governance:mediationcase_action": obj(
        "governance.mediationcase", arguments=lambda o: {"action": "session"}
    ),
    "governance:mediationcase_reveal_party": obj("governance.mediationcase", arguments=_party),
    "governance:mediationcase_agreement_pdf": obj("governance.mediationcase"),
    "governance:riskwarning_detail": obj("governance.riskwarning", detail=True),
    "governance:riskwarning_transition": obj("governance.riskwarning"),
    # a class past its start cannot be edited: the page sends the user back to the class
    "skills:trainingclass_edit": obj("skills.trainingclass"),
    "governance:grid_edit": obj("governance.grid", detail=True, inside_action="change"),
    "governance:patroltask_detail": obj("governance.patroltask", detail=True),
    "governance:patroltask_transition": obj("governance.patroltask"),
    "governance:screeningcampaign_detail": obj("governance.screeningcampaign", detail=True),
    "governance:screeningtarget_visit": obj("governance.screeningtarget"),
    "governance:volunteerdemand_detail": obj("governance.volunteerdemand", detail=True),
    "governance:volunteerdemand_transition": obj("governance.volunteerdemand"),
    "governance:volunteerpairing_detail": obj("governance.volunteerpairing", detail=True),
    "governance:volunteerpairing_transition": obj("governance.volunteerpairing"),
}


def derive(route: Route) -> Rule | None:
    """The rule read off the view: a DRF viewset's model and actions, or a generic page."""
    callback = route.callback
    viewset = getattr(callback, "cls", None)
    actions = getattr(callback, "actions", None)
    if viewset is not None and actions and getattr(viewset, "model", None) is not None:
        label = viewset.model._meta.label_lower
        methods = tuple(sorted(m.upper() for m in actions))
        lookup = viewset.lookup_url_kwarg or viewset.lookup_field
        if lookup in route.kwargs:
            return Rule(
                OBJECT,
                model=label,
                api=True,
                methods=methods,
                lookup=lookup,
                lookup_attr=viewset.lookup_field,
                detail=actions.get("get") == "retrieve",
            )
        if actions.get("get") == "list":
            permission = getattr(viewset, "permission_label", None)
            return Rule(LIST, model=label, api=True, methods=methods, permission=permission)
        return Rule(PAGE, api=True)
    view_class = getattr(callback, "view_class", None)
    if isinstance(view_class, type):
        if issubclass(view_class, ObjectListView):
            meta = view_class.model._meta
            return Rule(
                LIST,
                model=meta.label_lower,
                permission=view_class.permission_label,
                detail_name=f"{view_class.url_namespace}:{meta.model_name}_detail",
                export=True,
            )
        if issubclass(view_class, ObjectDetailView):
            return Rule(
                OBJECT,
                model=view_class.model._meta.label_lower,
                lookup_attr=view_class.lookup,
                detail=True,
            )
        if issubclass(view_class, ObjectEditView):
            if "pk" in route.kwargs:
                return obj(view_class.model._meta.label_lower, detail=True, inside_action="change")
            return page()
    return None


def classify(route: Route, declared: dict[str, Rule] | None = None) -> Rule | None:
    table = DECLARED if declared is None else declared
    if route.key in table:
        return table[route.key]
    if route.key.startswith("admin:") or route.pattern.startswith("admin/"):
        return Rule(ADMIN)
    return derive(route)


def unclassified(found: dict[str, Route], declared: dict[str, Rule] | None = None) -> list[str]:
    return sorted(key for key, route in found.items() if classify(route, declared) is None)


# -- subjects ---------------------------------------------------------------------------------------
def model_of(label: str) -> type[models.Model]:
    return apps.get_model(label)


class Subjects:
    """The record outside and the record inside each user's scope, per model (cached)."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    def pair(self, rule: Rule, user: Any, world: Any) -> tuple[Any, Any]:
        assert rule.model is not None
        key = (rule.model, rule.inside_action if rule.subject is None else "own", user.pk)
        if key not in self._cache:
            if rule.subject is not None:
                self._cache[key] = rule.subject(user, world)
            else:
                model: Any = model_of(rule.model)
                reach: set[Any] = set()
                for action in Action.values:
                    reach |= set(model.objects.restrict(user, action).values_list("pk", flat=True))
                outside = model.objects.exclude(pk__in=reach).order_by("pk").first()
                inside = model.objects.restrict(user, rule.inside_action).order_by("pk").first()
                self._cache[key] = (outside, inside)
        return self._cache[key]


def _transition_name(record: Any) -> str:
    from tongban.core.workflow import state_field

    try:
        state = state_field(type(record))
    except TypeError:
        return "none"
    names = [t.name for t in getattr(record, f"get_all_{state.name}_transitions")()]
    return sorted(names)[0] if names else "none"


def arguments(route: Route, rule: Rule, record: Any, lookup_value: Any) -> dict[str, Any]:
    values: dict[str, Any] = {rule.lookup: lookup_value}
    for name in route.kwargs:
        if name in ("transition", "name"):
            values[name] = _transition_name(record)
        elif name == "fmt":
            values[name] = "json"
    if rule.arguments is not None:
        values.update(rule.arguments(record))
    return values


def snapshot(record: Any) -> Any:
    from tongban.core.models import TransitionLog

    rows = list(type(record).objects.filter(pk=record.pk).values())
    return rows, TransitionLog.objects.count()


# -- requests ---------------------------------------------------------------------------------------
class Clients:
    def __init__(self) -> None:
        self._by_user: dict[Any, tuple[Client, APIClient]] = {}

    def of(self, user: Any, api: bool) -> Client | APIClient:
        key = None if user is None else user.pk
        if key not in self._by_user:
            page_client, api_client = Client(), APIClient()
            if user is not None:
                page_client.force_login(user)
                api_client.force_authenticate(user)
            self._by_user[key] = (page_client, api_client)
        return self._by_user[key][1 if api else 0]


def send(client: Client | APIClient, method: str, url: str, api: bool) -> Any:
    call = getattr(client, method.lower())
    if api:
        return call(url, {}, format="json") if method != "GET" else call(url)
    return call(url, {}) if method != "GET" else call(url)


@dataclass
class Matrix:
    """Runs the cases; ``failures`` collects one sentence per broken expectation."""

    world: Any
    declared: dict[str, Rule] | None = None
    failures: list[str] = field(default_factory=list)
    cases: int = 0
    subjects: Subjects = field(default_factory=Subjects)
    clients: Clients = field(default_factory=Clients)
    # (route, role) -> no user of the role had a record outside its scope to try
    gaps: dict[tuple[str, str], bool] = field(default_factory=dict)

    def fail(self, route: Route, who: str, text: str) -> None:
        self.failures.append(f"{route.key} [{who}]: {text}")

    def run(
        self, found: Iterable[Route], users: Iterable[tuple[str, Any]], anonymous: bool = True
    ) -> list[str]:
        people = list(users)
        for route in found:
            rule = classify(route, self.declared)
            if rule is None:
                self.failures.append(f"{route.key}: not classified in the permission matrix")
                continue
            if anonymous:
                self.anonymous(route, rule)
            for who, user in people:
                self.check(route, rule, who, user)
        for (key, who), missing in sorted(self.gaps.items()):
            if missing:
                self.failures.append(f"{key} [{who}]: the world has no record outside the scope")
        return self.failures

    # anonymous ------------------------------------------------------------------------------------
    def anonymous(self, route: Route, rule: Rule) -> None:
        if rule.kind == PUBLIC:
            values = dict(rule.public_kwargs)
            missing = [a for a in route.kwargs if a not in values]
            if missing:
                self.fail(route, "anonymous", f"no value for {missing} in the public rule")
                return
            self.cases += 1
            response = self.clients.of(None, False).get(url_of(route, values))
            if response.status_code >= 500 or "/accounts/login/" in response.get("Location", ""):
                self.fail(route, "anonymous", f"public route answers {response.status_code}")
            return
        values = _placeholders(route)
        url = url_of(route, values)
        methods = ("GET",) if rule.kind == ADMIN else rule.methods
        for method in methods:
            self.cases += 1
            response = send(self.clients.of(None, rule.api), method, url, rule.api)
            location = response.get("Location", "")
            if rule.api:
                ok = response.status_code in (401, 403)
            elif rule.kind == ADMIN:
                ok = response.status_code == 302 and "/admin/login/" in location
            else:
                ok = response.status_code == 302 and "/accounts/login/" in location
            if not ok and not (response.status_code == 405 and method != "GET"):
                self.fail(route, "anonymous", f"{method} answers {response.status_code} {location}")

    # signed in ------------------------------------------------------------------------------------
    def check(self, route: Route, rule: Rule, who: str, user: Any) -> None:
        if rule.kind == PUBLIC:
            return
        if rule.kind == ADMIN:
            self.admin(route, who, user)
        elif rule.kind == OBJECT:
            self.object(route, rule, who, user)
        elif rule.kind == LIST:
            self.listing(route, rule, who, user)

    def admin(self, route: Route, who: str, user: Any) -> None:
        if user.is_staff:
            return
        self.cases += 1
        url = url_of(route, _placeholders(route))
        response = self.clients.of(user, False).get(url)
        if not (response.status_code == 302 and "/admin/login/" in response.get("Location", "")):
            self.fail(
                route, who, f"系统管理 page answers {response.status_code} to a non-staff user"
            )

    def object(self, route: Route, rule: Rule, who: str, user: Any) -> None:
        outside, inside = self.subjects.pair(rule, user, self.world)
        client = self.clients.of(user, rule.api)
        if outside is None and not is_platform_admin(user) and rule.model not in PUBLIC_REFERENCE:
            self.gaps.setdefault((route.key, who), True)
        elif outside is not None:
            self.gaps[(route.key, who)] = False
        if outside is not None:
            url = url_of(route, arguments(route, rule, outside, getattr(outside, rule.lookup_attr)))
            missing_url = url_of(
                route, arguments(route, rule, outside, _missing(outside, rule.lookup_attr))
            )
            for method in rule.methods:
                self.cases += 1
                before = snapshot(outside)
                response = send(client, method, url, rule.api)
                status = response.status_code
                if snapshot(outside) != before:
                    self.fail(route, who, f"{method} changed a record outside the user's scope")
                if status in (404, 405):
                    continue
                if status in (400, 403):
                    # allowed only when it does not depend on the record (decision 7)
                    same = send(client, method, missing_url, rule.api).status_code
                    if same == status:
                        continue
                    self.fail(
                        route,
                        who,
                        f"{method} answers {status} outside the scope but {same} for a missing "
                        "record",
                    )
                    continue
                self.fail(route, who, f"{method} answers {status} outside the scope (expected 404)")
        if rule.detail and inside is not None and rule.subject is None:
            self.cases += 1
            url = url_of(route, arguments(route, rule, inside, getattr(inside, rule.lookup_attr)))
            status = client.get(url).status_code
            if status != 200:
                self.fail(route, who, f"GET answers {status} for a record inside the scope")

    def listing(self, route: Route, rule: Rule, who: str, user: Any) -> None:
        assert rule.model is not None
        model: Any = model_of(rule.model)
        client = self.clients.of(user, rule.api)
        url = url_of(route, {})
        visible = set(model.objects.restrict(user, "view").values_list("pk", flat=True))
        self.cases += 1
        response = client.get(url)
        if response.status_code != 200:
            if has_any(user, rule.permission or rule.model, "view") or response.status_code not in (
                403,
                404,
            ):
                self.fail(route, who, f"list answers {response.status_code}")
            return
        if rule.api:
            body = response.json()
            rows = body["results"] if isinstance(body, dict) else body
            extra = {row.get("id") for row in rows if isinstance(row, dict)} - visible - {None}
            if extra:
                self.fail(route, who, f"lists records outside the scope: {sorted(extra)[:5]}")
            return
        content = response.content.decode()
        if rule.detail_name:
            linked = linked_pks(rule.detail_name, content)
            outside = {str(pk) for pk in linked} - {str(pk) for pk in visible}
            if outside:
                self.fail(route, who, f"links records outside the scope: {sorted(outside)[:5]}")
        if rule.export:
            self.cases += 1
            exported = client.get(url, {"_export": "csv"})
            if exported.status_code != 200:
                if (
                    has_any(user, rule.permission or rule.model, "export")
                    or exported.status_code != 404
                ):
                    self.fail(route, who, f"export answers {exported.status_code}")
                return
            text = b"".join(exported.streaming_content).decode("utf-8-sig")
            rows = list(csv.reader(io.StringIO(text)))[1:]
            allowed = model.objects.restrict(user, "export").count()
            if len(rows) > allowed:
                self.fail(
                    route, who, f"exports {len(rows)} rows, but only {allowed} are in the scope"
                )


def linked_pks(detail_name: str, content: str) -> set[str]:
    """The keys of the records whose detail page ``content`` links to."""
    from django.urls import NoReverseMatch, reverse

    try:
        sample = reverse(detail_name, args=["999999999"])
    except NoReverseMatch:
        return set()
    head, tail = sample.split("999999999")
    return set(re.findall(rf'href="{re.escape(head)}(\d+){re.escape(tail)}"', content))


def _placeholders(route: Route) -> dict[str, str]:
    """Values that the pattern accepts, for requests that must not reach a record."""
    named = {"fmt": "json", "format": "json", "app_label": "core"}
    values = {}
    for match in _ARG_WITH_REGEX.finditer(route.pattern):
        name = match.group(2) or match.group(3)
        converter, regex = match.group(1) or "", match.group(4)
        if name in named:
            values[name] = named[name]
            continue
        candidates = ["1", "none", "330502000000"]
        if converter == "slug" or name in ("transition", "name"):
            candidates = ["none", "1"]
        if regex:
            candidates = [c for c in candidates if re.fullmatch(regex, c)] or candidates
        values[name] = candidates[0]
    return values


_ARG_WITH_REGEX = re.compile(r"<(?:([^:<>]+):)?([^<>]+)>|\(\?P<([^>]+)>([^)]*)\)")


def _missing(record: Any, attr: str) -> Any:
    value = getattr(record, attr)
    if isinstance(value, int):
        biggest = type(record).objects.order_by("-pk").values_list("pk", flat=True).first()
        return (biggest or 0) + 100000
    return "0" * len(str(value))
