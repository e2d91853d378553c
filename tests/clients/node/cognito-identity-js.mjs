// amazon-cognito-identity-js against hutch, unmodified: SRP sign-in (CognitoUser.authenticateUser), a token
// refresh, a wrong password refused; then the ID token buys identity-pool credentials (SDK v3
// fromCognitoIdentityPool) and each user uses S3 in their own folder and tries everyone else's.
//
// env: ENDPOINT REGION USER_POOL_ID CLIENT_ID IDENTITY_POOL_ID BUCKET APP USERS (comma-separated) PASSWORD
import { AuthenticationDetails, CognitoUser, CognitoUserPool } from "amazon-cognito-identity-js";
import { S3Client } from "@aws-sdk/client-s3";
import { fromCognitoIdentityPool } from "@aws-sdk/credential-providers";
import { tryBucketRoot, tryOthersFolder, useOwnFolder } from "./lib/folders.mjs";

const env = process.env;
const pool = new CognitoUserPool({ UserPoolId: env.USER_POOL_ID, ClientId: env.CLIENT_ID, endpoint: env.ENDPOINT });

function signIn(username, password) {
  const user = new CognitoUser({ Username: username, Pool: pool });
  return new Promise((resolve, reject) => {
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
      onSuccess: (session) => resolve({ user, session }),
      onFailure: reject,
    });
  });
}

function refresh(user, session) {
  return new Promise((resolve, reject) => {
    user.refreshSession(session.getRefreshToken(), (error, fresh) => (error ? reject(error) : resolve(fresh)));
  });
}

const report = {};
const users = [];
for (const username of env.USERS.split(",")) {
  const wrong = await signIn(username, `${env.PASSWORD}-wrong`).then(
    () => ({ code: "signed in" }),
    (error) => ({ code: error.code, message: error.message }),
  );
  const { user, session } = await signIn(username, env.PASSWORD);
  const refreshed = await refresh(user, session);
  const idToken = refreshed.getIdToken().getJwtToken();
  const credentials = fromCognitoIdentityPool({
    identityPoolId: env.IDENTITY_POOL_ID,
    logins: { [`cognito-idp.${env.REGION}.amazonaws.com/${env.USER_POOL_ID}`]: idToken },
    clientConfig: { region: env.REGION, endpoint: env.ENDPOINT },
  });
  const { identityId } = await credentials();
  const s3 = new S3Client({ region: env.REGION, endpoint: env.ENDPOINT, forcePathStyle: true, credentials });
  const folder = `cognito/${env.APP}/${identityId}/`;
  users.push({ username, folder, s3 });
  report[username] = {
    wrongPassword: wrong,
    tokens: {
      id: session.getIdToken().getJwtToken(),
      access: session.getAccessToken().getJwtToken(),
      refreshedId: idToken,
      refreshedAccess: refreshed.getAccessToken().getJwtToken(),
    },
    identityId,
    own: await useOwnFolder(s3, env.BUCKET, folder, `written by ${username}`),
  };
}
for (const user of users) {
  report[user.username].othersFolders = {};
  for (const other of users.filter((o) => o !== user)) {
    report[user.username].othersFolders[other.username] = await tryOthersFolder(user.s3, env.BUCKET, other.folder);
  }
  report[user.username].bucketRoot = await tryBucketRoot(user.s3, env.BUCKET);
}
console.log(JSON.stringify(report));
