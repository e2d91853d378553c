// aws-amplify v6 in Node: fetchAuthSession({ forceRefresh: true }) after signIn. Amplify refreshes tokens with
// cognito-idp GetTokensFromRefreshToken (not InitiateAuth REFRESH_TOKEN_AUTH) - both when asked to and when
// the ID/access tokens expire - and the refreshed ID token must still map to the same identity.
//
// env: ENDPOINT REGION USER_POOL_ID CLIENT_ID IDENTITY_POOL_ID USERS (the first one signs in) PASSWORD
import { Amplify } from "aws-amplify";
import { fetchAuthSession, signIn } from "aws-amplify/auth";

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
});

const summary = ({ tokens, identityId, credentials }) => ({
  idJti: tokens.idToken.payload.jti,
  accessJti: tokens.accessToken.payload.jti,
  identityId,
  accessKeyId: credentials.accessKeyId,
});

await signIn({ username: env.USERS.split(",")[0], password: env.PASSWORD });
const report = { before: summary(await fetchAuthSession()) };
try {
  report.after = summary(await fetchAuthSession({ forceRefresh: true }));
} catch (error) {
  report.error = { name: error.name, message: error.message };
}
console.log(JSON.stringify(report));
