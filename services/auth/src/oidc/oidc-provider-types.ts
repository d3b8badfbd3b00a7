// Re-exports the declared oidc-provider types under names the rest of the service uses.
export type { Adapter as OidcAdapter, AdapterPayload } from 'oidc-provider';
