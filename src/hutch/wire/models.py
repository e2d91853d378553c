"""botocore's service models: the single source of truth for every wire format hutch speaks.

Models are loaded once per process from the botocore data shipped with the pinned botocore, without building
a botocore Session (which would also read credentials and config files hutch has no business reading).
"""

from __future__ import annotations

from functools import cache

from botocore.loaders import Loader
from botocore.model import OperationModel, ServiceModel

# The services hutch serves, by botocore's name for them.
SERVICE_NAMES = ("cognito-idp", "cognito-identity", "iam", "sts", "s3")

_NO_AUTH = "smithy.api#noAuth"


@cache
def _loader() -> Loader:
    return Loader()


@cache
def service_model(name: str) -> ServiceModel:
    """The botocore model of ``name`` (cached); ``KeyError`` for a service hutch does not serve."""
    if name not in SERVICE_NAMES:
        raise KeyError(f"hutch does not serve {name!r}; it serves {', '.join(SERVICE_NAMES)}")
    data = _loader().load_service_model(name, "service-2")
    return ServiceModel(data, service_name=name)


def requires_auth(op: OperationModel) -> bool:
    """False when the model lets the operation be called unsigned (InitiateAuth, GetId, ...).

    Older models say ``authtype: none``; newer ones list ``auth: [smithy.api#noAuth]``. Either is enough.
    """
    if op.auth_type == "none":
        return False
    auth = op.auth
    return not (auth and list(auth) == [_NO_AUTH])


@cache
def _error_codes(name: str) -> dict[str, str]:
    model = service_model(name)
    return {shape.name: shape.error_code for shape in model.error_shapes if shape.error_code != shape.name}


def wire_error_code(model: ServiceModel, code: str) -> str:
    """The code the wire carries for ``code``: IAM's NoSuchEntityException travels as "NoSuchEntity".

    Handlers may raise either the wire code or the model's exception shape name; botocore maps the wire code
    back to the modeled exception class.
    """
    return _error_codes(model.service_name).get(code, code)
