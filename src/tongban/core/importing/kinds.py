"""What can be imported and exported: one declaration per kind of record.

A kind names its model, its columns (Chinese headers, the model attribute each
fills, a sample value and a note for the template), the natural key that makes
a re-run update instead of duplicate, and the references it resolves (a code or
number in the file to a foreign key). Per-row validation is the model's own
``clean_fields()`` and ``clean()``: the same rules as the forms and the API.

Another app adds a kind with one call, e.g. in its ``AppConfig.ready``::

    register(ImportKind(name="training", model=TrainingRecord, columns=[...],
                        natural_key=("person_id", "course_code", "start_date"),
                        refs=[PERSON_REF], filterset="tongban.skills.filtersets.TrainingFilterSet"))
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models.expressions import RawSQL
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tongban.core.masking import MASKERS

Parser = Callable[[str], Any]


def text(value: str) -> str:
    return value


def parse_date(value: str) -> datetime.date | None:
    if not value:
        return None
    cleaned = value.strip().replace("/", "-").replace(".", "-")
    if " " in cleaned:
        cleaned = cleaned.split(" ", 1)[0]
    try:
        return datetime.date.fromisoformat(cleaned)
    except ValueError:
        pass
    try:
        year, month, day = (int(p) for p in cleaned.split("-"))
        return datetime.date(year, month, day)
    except ValueError as exc:
        raise ValidationError(_("日期格式应为“年-月-日”，如2024-03-07"), code="date") from exc


def parse_bool(value: str) -> bool:
    if value in ("是", "Y", "y", "1", "true", "True", "TRUE"):
        return True
    if value in ("", "否", "N", "n", "0", "false", "False", "FALSE"):
        return False
    raise ValidationError(_("应填“是”或“否”"), code="boolean")


def choice(choices: type[models.TextChoices], *, default: str = "") -> Parser:
    """Accept a choice's Chinese label or its stored value."""
    by_text: dict[str, str] = {}

    def parse(value: str) -> str:
        if not value:
            return default
        if not by_text:
            for stored, label in choices.choices:
                by_text[str(label)] = stored
                by_text[stored] = stored
        try:
            return by_text[value]
        except KeyError:
            allowed = "、".join(str(label) for label in choices.labels)
            raise ValidationError(
                _("应为以下之一：%(allowed)s") % {"allowed": allowed}, code="choice"
            ) from None

    return parse


def choice_label(choices: type[models.TextChoices]) -> Callable[[Any], str]:
    labels = dict(choices.choices)
    return lambda value: str(labels.get(value, value or ""))


@dataclass(frozen=True)
class Column:
    """One column of the file.

    ``attr`` is the model attribute the parsed value goes to, or, for the columns of a
    reference (``virtual``), a name the reference reads its key from.
    ``export`` gets the cell text back from an object; ``mask`` names the masker
    (personal data) and ``reveal_path`` the path to the person whose data it is.
    """

    header: Any
    attr: str
    note: Any
    sample: str
    required: bool = False
    parse: Parser = text
    export: Callable[[Any], Any] | None = None
    virtual: bool = False
    mask: str | None = None
    reveal_path: str = "pk"

    @property
    def title(self) -> str:
        return str(self.header)

    def export_value(self, obj: Any, *, reveal: bool) -> str:
        if self.export is not None:
            value = self.export(obj)
        else:
            value = obj
            for part in self.attr.split("__"):
                value = getattr(value, part, None) if value is not None else None
        if value is None:
            return ""
        if isinstance(value, bool):
            return "是" if value else "否"
        if isinstance(value, datetime.date):
            return value.isoformat()
        result = str(value)
        if self.mask and not reveal:
            return MASKERS[self.mask](result)
        return result


def among(model: type[models.Model], name: str, values: Iterable[Any]) -> dict[str, Any]:
    """Filter arguments for ``name`` among ``values`` passed as one JSON parameter, which
    the database unpacks, instead of one parameter per value: a chunk's look-ups name
    thousands of values, and building the long ``IN (%s, …)`` is slow in the ORM. Falls
    back to the plain ``__in`` for a path across relations or values that are not text
    or integers."""
    wanted = list(values)
    plain = all(type(v) in (str, int) for v in wanted)
    if "__" in name or not plain or connection.vendor not in ("sqlite", "postgresql"):
        return {f"{name}__in": wanted}
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        return {f"{name}__in": wanted}
    if connection.vendor == "sqlite":
        unpacked = RawSQL("SELECT value FROM json_each(%s)", [json.dumps(wanted)])
    else:
        cast = field.db_type(connection)
        unpacked = RawSQL(  # noqa: S611 - the cast is the model field's own column type
            f"SELECT (jsonb_array_elements_text(%s::jsonb))::{cast}", [json.dumps(wanted)]
        )
    return {f"{name}__in": unpacked}


def key_filter(
    model: type[models.Model], names: Sequence[str], keys: Iterable[tuple[Any, ...]]
) -> dict[str, Any]:
    """Filter arguments narrowing ``model`` to candidates for ``keys`` (tuples of values of
    ``names``): every part of the key among its values, so that a unique index over the
    whole key serves the look-up (one part alone, if it is not the index's first column,
    reads the whole table). The caller keeps the exact matches."""
    keys = list(keys)
    filters: dict[str, Any] = {}
    for index, name in enumerate(names):
        values = {k[index] for k in keys}
        if None not in values:
            filters.update(among(model, name, values))
    return filters


@dataclass(frozen=True)
class Ref:
    """A foreign key found from natural values in the file: ``attr`` (e.g. ``person_id``)
    is the pk of the ``model`` row whose ``lookups`` equal the values of ``columns``."""

    attr: str
    model: type[models.Model]
    lookups: tuple[str, ...]
    columns: tuple[str, ...]
    missing: Any  # message when no row matches
    blame: str = ""  # column attr the error is reported on (default: the last column)
    # resolve only among the rows the importing user may ``action`` (e.g. "change"): a row
    # outside the user's scope reads as missing, as a page answers 404. Needed when the
    # kind's own scope does not cover what the row refers to (a result written onto a
    # contest's entry); unset, any registered row is found and the write is scope-checked.
    action: str | None = None

    @property
    def blamed(self) -> str:
        return self.blame or self.columns[-1]

    def resolve(
        self, keys: Iterable[tuple[Any, ...]], user: Any = None
    ) -> dict[tuple[Any, ...], int]:
        wanted = {k for k in keys if all(v not in (None, "") for v in k)}
        if not wanted:
            return {}
        found: dict[tuple[Any, ...], int] = {}
        manager: Any = self.model._default_manager
        if self.action is not None:
            manager = manager.restrict(user, self.action)
        rows = manager.filter(**key_filter(self.model, self.lookups, wanted))
        for values in rows.values_list(*self.lookups, "pk").iterator(chunk_size=5000):
            key = tuple(values[:-1])
            if key in wanted:
                found[key] = values[-1]
        return found


@dataclass
class ImportKind:
    """A kind of record that can be imported and exported (see the module docstring)."""

    name: str
    model: type[models.Model]
    columns: list[Column]
    natural_key: tuple[str, ...]
    refs: list[Ref] = field(default_factory=list)
    filterset: str = ""  # dotted path of the FilterSet the export filters go through
    # attributes written on insert only (kept on update), with a function of the acting user
    insert_only: dict[str, Callable[[Any], Any]] = field(default_factory=dict)
    # fields the import never writes on update (kept as they are), e.g. a workflow state
    keep_on_update: tuple[str, ...] = ()
    prepare: Callable[[Any], None] | None = None  # derived fields, after clean()
    derived: tuple[str, ...] = ()  # fields ``clean()``/``prepare`` fill from the columns
    export_related: tuple[str, ...] = ()  # select_related for export
    label: Any = ""
    # rules a row's ``clean()`` cannot see: those that read other records or the other rows
    # of the chunk (a rank held by another entry, a name that does not match the person).
    # Called per chunk with the rows that passed ``clean()`` and the importing user; yields
    # ``(row, ValidationError)`` for the rows it refuses (field names as in ``clean()``).
    check: Callable[[list[Any], Any], Iterable[tuple[Any, ValidationError]]] | None = None
    # how a chunk is written when its rows are not one table's rows, e.g. a result that
    # goes onto the entry the person competed in: called with the checked rows and the
    # user inside the chunk's transaction, instead of the natural-key upsert
    write: Callable[[list[Any], Any], None] | None = None
    # what saving a record through its form would also do (a signal, a service's second
    # step), for the pks of the rows just written, inside the chunk's transaction; it must
    # be idempotent, since a re-run writes the same rows again
    after_write: Callable[[list[int]], None] | None = None
    # validate each chunk only once the chunks above it are written, because ``check``
    # reads what this same file writes; otherwise a large file is validated a few chunks
    # ahead in worker processes (``workers.py``; a custom ``write`` or a reference to
    # another row of the file implies it)
    in_order: bool = False

    @property
    def title(self) -> str:
        return str(self.label or self.model._meta.verbose_name_plural)

    @property
    def model_label(self) -> str:
        return self.model._meta.label_lower

    def column(self, attr: str) -> Column:
        for c in self.columns:
            if c.attr == attr:
                return c
        raise KeyError(attr)

    def header_of(self, attr: str) -> str | None:
        """The header blamed for an error on model field ``attr`` (references included)."""
        for c in self.columns:
            if c.attr == attr and not c.virtual:
                return c.title
        for ref in self.refs:
            if attr in (ref.attr, ref.attr.removesuffix("_id")):
                return self.column(ref.blamed).title
        for c in self.columns:
            if c.attr == attr:
                return c.title
        return None

    def get_filterset(self) -> Any:
        return import_string(self.filterset) if self.filterset else None

    def insert_fields(self) -> list[models.Field]:
        """Every concrete column of a new row (unset ones take the model's defaults)."""
        return [f for f in self.model._meta.concrete_fields if not f.primary_key]

    def update_fields(self) -> list[models.Field]:
        """The columns a re-import overwrites: what the file holds and what derives from it."""
        names = {c.attr for c in self.columns if not c.virtual}
        names |= {r.attr for r in self.refs} | set(self.derived)
        result = []
        for f in self.insert_fields():
            if f.attname in self.natural_key or f.name in self.keep_on_update:
                continue
            if f.attname in names or f.name in names or getattr(f, "auto_now", False):
                result.append(f)
        return result


REGISTRY: dict[str, ImportKind] = {}


def register(kind: ImportKind) -> ImportKind:
    REGISTRY[kind.name] = kind
    return kind


def get_kind(name: str) -> ImportKind:
    from django.utils.translation import gettext as _

    try:
        return REGISTRY[name]
    except KeyError:
        raise ValidationError(
            _("未知的数据类别“%(name)s”，可用：%(names)s")
            % {"name": name, "names": "、".join(sorted(REGISTRY))},
            code="kind",
        ) from None


def kind_for_model(model: type[models.Model]) -> ImportKind | None:
    for kind in REGISTRY.values():
        if kind.model is model:
            return kind
    return None


# Shared columns and references other apps reuse in their declarations.
def person_columns(prefix_note: Any = "") -> list[Column]:
    """The two columns that identify a person (document type and number)."""
    from tongban.core.models import DocumentType

    return [
        Column(
            gettext_lazy("证件类型"),
            "person_document_type",
            gettext_lazy(
                "居民身份证、港澳台居民居住证、外国人永久居留身份证或护照；空白为居民身份证"
            ),
            "居民身份证",
            parse=choice(DocumentType, default=DocumentType.RESIDENT_ID),
            export=lambda obj: choice_label(DocumentType)(obj.person.document_type),
            virtual=True,
        ),
        Column(
            gettext_lazy("证件号码"),
            "person_document_number",
            gettext_lazy("已登记人员的证件号码（请设置为文本格式，避免Excel改成科学计数法）"),
            "330502199003070011",
            required=True,
            parse=lambda v: v.replace(" ", "").upper(),
            export=lambda obj: obj.person.document_number,
            virtual=True,
            mask="document_number",
            reveal_path="person_id",
        ),
    ]


def person_ref() -> Ref:
    from tongban.core.models import Person

    return Ref(
        "person_id",
        Person,
        ("document_number", "document_type"),
        ("person_document_number", "person_document_type"),
        gettext_lazy("未找到持该证件的人员，请先导入人员"),
        blame="person_document_number",
    )


def person_name_column() -> Column:
    """An optional 姓名 beside the document number: a check, and a readable export."""
    return Column(
        gettext_lazy("姓名"),
        "person_name",
        gettext_lazy("可空；填写时须与该证件号码登记的姓名一致"),
        "张三",
        export=lambda obj: obj.person.name,
        virtual=True,
    )


def person_name_refusals(rows: list[Any]) -> Iterable[tuple[Any, ValidationError]]:
    """A ``check`` for kinds with ``person_name_column()``: a name given that is not the
    registered person's (the registered name is not shown)."""
    from tongban.core.models import Person

    named = [r for r in rows if (r.values.get("person_name") or "").strip()]
    names = dict(
        Person.objects.filter(pk__in={r.instance.person_id for r in named}).values_list(
            "pk", "name"
        )
    )
    for row in named:
        if names.get(row.instance.person_id) != row.values["person_name"].strip():
            yield (
                row,
                ValidationError(
                    {"person_name": _("姓名与该证件号码登记的姓名不符")}, code="name_mismatch"
                ),
            )
