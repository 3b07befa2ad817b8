/** An error page: the status and the one-line message (pure). */
import { html, type SafeHtml } from '../html.js';

export function errorPage(status: number, message: string): SafeHtml {
  const title = status === 404 ? 'Not found' : status === 400 ? 'Bad request' : status === 403 ? 'Forbidden' : 'Something went wrong';
  return html`<h1>${title}</h1><div class="banner error" role="alert" id="error-message">${message}</div><p><a href="/">Back to the overview</a></p>`;
}
