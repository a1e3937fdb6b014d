/**
 * Binds labs/shared/url-state to the page: read a lab's settings from the address bar, write
 * them back (replaceState, so the back button is not flooded), and build a shareable link.
 */
import type { LabId } from '../../labs/shared/registry';
import { readState, writeState, type StateOf, type StateSchema } from '../../labs/shared/url-state';

export function readLabState<S extends StateSchema>(lab: LabId, schema: S): StateOf<S> {
  return readState(lab, schema, new URLSearchParams(location.search));
}

export function writeLabState<S extends StateSchema>(lab: LabId, schema: S, state: Partial<StateOf<S>>): string {
  const params = writeState(lab, schema, state, new URLSearchParams(location.search));
  const query = params.toString();
  const url = `${location.pathname}${query ? `?${query}` : ''}${location.hash}`;
  history.replaceState(history.state, '', url);
  return new URL(url, location.href).href;
}
