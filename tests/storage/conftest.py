"""A local S3-compatible server (moto's server mode) for the object-storage tests.

The server runs in a thread on a free port of 127.0.0.1 for the whole session; each test gets
a bucket of its own and the settings' S3 backend (fundapp.core.storage.s3_storage) pointed at
it, so the tests run the same storage configuration as production."""

import logging
import uuid
from dataclasses import dataclass

import boto3
import pytest
from moto.server import ThreadedMotoServer

from fundapp.core.storage import s3_storage

REGION = "us-east-1"
# moto accepts any credentials; these never leave 127.0.0.1.
CREDENTIALS = {"aws_access_key_id": "fundapp-test", "aws_secret_access_key": "fundapp-test"}


@dataclass
class Bucket:
    name: str
    client: object  # a boto3 S3 client talking to the local server

    def keys(self, prefix: str = "") -> list[str]:
        listing = self.client.list_objects_v2(Bucket=self.name, Prefix=prefix)
        return sorted(obj["Key"] for obj in listing.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

    def head(self, key: str) -> dict:
        return self.client.head_object(Bucket=self.name, Key=key)


@pytest.fixture(scope="session")
def s3_endpoint():
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings) -> Bucket:
    """A fresh private bucket, and STORAGES["default"] built by the settings' own function."""
    name = f"fundapp-{uuid.uuid4().hex[:16]}"
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name=REGION, **CREDENTIALS)
    client.create_bucket(Bucket=name)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage(name, endpoint_url=s3_endpoint, region_name=REGION,
                              access_key=CREDENTIALS["aws_access_key_id"],
                              secret_key=CREDENTIALS["aws_secret_access_key"]),
    }
    return Bucket(name, client)
