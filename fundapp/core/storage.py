"""Where uploaded files live: the local disk by default, S3-compatible object storage when
several machines share the work (``AWS_STORAGE_BUCKET_NAME``).

The settings build the S3 backend with :func:`s3_storage`, and the tests build the very same
one against a local S3 server, so what is tested is what production runs.
"""


def s3_storage(bucket_name: str, *, endpoint_url: str | None = None,
               region_name: str | None = None, **options) -> dict:
    """The ``STORAGES["default"]`` entry for a private S3 bucket (django-storages).

    Objects are written private and never overwritten; any URL the storage hands out is
    signed and short-lived. The application itself never hands out such URLs: downloads are
    streamed through the permission-checked views, so browsers need no access to the bucket.
    ``options`` are further ``S3Storage`` options (credentials in tests, for example); in
    production the credentials come from ``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``.
    """
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket_name,
            "endpoint_url": endpoint_url or None,
            "region_name": region_name or None,
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 300,
            "signature_version": "s3v4",
            "file_overwrite": False,
            # The uploader's declared type never reaches the bucket: an object fetched by URL
            # is always a download, never a page the browser would render.
            "object_parameters": {"ContentType": "application/octet-stream",
                                  "ContentDisposition": "attachment"},
            # Larger downloads are buffered on disk rather than in memory.
            "max_memory_size": 2 * 1024 * 1024,
            **options,
        },
    }
