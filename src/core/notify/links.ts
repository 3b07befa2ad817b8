/**
 * The page a notification links to in the web UI (`tessera ui`): the
 * proposal's page for proposal events, the asset's otherwise. The engine puts
 * it in `data.ui_url` when tessera.yaml names the UI's base URL; the routes
 * are the UI's own (/proposals/<id>, /assets/<id>).
 */
export function uiUrl(base: string | undefined, event: { proposal?: string; asset?: string }): string | undefined {
  if (!base || !/^https?:\/\//.test(base)) return undefined;
  const root = base.replace(/\/+$/, '');
  if (event.proposal) return `${root}/proposals/${encodeURIComponent(event.proposal)}`;
  if (event.asset) return `${root}/assets/${encodeURIComponent(event.asset)}`;
  return root;
}
