import type { KoaContext } from 'oidc-provider';
import { button, card, html, page, pageHeaders, raw, signInPage, type SafeHtml } from '@ates/ui';

/**
 * The pages people see at the auth service, in the look every dashboard shares (@ates/ui): sign
 * in, consent (third-party applications only), sign out, and errors. The provider's own pages are
 * replaced through its `logoutSource`, `postLogoutSuccessSource` and `renderError` hooks.
 */
export interface OidcPages {
  logoutSource(ctx: KoaContext, form: string): Promise<void>;
  postLogoutSuccessSource(ctx: KoaContext): Promise<void>;
  renderError(ctx: KoaContext, out: Readonly<Record<string, unknown>>, error: unknown): Promise<void>;
}

const send = (ctx: KoaContext, body: string): void => {
  ctx.type = 'html';
  const headers = ctx as unknown as { set(name: string, value: string): void };
  for (const [name, value] of Object.entries(pageHeaders)) headers.set(name, value);
  ctx.body = body;
};

const notice = (title: string, body: SafeHtml): string =>
  page({ title, current: 'signin', body: html`<div class="stack">${card({ title, body })}</div>` });

export const createOidcPages = (): OidcPages => ({
  logoutSource: async (ctx, form) => {
    // `form` is the provider's own markup: an empty form with the XSRF token, which the buttons submit.
    const client = ctx.oidc.client?.clientName;
    send(
      ctx,
      notice(
        'Sign out',
        html`${raw(form)}
<p>${client ? html`You are leaving <strong>${client}</strong>. ` : ''}Sign out of every aTES dashboard on this device, or only of this one?</p>
<div class="form-actions">
  ${button({ label: 'Sign out of all dashboards', kind: 'primary', name: 'logout', value: 'yes', attrs: { form: 'op.logoutForm', autofocus: '' } })}
  ${button({ label: 'Only this dashboard', kind: 'secondary', attrs: { form: 'op.logoutForm' } })}
</div>`,
      ),
    );
  },

  postLogoutSuccessSource: async (ctx) => {
    send(
      ctx,
      notice('Signed out', html`<p>You are signed out. Close this window, or open a dashboard to sign in again.</p>`),
    );
  },

  renderError: async (ctx, out) => {
    const description =
      typeof out.error_description === 'string' ? out.error_description : 'The request could not be completed.';
    send(ctx, errorHtml(description, typeof out.error === 'string' ? out.error : 'error'));
  },
});

/** A page that says why sign-in could not continue and what to do. */
export const errorHtml = (description: string, code = 'invalid_request'): string =>
  notice(
    'Sign-in could not continue',
    html`<p>${description}</p><p class="muted">Code: <code>${code}</code>. Go back to the dashboard you came from and try again.</p>`,
  );

/** The sign-in page for interaction `uid`. */
export const signInHtml = (uid: string, options: { email?: string; error?: string } = {}): string =>
  signInPage({ action: `/interaction/${encodeURIComponent(uid)}/login`, ...options });

/** Asks a person to let a third-party application use their aTES identity. */
export const consentHtml = (uid: string, application: string, scopes: readonly string[]): string => {
  const described: Record<string, string> = {
    openid: 'Know who you are (your aTES account id)',
    profile: 'See your name and role',
    email: 'See your email address',
    offline_access: 'Stay signed in when you are away',
    api: 'Use the aTES services as you',
  };
  const lines = scopes.map((s) => described[s] ?? s);
  const action = `/interaction/${encodeURIComponent(uid)}`;
  return notice(
    'Allow access?',
    html`<p><strong>${application}</strong> asks to:</p>
<ul>${lines.map((l) => html`<li>${l}</li>`)}</ul>
<form method="post" action="${action}/confirm" class="form-actions">
  ${button({ label: 'Allow', kind: 'primary' })}
  ${button({ label: 'Deny', kind: 'secondary', href: `${action}/abort` })}
</form>`,
  );
};
