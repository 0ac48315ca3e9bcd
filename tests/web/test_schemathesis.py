"""Property-based API testing against our own OpenAPI schema: no server errors.

schemathesis generates requests from ``/openapi.json`` (valid and invalid
parameters) and calls the ASGI app in process; any 5xx fails the test.
"""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402


def test_no_server_errors_for_generated_requests(full_home):
    # an app of its own: schemathesis runs the app's lifespan, whose end closes the service (its snapshot),
    # which the session's shared app must keep for the tests after this one
    from creative_clusters.web.app import LOOPBACK_HOSTS, create_app

    app = create_app(full_home, allowed_hosts=[*LOOPBACK_HOSTS, "testserver"], precompute=False, watch=None)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    checked, failures = [], []
    for result in schema.get_all_operations():
        operation = result.ok()
        if "evidence" in operation.path:
            continue  # building packs for random codes is slow; tested in tests/reporting

        @settings(max_examples=10 if "profile" in operation.path else 30, deadline=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def run(case):
            response = case.call()
            if response.status_code >= 500:
                failures.append((case.operation.path, case.path_parameters, case.query,
                                 response.status_code, response.text[:200]))

        run()
        checked.append(operation.path)
    app.state.service.close()
    assert len(checked) >= 8
    assert failures == []
