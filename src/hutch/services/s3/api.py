"""Registers every S3 operation handler (importing the modules is what registers them)."""

from __future__ import annotations

from hutch.services.s3 import (  # noqa: F401 - imported for their @operation registrations
    api_buckets,
    api_complete,
    api_copy,
    api_listing,
    api_multipart,
    api_objects,
    api_tagging,
)
