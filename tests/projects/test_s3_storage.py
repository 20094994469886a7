"""Uploads in an S3-compatible object store (JUSUR_STORAGE=s3), as several hosts would share them:
a real S3 server (moto's, started here on the loopback) behind the real storage backend
(django-storages). Private files reach only who may read them, streamed by the views; erasure
removes the objects; nothing is ever reachable from the bucket without credentials."""

import socket
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest
import requests
from botocore.config import Config

from diaspora.services import account_erase, profile_cv_set
from projects.models import ProjectDocument
from projects.services import project_document_add
from tests.diaspora.factories import ExpertProfileFactory
from tests.files import pdf_bytes
from tests.projects.conftest import PDF_BYTES, pdf

pytestmark = pytest.mark.django_db

BUCKET = "jusur-test-uploads"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "jusur-test", "AWS_SECRET_ACCESS_KEY": "jusur-test-secret"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            requests.get(endpoint, timeout=1)
            break
        except requests.ConnectionError:
            assert server.poll() is None and time.monotonic() < deadline, "the S3 server did not start"
            time.sleep(0.2)
    yield endpoint
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch):
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    client = boto3.client(
        "s3", endpoint_url=s3_endpoint, region_name="us-east-1", config=Config(signature_version="s3v4")
    )
    client.create_bucket(Bucket=BUCKET)
    options = {"bucket_name": BUCKET, "endpoint_url": s3_endpoint, "region_name": "us-east-1", "default_acl": None,
               "querystring_auth": True, "file_overwrite": False}  # fmt: skip
    # The same shape portal/settings.py builds for JUSUR_STORAGE=s3.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {**options, "location": "public"}},
        "private": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {**options, "location": "private"}},
    }
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def _keys(client) -> list[str]:
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_a_project_document_is_an_object_streamed_only_to_who_may_see_the_project(
    bucket, s3_endpoint, settings, client_for, client, project, member, official_a, official_b, partner_user
):
    document = project_document_add(project=project, by=member, upload=pdf("business-plan.pdf"))

    assert _keys(bucket) == [f"private/{document.file.name}"]
    assert bucket.get_object(Bucket=BUCKET, Key=f"private/{document.file.name}")["Body"].read() == PDF_BYTES
    assert not any(Path(settings.MEDIA_ROOT).rglob("*.pdf"))  # nothing on this host's disk
    for reader in (member, official_a):
        response = client_for(reader).get(f"/fr/investment/documents/{document.pk}/")
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF_BYTES
        assert "no-store" in response["Cache-Control"]
    for outsider in (official_b, partner_user):
        assert client_for(outsider).get(f"/fr/investment/documents/{document.pk}/").status_code == 404
    assert client.get(f"/fr/investment/documents/{document.pk}/").status_code == 302  # sign in first
    # The bucket itself answers nobody without credentials.
    assert requests.get(f"{s3_endpoint}/{BUCKET}/private/{document.file.name}", timeout=5).status_code == 403


def test_deleting_a_document_removes_its_object(
    bucket, client_for, project, member, django_capture_on_commit_callbacks
):
    document = project_document_add(project=project, by=member, upload=pdf())
    assert _keys(bucket) == [f"private/{document.file.name}"]
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(member).post(f"/fr/investment/documents/{document.pk}/delete/").status_code == 302
    assert ProjectDocument.objects.count() == 0
    assert _keys(bucket) == []


def test_erasure_removes_the_members_objects_and_nobody_elses(
    bucket, client_for, project, member, other_member, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    cv = pdf_bytes()
    profile = ExpertProfileFactory(user=member)
    with django_capture_on_commit_callbacks(execute=True):
        profile_cv_set(profile=profile, upload=SimpleUploadedFile("cv.pdf", cv, content_type="application/pdf"))
        project_document_add(project=project, by=member, upload=pdf())
    others = ExpertProfileFactory(user=other_member)
    with django_capture_on_commit_callbacks(execute=True):
        profile_cv_set(profile=others, upload=SimpleUploadedFile("cv.pdf", cv, content_type="application/pdf"))
    assert len(_keys(bucket)) == 3

    # The owner's copy of their data carries the CV, read back from the store.
    export = client_for(member).get("/fr/diaspora/me/privacy/export/")
    assert export.status_code == 200 and cv in _unzipped(export.content)

    with django_capture_on_commit_callbacks(execute=True):
        account_erase(user=member)
    assert _keys(bucket) == [f"private/{others.cv.name}"]


def _unzipped(content: bytes) -> bytes:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return b"".join(archive.read(name) for name in archive.namelist())
