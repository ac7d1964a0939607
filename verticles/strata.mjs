// Strata client library for Node.js (no dependencies: the net module).
//
// Answer an event-bus address from JavaScript, as a Java verticle would, through Strata's event-bus
// bridge (4-byte big-endian length + UTF-8 JSON). Run under Strata (an `apps:` entry with
// `process:`), it finds the bridge, the token and its address in the environment; run by hand, give
// them yourself (STRATA_BRIDGE_PORT=7000 node app.mjs). Guide: docs/polyglot.md.
//
//   import { serve, Failure, Reply } from './strata.mjs';
//   serve('app.upper', (body, headers) => {
//     if (!body) throw new Failure('a text is required');   // the requester gets "ERR a text is required"
//     return body.toUpperCase();                           // or new Reply(body, { header: 'value' }), or a Promise
//   });
//
// A handler gets the body (a string for a line, an array of strings for a RESP command, any JSON
// value) and the headers (an object of strings), and returns or resolves the reply, or throws/rejects
// to fail the request. request(address, body) calls other addresses.
//
// Lifetime: a ping every 5 s keeps the connection alive; when it drops while Strata runs, it
// reconnects with backoff. When the Strata process that started it is gone (stdin, a pipe Strata
// holds open, ends; or STRATA_PARENT_PID is no longer alive when the connection drops) it exits, so a
// `kill -9` of Strata leaves no orphan.

import net from 'node:net';
import { randomBytes } from 'node:crypto';

const PING_MS = 5000;
const MAX_FRAME = 16 * 1024 * 1024;

/** Fails a request: the requester gets `message` (with `code`). Also what request() rejects with. */
export class Failure extends Error {
  constructor(message, code = 500, failureType = 'RECIPIENT_FAILURE') {
    super(message);
    this.code = code;
    this.failureType = failureType;
  }
}

/** A reply with headers: `return new Reply('HI', { lang: 'en' })`. */
export class Reply {
  constructor(body, headers = {}) {
    this.body = body;
    this.headers = headers;
  }
}

function log(text) {
  process.stderr.write(`strata.mjs: ${text}\n`);
}

function exit(why, code = 0) {
  log(`${why}; exiting`);
  process.exit(code);
}

function parentAlive() {
  const ppid = process.env.STRATA_PARENT_PID;
  if (!ppid) return true;
  if (process.ppid !== Number(ppid)) return false; // re-parented: the process that started us is gone
  try {
    process.kill(Number(ppid), 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

/** One bridge connection: serves addresses, sends requests; reconnects while Strata runs. */
export class Client {
  constructor({ host, port, token } = {}) {
    this.host = host ?? process.env.STRATA_BRIDGE_HOST ?? '127.0.0.1';
    this.port = Number(port ?? process.env.STRATA_BRIDGE_PORT ?? 7000);
    this.token = token ?? process.env.STRATA_BRIDGE_TOKEN;
    this.handlers = new Map(); // the address registered -> handler
    this.pending = new Map(); // our reply address -> {resolve, reject}
    this.next = 1;
    this.prefix = `strata.mjs.${process.pid}.${randomBytes(4).toString('hex')}.`;
    this.socket = null;
    this.waiting = []; // requests made while disconnected
    this.running = false;
  }

  /** Answer `address`. Under Strata, its own address arrives at this instance's private one. */
  serve(address, handler) {
    if (address === process.env.STRATA_ADDRESS && process.env.STRATA_INSTANCE_ADDRESS) {
      address = process.env.STRATA_INSTANCE_ADDRESS;
    }
    this.handlers.set(address, handler);
    if (this.socket) this.#register(address);
    this.run();
    return this;
  }

  /** Sends a request; resolves with the reply's body, rejects with a Failure. */
  async request(address, body, headers = {}, timeoutMs) {
    return (await this.requestReply(address, body, headers, timeoutMs)).body;
  }

  /** As request(), resolving with a Reply (body and headers). */
  requestReply(address, body, headers = {}, timeoutMs) {
    this.run();
    return new Promise((resolve, reject) => {
      const replyAddress = this.prefix + this.next++;
      const h = this.#auth({ ...headers });
      if (timeoutMs !== undefined) h.timeout = timeoutMs;
      const go = () => {
        this.pending.set(replyAddress, { resolve, reject });
        this.#write({ type: 'send', address, body, replyAddress, headers: h });
      };
      if (this.socket) go(); else this.waiting.push(go);
    });
  }

  /** One-way message to one consumer of `address`. */
  send(address, body, headers = {}) {
    this.#write({ type: 'send', address, body, headers: this.#auth({ ...headers }) });
  }

  publish(address, body, headers = {}) {
    this.#write({ type: 'publish', address, body, headers: this.#auth({ ...headers }) });
  }

  /** Connects and keeps connecting until the parent Strata is gone. Called by serve() and request(). */
  run() {
    if (this.running) return;
    this.running = true;
    if (process.env.STRATA_PARENT_PID) {
      // Strata holds our stdin open and never writes: its end means Strata is gone (even after kill -9)
      process.stdin.on('end', () => exit('stdin closed: the Strata process that started this one is gone'));
      process.stdin.on('error', () => exit('stdin failed: the Strata process that started this one is gone'));
      process.stdin.resume();
    }
    this.#connect(100);
  }

  #connect(delay) {
    const socket = net.connect({ host: this.host, port: this.port });
    socket.setNoDelay(true);
    let buffered = Buffer.alloc(0);
    let pinger;
    socket.on('connect', () => {
      delay = 100;
      this.socket = socket;
      for (const address of this.handlers.keys()) this.#register(address);
      for (const go of this.waiting.splice(0)) go();
      pinger = setInterval(() => this.#write({ type: 'ping' }), PING_MS);
    });
    socket.on('data', (chunk) => {
      buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
      while (buffered.length >= 4) {
        const n = buffered.readInt32BE(0);
        if (n < 0 || n > MAX_FRAME) {
          socket.destroy(new Error(`bad frame length ${n}`));
          return;
        }
        if (buffered.length < 4 + n) break;
        const msg = JSON.parse(buffered.subarray(4, 4 + n).toString('utf8'));
        buffered = buffered.subarray(4 + n);
        this.#frame(msg);
      }
    });
    socket.on('error', () => {}); // 'close' follows and decides
    socket.on('close', () => {
      clearInterval(pinger);
      const wasConnected = this.socket === socket;
      this.socket = null;
      for (const [address, p] of this.pending) {
        p.reject(new Failure('bridge connection lost', 503, 'ERROR'));
        this.pending.delete(address);
      }
      if (!parentAlive()) exit('the Strata process that started this one is gone');
      if (wasConnected) log(`bridge connection to ${this.host}:${this.port} lost; reconnecting`);
      else log(`cannot reach the bridge at ${this.host}:${this.port}; again in ${delay} ms`);
      setTimeout(() => this.#connect(Math.min(delay * 2, 5000)), wasConnected ? 100 : delay);
    });
  }

  #auth(headers) {
    if (this.token) headers.token = this.token;
    return headers;
  }

  #register(address) {
    this.#write({ type: 'register', address, headers: this.#auth({}) });
    const instance = process.env.STRATA_INSTANCE_ADDRESS;
    if (address === instance) { // tell the supervisor this instance serves (after the register: frames keep order)
      this.#write({ type: 'send', address: `${instance}.ready`, body: { pid: process.pid }, headers: this.#auth({}) });
    }
  }

  #write(frame) {
    if (!this.socket) throw new Failure('not connected to the bridge', 503, 'ERROR');
    const json = Buffer.from(JSON.stringify(frame), 'utf8');
    const head = Buffer.alloc(4);
    head.writeInt32BE(json.length, 0);
    this.socket.write(Buffer.concat([head, json]));
  }

  #frame(msg) {
    const { type, address } = msg;
    if (type === 'message' && this.pending.has(address)) {
      this.pending.get(address).resolve(new Reply(msg.body, msg.headers ?? {}));
      this.pending.delete(address);
    } else if (type === 'message' && this.handlers.has(address)) {
      this.#handle(this.handlers.get(address), msg);
    } else if (type === 'err' && this.pending.has(address)) {
      this.pending.get(address).reject(new Failure(msg.message ?? 'failed', msg.failureCode ?? 500, msg.failureType ?? 'ERROR'));
      this.pending.delete(address);
    } else if (type === 'err' && this.handlers.has(address)) {
      exit(`the bridge refused to register ${address}: ${msg.message}`, 3);
    } else if (type === 'err') {
      log(`bridge error: ${msg.message}`);
    }
  }

  async #handle(handler, msg) {
    const replyTo = msg.replyAddress;
    try {
      const result = await handler(msg.body, msg.headers ?? {});
      if (!replyTo) return;
      const reply = result instanceof Reply ? result : new Reply(result);
      const frame = { type: 'send', address: replyTo, body: reply.body === undefined ? null : reply.body };
      const names = Object.keys(reply.headers ?? {});
      if (names.length) frame.headers = Object.fromEntries(names.map((k) => [k, String(reply.headers[k])]));
      this.#write(frame);
    } catch (e) { // any error fails the request, never silence
      if (!replyTo || !this.socket) return;
      const failure = e instanceof Failure ? e : new Failure(`${e?.name ?? 'Error'}: ${e?.message ?? e}`);
      this.#write({ type: 'send', address: replyTo, failureCode: Number(failure.code) | 0, message: String(failure.message) });
    }
  }
}

let client;
const defaultClient = () => (client ??= new Client());

/** Answers `address` with `handler` until Strata stops this process. */
export const serve = (address, handler) => defaultClient().serve(address, handler);
/** Calls another address; resolves with the reply's body. */
export const request = (address, body, headers, timeoutMs) => defaultClient().request(address, body, headers, timeoutMs);
export const send = (address, body, headers) => defaultClient().send(address, body, headers);
export const publish = (address, body, headers) => defaultClient().publish(address, body, headers);
