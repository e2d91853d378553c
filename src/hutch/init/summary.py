"""The friendly text `hutch init` prints: what it did, the ids, who may write where, and what to do next."""

from __future__ import annotations

import json
from pathlib import Path

from hutch.init.output import Setup, amplify_config
from hutch.init.policies import folders
from hutch.init.report import Report

_MARK = {"created": "created", "updated": "updated", "unchanged": "ok (unchanged)"}


def render(setup: Setup, report: Report, output: Path | None) -> str:
    kind_width = max(len(s.resource) for s in report.steps)
    name_width = max(len(s.name) for s in report.steps)
    lines = [f"hutch init: app {setup.app!r}, layout {setup.layout}, {setup.endpoint} ({setup.region})", ""]
    for step in report.steps:
        outcome = _MARK[step.action] + (f": {step.detail}" if step.detail else "")
        lines.append(f"  {step.resource.ljust(kind_width)}  {step.name.ljust(name_width)}  {outcome}")
    if not report.changed:
        lines.append("  (everything was already as intended)")
    lines += [
        "",
        f"  user pool id       {setup.user_pool_id}",
        f"  app client id      {setup.user_pool_client_id}   (no secret; SRP, password and refresh sign-in)",
        f"  identity pool id   {setup.identity_pool_id}",
        f"  Logins key         {setup.provider}",
        f"  bucket             {setup.bucket}",
        f"  authenticated role {setup.authenticated_role}",
    ]
    if setup.unauthenticated_role:
        lines.append(f"  guest role         {setup.unauthenticated_role}")
    lines += ["", *_access(setup), "", *_next_steps(setup, output)]
    return "\n".join(lines)


def _access(setup: Setup) -> list[str]:
    places = folders(setup.layout, setup.app)
    if setup.layout == "seed":
        who = "Each signed-in user" + (" and each guest" if setup.guest else "")
        rules = [f"{who} may read, write, delete and list under {places['own']} only."]
    else:
        rules = [
            f"Signed-in users: read/write/delete {places['public']}*, {places['protected']}* and"
            f" {places['private']}*; read everyone's protected/*.",
        ]
        if setup.guest:
            rules.append("Guests: read public/* and protected/*.")
    rules.append(
        "{identityId} is the identity id from GetId (<region>:<uuid>), not the user pool's `sub`:"
        " the policies say ${cognito-identity.amazonaws.com:sub}, which is the identity id."
    )
    return rules


def _next_steps(setup: Setup, output: Path | None) -> list[str]:
    pool = setup.user_pool_id
    lines = [
        "Next: create a user (with the same AWS_* variables, e.g. from `hutch credentials`):",
        f"  aws cognito-idp admin-create-user --user-pool-id {pool} --username alice"
        " --message-action SUPPRESS",
        f"  aws cognito-idp admin-set-user-password --user-pool-id {pool} --username alice"
        " --password 'Wonderland-1' --permanent",
        "",
        "Amplify v6: Amplify.configure(",
        json.dumps(amplify_config(setup), indent=2),
        ")",
    ]
    if "." not in setup.bucket:
        port = setup.s3_custom_endpoint.rpartition(":")[2]
        lines.append(
            f"Amplify Storage addresses a bucket without a dot as {setup.bucket}.{setup.s3_custom_endpoint},"
            " which needs DNS; a bucket name with a dot is addressed by path. In a browser, customEndpoint"
            f" s3.localhost:{port} works too (*.localhost is loopback there, and the --tls certificate"
            " covers *.s3.localhost)."
        )
    if not setup.endpoint.startswith("https://"):
        lines.append("Amplify Storage uses https only: run `hutch serve --tls` for it.")
    lines.append("")
    if output is not None:
        lines.append(f"Wrote {output}: the ids, the Amplify config and boto3 / JS snippets, as JSON.")
    else:
        lines.append("Add --output FILE for the ids, the Amplify config and boto3 / JS snippets as JSON.")
    return lines
