"""`hutch init`: set up the whole scenario (shared/SCENARIO.md) on a running hutch, as an ordinary client.

It creates, or finds and brings up to date, a user pool with an app client, an identity pool linked to both,
the authenticated (and with ``--guest`` the unauthenticated) role with its trust and folder policies, and the
bucket with CORS for browser apps. Running it again changes nothing that is already as intended.

How a second run finds what the first one made (see hutch.init.names):
- user pool: named ``<app>``, tagged ``hutch:app=<app>`` (Cognito pool names are not unique; the tag is);
- app client: named ``<app>-web`` in that pool;
- identity pool: named ``<app>`` (characters outside ``[A-Za-z0-9_ ]`` become ``_``), tagged
  ``hutch:app=<app>``;
- roles: ``hutch-<app>-authenticated`` / ``hutch-<app>-unauthenticated`` (IAM role names are unique), tagged
  ``hutch:app=<app>``, with the inline policy ``hutch-storage``;
- bucket: the name given; the CORS rule with ID ``hutch-init``.

``--output FILE`` writes this JSON (shape version 1, stable: fields are only ever added). Two runs with the
same arguments write identical files. ``{identityId}`` in ``folders`` stands for the caller's identity id
(``<region>:<uuid>`` from GetId): what ``${cognito-identity.amazonaws.com:sub}`` means in the policies.

    {
      "hutchInit": 1,
      "app": "myapp",
      "layout": "seed",                                  # or "amplify"
      "region": "us-east-1",
      "endpoint": "http://127.0.0.1:4577",               # every service answers on this one URL
      "endpoints": {"cognito-idp": "<endpoint>", "cognito-identity": "<endpoint>", "iam": "<endpoint>",
                    "sts": "<endpoint>", "s3": "<endpoint>"},
      "s3CustomEndpoint": "127.0.0.1:4577",              # host:port, for Amplify Storage customEndpoint
      "userPoolId": "us-east-1_AbCdEf123",
      "userPoolClientId": "...",                         # no secret; SRP, password and refresh flows
      "userPoolProvider": "cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123",  # the Logins key
      "identityPoolId": "us-east-1:<uuid>",
      "allowGuestAccess": false,
      "bucket": "photos",
      "roles": {"authenticated": "arn:aws:iam::<account>:role/hutch-myapp-authenticated",
                "unauthenticated": null},                # the role ARN with --guest
      "folders": {"own": "cognito/myapp/{identityId}/"}, # seed layout
      #   amplify: {"public": "public/", "protected": "protected/{identityId}/",
      #             "private": "private/{identityId}/"}
      "amplify": {                                       # pass to Amplify.configure() as it is (Amplify v6)
        "Auth": {"Cognito": {"userPoolId": ..., "userPoolClientId": ..., "identityPoolId": ...,
                             "userPoolEndpoint": "<endpoint>", "identityPoolEndpoint": "<endpoint>",
                             "allowGuestAccess": false}},
        "Storage": {"S3": {"bucket": "photos", "region": "us-east-1"}}
      },
      "snippets": {"boto3": "<python source>", "js": "<JavaScript source (Amplify v6)>"}
    }
"""
