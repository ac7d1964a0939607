// ioredis (the npm registry's latest, see package.json) in its default settings, against the kv
// application of a Strata node. Run by KvForeignClientsTest:
//
//   node src/test/node/kv_ioredis.js PORT
//
// Prints "ok" and exits 0, or prints what differed and exits 1; exits 3 when ioredis is missing.
'use strict';
let Redis;
try {
  Redis = require('ioredis');
} catch (e) {
  console.log('ioredis is not installed: npm ci --prefix src/test/node (.ci/run and KvForeignClientsTest do it)');
  process.exit(3);
}

function check(what, actual, expected) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) {
    console.log(`${what}: expected ${e}, got ${a}`);
    process.exit(1);
  }
}

(async () => {
  const port = Number(process.argv[2]);
  const redis = new Redis({host: '127.0.0.1', port});
  const other = new Redis({host: '127.0.0.1', port});
  try {
    await redis.flushdb();
    check('SET', await redis.set('greeting', 'hello'), 'OK');
    check('GET', await redis.get('greeting'), 'hello');
    check('GET of a missing key', await redis.get('missing'), null);

    check('multi().exec()', await redis.multi().set('a', '1').incr('a').get('a').hset('h', 'f', 'v').hgetall('h').exec(),
        [[null, 'OK'], [null, 2], [null, '2'], [null, 1], [null, {f: 'v'}]]);

    const failing = await redis.multi().set('s', 'x').incr('s').exec();
    check('an error inside EXEC is that command\'s', failing[1][0] && failing[1][0].message,
        'ERR value is not an integer or out of range');
    check('the others ran', failing[0], [null, 'OK']);

    check('WATCH', await redis.watch('w'), 'OK');
    await other.set('w', 'changed by another client');
    check('EXEC after a watched key changed', await redis.multi().set('w', 'mine').exec(), null);
    check('the transaction did not run', await redis.get('w'), 'changed by another client');

    await redis.watch('w');
    check('EXEC when nothing changed', await redis.multi().set('w', 'mine').exec(), [[null, 'OK']]);
    console.log('ok');
  } catch (e) {
    console.log('failed: ' + (e && e.stack || e));
    process.exitCode = 1;
  } finally {
    redis.disconnect();
    other.disconnect();
  }
})();
