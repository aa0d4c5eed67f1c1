"""S3 target: ``s3://bucket/prefix`` on AWS S3 or any S3-compatible store (Cloudflare R2,
Backblaze B2, MinIO...), through boto3.

Endpoint, region and credentials come only from the standard AWS environment and config
files (``AWS_ENDPOINT_URL``, ``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``,
``AWS_PROFILE``, ``~/.aws/config``...), resolved by botocore; newsaudio never reads, prints,
logs or stores them. Each object is written with one ``PutObject`` (multipart above 8 MiB),
which S3 makes visible atomically, with its ``Content-Type`` and ``Cache-Control``. botocore
retries once itself; newsaudio's own retries with backoff sit above it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newsaudio.errors import ConfigError
from newsaudio.net import host_port
from newsaudio.publish.targets import RemoteObject, TargetError

SCHEMES = ("s3",)

_PERMANENT_CODES = {
    "AccessDenied",
    "AllAccessDisabled",
    "InvalidAccessKeyId",
    "InvalidBucketName",
    "NoSuchBucket",
    "SignatureDoesNotMatch",
    "InvalidToken",
    "ExpiredToken",
}


_MEANINGS = {
    "NoSuchBucket": "the bucket does not exist",
    "AccessDenied": "access denied to these credentials",
    "AllAccessDisabled": "all access to the bucket is disabled",
    "InvalidAccessKeyId": "the access key id is unknown there",
    "SignatureDoesNotMatch": "the secret key does not match the access key id",
    "InvalidBucketName": "the bucket name is not valid",
    "ExpiredToken": "the session token has expired",
    "InvalidToken": "the session token is not valid",
    "SlowDown": "slow down (too many requests)",
    "RequestTimeTooSkewed": "this computer's clock is too far off",
}
"""S3 error codes in plain words (the code itself is kept in the message, for searching)."""


def _split(url: str, where: str = "target") -> tuple[str, str]:
    parts = urlsplit(url)
    bucket = parts.netloc
    if not bucket or "@" in bucket or ":" in bucket:
        raise ConfigError(
            f"{where}: {url.split('@')[-1]!r}: expected s3://bucket/prefix (credentials come "
            "from the AWS environment, never the URL)"
        )
    return bucket, parts.path.strip("/")


def describe(url: str, where: str = "target") -> str:
    """``s3://bucket/prefix``. Raises ConfigError for a URL without a bucket."""
    bucket, prefix = _split(url, where)
    return f"s3://{bucket}/{prefix}".rstrip("/")


def open_target(url: str) -> S3Target:
    """The S3 target for ``url`` (no request is made yet)."""
    import logging

    # botocore's debug log carries request headers (the access key id, signatures): keep
    # it out of newsaudio's -vv output
    for name in ("botocore", "boto3", "s3transfer", "urllib3"):
        logging.getLogger(name).setLevel(logging.WARNING)
    bucket, prefix = _split(url)
    return S3Target(bucket, prefix)


class S3Target:
    """An S3 bucket and key prefix as a publish target (see the module docstring)."""

    def __init__(self, bucket: str, prefix: str) -> None:
        import boto3
        from botocore.config import Config

        self.bucket = bucket
        self.prefix = f"{prefix}/" if prefix else ""
        self.url = f"s3://{bucket}/{prefix}".rstrip("/")
        config = Config(
            connect_timeout=10,
            read_timeout=60,
            retries={"max_attempts": 2, "mode": "standard"},
            user_agent_extra="newsaudio",
        )
        self.client: Any = boto3.session.Session().client("s3", config=config)

    def _error(self, action: str, exc: Exception) -> TargetError:
        from botocore.exceptions import (
            ClientError,
            NoCredentialsError,
            PartialCredentialsError,
        )

        if isinstance(exc, NoCredentialsError | PartialCredentialsError):
            return TargetError(
                f"{self.url}: cannot {action}: no AWS credentials (set AWS_ACCESS_KEY_ID and "
                "AWS_SECRET_ACCESS_KEY, or AWS_PROFILE)"
            )
        if isinstance(exc, ClientError):
            error = exc.response.get("Error", {})
            code = str(error.get("Code", "error"))
            status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
            transient = code not in _PERMANENT_CODES and (status >= 500 or status in (408, 429))
            endpoint = host_port(str(self.client.meta.endpoint_url))
            meaning = _MEANINGS.get(code, "")
            reason = f"{meaning} ({code}" if meaning else f"({code}"
            return TargetError(
                f"{self.url}: cannot {action}: {endpoint} answered {reason}, HTTP {status})",
                transient,
            )
        from botocore.exceptions import BotoCoreError, HTTPClientError
        from botocore.exceptions import ConnectionError as BotoConnectionError

        endpoint = str(self.client.meta.endpoint_url)
        if isinstance(exc, BotoConnectionError | HTTPClientError) or not isinstance(
            exc, BotoCoreError
        ):
            # connection refused, DNS, timeouts, TLS...: named with the endpoint's host:port
            from newsaudio.net import describe_request_error

            reason = describe_request_error(exc, endpoint, timeout_s=None)
            return TargetError(f"{self.url}: cannot {action}: {reason}", True)
        # botocore's own errors are plain sentences (no region, bad parameter...)
        reason = " ".join(str(exc).split())
        return TargetError(f"{self.url}: cannot {action} at {endpoint}: {reason}", True)

    def list(self) -> dict[str, RemoteObject]:
        """Every object under the prefix by key (ListObjectsV2, paginated)."""
        from botocore.exceptions import BotoCoreError, ClientError

        found: dict[str, RemoteObject] = {}
        try:
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=self.prefix
            )
            for page in pages:
                for obj in page.get("Contents", []):
                    key = obj["Key"][len(self.prefix) :]
                    if key:
                        found[key] = RemoteObject(int(obj["Size"]), str(obj.get("ETag", "")))
        except (BotoCoreError, ClientError) as exc:
            raise self._error("list the bucket", exc) from exc
        return found

    def put(self, key: str, local: Path, content_type: str, cache_control: str) -> RemoteObject:
        """Upload ``local`` to ``key`` with its headers; the stored size and ETag (HEAD)."""
        from boto3.exceptions import S3UploadFailedError
        from boto3.s3.transfer import TransferConfig
        from botocore.exceptions import BotoCoreError, ClientError

        full = self.prefix + key
        try:
            self.client.upload_file(
                str(local),
                self.bucket,
                full,
                ExtraArgs={"ContentType": content_type, "CacheControl": cache_control},
                Config=TransferConfig(max_concurrency=4),
            )
            head = self.client.head_object(Bucket=self.bucket, Key=full)
        except (BotoCoreError, ClientError) as exc:
            raise self._error(f"upload {key}", exc) from exc
        except S3UploadFailedError as exc:  # wraps the ClientError of a failed part
            cause = exc.__cause__ or exc.__context__
            raise self._error(
                f"upload {key}", cause if isinstance(cause, Exception) else exc
            ) from exc
        except OSError as exc:  # the local file vanished or cannot be read
            raise TargetError(f"{self.url}: cannot upload {key} ({exc.strerror or exc})") from exc
        return RemoteObject(int(head["ContentLength"]), str(head.get("ETag", "")))

    def delete(self, key: str) -> None:
        """Delete ``key`` (S3 answers success for a missing key)."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.client.delete_object(Bucket=self.bucket, Key=self.prefix + key)
        except (BotoCoreError, ClientError) as exc:
            raise self._error(f"delete {key}", exc) from exc

    def close(self) -> None:
        """Close the HTTP connection pool."""
        self.client.close()
