"""hutch: self-hosted, AWS-wire-compatible Cognito user pools, identity pools, IAM, STS and S3."""

__version__ = "0.1.0"
