import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { readPlatformAuthSettings, type PlatformAuthRules } from './platform-auth-settings';
import { readSecret, Secret } from './secret';

const fusion: PlatformAuthRules = { prefix: 'FUSION', allowed: ['basic', 'oauth2-client-credentials'], clientAuthentication: 'basic' };
const coupa: PlatformAuthRules = { prefix: 'COUPA', allowed: ['oauth2-client-credentials'], clientAuthentication: 'body', defaultScopes: ['core.purchase_order.read'] };

describe('Secret', () => {
  it('reveals its value only when asked, never through printing, JSON or inspection', () => {
    const s = new Secret('hunter2-very-secret');
    expect(s.reveal()).toBe('hunter2-very-secret');
    const printed = [String(s), JSON.stringify({ s }), inspect({ s }), `${s}`].join(' ');
    expect(printed).not.toContain('hunter2');
    expect(printed).toContain('[secret]');
  });

  it('reads a secret from the variable or from the file its _FILE variable names', () => {
    const dir = mkdtempSync(join(tmpdir(), 'finmesh-secret-'));
    const file = join(dir, 'password');
    writeFileSync(file, 'from-a-file\n');
    expect(readSecret({ P: 'direct' }, 'P').secret?.reveal()).toBe('direct');
    expect(readSecret({ P_FILE: file }, 'P').secret?.reveal()).toBe('from-a-file');
    expect(readSecret({ P: 'a', P_FILE: file }, 'P').problem).toBe('P: set either P or P_FILE, not both');
    expect(readSecret({ P_FILE: join(dir, 'missing') }, 'P').problem).toMatch(/^P_FILE: cannot read '.*missing' \(ENOENT\)$/);
    writeFileSync(file, '\n');
    expect(readSecret({ P_FILE: file }, 'P').problem).toMatch(/is empty$/);
    expect(readSecret({}, 'P')).toEqual({});
  });
});

describe('readPlatformAuthSettings', () => {
  it('reads Basic credentials', () => {
    const r = readPlatformAuthSettings({ FUSION_AUTH: 'basic', FUSION_USERNAME: 'fin.integration', FUSION_PASSWORD: 'pw-1' }, fusion);
    expect(r.problems).toEqual([]);
    expect(r.settings).toMatchObject({ kind: 'basic', username: 'fin.integration' });
    expect(r.settings?.kind === 'basic' && r.settings.password.reveal()).toBe('pw-1');
  });

  it('reads OAuth client credentials with scopes, and the platform default scopes', () => {
    const r = readPlatformAuthSettings(
      { COUPA_TOKEN_URL: 'https://acme.coupahost.com/oauth2/token', COUPA_CLIENT_ID: 'finmesh', COUPA_CLIENT_SECRET: 's3cret' },
      coupa,
    );
    expect(r.problems).toEqual([]);
    expect(r.settings).toMatchObject({ kind: 'oauth2-client-credentials', clientId: 'finmesh', scopes: ['core.purchase_order.read'], clientAuthentication: 'body' });
    const scoped = readPlatformAuthSettings(
      { COUPA_AUTH: 'oauth2', COUPA_TOKEN_URL: 'https://x/oauth2/token', COUPA_CLIENT_ID: 'c', COUPA_CLIENT_SECRET: 's', COUPA_SCOPES: ' core.purchase_order.read  core.purchase_order.write ' },
      coupa,
    );
    expect(scoped.settings?.kind === 'oauth2-client-credentials' && scoped.settings.scopes).toEqual(['core.purchase_order.read', 'core.purchase_order.write']);
  });

  it('lists every missing or bad setting by name, never a secret value', () => {
    const r = readPlatformAuthSettings({ FUSION_AUTH: 'oauth2', FUSION_TOKEN_URL: 'ftp://idcs', FUSION_CLIENT_SECRET: 'x', FUSION_CLIENT_SECRET_FILE: '/run/secret' }, fusion);
    expect(r.settings).toBeUndefined();
    expect(r.problems).toEqual([
      "FUSION_TOKEN_URL: must be an http(s) URL (got 'ftp://idcs')",
      'FUSION_CLIENT_ID: required when FUSION_AUTH is oauth2',
      'FUSION_CLIENT_SECRET: set either FUSION_CLIENT_SECRET or FUSION_CLIENT_SECRET_FILE, not both',
    ]);
    const basic = readPlatformAuthSettings({ FUSION_AUTH: 'basic' }, fusion);
    expect(basic.problems).toEqual(['FUSION_USERNAME: required when FUSION_AUTH is basic', 'FUSION_PASSWORD: required (or FUSION_PASSWORD_FILE) when FUSION_AUTH is basic']);
  });

  it('refuses a scheme the platform does not offer (Coupa has no Basic; its API keys are deprecated)', () => {
    expect(readPlatformAuthSettings({ COUPA_AUTH: 'basic' }, coupa).problems).toEqual(["COUPA_AUTH: must be one of oauth2 (got 'basic')"]);
  });
});
