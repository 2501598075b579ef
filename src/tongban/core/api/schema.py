"""OpenAPI schema: every operation documents the error answers it can give.

drf-spectacular documents only the success answer. The API also answers 400 (a
malformed body or filter, a rule refused), 401 (no or a wrong token), 403 (a role
without the right to add such records, or a session request without its CSRF token)
and 404 (a missing record or one outside the caller's scope, named in the path or in
the body, or a page past the last). Clients and the fuzz test read the schema, so it
names them with their bodies. A view that answers another error (e.g. 404 for a region
outside the caller's scope given as a query parameter) declares it with
``OpenApiResponse(description=…)``; the body is filled in here.
"""

from __future__ import annotations

import copy
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular import openapi
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers

ERROR = ResolvedComponent(
    name="Error",
    type=ResolvedComponent.SCHEMA,
    object="Error",
    schema={
        "type": "object",
        "description": "错误说明",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
)
VALIDATION_ERROR = ResolvedComponent(
    name="ValidationError",
    type=ResolvedComponent.SCHEMA,
    object="ValidationError",
    schema={
        "type": "object",
        "description": (
            "字段名（或 non_field_errors）对应错误信息列表；嵌套字段为同样结构的对象；"
            "请求体无法解析时只有 detail"
        ),
        "additionalProperties": {
            "oneOf": [
                {"type": "array", "items": {}},
                {"type": "object"},
                {"type": "string"},
            ]
        },
    },
)

# status code -> (body, description)
ERROR_RESPONSES: dict[str, tuple[ResolvedComponent, str]] = {
    "400": (VALIDATION_ERROR, "请求数据或查询参数有误"),
    "401": (ERROR, "未提供认证信息或认证令牌无效"),
    "403": (ERROR, "无权进行此操作，或会话请求缺少 CSRF 令牌"),
    "404": (ERROR, "记录（或请求中所指的记录）不存在、不在您的管辖范围内，或页码超出范围"),
}


class AutoSchema(openapi.AutoSchema):
    def get_operation(
        self,
        path: str,
        path_regex: str,
        path_prefix: str,
        method: str,
        registry: Any,
    ) -> dict[str, Any] | None:
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation["responses"]
        for code in self.error_codes(operation):
            responses.setdefault(code, {"description": ERROR_RESPONSES[code][1]})
        for code, response in responses.items():
            # an error a view declares without a body (``OpenApiResponse(description=…)``)
            # gets the body every error of that code has
            if code in ERROR_RESPONSES and "content" not in response:
                component = ERROR_RESPONSES[code][0]
                registry.register_on_missing(component)
                response["content"] = {
                    media_type: {"schema": component.ref}
                    for media_type in self.map_renderers("media_type")
                }
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def _map_serializer_field(
        self, field: Any, direction: Any, bypass_extensions: bool = False
    ) -> dict[str, Any]:
        # DRF drops ``allow_blank`` from a field listed in ``read_only_fields``, so a choice
        # the model leaves blank ("" until set, e.g. an event's satisfaction) would be
        # documented as never empty
        if (
            isinstance(field, serializers.ChoiceField)
            and field.read_only
            and not field.allow_blank
            and _model_field_blank(field)
        ):
            field = copy.copy(field)
            field.allow_blank = True
        return super()._map_serializer_field(field, direction, bypass_extensions)

    def error_codes(self, operation: dict[str, Any]) -> list[str]:
        parameters = operation.get("parameters", [])
        query = {p["name"] for p in parameters if p["in"] == "query"}
        codes = []
        # pagination and ordering never refuse a value: a bad page is 404, a bad order ignored
        if "requestBody" in operation or query - {"page", "ordering"}:
            codes.append("400")
        if {} not in operation.get("security", [{}]):
            codes += ["401", "403"]
        # a record named in the path or the body that the caller cannot see is 404, like a
        # missing one; so is a page past the last
        if (
            "requestBody" in operation
            or "page" in query
            or any(p["in"] == "path" for p in parameters)
        ):
            codes.append("404")
        return codes


def _model_field_blank(field: serializers.Field) -> bool:
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    source = field.source
    if model is None or not isinstance(source, str) or not source or "." in source:
        return False
    try:
        return bool(model._meta.get_field(source).blank)
    except FieldDoesNotExist:
        return False
