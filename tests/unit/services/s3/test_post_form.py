"""Upload forms read as what they ask for: key and ${filename}, object headers, tags, checksums, the answer."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime

import pytest

from hutch.auth.failures import AuthFailure
from hutch.errors import ServiceError
from hutch.services.s3.form_data import Field, FilePart, FormHead
from hutch.services.s3.post_form import UploadForm, file_name, redirect_location


def upload(*fields: tuple[str, str], filename: str | None = "cat.jpg", with_file: bool = True) -> UploadForm:
    head = FormHead(
        tuple(Field(n, v) for n, v in fields), FilePart(filename, "image/jpeg") if with_file else None
    )
    return UploadForm.of(head)


def refusal(*fields: tuple[str, str], with_file: bool = True) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        upload(*fields, with_file=with_file)
    return caught.value


def test_filename_variable_becomes_the_name_after_the_last_slash_or_backslash() -> None:
    assert upload(("key", "u/${filename}"), filename=r"C:\Users\me\cat.jpg").key == "u/cat.jpg"
    assert upload(("key", "u/${filename}"), filename="dir/sub/cat.jpg").key == "u/cat.jpg"
    assert file_name("plain.txt") == "plain.txt"


def test_filename_is_expanded_in_every_field() -> None:
    form = upload(("key", "k"), ("x-amz-meta-original", "${filename}"))
    assert form.fields["x-amz-meta-original"] == "cat.jpg"


def test_an_empty_file_name_empties_the_variable_and_no_file_name_keeps_it() -> None:
    assert upload(("key", "u/${filename}x"), filename="").key == "u/x"
    assert upload(("key", "u/${filename}"), filename=None).key == "u/${filename}"


def test_field_names_are_case_insensitive_and_repeats_are_joined_with_commas() -> None:
    form = upload(("Key", "k"), ("X-Amz-Meta-Tag", "Ninja"), ("x-amz-meta-tag", "Stallman"))
    assert form.key == "k"
    assert form.fields["x-amz-meta-tag"] == "Ninja,Stallman"
    assert form.names == ("Key", "X-Amz-Meta-Tag", "x-amz-meta-tag")


def test_a_form_without_a_file_part_is_refused() -> None:
    error = refusal(("key", "k"), with_file=False)
    assert (error.code, error.message) == (
        "InvalidArgument",
        "POST requires exactly one file upload per request.",
    )
    assert error.fields == {"ArgumentName": "file", "ArgumentValue": "0"}


@pytest.mark.parametrize("fields", [(), (("key", ""),), (("acl", "private"),)])
def test_a_form_without_a_key_is_refused(fields: tuple[tuple[str, str], ...]) -> None:
    error = refusal(*fields)
    assert error.code == "InvalidArgument"
    assert error.message.startswith("Bucket POST must contain a field named 'key'.")
    assert error.fields == {"ArgumentName": "key", "ArgumentValue": ""}


def test_fields_become_the_putobject_parameters_they_stand_for() -> None:
    form = upload(
        ("key", "k"),
        ("Content-Type", "image/png"),
        ("Cache-Control", "max-age=60"),
        ("Content-Disposition", "inline"),
        ("acl", "private"),
        ("x-amz-storage-class", "STANDARD_IA"),
        ("x-amz-meta-Owner", "alice"),
        ("Expires", "Wed, 21 Oct 2026 07:28:00 GMT"),
    )
    params = form.put_params()
    assert params["Key"] == "k"
    assert params["ContentType"] == "image/png"
    assert params["CacheControl"] == "max-age=60"
    assert params["ContentDisposition"] == "inline"
    assert params["ACL"] == "private"
    assert params["StorageClass"] == "STANDARD_IA"
    assert params["Metadata"] == {"owner": "alice"}
    assert params["Expires"] == datetime(2026, 10, 21, 7, 28, tzinfo=UTC)


def test_the_file_parts_own_content_type_does_not_become_the_objects() -> None:
    assert "ContentType" not in upload(("key", "k")).put_params()


def test_an_expires_that_is_not_a_date_is_refused() -> None:
    with pytest.raises(ServiceError) as caught:
        upload(("key", "k"), ("expires", "soon")).put_params()
    assert caught.value.code == "InvalidArgument"


def test_tagging_is_a_tagging_document() -> None:
    document = "<Tagging><TagSet><Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>b</Key><Value/></Tag></TagSet></Tagging>"
    assert upload(("key", "k"), ("tagging", document)).tags() == (("a", "1"), ("b", ""))
    assert upload(("key", "k"), ("tagging", "<InvalidXmlTagging></InvalidXmlTagging>")).tags() == ()
    with pytest.raises(ServiceError) as caught:
        upload(("key", "k"), ("tagging", "not-xml")).tags()
    assert caught.value.code == "MalformedXML"


def test_a_checksum_field_is_checked_against_the_files_bytes() -> None:
    good = base64.b64encode(hashlib.sha256(b"data").digest()).decode()
    form = upload(("key", "k"), ("x-amz-checksum-sha256", good), ("x-amz-checksum-algorithm", "SHA256"))
    assert form.declares_checksum
    checks = form.integrity()
    checks.update(b"data")
    verified = checks.finish()
    assert verified is not None and verified.value == good
    wrong = form.integrity()
    wrong.update(b"other")
    with pytest.raises(AuthFailure) as caught:
        wrong.finish()
    assert caught.value.to_error("s3").code == "BadDigest"


def test_a_content_md5_field_is_checked_and_an_unreadable_checksum_is_refused_up_front() -> None:
    md5 = base64.b64encode(hashlib.md5(b"data").digest()).decode()
    checks = upload(("key", "k"), ("Content-MD5", md5)).integrity()
    checks.update(b"datx")
    with pytest.raises(AuthFailure):
        checks.finish()
    with pytest.raises(AuthFailure) as caught:
        upload(("key", "k"), ("x-amz-checksum-crc32", "nope")).integrity()
    assert caught.value.to_error("s3").code == "InvalidRequest"
    assert not upload(("key", "k")).declares_checksum


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ((("success_action_redirect", "https://app.example/done"),), "https://app.example/done"),
        ((("redirect", "http://app.example/old"),), "http://app.example/old"),
        ((("success_action_redirect", "/relative/path"),), None),
        ((("success_action_redirect", "javascript:alert(1)"),), None),
        ((), None),
    ],
)
def test_only_an_absolute_http_redirect_is_followed(
    fields: tuple[tuple[str, str], ...], expected: str | None
) -> None:
    assert upload(("key", "k"), *fields).redirect() == expected


@pytest.mark.parametrize(
    ("value", "status"), [("200", 200), ("201", 201), ("204", 204), ("404", 204), (None, 204)]
)
def test_success_action_status_picks_200_201_or_204(value: str | None, status: int) -> None:
    fields = [("key", "k")] + ([("success_action_status", value)] if value else [])
    assert upload(*fields).success_status == status


def test_the_redirect_carries_bucket_key_and_quoted_etag_form_encoded() -> None:
    etag = '"47371919f8bdb6e35df40d8744db818a"'
    assert redirect_location("https://app.example/done", "b", "u/a b.txt", etag) == (
        "https://app.example/done?bucket=b&key=u%2Fa+b.txt&etag=%2247371919f8bdb6e35df40d8744db818a%22"
    )
    assert redirect_location("https://app.example/done?id=7", "b", "k", etag).startswith(
        "https://app.example/done?id=7&bucket=b&key=k&etag="
    )
