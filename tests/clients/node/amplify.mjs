// aws-amplify v6 in Node against `hutch serve --tls`, unmodified: Amplify.configure with the user-pool and
// identity-pool endpoints, signIn (SRP by default), fetchAuthSession, then Storage uploadData / downloadData /
// list / remove under private/<identity id>/ (owner only) and protected/<identity id>/ (any signed-in user
// reads). Every user then tries the other users' folders and the bucket root. (Uploads stay under 5 MiB:
// Amplify's multipart path needs the browser's FileReader, which Node 20 does not have.)
//
// env: ENDPOINT (https://host:port) REGION USER_POOL_ID CLIENT_ID IDENTITY_POOL_ID BUCKET USERS PASSWORD
//      NODE_EXTRA_CA_CERTS (hutch's generated CA); S3_HOST (host:port for Storage, default ENDPOINT's)
import { Amplify } from "aws-amplify";
import { fetchAuthSession, signIn, signOut } from "aws-amplify/auth";
import { downloadData, list, remove, uploadData } from "aws-amplify/storage";
import { attempt } from "./lib/attempt.mjs";

const env = process.env;
Amplify.configure({
  Auth: {
    Cognito: {
      userPoolId: env.USER_POOL_ID,
      userPoolClientId: env.CLIENT_ID,
      identityPoolId: env.IDENTITY_POOL_ID,
      userPoolEndpoint: env.ENDPOINT,
      identityPoolEndpoint: env.ENDPOINT,
    },
  },
  Storage: { S3: { bucket: env.BUCKET, region: env.REGION } },
});
// Storage has no endpoint setting in the config; each call names the host (Amplify always uses https).
// Path-style only when the bucket name has a dot; otherwise https://<bucket>.<customEndpoint>/<key>.
const options = { customEndpoint: env.S3_HOST || new URL(env.ENDPOINT).host };

const read = async (path) => (await downloadData({ path, options }).result).body.text();
const write = (path, data) => uploadData({ path, data, options }).result;
const keys = async (path) => (await list({ path, options })).items.map((item) => item.path);

async function session(username) {
  const { isSignedIn } = await signIn({ username, password: env.PASSWORD });
  const { identityId, credentials, tokens } = await fetchAuthSession();
  return { isSignedIn, identityId, accessKeyId: credentials.accessKeyId, issuer: tokens.idToken.payload.iss };
}

const usernames = env.USERS.split(",");
const report = {};
for (const username of usernames) {
  const wrongPassword = await attempt(signIn({ username, password: `${env.PASSWORD}-wrong` }));
  const me = await session(username);
  const text = `written by ${username}`;
  await write(({ identityId }) => `private/${identityId}/note.txt`, text);
  await write(({ identityId }) => `protected/${identityId}/card.txt`, `${username}'s card`);
  await write(({ identityId }) => `private/${identityId}/draft.txt`, "to be removed");
  report[username] = {
    wrongPassword,
    ...me,
    own: {
      body: await read(({ identityId }) => `private/${identityId}/note.txt`),
      listed: (await keys(({ identityId }) => `private/${identityId}/`)).sort(),
      removed: await attempt(remove({ path: ({ identityId }) => `private/${identityId}/draft.txt`, options })),
      listedAfterRemove: await keys(({ identityId }) => `private/${identityId}/`),
    },
  };
  await signOut();
}
for (const username of usernames) {
  await session(username);
  const tries = (report[username].othersFolders = {});
  for (const other of usernames.filter((name) => name !== username)) {
    const id = report[other].identityId;
    tries[other] = {
      privateGet: await attempt(read(`private/${id}/note.txt`)),
      privatePut: await attempt(write(`private/${id}/note.txt`, "overwritten")),
      privateList: await attempt(keys(`private/${id}/`)),
      privateRemove: await attempt(remove({ path: `private/${id}/note.txt`, options })),
      protectedRead: await read(`protected/${id}/card.txt`).catch((error) => error.name),
      protectedPut: await attempt(write(`protected/${id}/card.txt`, "overwritten")),
    };
  }
  report[username].bucketRoot = {
    put: await attempt(write("note.txt", "at the root")),
    list: await attempt(keys("")),
    listPrivate: await attempt(keys("private/")),
  };
  await signOut();
}
console.log(JSON.stringify(report));
