// The app is a client-only SPA: data lives in IndexedDB, which does not exist during SSR.
export const ssr = false;
export const prerender = false;
