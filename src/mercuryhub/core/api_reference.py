"""The API reference at /api/v1/docs: a page of the site, rendered on the server from the OpenAPI
schema that /api/v1/openapi.json serves, instead of Swagger UI (430 KB of scripts).

Operations come grouped by tag, each with its parameters, request body, responses and an example
call; the schemas they refer to follow, each property with its type and description."""

import json
import re
import shlex
from typing import Any

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from ninja.openapi.docs import DocsBase

_METHODS = ("get", "post", "put", "patch", "delete")
_ENUM_SHOWN = 12  # longer enumerations are cut, with the count of the rest


class ApiReference(DocsBase):
    def render_page(self, request, api, **kwargs):
        schema = api.get_openapi_schema(path_params=kwargs)
        openapi_url = self.get_openapi_url(api, kwargs)
        # The API has no address per language: the page speaks the visitor's language, as the
        # switcher (a cookie) or the browser (Accept-Language) asks, or as ?lang= says.
        language = request.GET.get("lang")
        if language not in dict(settings.LANGUAGES):
            language = translation.get_language_from_request(request)
        with translation.override(language):
            return self._render(request, schema, openapi_url)

    def _render(self, request, schema, openapi_url):
        return render(
            request,
            "core/api_reference.html",
            {
                "info": schema.get("info", {}),
                "description": _text(schema.get("info", {}).get("description", "")),
                "tags": _operations_by_tag(schema),
                "schemas": _schemas(schema),
                "openapi_url": openapi_url,
                "openapi_address": request.build_absolute_uri(openapi_url),
                "home_url": reverse("core-home"),
            },
        )


def _operations_by_tag(schema) -> list[dict]:
    tags: dict[str, list[dict]] = {}
    for path, item in schema.get("paths", {}).items():
        for method in _METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            tag = (operation.get("tags") or ["api"])[0]
            tags.setdefault(tag, []).append(_operation(schema, method, path, operation))
    return [
        {"name": name, "anchor": "tag-" + _anchor(name), "operations": operations}
        for name, operations in tags.items()
    ]


def _operation(schema, method: str, path: str, operation: dict) -> dict:
    parameters = [
        {
            "name": parameter["name"],
            "location": parameter.get("in", ""),
            "type": _type(parameter.get("schema", {})),
            "required": parameter.get("required", False),
            "description": _text(
                parameter.get("description") or parameter.get("schema", {}).get("description", "")
            ),
        }
        for parameter in operation.get("parameters", [])
    ]
    body = operation.get("requestBody", {}).get("content", {})
    body_type, body_schema = next(iter(body.items()), (None, {}))
    responses = [
        {
            "status": status,
            "description": response.get("description", ""),
            "content": [
                {"media_type": media_type, "type": _type(content.get("schema", {}))}
                for media_type, content in response.get("content", {}).items()
            ],
        }
        for status, response in operation.get("responses", {}).items()
    ]
    return {
        "id": operation.get("operationId") or _anchor(method + path),
        "method": method.upper(),
        "path": path,
        "summary": operation.get("summary", ""),
        "description": _text(operation.get("description", "")),
        "needs_token": bool(operation.get("security")),
        "parameters": parameters,
        "body": {"media_type": body_type, "type": _type(body_schema.get("schema", {}))}
        if body_type
        else None,
        "responses": responses,
        "example": _example_call(schema, method, path, operation, body_type, body_schema),
    }


def _example_call(schema, method, path, operation, body_type, body_schema) -> str:
    required = [
        parameter
        for parameter in operation.get("parameters", [])
        if parameter.get("required") and parameter.get("in") in {"path", "query"}
    ]
    address = settings.SITE_URL + path
    query = []
    for parameter in required:
        value = str(_example_value(schema, parameter.get("schema", {}), parameter["name"]))
        if parameter["in"] == "path":
            address = address.replace("{" + parameter["name"] + "}", value)
        else:
            query.append(f"{parameter['name']}={value}")
    if query:
        address += "?" + "&".join(query)
    words = ["curl"]
    if method != "get":
        words += ["-X", method.upper()]
    if operation.get("security"):
        words += ["-H", "Authorization: Bearer <token>"]
    if body_type == "application/json":
        example = _example_value(schema, body_schema.get("schema", {}), "body")
        words += ["-H", "Content-Type: application/json", "-d", json.dumps(example)]
    words.append(address)
    return " ".join(shlex.quote(word) if word != "curl" else word for word in words)


def _resolve(schema, node: dict) -> tuple[str | None, dict]:
    reference = node.get("$ref")
    if not reference:
        return None, node
    name = reference.rsplit("/", 1)[-1]
    return name, schema.get("components", {}).get("schemas", {}).get(name, {})


def _example_value(schema, node: dict, name: str, depth: int = 0) -> Any:
    _, node = _resolve(schema, node)
    if "example" in node:
        return node["example"]
    if "enum" in node:
        return node["enum"][0]
    if "default" in node and node["default"] not in (None, [], ""):
        return node["default"]
    options = [option for option in node.get("anyOf", []) if option.get("type") != "null"]
    if options:
        return _example_value(schema, options[0], name, depth)
    kind = node.get("type")
    if kind == "object" and depth < 2:
        required = node.get("required", list(node.get("properties", {}))[:2])
        return {
            key: _example_value(schema, value, key, depth + 1)
            for key, value in node.get("properties", {}).items()
            if key in required
        }
    if kind == "array":
        return [_example_value(schema, node.get("items", {}), name, depth + 1)]
    return {"integer": 1, "number": 1.5, "boolean": True}.get(kind, name)


def _type(node: dict) -> dict:
    """A schema as a short phrase: {"text": ..., "ref": schema name or None}."""
    reference = node.get("$ref")
    if reference:
        name = reference.rsplit("/", 1)[-1]
        return {"text": name, "ref": name}
    options = node.get("anyOf") or node.get("oneOf")
    if options:
        types = [_type(option) for option in options]
        ref = next((item["ref"] for item in types if item["ref"]), None)
        return {"text": " | ".join(item["text"] for item in types), "ref": ref}
    kind = node.get("type", "any")
    if kind == "array":
        inner = _type(node.get("items", {}))
        return {"text": f"array[{inner['text']}]", "ref": inner["ref"]}
    text = kind + (f" ({node['format']})" if node.get("format") else "")
    if "enum" in node:
        values = [str(value) for value in node["enum"]]
        shown = ", ".join(values[:_ENUM_SHOWN])
        if len(values) > _ENUM_SHOWN:
            shown += f", … (+{len(values) - _ENUM_SHOWN})"
        text += f": {shown}"
    return {"text": text, "ref": None}


def _schemas(schema) -> list[dict]:
    components = schema.get("components", {}).get("schemas", {})
    return [
        {
            "name": name,
            "description": _text(node.get("description", "")),
            "properties": [
                {
                    "name": key,
                    "type": _type(value),
                    "required": key in node.get("required", []),
                    "description": _text(value.get("description", "")),
                }
                for key, value in node.get("properties", {}).items()
            ],
        }
        for name, node in sorted(components.items())
    ]


def _anchor(text: str) -> str:
    return "".join(character if character.isalnum() else "-" for character in text.lower())


def _text(text: str) -> str:
    """A description as HTML: escaped, with its `code` spans marked up."""
    return mark_safe(re.sub(r"`([^`]+)`", r"<code>\1</code>", escape(text)))  # noqa: S308
