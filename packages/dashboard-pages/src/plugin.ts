import cookie from '@fastify/cookie';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isAppError } from '@ates/errors';
import type { Dashboard, Role } from '@ates/roles';
import { button, card, pageHeaders, emptyState, page, type DashboardLinks, type Flash, type SafeHtml } from '@ates/ui';
import { createFlashCodec, flashMaxAgeSeconds } from './flash.js';

declare module 'fastify' {
  interface FastifyReply {
    /**
     * Sends a page of this dashboard: its chrome (navigation, the signed-in person, sign-out),
     * `body`, and the flash the previous request left (read once), with the security headers.
     */
    page(
      title: string,
      body: SafeHtml,
      options?: { readonly status?: number; readonly flash?: readonly Flash[] },
    ): FastifyReply;
    /** A page that only says something: a refusal, "not for your role", an error. */
    message(options: MessageOptions): FastifyReply;
    /** Leaves `flash` for the next page this person sees (post → redirect → get). */
    flash(flash: Flash): FastifyReply;
  }
}

export interface MessageOptions {
  readonly title: string;
  readonly message: string;
  readonly status: number;
  readonly tone?: 'error' | 'info';
}

/** Who is signed in, as the session (`@ates/dashboard-session`) set it; absent before sign-in. */
interface SignedIn {
  readonly viewer?: { readonly name: string; readonly email: string; readonly role: Role };
  readonly csrfToken?: string;
}

export interface DashboardPagesOptions {
  /** Which dashboard this is: its item in the navigation. */
  readonly dashboard: Dashboard;
  readonly links: DashboardLinks;
  /** The sign-out URL (POST, with `_csrf`), from the dashboard session. */
  readonly signOutUrl: string;
  /** Where "back" goes from a message page, and what it says. */
  readonly home: { readonly href: string; readonly label: string };
  /** DASHBOARD_SESSION_SECRET: the first signs flash cookies, all are accepted. */
  readonly secrets: readonly string[];
  /** Whether cookies are Secure (the dashboard is served over https). */
  readonly secureCookies: boolean;
  /** The path the dashboard lives under: '/' or e.g. '/admin'. */
  readonly basePath?: string;
}

const form = 'application/x-www-form-urlencoded';

/**
 * The one way an aTES dashboard serves pages, registered in the dashboard's own scope (it sets
 * the scope's error handler and form parser, which the JSON API must not have):
 *
 * - `reply.page(title, body)` and `reply.message(…)` send HTML with `pageHeaders`;
 * - `reply.flash(…)` carries one message across a redirect in a short-lived signed cookie;
 * - forms (`application/x-www-form-urlencoded`) parse to a flat object, the last of a repeated
 *   field winning;
 * - a refusal thrown by a route (an AppError below 500) becomes a message page with its status
 *   and the catalogue's sentence for its code; anything else is logged and answered 500.
 */
export const registerDashboardPages = async (scope: FastifyInstance, options: DashboardPagesOptions): Promise<void> => {
  const flashes = createFlashCodec(options.secrets);
  const cookiePath = options.basePath || '/';
  const flashCookie = `${options.dashboard}_flash`;
  const cookieOptions = { path: cookiePath, httpOnly: true, sameSite: 'lax', secure: options.secureCookies } as const;
  if (!scope.hasRequestDecorator('cookies')) await scope.register(cookie);

  if (scope.hasContentTypeParser(form)) scope.removeContentTypeParser(form);
  scope.addContentTypeParser(form, { parseAs: 'string', bodyLimit: 65_536 }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  const send = (reply: FastifyReply, status: number, body: string): FastifyReply =>
    reply.status(status).type('text/html; charset=utf-8').headers(pageHeaders).send(body);

  const takeFlash = (request: FastifyRequest, reply: FastifyReply): Flash[] => {
    const value = request.cookies[flashCookie];
    if (value === undefined) return [];
    reply.clearCookie(flashCookie, cookieOptions);
    const message = flashes.decode(value);
    return message ? [message] : [];
  };

  const render = (
    request: FastifyRequest,
    reply: FastifyReply,
    title: string,
    body: SafeHtml,
    status: number,
    flash?: readonly Flash[],
  ) => {
    const { viewer, csrfToken } = request as FastifyRequest & SignedIn;
    return send(
      reply,
      status,
      page({
        title,
        current: options.dashboard,
        ...(viewer ? { viewer, links: options.links, signOutUrl: options.signOutUrl, csrf: csrfToken ?? '' } : {}),
        flash: flash ?? takeFlash(request, reply),
        body,
      }),
    );
  };

  const messageBody = (o: MessageOptions): SafeHtml =>
    card({
      body: emptyState({
        title: o.title,
        message: o.message,
        icon: o.tone === 'info' ? 'info' : 'warning',
        action: button({ label: options.home.label, kind: 'secondary', href: options.home.href }),
      }),
    });

  scope.decorateReply('page', function (this: FastifyReply, title: string, body: SafeHtml, o = {}) {
    return render(this.request, this, title, body, o.status ?? 200, o.flash);
  });
  scope.decorateReply('message', function (this: FastifyReply, o: MessageOptions) {
    return render(this.request, this, o.title, messageBody(o), o.status, []);
  });
  scope.decorateReply('flash', function (this: FastifyReply, flash: Flash) {
    return this.setCookie(flashCookie, flashes.encode(flash), { ...cookieOptions, maxAge: flashMaxAgeSeconds });
  });

  scope.setErrorHandler((error: FastifyError, request, reply) => {
    if (isAppError(error) && error.status < 500) {
      request.log.info({ code: error.code }, 'dashboard request refused');
      const expiredForm = error.code === 'auth.csrf_invalid';
      // Nothing on a message page marks fields: its detail, which names them, says what was wrong.
      return reply.message({
        title: expiredForm ? 'This form has expired' : 'That did not work',
        message: error.message,
        status: error.status,
      });
    }
    if (
      !isAppError(error) &&
      typeof error.statusCode === 'number' &&
      error.statusCode >= 400 &&
      error.statusCode < 500
    ) {
      return reply.message({
        title: 'That did not work',
        message: 'The request could not be understood.',
        status: error.statusCode,
      });
    }
    request.log.error({ err: error }, 'dashboard request failed');
    return reply.message({
      title: 'Something went wrong',
      message: 'That could not be done just now. Try again in a moment.',
      status: 500,
    });
  });
};
