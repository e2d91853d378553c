// What a script reports for one call: "ok", or the error's name (AccessDenied, NotAuthorizedException ...).
export async function attempt(call) {
  try {
    await call;
    return "ok";
  } catch (error) {
    return error.name ?? error.code ?? String(error);
  }
}
