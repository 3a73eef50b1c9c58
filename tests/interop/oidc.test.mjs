// OpenID Connect interoperability, black box: the OpenID-certified openid-client (npm) against
// the real `zocalo serve --demo`, signing in through our real HTML forms. The negative cases
// follow the OpenID conformance suite's checklist (STANDARDS.md).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as client from 'openid-client';
import { startZocalo, Browser, authorize, codeTtl } from './server.mjs';

let server;
const insecure = { execute: [client.allowInsecureRequests] };  // http on loopback only
const web = { id: 'demo-web', secret: 'demo-web-secret-2026', redirect: 'http://localhost:3000/callback' };
const app = { id: 'demo-app', redirect: 'http://localhost:3000/app/callback' };
const backend = { id: 'demo-backend', secret: 'demo-backend-secret-2026' };

before(async () => { server = await startZocalo(); });
after(async () => { await server?.stop(); });

function discover(id, auth, metadata) {
  return client.discovery(new URL(server.base), id, metadata, auth, insecure);
}

async function authorizationRequest(config, redirect, extra = {}) {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirect,
    scope: 'openid profile email offline_access',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...extra,
  });
  return { url, verifier, state, nonce };
}

async function rejects(promise, check) {
  try {
    await promise;
  } catch (e) {
    check(e);
    return;
  }
  assert.fail('expected the provider to refuse');
}

test('discovery describes the provider as Discovery 1.0 asks', async () => {
  const config = await discover(web.id, client.ClientSecretBasic(web.secret));
  const m = config.serverMetadata();
  assert.equal(m.issuer, server.base);
  assert.deepEqual(m.code_challenge_methods_supported, ['S256']);
  assert.ok(m.id_token_signing_alg_values_supported.includes('RS256'));
  assert.ok(m.id_token_signing_alg_values_supported.includes('ES256'));
  assert.ok(m.scopes_supported.includes('curp'));
  assert.equal(m.end_session_endpoint, `${server.base}/oidc/logout`);
  assert.equal(m.claims_parameter_supported, false);
});

test('authorization code + PKCE, ID token, userinfo, refresh, introspection, revocation', async () => {
  const config = await discover(web.id, client.ClientSecretBasic(web.secret));
  const browser = new Browser(server.base);
  const req = await authorizationRequest(config, web.redirect);
  const callback = await authorize(browser, req.url);
  assert.equal(callback.origin + callback.pathname, web.redirect);
  assert.equal(callback.searchParams.get('iss'), server.base);  // RFC 9207

  const tokens = await client.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: req.verifier, expectedState: req.state, expectedNonce: req.nonce,
    idTokenExpected: true,
  });
  const claims = tokens.claims();
  assert.equal(claims.iss, server.base);
  assert.equal(claims.aud, web.id);
  assert.equal(claims.nonce, req.nonce);
  assert.equal(claims.acr, 'urn:zocalo:loa:2');
  assert.ok(Array.isArray(claims.amr) && claims.amr.includes('pwd'));
  assert.ok(claims.auth_time > 0 && claims.sid);
  assert.ok(tokens.refresh_token, 'offline_access gives a refresh token');

  const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
  assert.equal(info.sub, claims.sub);
  assert.equal(info.email, 'residente@demo.zocalo.mx');
  assert.ok(info.given_name);
  assert.equal(info.curp, undefined, 'curp was not asked for');

  const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
  assert.ok(refreshed.access_token);
  assert.ok(refreshed.refresh_token && refreshed.refresh_token !== tokens.refresh_token,
    'refresh tokens rotate');
  assert.equal(refreshed.claims().sub, claims.sub);

  const live = await client.tokenIntrospection(config, refreshed.access_token);
  assert.equal(live.active, true);
  assert.equal(live.client_id, web.id);
  assert.equal(live.sub, claims.sub);
  const liveRefresh = await client.tokenIntrospection(config, refreshed.refresh_token);
  assert.equal(liveRefresh.active, true);

  await client.tokenRevocation(config, refreshed.access_token);
  assert.equal((await client.tokenIntrospection(config, refreshed.access_token)).active, false);
  await rejects(client.fetchUserInfo(config, refreshed.access_token, claims.sub),
    (e) => assert.match(String(e.cause?.status ?? e.status ?? e.message), /401|invalid_token/));

  // The rotated-out refresh token comes back: refused, and the whole family is revoked.
  await rejects(client.refreshTokenGrant(config, tokens.refresh_token),
    (e) => assert.equal(e.error, 'invalid_grant'));
  assert.equal((await client.tokenIntrospection(config, refreshed.refresh_token)).active, false);

  await client.tokenRevocation(config, 'not-a-token-we-know');  // RFC 7009: still 200
});

test('a public client authenticates with PKCE alone', async () => {
  const config = await discover(app.id, client.None());
  const browser = new Browser(server.base);
  const req = await authorizationRequest(config, app.redirect, { scope: 'openid email' });
  const callback = await authorize(browser, req.url);
  const tokens = await client.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: req.verifier, expectedState: req.state, expectedNonce: req.nonce,
  });
  assert.equal(tokens.claims().aud, app.id);
  assert.equal(tokens.refresh_token, undefined, 'no offline_access, no refresh token');
});

test('client_credentials for an agency back end', async () => {
  const config = await discover(backend.id, client.ClientSecretBasic(backend.secret));
  const tokens = await client.clientCredentialsGrant(config, { scope: 'requests.read' });
  assert.equal(tokens.token_type.toLowerCase(), 'bearer');
  assert.equal(tokens.scope, 'requests.read');
  const info = await client.tokenIntrospection(config, tokens.access_token);
  assert.equal(info.active, true);
  assert.equal(info.sub, backend.id);
  await rejects(client.clientCredentialsGrant(config, { scope: 'openid' }),
    (e) => assert.equal(e.error, 'invalid_scope'));
});

test('a client registered with `zocalo clients add` authenticates with client_secret_post', async (t) => {
  if (!server.cliClient) {
    t.skip(`zocalo clients add is not available in this binary: ${server.cliError}`);
    return;
  }
  const config = await discover(server.cliClient.id, client.ClientSecretPost(server.cliClient.secret));
  const browser = new Browser(server.base);
  const req = await authorizationRequest(config, 'http://127.0.0.1:9/cb');
  const callback = await authorize(browser, req.url);
  const tokens = await client.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: req.verifier, expectedState: req.state, expectedNonce: req.nonce,
  });
  assert.equal(tokens.claims().aud, server.cliClient.id);
});

test('reusing a code fails and revokes the tokens it issued', async () => {
  const config = await discover(web.id, client.ClientSecretBasic(web.secret));
  const browser = new Browser(server.base);
  const req = await authorizationRequest(config, web.redirect);
  const callback = await authorize(browser, req.url);
  const checks = { pkceCodeVerifier: req.verifier, expectedState: req.state, expectedNonce: req.nonce };
  const first = await client.authorizationCodeGrant(config, callback, checks);
  assert.equal((await client.tokenIntrospection(config, first.access_token)).active, true);
  await rejects(client.authorizationCodeGrant(config, callback, checks),
    (e) => assert.equal(e.error, 'invalid_grant'));
  assert.equal((await client.tokenIntrospection(config, first.access_token)).active, false);
  assert.equal((await client.tokenIntrospection(config, first.refresh_token)).active, false);
});

test('an unregistered redirect URI is never redirected to', async () => {
  const config = await discover(web.id, client.ClientSecretBasic(web.secret));
  const req = await authorizationRequest(config, 'https://evil.example/callback');
  const browser = new Browser(server.base);
  const res = await browser.request(req.url);
  assert.equal(res.status, 400);
  assert.equal(res.headers.get('location'), null);
  assert.match(res.headers.get('content-type'), /text\/html/);
  assert.doesNotMatch(await res.text(), /href="https:\/\/evil\.example/);
});

test('a PKCE verifier that does not match is refused', async () => {
  const config = await discover(web.id, client.ClientSecretBasic(web.secret));
  const browser = new Browser(server.base);
  const req = await authorizationRequest(config, web.redirect);
  const callback = await authorize(browser, req.url);
  await rejects(client.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: client.randomPKCECodeVerifier(), expectedState: req.state, expectedNonce: req.nonce,
  }), (e) => assert.equal(e.error, 'invalid_grant'));
  // The genuine client can still redeem its code: the failed attempt did not burn it.
  const tokens = await client.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: req.verifier, expectedState: req.state, expectedNonce: req.nonce,
  });
  assert.ok(tokens.access_token);
});

test('prompt=none without a session answers login_required on the redirect URI', async () => {
  const config = await discover(web.id, client.ClientSecretBasic(web.secret));
  const req = await authorizationRequest(config, web.redirect, { prompt: 'none' });
  const res = await new Browser(server.base).request(req.url);
  assert.equal(res.status, 303);
  const location = new URL(res.headers.get('location'));
  assert.equal(location.origin + location.pathname, web.redirect);
  assert.equal(location.searchParams.get('error'), 'login_required');
  assert.equal(location.searchParams.get('state'), req.state);
  assert.equal(location.searchParams.get('code'), null);
});

test('an expired code is refused', async () => {
  const config = await discover(web.id, client.ClientSecretBasic(web.secret));
  const browser = new Browser(server.base);
  const req = await authorizationRequest(config, web.redirect);
  const callback = await authorize(browser, req.url);
  await new Promise((ok) => setTimeout(ok, (codeTtl + 1) * 1000));
  await rejects(client.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: req.verifier, expectedState: req.state, expectedNonce: req.nonce,
  }), (e) => assert.equal(e.error, 'invalid_grant'));
});

test('a wrong client secret gets 401 invalid_client', async () => {
  const config = await discover(web.id, client.ClientSecretBasic('not-the-secret'));
  const browser = new Browser(server.base);
  const req = await authorizationRequest(config, web.redirect);
  const callback = await authorize(browser, req.url);
  await rejects(client.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: req.verifier, expectedState: req.state, expectedNonce: req.nonce,
  }), (e) => {
    // RFC 6749 §5.2: 401 with a WWW-Authenticate challenge for the scheme the client used;
    // openid-client reports the challenge rather than the body.
    assert.equal(e.status, 401);
    assert.equal(e.code, 'OAUTH_WWW_AUTHENTICATE_CHALLENGE');
    assert.equal(e.cause[0].scheme, 'basic');
  });
  // The body says invalid_client, as RFC 6749 §5.2 asks (checked with a plain request).
  const res = await fetch(config.serverMetadata().token_endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: backend.id, client_secret: 'wrong' }),
  });
  assert.equal(res.status, 401);
  assert.equal((await res.json()).error, 'invalid_client');
  assert.equal(res.headers.get('cache-control'), 'no-store');
});

test('denying consent answers access_denied', async () => {
  const config = await discover(app.id, client.None());
  const browser = new Browser(server.base);
  const req = await authorizationRequest(config, app.redirect, { scope: 'openid phone', prompt: 'consent' });
  const callback = await authorize(browser, req.url, { consent: 'deny' });
  assert.equal(callback.searchParams.get('error'), 'access_denied');
  assert.equal(callback.searchParams.get('state'), req.state);
});

test('RP-initiated logout asks, signs out and returns to a registered URI', async () => {
  const config = await discover(web.id, client.ClientSecretBasic(web.secret));
  const browser = new Browser(server.base);
  const req = await authorizationRequest(config, web.redirect);
  const callback = await authorize(browser, req.url);
  const tokens = await client.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: req.verifier, expectedState: req.state, expectedNonce: req.nonce,
  });
  const logoutUrl = client.buildEndSessionUrl(config, {
    id_token_hint: tokens.id_token, post_logout_redirect_uri: 'http://localhost:3000/', state: 'bye',
  });
  const page = await browser.request(logoutUrl);
  assert.equal(page.status, 200);
  const { hiddenFields } = await import('./server.mjs');
  const fields = hiddenFields(await page.text(), '/oidc/logout/confirmar');
  const done = await browser.request('/oidc/logout/confirmar', { method: 'POST', form: fields });
  assert.equal(done.status, 303);
  assert.equal(done.headers.get('location'), 'http://localhost:3000/?state=bye');
  // Signed out: prompt=none now needs a sign-in.
  const again = await authorizationRequest(config, web.redirect, { prompt: 'none' });
  const res = await browser.request(again.url);
  assert.equal(new URL(res.headers.get('location')).searchParams.get('error'), 'login_required');
  // An unregistered post-logout URI gets a page, not a redirect.
  const bad = await browser.request(client.buildEndSessionUrl(config, {
    id_token_hint: tokens.id_token, post_logout_redirect_uri: 'https://evil.example/',
  }));
  assert.equal(bad.status, 400);
  assert.equal(bad.headers.get('location'), null);
});
