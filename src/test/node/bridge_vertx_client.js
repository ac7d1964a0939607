// The Vert.x project's Node.js client of the TCP event-bus bridge (npm: vertx3-tcp-eventbus-client,
// see package.json), unchanged, against a Strata node's bridge. Run by BridgeNodeClientTest:
//
//   node src/test/node/bridge_vertx_client.js PORT
//
// Prints "ok" and exits 0, or prints what differed and exits 1; exits 3 when the client is missing.
'use strict';
let EventBus;
try {
  // its package.json names no main module: the client is lib/tcp-vertx-eventbus.js
  EventBus = require('vertx3-tcp-eventbus-client/lib/tcp-vertx-eventbus');
} catch (e) {
  console.log('vertx3-tcp-eventbus-client is not installed: npm ci --prefix src/test/node (.ci/run and BridgeNodeClientTest do it)');
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

const eb = new EventBus('127.0.0.1', Number(process.argv[2]));
eb.onerror = err => {
  console.log('error: ' + JSON.stringify(err));
  process.exit(1);
};
const done = () => {
  console.log('ok');
  eb.transport.destroy(); // the client's close() calls a method net.Socket does not have
};

const calls = [];
eb.onopen = () => {
  // send with a reply, and headers both ways
  eb.send('app.node.echo', {hello: 'bridge'}, {trace: 't1'}, (err, reply) => {
    check('echo error', err, null);
    check('echo body', reply.body, {hello: 'bridge'});
    check('echo headers', reply.headers, {trace: 't1'});

    // a failure arrives at the reply callback as its error
    eb.send('app.node.fail', 'x', (err2, reply2) => {
      check('failure', err2, {failureCode: 42, failureType: 'RECIPIENT_FAILURE', message: 'nope'});
      check('failure reply', reply2, undefined);

      // register, then ask the node to publish and send a request to us; we answer the request
      eb.registerHandler('app.node.calc', (err3, msg) => {
        check('delivery error', err3, null);
        if (msg.replyAddress) {
          calls.push(['request', msg.body, msg.headers]);
          msg.reply(msg.body.a + msg.body.b);
        } else {
          calls.push(['publish', msg.body, msg.headers]);
        }
      });
      eb.publish('app.node.sink', {published: true}, {origin: 'node'});
      eb.send('app.node.ready', 'go', (err4, result) => {
        check('ready error', err4, null);
        check('the requester got our answer', result.body, 5);
        check('what we were sent', calls, [['publish', 'news', {kind: 'news'}], ['request', {a: 2, b: 3}, {}]]);
        done();
      });
    });
  });
};
