// The comparison peer for bench/identity: npm `oidc-provider` (an OpenID-certified provider),
// pinned in package-lock.json, on loopback with one client_credentials client and one resident.
// Usage: node server.mjs PORT [opaque|jwt]
// "jwt" makes client_credentials access tokens RS256 JWTs for one resource server (the
// library's resourceIndicators feature), the format zocalo issues, for a like-for-like variant
// of the token benchmark; the default "opaque" is the library's own default and fastest path.
// Prints one JSON line when it listens: {"issuer", "client_id", "client_secret",
// "userinfo_token"}; userinfo_token is an opaque access token (scope "openid profile email")
// minted for the resident through the provider's own Grant and AccessToken models, as the
// authorization code flow would have stored them. Everything else is the library's defaults
// (in-memory adapter, opaque access tokens), the way its documentation starts a provider.
import Provider from 'oidc-provider';

const port = Number(process.argv[2] ?? 0);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error('usage: node server.mjs PORT');
  process.exit(2);
}
const format = process.argv[3] ?? 'opaque';
if (format !== 'opaque' && format !== 'jwt') {
  console.error('token format must be opaque or jwt');
  process.exit(2);
}
const issuer = `http://127.0.0.1:${port}`;
const resource = 'urn:zocalo:bench:api';
const client = {
  client_id: 'bench-backend',
  client_secret: 'bench-backend-secret-2026',
  grant_types: ['client_credentials'],
  response_types: [],
  redirect_uris: [],
  token_endpoint_auth_method: 'client_secret_basic',
};
// The resident's token needs a code-flow client to belong to, like a real relying party's.
const webClient = {
  client_id: 'bench-web',
  client_secret: 'bench-web-secret-2026',
  grant_types: ['authorization_code'],
  response_types: ['code'],
  redirect_uris: ['http://127.0.0.1/callback'],
};
const resident = {
  sub: 'residente-bench-0001',
  email: 'residente@bench.zocalo.mx',
  email_verified: true,
  given_name: 'Ana',
  family_name: 'Núñez Pérez',
  name: 'Ana Núñez Pérez',
};

const provider = new Provider(issuer, {
  clients: [client, webClient],
  features: {
    clientCredentials: { enabled: true },
    devInteractions: { enabled: false },
    ...(format === 'jwt' && {
      resourceIndicators: {
        enabled: true,
        defaultResource: () => resource,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: '',
          audience: resource,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    }),
  },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name'],
  },
  cookies: { keys: ['bench-cookie-key-not-secret'] },
  // Zocalo's lifetimes (10 min client_credentials tokens, 1 h resident tokens), set explicitly
  // so the library does not print its notices.
  ttl: { AccessToken: 3600, ClientCredentials: 600, Grant: 86400 },
  async findAccount(_ctx, id) {
    if (id !== resident.sub) return undefined;
    return { accountId: id, claims: async () => ({ ...resident }) };
  },
});
provider.on('server_error', (_ctx, err) => console.error('server_error', err));

const server = provider.listen(port, '127.0.0.1', async () => {
  const grant = new provider.Grant({ accountId: resident.sub, clientId: webClient.client_id });
  grant.addOIDCScope('openid profile email');
  const grantId = await grant.save();
  const registered = await provider.Client.find(webClient.client_id);
  const token = new provider.AccessToken({
    accountId: resident.sub,
    client: registered,
    grantId,
    scope: 'openid profile email',
  });
  const userinfoToken = await token.save();
  console.log(JSON.stringify({
    issuer,
    token_format: format,
    client_id: client.client_id,
    client_secret: client.client_secret,
    userinfo_token: userinfoToken,
  }));
});
server.keepAliveTimeout = 60_000;
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
