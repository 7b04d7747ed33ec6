"""The API's OpenAPI document is committed (docs/openapi.json): a change of the API that is
not in that file fails here. `make openapi` writes it again."""

from __future__ import annotations

import json
from pathlib import Path

from django.urls import reverse
from ninja.responses import NinjaJSONEncoder

from config.urls import api

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def generated() -> dict:
    return json.loads(json.dumps(api.get_openapi_schema(), cls=NinjaJSONEncoder))


def test_the_committed_schema_is_the_one_the_api_generates():
    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert generated() == committed, "the API changed: run `make openapi`, commit docs/openapi.json"


def test_the_served_schema_is_the_committed_one(client, analyst):
    client.force_login(analyst)
    response = client.get(reverse("api:openapi-json"))
    assert response.status_code == 200
    assert response.json() == json.loads(COMMITTED.read_text(encoding="utf-8"))


def test_every_endpoint_says_it_takes_a_bearer_token():
    schema = generated()
    assert schema["components"]["securitySchemes"] == {
        "TokenAuth": {"scheme": "bearer", "type": "http"}
    }
    operations = [op for path in schema["paths"].values() for op in path.values()]
    assert len(operations) == 12
    assert all(op["security"] == [{"TokenAuth": []}] for op in operations)
