// The OpenID provider the SSO browser tests sign in at: panva's oidc-provider (OpenID Certified),
// run as it is, with a static client and test accounts read from a JSON file.
//
//   node provider.mjs <settings.json>
//
// settings.json: {"port": 9400, "clients": [{"client_id", "client_secret", "redirect_uris"}],
//                 "accounts": {"<login>": {"claims": {...}, "token": "tampered"|"expired"|
//                                          "wrong_audience"|"wrong_audience_with_azp"}}}
//
// Sign-in is the provider's own development login form (any password; the login names the
// account). An account's "token" makes the token endpoint hand out a bad ID token for it, the
// faults the app must refuse: "tampered" (a claim changed after signing), "expired" (signed
// with the provider's key, expired an hour ago), "wrong_audience" (signed, for another client)
// and "wrong_audience_with_azp" (the same, naming this app as the authorised party). Prints "listening <issuer>" once it accepts connections.
import { readFileSync } from 'node:fs';
import { generateKeyPair, exportJWK, SignJWT, decodeJwt, decodeProtectedHeader, importJWK } from 'jose';
import Provider from 'oidc-provider';

const settings = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const issuer = `http://localhost:${settings.port}`;
const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const signingJwk = { ...(await exportJWK(privateKey)), kid: 'test-key', use: 'sig', alg: 'RS256' };

const accounts = settings.accounts;

const configuration = {
  clients: settings.clients.map((c) => ({
    ...c,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  })),
  jwks: { keys: [signingJwk] },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'preferred_username', 'roles'],
  },
  conformIdTokenClaims: false, // the scopes' claims in the ID token, as Entra ID does
  cookies: { keys: ['test-only-cookie-key-for-the-sso-browser-tests'] },
  findAccount: async (ctx, id) => {
    if (!accounts[id]) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...accounts[id].claims }) };
  },
  // A first-party client: no consent screen (oidc-provider's documented recipe).
  loadExistingGrant: async (ctx) => {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    grant.addOIDCClaims(['sub', 'email', 'email_verified', 'name', 'preferred_username', 'roles']);
    await grant.save();
    return grant;
  },
  features: { devInteractions: { enabled: true } },
  pkce: { required: () => false },
  ttl: { IdToken: 3600, AccessToken: 3600, Session: 3600, Grant: 3600, Interaction: 3600 },
};

const provider = new Provider(issuer, configuration);
provider.proxy = false;

async function resign(payload) {
  const key = await importJWK(signingJwk, 'RS256');
  return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: signingJwk.kid, typ: 'JWT' }).sign(key);
}

// The faults: applied to the token endpoint's answer for the accounts that ask for one.
provider.use(async (ctx, next) => {
  await next();
  if (ctx.path !== '/token' || !ctx.body || typeof ctx.body !== 'object' || !ctx.body.id_token) return;
  const payload = decodeJwt(ctx.body.id_token);
  const fault = accounts[payload.sub]?.token;
  if (!fault) return;
  const now = Math.floor(Date.now() / 1000);
  if (fault === 'tampered') {
    const [head, , sig] = ctx.body.id_token.split('.');
    const changed = { ...payload, name: 'Someone Else', sub: `${payload.sub}-admin` };
    const body = Buffer.from(JSON.stringify(changed)).toString('base64url');
    ctx.body = { ...ctx.body, id_token: `${head}.${body}.${sig}` };
  } else if (fault === 'expired') {
    ctx.body = { ...ctx.body, id_token: await resign({ ...payload, iat: now - 7200, exp: now - 3600 }) };
  } else if (fault === 'wrong_audience') {
    ctx.body = { ...ctx.body, id_token: await resign({ ...payload, aud: 'another-application' }) };
  } else if (fault === 'wrong_audience_with_azp') { // authorised party: this app; audience: not
    const azp = ctx.oidc?.client?.clientId;
    ctx.body = { ...ctx.body, id_token: await resign({ ...payload, aud: 'another-application', azp }) };
  }
  decodeProtectedHeader(ctx.body.id_token); // still a well-formed JWT
  console.log(`fault ${fault} for ${payload.sub}`);
});

provider.listen(settings.port, () => console.log(`listening ${issuer}`));
