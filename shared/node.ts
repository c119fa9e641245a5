/**
 * Node-only entry (`@restain/shared/node`): the local adapters of the ports (folder object store,
 * SQLite queue and job store). Kept apart from the pure index, which the browser also loads.
 */
export * from './src/adapters';
