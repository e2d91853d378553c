"""pycognito as the oracle client, driven in-process.

``SrpTransport`` stands in for pycognito's boto3 client (the client's transport, not hutch): it hands
InitiateAuth to ``ServerSession.start`` and RespondToAuthChallenge to ``check_claim``, passing the session
through ``to_state()`` / JSON / ``from_state()`` as a handler would through its database.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError
from pycognito.aws_srp import AWSSRP

from hutch.services.cognito_idp.srp import ClaimVerdict, ServerSession, pool_name_of

SessionStarter = Callable[[str], ServerSession]  # SRP_A hex -> session


class SrpTransport:
    def __init__(
        self,
        pool_id: str,
        user_id_for_srp: str,
        salt_hex: str,
        verifier_hex: str,
        *,
        username: str | None = None,
        announced_user_id: str | None = None,
        starter: SessionStarter | None = None,
    ) -> None:
        """``announced_user_id`` is the USER_ID_FOR_SRP sent to the client if it should differ from the
        session's; ``starter`` replaces the plain ``ServerSession.start`` (e.g. to pick among sessions)."""
        self.pool_name = pool_name_of(pool_id)
        self.user_id_for_srp = user_id_for_srp
        self.username = username or user_id_for_srp
        self.announced_user_id = announced_user_id or user_id_for_srp
        self._starter = starter or (
            lambda srp_a: ServerSession.start(self.pool_name, user_id_for_srp, salt_hex, verifier_hex, srp_a)
        )
        self.session: ServerSession | None = None
        self.stored_state = ""
        self.verdict: ClaimVerdict | None = None

    def initiate_auth(self, AuthFlow: str, AuthParameters: dict[str, str], ClientId: str) -> dict[str, Any]:
        assert AuthFlow == "USER_SRP_AUTH"
        self.session = self._starter(AuthParameters["SRP_A"])
        self.stored_state = json.dumps(self.session.to_state())
        parameters = self.session.challenge_parameters()
        parameters.update(USERNAME=self.username, USER_ID_FOR_SRP=self.announced_user_id)
        return {"ChallengeName": "PASSWORD_VERIFIER", "ChallengeParameters": parameters}

    def respond_to_auth_challenge(
        self, ClientId: str, ChallengeName: str, ChallengeResponses: dict[str, str], **_: Any
    ) -> dict[str, Any]:
        assert ChallengeName == "PASSWORD_VERIFIER"
        session = ServerSession.from_state(json.loads(self.stored_state))
        answer = ChallengeResponses
        self.verdict = session.check_claim(
            answer["PASSWORD_CLAIM_SECRET_BLOCK"],
            answer["TIMESTAMP"],
            answer["PASSWORD_CLAIM_SIGNATURE"],
            now=datetime.now(UTC),
        )
        if self.verdict is not ClaimVerdict.ACCEPTED:
            error = {"Code": "NotAuthorizedException", "Message": "Incorrect username or password."}
            raise ClientError({"Error": error}, "RespondToAuthChallenge")
        return {"ChallengeParameters": {}, "AuthenticationResult": {"AccessToken": "issued by the handler"}}


def pycognito_sign_in(transport: SrpTransport, pool_id: str, username: str, password: str) -> dict[str, Any]:
    """Run pycognito's whole USER_SRP_AUTH flow against the transport; ClientError when refused."""
    client = AWSSRP(
        username=username, password=password, pool_id=pool_id, client_id="client", client=transport
    )
    result: dict[str, Any] = client.authenticate_user()
    return result
