import { randomBytes } from 'node:crypto';
import type * as client from 'openid-client';
import type { Role } from '@ates/roles';
import {
  CookieBrowser,
  discoverClient,
  hiddenInput,
  openSignedIn,
  signInWithClient,
  type Credentials,
} from '@ates/sign-in';
import type { RequestLog, Targets } from './api.js';

/** Where the provider sends the code; never opened — the sign-in stops at the redirect and reads it. */
export const simulatorRedirectUri = 'http://127.0.0.1:9/ates-simulate/callback';

/** A person the simulation acts as: their account, password and current access token. */
export interface Person {
  readonly id: string;
  readonly email: string;
  readonly password: string;
  readonly fullName: string;
  role: Role;
  active: boolean;
  token: string | undefined;
  expiresAt: number;
}

/**
 * Registers the simulator as an OAuth application the way an admin does it: signed in to the
 * auth service's admin pages, the "Register an application" form, a public client (PKCE, no
 * secret). Returns its client id.
 */
export const registerSimulator = async (targets: Targets, admin: Credentials, name: string): Promise<string> => {
  const browser = new CookieBrowser();
  const page = await openSignedIn(browser, `${targets.auth}/admin/applications`, [targets.auth], admin);
  const csrf = hiddenInput(page.body, '_csrf');
  if (page.status !== 200 || !csrf)
    throw new Error(
      `the admin pages did not open for ${admin.email} (status ${page.status}): is it an active admin with this password?`,
    );
  const registered = await browser.post(`${targets.auth}/admin/applications`, {
    _csrf: csrf,
    name,
    redirect_uris: simulatorRedirectUri,
    post_logout_redirect_uris: '',
    kind: 'public',
  });
  const clientId = /<dt>Client id<\/dt><dd><code class="code">([^<]+)<\/code>/.exec(registered.body)?.[1];
  if (registered.status !== 201 || !clientId)
    throw new Error(`registering the simulator failed: ${registered.status} ${registered.body.slice(0, 300)}`);
  return clientId;
};

/** Signs people in through the simulator's application, and again when their token runs out. */
export class SignIns {
  private constructor(
    private readonly config: client.Configuration,
    private readonly log: RequestLog,
  ) {}

  static async discover(targets: Targets, clientId: string, log: RequestLog): Promise<SignIns> {
    return new SignIns(await discoverClient(targets.auth, clientId, undefined), log);
  }

  signIns = 0;
  failedSignIns = 0;

  /** A token for `person`, signing in when there is none or it ends within a minute. */
  async tokenOf(person: Person): Promise<string | undefined> {
    if (person.token && person.expiresAt - Date.now() > 60_000) return person.token;
    const at = new Date();
    try {
      const tokens = await signInWithClient(this.config, person, simulatorRedirectUri);
      this.signIns++;
      this.log.record('auth', 'SIGN-IN', '/auth', 200, at);
      person.token = tokens.access_token;
      person.expiresAt = Date.now() + (tokens.expires_in ?? 300) * 1000;
    } catch (error) {
      this.failedSignIns++;
      // A refused sign-in (a deactivated account) is an answer; no answer at all is an outage.
      const unreachable = (error as { cause?: { code?: string } }).cause?.code !== undefined;
      this.log.record('auth', 'SIGN-IN', '/auth', unreachable ? 0 : 401, at, (error as Error).message.slice(0, 120));
      // An issued token stays valid until it expires (U3), whether or not auth is up.
      if (person.token && person.expiresAt > Date.now()) return person.token;
      return undefined;
    }
    return person.token;
  }

  /** Forgets the token, so that the next call signs in again (after a 401). */
  forget(person: Person): void {
    person.token = undefined;
    person.expiresAt = 0;
  }
}

/** A password nobody needs to remember: the simulation keeps it in memory only. */
export const newPassword = (): string => randomBytes(18).toString('base64url');

const firstNames = [
  'Polly',
  'Kiwi',
  'Mango',
  'Pico',
  'Sunny',
  'Basil',
  'Coco',
  'Pepper',
  'Indigo',
  'Tango',
  'Juniper',
  'Olive',
  'Rio',
  'Sky',
  'Zazu',
  'Lemon',
  'Echo',
  'Nutmeg',
  'Peach',
  'Blue',
];
const lastNames = [
  'Popug',
  'Budgie',
  'Macaw',
  'Lorikeet',
  'Cockatiel',
  'Conure',
  'Lovebird',
  'Kakapo',
  'Parakeet',
  'Rosella',
  'Amazon',
  'Caique',
];

/** A name and an email no other run has used: `run` tells this run's people from another's. */
export const personName = (pick: <T>(items: readonly T[]) => T, run: string, index: number) => {
  const first = pick(firstNames);
  const last = pick(lastNames);
  return {
    fullName: `${first} ${last}`,
    email: `${first}.${last}.${run}${index}@sim.uberpopug.example`.toLowerCase(),
  };
};

export const newPerson = (
  account: { public_id: string; email: string; full_name: string; role: Role },
  password: string,
): Person => ({
  id: account.public_id,
  email: account.email,
  password,
  fullName: account.full_name,
  role: account.role,
  active: true,
  token: undefined,
  expiresAt: 0,
});
