"""Authorization glue: collects the policies that apply to a call and asks the policy engine.

(Provisional until the policy engine lands: root is allowed, everyone else is denied.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hutch.errors import ServiceError

if TYPE_CHECKING:
    from hutch.auth.principal import Principal
    from hutch.operations import Call
    from hutch.runtime import Runtime


class Access:
    def __init__(self, rt: Runtime) -> None:
        self.rt = rt

    def decide(self, call: Call, action: str, resource: str, **kwargs: Any) -> Any:
        return call.principal.is_root

    def require(self, call: Call, action: str, resource: str, **kwargs: Any) -> Any:
        if not self.decide(call, action, resource, **kwargs):
            raise ServiceError("AccessDenied", f"{call.principal.arn} may not {action} on {resource}", 403)
        return True

    def require_admin(self, principal: Principal, action: str, request_id: str) -> None:
        if not principal.is_root:
            raise ServiceError("AccessDenied", f"{principal.arn} may not {action}", 403)
