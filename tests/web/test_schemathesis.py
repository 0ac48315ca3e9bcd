"""Property-based API testing against our own OpenAPI schema: no server errors."""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402


def test_no_server_errors_for_any_schema_valid_request(web_app):
    schema = schemathesis.openapi.from_asgi("/openapi.json", web_app)
    failures = []
    for op in schema.get_all_operations():
        operation = op.ok()
        if "evidence" in operation.path:
            continue  # generating packs for random codes is slow; covered by its own test

        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
        @schemathesis.given(case=operation.as_strategy())
        def run(case):
            response = case.call()
            if response.status_code >= 500:
                failures.append((operation.path, case.path_parameters, case.query, response.status_code))

        run()
    assert failures == []
