from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import QueryDict

from tongban.core.importing.commands import acting_user
from tongban.core.importing.export import export_to_file, filtered, kind_columns
from tongban.core.importing.kinds import get_kind


class Command(BaseCommand):
    help = (
        "Export KIND to a .xlsx or .csv file: `tongban export KIND [--filter NAME=VALUE …] FILE "
        "[--as USERNAME]`; the filters are the list page's. As the platform operator by default; "
        "with --as, that user's scope and masking."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind")
        parser.add_argument("file")
        parser.add_argument(
            "--filter", action="append", default=[], metavar="NAME=VALUE", help="repeatable"
        )
        parser.add_argument("--as", dest="as_user")
        parser.add_argument(
            "--masked", action="store_true", help="mask personal data even where it may be revealed"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        filters = QueryDict(mutable=True)
        for item in options["filter"]:
            name, sep, value = item.partition("=")
            if not sep:
                raise CommandError(f"--filter wants NAME=VALUE, got {item!r}")
            filters.appendlist(name, value)
        try:
            kind = get_kind(options["kind"])
            user = acting_user(options["as_user"])
            queryset = filtered(kind, user, filters)
            exported = export_to_file(
                Path(options["file"]),
                queryset,
                kind_columns(kind),
                user=user,
                kind=kind.name,
                filters=filters,
                channel="command",
                title=kind.title,
                reveal=not options["masked"],
            )
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(f"exported {exported.row_count} rows to {options['file']}")
