// S3 with @aws-sdk/client-s3, as a signed-in user holding identity-pool credentials: work in one's own folder,
// and try another user's folder and the bucket root. Every call uses the client's defaults (CRC32 checksums).
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { attempt } from "./attempt.mjs";

// Writes <folder>note.txt, reads it back and lists the folder.
export async function useOwnFolder(s3, Bucket, folder, text) {
  const Key = `${folder}note.txt`;
  const put = await s3.send(new PutObjectCommand({ Bucket, Key, Body: text, ContentType: "text/plain" }));
  const got = await s3.send(new GetObjectCommand({ Bucket, Key, ChecksumMode: "ENABLED" }));
  const listed = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: folder }));
  return {
    putChecksumCRC32: put.ChecksumCRC32,
    body: await got.Body.transformToString(),
    listed: (listed.Contents ?? []).map((o) => o.Key),
  };
}

// Every way into someone else's folder; each should be refused (and change nothing).
export async function tryOthersFolder(s3, Bucket, folder) {
  return {
    get: await attempt(s3.send(new GetObjectCommand({ Bucket, Key: `${folder}note.txt` }))),
    put: await attempt(s3.send(new PutObjectCommand({ Bucket, Key: `${folder}note.txt`, Body: "overwritten" }))),
    delete: await attempt(s3.send(new DeleteObjectCommand({ Bucket, Key: `${folder}note.txt` }))),
    list: await attempt(s3.send(new ListObjectsV2Command({ Bucket, Prefix: folder }))),
  };
}

// The bucket root: writing a top-level key and listing the whole bucket.
export async function tryBucketRoot(s3, Bucket) {
  return {
    put: await attempt(s3.send(new PutObjectCommand({ Bucket, Key: "note.txt", Body: "at the root" }))),
    list: await attempt(s3.send(new ListObjectsV2Command({ Bucket }))),
  };
}
