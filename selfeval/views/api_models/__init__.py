"""The API's shapes, one source: pydantic models that validate input, build output and make /api/v1/openapi.json.

The pattern, for a new endpoint (e.g. plans):

1. **Models, one module per resource** (assessments.py, analytics.py, catalog.py, …). Subclass `common.Closed`
   (no field beyond the declared ones, `additionalProperties: false` in the document) and reuse the shared types
   (`Schulnummer`, `RoundSlug`, `NumberOrNull`, …). `Field(description=…)` becomes the document's description.
2. **Output:** views/serializers.py builds the model from the service's result and answers with
   `model.model_dump(mode="json")`; a field the model does not declare fails at once, not in a client.
3. **Input:** the view validates the JSON body with the request model (`Model.model_validate(body)`) and turns
   pydantic's errors into the API's German field errors, as ratings.py does (`{"location", "message"}`, 422).
   A rule shared with a page lives in the service (services.rating_input.checked_comment) and the model calls it.
   Refusals are `ApiError(status, message, **details)`; errors.error_body builds them as the models of errors.py.
4. **The document:** add a row to `operations.OPERATIONS`: method, path, operationId, summary, the answers per status
   (`Response(description, Model)`, or `refusal(status, description)` for an error; the shared groups `READ_ERRORS`,
   `write_errors(…)`, `SCOPE_ERRORS`), parameters, headers (ETAG, NO_STORE, …) and the request model as `body`.
   openapi.generate turns the table and pydantic's JSON Schemas into the document; path parameters come from
   `openapi.PATH_PARAMETERS` by name.

tests/integration/test_api_contract.py holds the API to the document with schemathesis: every status, header and body
the API answers must be in the table, and every request the document calls valid must be accepted.
"""

from typing import Any

from ...catalog import Catalog
from .openapi import generate
from .operations import INFO, OPERATIONS, SECURITY_SCHEMES
from .plan_operations import PLAN_OPERATIONS

__all__ = ["openapi_document"]


def openapi_document(catalog: Catalog) -> dict[str, Any]:
    """The document of API v1 for the active catalogue `catalog` (its indicators and scale describe a valid rating)."""
    return generate(INFO, [*OPERATIONS, *PLAN_OPERATIONS], SECURITY_SCHEMES, catalog)
