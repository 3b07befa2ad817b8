/** What a handler returns; the server writes it. */
export interface Reply {
  status: number;
  type: 'html' | 'json' | 'css' | 'js' | 'text';
  body: string;
  headers?: Record<string, string>;
}

export const CONTENT_TYPES: Record<Reply['type'], string> = {
  html: 'text/html; charset=utf-8',
  json: 'application/json; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  text: 'text/plain; charset=utf-8',
};

export const json = (value: unknown, status = 200): Reply => ({ status, type: 'json', body: JSON.stringify(value, null, 2) + '\n' });
export const redirect = (location: string): Reply => ({ status: 303, type: 'text', body: `See ${location}\n`, headers: { Location: location } });
