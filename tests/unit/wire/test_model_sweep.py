"""Every operation of the json and query services round-trips through botocore with generated values.

For each operation hypothesis builds input params that satisfy the model (botocore serializes them, the codec
must parse back exactly those params) and an output dict (the codec serializes it, botocore's parser must give
back exactly that dict). This covers every shape kind the models use: nested structures, lists of structures,
maps, timestamps, blobs, booleans, integers, floats, unions, documents.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from botocore.handlers import json_decode_policies
from botocore.model import ListShape, MapShape, Shape, StructureShape
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from hutch.wire.models import service_model
from hutch.wire.validate import violations
from tests.unit.wire.oracle import Oracle, without_metadata
from tests.unit.wire.strategies import structures

_SERVICES = ("cognito-idp", "cognito-identity", "iam", "sts")
_ORACLES: dict[str, Oracle] = {}
_GONE = object()


def _oracle(service: str) -> Oracle:
    if service not in _ORACLES:
        _ORACLES[service] = Oracle(service)
    return _ORACLES[service]


def _operations() -> list[tuple[str, str]]:
    return [(service, name) for service in _SERVICES for name in service_model(service).operation_names]


def _as_query_sends(shape: Shape, value: Any) -> Any:
    """What survives botocore's query serializer: an empty map or structure sends no key at all."""
    if isinstance(shape, StructureShape):
        if not value:
            return _GONE
        kept = {k: _as_query_sends(shape.members[k], v) for k, v in value.items()}
        kept = {k: v for k, v in kept.items() if v is not _GONE}
        return kept or _GONE
    if isinstance(shape, MapShape):
        if not value:
            return _GONE
        return {k: _as_query_sends(shape.value, v) for k, v in value.items()}
    if isinstance(shape, ListShape):
        items = [item for item in (_as_query_sends(shape.member, v) for v in value) if item is not _GONE]
        # An empty list is sent as "Name="; a list whose items all send nothing sends nothing at all.
        return items if items or not value else _GONE
    return value


@pytest.mark.parametrize(("service", "operation"), _operations())
@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_operation_round_trips_through_botocore(service: str, operation: str, data: st.DataObject) -> None:
    model = service_model(service)
    op = model.operation_model(operation)
    query = model.protocol == "query"
    params = data.draw(
        structures(op.input_shape, xml_safe=False, response=False) if op.input_shape else st.just({})
    )
    result = data.draw(
        structures(op.output_shape, xml_safe=query, response=True) if op.output_shape else st.just({})
    )
    expected = params
    if query and op.input_shape is not None:
        sent = _as_query_sends(op.input_shape, params)
        expected = {} if sent is _GONE else sent
        # A required structure left empty cannot be sent in the query protocol at all.
        assume(not violations(op.input_shape, expected, constraints=False))
    expected_result = copy.deepcopy(result)
    if service == "iam":
        # botocore url-decodes and JSON-parses IAM policy documents (IAM sends them URL-encoded).
        json_decode_policies(expected_result, op)
    oracle = _oracle(service)

    response = oracle.call(operation, params, result)

    assert oracle.last.operation == operation
    assert oracle.last.parsed == expected
    assert without_metadata(response) == expected_result
