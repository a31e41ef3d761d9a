"""The OpenAPI 3.1 document, generated from the models and the table of operations (operations.py).

Nothing here describes a shape: the JSON Schemas are pydantic's of the models, the paths are the table's. This module
only knows how the two become one document.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, TypeAdapter
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaMode, models_json_schema
from pydantic_core import core_schema

from ...catalog import Catalog
from .common import RoundSlug, Schulnummer

COMPONENT = "#/components/schemas/{model}"
#: OpenAPI header objects by name, e.g. {"ETag": {"required": True, "schema": …}}.
Headers = dict[str, Any]


@dataclass(frozen=True)
class Response:
    """One status of an operation: a JSON body of `model` (a list of them if `many`), or `content` as it stands."""

    description: str
    model: type[BaseModel] | None = None
    many: bool = False
    content: dict[str, Any] | None = None
    headers: Headers = field(default_factory=dict)
    links: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Operation:
    """One row of the table: a method on a path, its parameters, its request model and its answers per status."""

    method: str
    path: str
    operation_id: str
    summary: str
    responses: dict[int, Response]
    description: str = ""
    parameters: tuple[dict[str, Any], ...] = ()
    #: The request model; made per catalogue where the catalogue decides what is valid (ratings.model_for).
    body: Callable[[Catalog], type[BaseModel]] | None = None
    #: No authentication needed (the API's PUBLIC_ENDPOINTS).
    public: bool = False


class _Schemas(GenerateJsonSchema):
    """Pydantic's JSON Schema, plainer: `{"type": ["number", "null"]}` for a nullable simple type, no titles."""

    def nullable_schema(self, schema: core_schema.NullableSchema) -> dict[str, Any]:
        inner = self.generate_inner(schema["schema"])
        if isinstance(inner.get("type"), str) and "$ref" not in inner:
            return {**inner, "type": [inner["type"], "null"]}
        return super().nullable_schema(schema)

    def dict_schema(self, schema: core_schema.DictSchema) -> dict[str, Any]:
        """Keys with a pattern: every key must match it (pydantic's patternProperties would let other keys pass)."""
        generated = super().dict_schema(schema)
        if len(generated.get("patternProperties", {})) == 1 and "additionalProperties" not in generated:
            ((pattern, values),) = generated.pop("patternProperties").items()
            generated |= {"propertyNames": {"pattern": pattern}, "additionalProperties": values}
        return generated

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False


def _plain(node: Any, *, names: bool = False) -> Any:
    """The schema without the titles and defaults pydantic adds (`names`: a mapping of property names to schemas)."""
    if isinstance(node, list):
        return [_plain(item) for item in node]
    if not isinstance(node, dict):
        return node
    if names:
        return {key: _plain(value) for key, value in node.items()}
    return {
        key: _plain(value, names=key in ("properties", "$defs")) for key, value in node.items() if key not in ("title", "default")
    }


def parameter_schema(annotation: Any) -> dict[str, Any]:
    """The JSON Schema of a path or query parameter's type, e.g. Schulnummer."""
    return _plain(TypeAdapter(annotation).json_schema(schema_generator=_Schemas))


PATH_PARAMETERS: dict[str, dict[str, Any]] = {
    "schulnummer": {"schema": parameter_schema(Schulnummer), "example": "199001"},
    "round": {"schema": parameter_schema(RoundSlug), "example": "2025-26"},
    "agreement_id": {"schema": {"type": "integer", "minimum": 1, "maximum": 2147483647}, "example": 1},
    "job_id": {"schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{22}$"}, "example": "Xk3vQ0aZ9bC8dE7fG6hI5j"},
}


def generate(
    info: dict[str, Any], operations: list[Operation], security_schemes: dict[str, Any], catalog: Catalog
) -> dict[str, Any]:
    """The document: `info`, the operations' paths and the components of every model they name (for `catalog`)."""
    bodies = {op.operation_id: op.body(catalog) for op in operations if op.body is not None}
    models: list[tuple[type[BaseModel], JsonSchemaMode]] = [(body, "validation") for body in bodies.values()]
    models += [(response.model, "serialization") for op in operations for response in op.responses.values() if response.model]
    refs, definitions = models_json_schema(list(dict.fromkeys(models)), ref_template=COMPONENT, schema_generator=_Schemas)
    paths: dict[str, Any] = {}
    for op in operations:
        item = paths.setdefault(op.path, _path_item(op.path))
        item[op.method] = _operation(op, bodies.get(op.operation_id), lambda model, mode: refs[(model, mode)])
    return {
        "openapi": "3.1.0",
        "info": info,
        "servers": [{"url": "/api/v1"}],
        "security": [{name: []} for name in security_schemes],
        "paths": paths,
        "components": {"schemas": _plain(definitions.get("$defs", {}), names=True), "securitySchemes": security_schemes},
    }


def _path_item(path: str) -> dict[str, Any]:
    names = [name for name in PATH_PARAMETERS if "{" + name + "}" in path]
    if not names:
        return {}
    return {"parameters": [{"name": name, "in": "path", "required": True, **PATH_PARAMETERS[name]} for name in names]}


def _operation(op: Operation, body: type[BaseModel] | None, ref: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    document: dict[str, Any] = {"operationId": op.operation_id, "summary": op.summary}
    if op.description:
        document["description"] = op.description
    if op.public:
        document["security"] = []
    if op.parameters:
        document["parameters"] = list(op.parameters)
    if body is not None:
        schema = ref(body, "validation")
        document["requestBody"] = {"required": True, "content": {"application/json": {"schema": schema}}}
    document["responses"] = {str(status): _response(response, ref) for status, response in sorted(op.responses.items())}
    return document


def _response(response: Response, ref: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    document: dict[str, Any] = {"description": response.description}
    if response.headers:
        document["headers"] = response.headers
    if response.model is not None:
        schema = ref(response.model, "serialization")
        schema = {"type": "array", "items": schema} if response.many else schema
        document["content"] = {"application/json": {"schema": schema}}
    elif response.content is not None:
        document["content"] = response.content
    if response.links:
        document["links"] = response.links
    return document
