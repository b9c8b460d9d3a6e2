// Runs the GraphQL-over-HTTP compliance audits of graphql-http against a server.
// Usage: node audit.mjs URL [TOKEN]; prints one JSON line per audit: {id, name, status, reason}.
// The token, if given, is sent as a bearer token with every request.
import { auditServer } from 'graphql-http';

const [url, token] = process.argv.slice(2);
const fetchFn = (input, init = {}) => {
  const headers = new Headers(init.headers);
  if (token) headers.set('authorization', `Bearer ${token}`);
  return fetch(input, { ...init, headers });
};
const results = await auditServer({ url, fetchFn });
for (const result of results) {
  const reason = result.status === 'ok' ? null : result.reason;
  console.log(JSON.stringify({ id: result.id, name: result.name, status: result.status, reason }));
}
