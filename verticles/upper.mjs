// app.upper in Node.js: "hi" -> "HI" (lines); UPPER hi -> "HI" (RESP). An empty text fails the
// request. Replies carry the header `length` (characters upper-cased); a request header `suffix` is
// appended. Deployed by conf/strata.yaml; guide: docs/polyglot.md.
import { serve, Failure, Reply } from './strata.mjs';

serve('app.upper', (body, headers) => {
  if (Array.isArray(body)) { // a RESP command: UPPER text...
    if (String(body[0] ?? '').toUpperCase() !== 'UPPER') throw new Failure(`unknown command '${body[0] ?? ''}'; try UPPER <text>`);
    body = body.slice(1).join(' ');
  }
  const text = String(body ?? '');
  if (!text.trim()) throw new Failure('a text is required');
  return new Reply(text.toUpperCase() + (headers.suffix ?? ''), { length: text.length });
});
console.log(`upper.mjs pid ${process.pid} serving ${process.env.STRATA_ADDRESS ?? 'app.upper'}`);
