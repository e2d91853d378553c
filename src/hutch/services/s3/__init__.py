"""S3: buckets, objects and multipart uploads, every request authorized by the policy engine.

``create(rt)`` builds the S3Service (its stores, the blob store, CORS for the pipeline) and schedules its
housekeeping; ``api`` registers the operation handlers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hutch.services.s3.service import S3Service

if TYPE_CHECKING:
    from hutch.runtime import Runtime

__all__ = ["S3Service", "create"]

UPLOAD_EXPIRY_PERIOD_SECONDS = 3600.0
ORPHAN_SWEEP_PERIOD_SECONDS = 6 * 3600.0


def create(rt: Runtime) -> S3Service:
    service = S3Service(rt)

    def expire_uploads() -> None:
        service.expire_uploads()

    def collect_orphans() -> None:
        service.collect_orphans()

    rt.add_maintenance(expire_uploads, UPLOAD_EXPIRY_PERIOD_SECONDS)
    rt.add_maintenance(collect_orphans, ORPHAN_SWEEP_PERIOD_SECONDS)
    return service
