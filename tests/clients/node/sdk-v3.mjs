// AWS SDK for JavaScript v3 against hutch, unmodified: users sign up, an admin confirms them, each signs in
// with USER_PASSWORD_AUTH, trades the ID token for identity-pool credentials (fromCognitoIdentityPool) and
// uses S3 in their own folder (PutObject with default CRC32, GetObject, ListObjectsV2, lib-storage multipart
// Upload, DeleteObject), then tries everyone else's folder and the bucket root.
//
// env: ENDPOINT REGION USER_POOL_ID CLIENT_ID IDENTITY_POOL_ID BUCKET APP USERS (comma-separated) PASSWORD
//      ADMIN_KEY ADMIN_SECRET (the administrator's keys, for AdminConfirmSignUp only)
import {
  AdminConfirmSignUpCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { DeleteObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { fromCognitoIdentityPool } from "@aws-sdk/credential-providers";
import { Upload } from "@aws-sdk/lib-storage";
import { tryBucketRoot, tryOthersFolder, useOwnFolder } from "./lib/folders.mjs";

const env = process.env;
const app = new CognitoIdentityProviderClient({ region: env.REGION, endpoint: env.ENDPOINT });
const admin = new CognitoIdentityProviderClient({
  region: env.REGION,
  endpoint: env.ENDPOINT,
  credentials: { accessKeyId: env.ADMIN_KEY, secretAccessKey: env.ADMIN_SECRET },
});

async function signUpAndSignIn(username) {
  const signUp = await app.send(
    new SignUpCommand({ ClientId: env.CLIENT_ID, Username: username, Password: env.PASSWORD }),
  );
  await admin.send(new AdminConfirmSignUpCommand({ UserPoolId: env.USER_POOL_ID, Username: username }));
  const { AuthenticationResult } = await app.send(
    new InitiateAuthCommand({
      ClientId: env.CLIENT_ID,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: username, PASSWORD: env.PASSWORD },
    }),
  );
  const credentials = fromCognitoIdentityPool({
    identityPoolId: env.IDENTITY_POOL_ID,
    logins: { [`cognito-idp.${env.REGION}.amazonaws.com/${env.USER_POOL_ID}`]: AuthenticationResult.IdToken },
    clientConfig: { region: env.REGION, endpoint: env.ENDPOINT },
  });
  const { identityId } = await credentials();
  const s3 = new S3Client({ region: env.REGION, endpoint: env.ENDPOINT, forcePathStyle: true, credentials });
  return { username, userSub: signUp.UserSub, identityId, folder: `cognito/${env.APP}/${identityId}/`, s3 };
}

const users = [];
for (const username of env.USERS.split(",")) users.push(await signUpAndSignIn(username));

const report = {};
for (const user of users) {
  const own = await useOwnFolder(user.s3, env.BUCKET, user.folder, `written by ${user.username}`);
  const upload = new Upload({
    client: user.s3,
    params: { Bucket: env.BUCKET, Key: `${user.folder}big.bin`, Body: Buffer.alloc(6 * 1024 * 1024, 7) },
    partSize: 5 * 1024 * 1024,
  });
  own.multipartETag = (await upload.done()).ETag;
  report[user.username] = { identityId: user.identityId, userSub: user.userSub, own };
}
for (const user of users) {
  const others = users.filter((other) => other !== user);
  report[user.username].othersFolders = {};
  for (const other of others) {
    report[user.username].othersFolders[other.username] = await tryOthersFolder(user.s3, env.BUCKET, other.folder);
  }
  report[user.username].bucketRoot = await tryBucketRoot(user.s3, env.BUCKET);
}
for (const user of users) {
  await user.s3.send(new DeleteObjectCommand({ Bucket: env.BUCKET, Key: `${user.folder}big.bin` }));
}
console.log(JSON.stringify(report));
