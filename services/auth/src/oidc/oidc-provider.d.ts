// oidc-provider 9 ships without TypeScript declarations. These cover the parts the auth service
// uses, as documented in the package's docs/README.md; everything else stays `unknown`.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface AdapterPayload {
    readonly [key: string]: unknown;
    readonly accountId?: string;
    readonly grantId?: string;
    readonly uid?: string;
    readonly userCode?: string;
    readonly consumed?: number;
  }

  export interface Adapter {
    upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void>;
    find(id: string): Promise<AdapterPayload | undefined>;
    findByUid(uid: string): Promise<AdapterPayload | undefined>;
    findByUserCode(userCode: string): Promise<AdapterPayload | undefined>;
    consume(id: string): Promise<void>;
    destroy(id: string): Promise<void>;
    revokeByGrantId(grantId: string): Promise<void>;
  }

  export interface ClientMetadata {
    readonly client_id: string;
    readonly client_secret?: string;
    readonly client_name?: string;
    readonly redirect_uris: readonly string[];
    readonly post_logout_redirect_uris?: readonly string[];
    readonly grant_types?: readonly string[];
    readonly response_types?: readonly string[];
    readonly token_endpoint_auth_method?: string;
    readonly [key: string]: unknown;
  }

  export interface Client {
    readonly clientId: string;
    readonly clientName?: string;
    readonly clientSecret?: string;
    readonly clientAuthMethod: string;
    readonly [key: string]: unknown;
    readonly backchannelLogoutUri?: string;
    compareClientSecret(actual: string): boolean | Promise<boolean>;
    /** Sends a back-channel logout token to the client's backchannel_logout_uri. */
    backchannelLogout(sub: string, sid: string): Promise<void>;
  }

  export interface Grant {
    readonly jti: string;
    readonly accountId: string;
    readonly clientId: string;
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: readonly string[]): void;
    addResourceScope(resource: string, scope: string): void;
    getOIDCScope(): string;
    getResourceScope(resource: string): string;
    save(ttl?: number): Promise<string>;
  }

  export interface GrantStatic {
    new (properties: { accountId: string; clientId: string }): Grant;
    find(id: string): Promise<Grant | undefined>;
  }

  export interface Session {
    readonly accountId?: string;
    readonly uid: string;
    grantIdFor(clientId: string): string | undefined;
  }

  export interface InteractionPrompt {
    readonly name: 'login' | 'consent' | string;
    readonly reasons: readonly string[];
    readonly details: Readonly<Record<string, unknown>>;
  }

  export interface Interaction {
    readonly uid: string;
    readonly prompt: InteractionPrompt;
    readonly params: Readonly<Record<string, unknown>> & {
      readonly client_id: string;
      readonly scope?: string;
      readonly resource?: string | readonly string[];
    };
    readonly session?: { readonly accountId?: string };
    readonly grantId?: string;
    readonly lastSubmission?: Readonly<Record<string, unknown>>;
    readonly returnTo: string;
  }

  export interface InteractionResults {
    readonly login?: { readonly accountId: string; readonly remember?: boolean; readonly amr?: readonly string[] };
    readonly consent?: { readonly grantId?: string };
    readonly error?: string;
    readonly error_description?: string;
  }

  export interface ResourceServer {
    readonly scope: string;
    readonly audience?: string;
    readonly accessTokenTTL?: number;
    readonly accessTokenFormat?: 'opaque' | 'jwt';
    readonly jwt?: { readonly sign?: { readonly alg: string } };
  }

  export interface Account {
    readonly accountId: string;
    claims(
      use: string,
      scope: string,
      claims: unknown,
      rejected: readonly string[],
    ): Promise<Record<string, unknown>> | Record<string, unknown>;
  }

  export interface OidcToken {
    readonly kind: string;
    readonly accountId?: string;
    readonly clientId?: string;
    readonly aud?: string | readonly string[];
    readonly resourceServer?: ResourceServer;
    readonly scopes: ReadonlySet<string>;
    readonly [key: string]: unknown;
  }

  export interface KoaContext {
    readonly method: string;
    readonly path: string;
    readonly ip: string;
    readonly oidc: {
      readonly route: string;
      readonly client?: Client;
      readonly session?: Session;
      readonly account?: Account;
      readonly result?: InteractionResults;
      readonly params: Readonly<Record<string, unknown>>;
      readonly requestParamOIDCScopes: ReadonlySet<string>;
      readonly requestParamScopes: ReadonlySet<string>;
      readonly resourceServers: Readonly<Record<string, ResourceServer>>;
      readonly provider: Provider;
      readonly entities: Readonly<Record<string, unknown>>;
      readonly [key: string]: unknown;
    };
    type: string;
    body: unknown;
    status: number;
    readonly [key: string]: unknown;
  }

  export type Configuration = Readonly<Record<string, unknown>>;

  export class Provider {
    constructor(issuer: string, configuration?: Configuration);
    readonly issuer: string;
    proxy: boolean;
    readonly Grant: GrantStatic;
    readonly Client: { prototype: Client; find(id: string): Promise<Client | undefined> };
    callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<Interaction>;
    interactionResult(
      req: IncomingMessage,
      res: ServerResponse,
      result: InteractionResults,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<string>;
    urlFor(name: string, options?: Record<string, unknown>): string;
    on(event: string, listener: (...args: unknown[]) => void): this;
  }

  export interface CheckResult {
    readonly [key: string]: unknown;
  }

  export namespace interactionPolicy {
    class Check {
      static readonly REQUEST_PROMPT: true;
      static readonly NO_NEED_TO_PROMPT: false;
      constructor(reason: string, description: string, check: (ctx: KoaContext) => boolean | Promise<boolean>);
      constructor(
        reason: string,
        description: string,
        error: string,
        check: (ctx: KoaContext) => boolean | Promise<boolean>,
      );
    }
    class Prompt {
      readonly name: string;
      readonly checks: Check[] & {
        add(check: Check, index?: number): void;
        remove(reason: string): void;
        get(reason: string): Check | undefined;
      };
    }
    interface Policy extends Array<Prompt> {
      get(name: string): Prompt | undefined;
    }
    function base(): Policy;
  }

  export namespace errors {
    class OIDCProviderError extends Error {
      readonly status: number;
      readonly error: string;
      readonly error_description?: string;
    }
    class AccessDenied extends OIDCProviderError {
      constructor(description?: string, detail?: string);
    }
    class InvalidTarget extends OIDCProviderError {
      constructor(description?: string, detail?: string);
    }
    class InvalidClientMetadata extends OIDCProviderError {
      constructor(description?: string, detail?: string);
    }
  }

  export default Provider;
}
