"""Strata client library for Python 3 (standard library only, asyncio).

Answer an event-bus address from Python, as a Java verticle would, through Strata's event-bus
bridge (4-byte big-endian length + UTF-8 JSON). Run under Strata (an ``apps:`` entry with
``process:``), it finds the bridge, the token and its address in the environment; run by hand, give
them yourself (``STRATA_BRIDGE_PORT=7000 python3 app.py``). Guide: docs/polyglot.md.

    import strata

    def greet(body, headers):
        if not body:
            raise strata.Failure("a name is required")      # the requester gets "ERR a name is required"
        return "hello, " + body                           # or strata.Reply(body, {"header": "value"})

    strata.serve("app.greet", greet)                        # runs until Strata stops it

A handler gets the body (a str for a line, a list of str for a RESP command, any JSON value) and the
headers (a dict of str), and returns the reply (any JSON value, or a Reply with headers), or raises to
fail the request. It may be ``async def`` and may call other addresses with ``await strata.request``.

Lifetime: the library keeps the bridge connection alive (a ping every 5 s) and reconnects, with
backoff, when it drops while Strata runs. When the Strata process that started it is gone (its stdin,
a pipe Strata holds open, reaches end-of-file; or STRATA_PARENT_PID is no longer alive when the
connection drops) it exits, so a ``kill -9`` of Strata leaves no orphan.
"""

import asyncio
import inspect
import itertools
import json
import os
import struct
import sys
import threading

__all__ = ["serve", "request", "send", "publish", "Failure", "Reply", "Client"]

PING_SECONDS = 5
MAX_FRAME = 16 * 1024 * 1024


class Failure(Exception):
    """Fails a request: the requester gets ``message`` (with ``code``). Also raised by request()."""

    def __init__(self, message, code=500, failure_type="RECIPIENT_FAILURE"):
        super().__init__(message)
        self.message = message
        self.code = code
        self.failure_type = failure_type


class Reply:
    """A reply with headers: ``return Reply("hello", {"lang": "en"})``."""

    def __init__(self, body, headers=None):
        self.body = body
        self.headers = headers or {}


def _log(text):
    print("strata.py: " + text, file=sys.stderr, flush=True)


def _parent_alive():
    ppid = os.environ.get("STRATA_PARENT_PID")
    if not ppid:
        return True
    if os.getppid() != int(ppid):  # re-parented: the process that started us is gone
        return False
    try:
        os.kill(int(ppid), 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


class Client:
    """One bridge connection: serves addresses, sends requests; reconnects while Strata runs."""

    def __init__(self, host=None, port=None, token=None):
        self.host = host or os.environ.get("STRATA_BRIDGE_HOST", "127.0.0.1")
        self.port = int(port or os.environ.get("STRATA_BRIDGE_PORT", "7000"))
        self.token = token or os.environ.get("STRATA_BRIDGE_TOKEN")
        self.handlers = {}  # the address registered -> handler
        self.pending = {}  # our reply address -> future
        self.ids = itertools.count(1)
        self.prefix = "strata.py.%d.%s." % (os.getpid(), os.urandom(4).hex())
        self.writer = None
        self.connected = None

    # ---- public ----

    def serve(self, address, handler):
        """Answer ``address``. Under Strata, its own address arrives at this instance's private one."""
        if address == os.environ.get("STRATA_ADDRESS") and os.environ.get("STRATA_INSTANCE_ADDRESS"):
            address = os.environ["STRATA_INSTANCE_ADDRESS"]
        self.handlers[address] = handler
        if self.writer is not None:
            self._register(address)

    async def request(self, address, body, headers=None, timeout=None):
        """Sends a request; returns the reply's body, or raises Failure. ``timeout`` in seconds."""
        reply = await self.request_reply(address, body, headers, timeout)
        return reply.body

    async def request_reply(self, address, body, headers=None, timeout=None):
        """As request(), returning a Reply (body and headers)."""
        await self._wait_connected()
        reply_address = self.prefix + str(next(self.ids))
        future = asyncio.get_running_loop().create_future()
        self.pending[reply_address] = future
        h = dict(headers or {})
        if timeout is not None:
            h["timeout"] = int(timeout * 1000)
        try:
            self._write({"type": "send", "address": address, "body": body, "replyAddress": reply_address,
                         "headers": self._auth(h)})
            return await future
        finally:
            self.pending.pop(reply_address, None)

    def send(self, address, body, headers=None):
        """One-way message to one consumer of ``address``."""
        self._write({"type": "send", "address": address, "body": body, "headers": self._auth(dict(headers or {}))})

    def publish(self, address, body, headers=None):
        self._write({"type": "publish", "address": address, "body": body, "headers": self._auth(dict(headers or {}))})

    async def run(self):
        """Connects, serves and reconnects, until the parent Strata is gone."""
        if os.environ.get("STRATA_PARENT_PID"):
            _watch_stdin()
        self.connected = asyncio.Event()
        delay = 0.1
        while True:
            try:
                reader, writer = await asyncio.open_connection(self.host, self.port)
            except OSError as e:
                if not _parent_alive():
                    _exit("the Strata process that started this one is gone")
                _log("cannot reach the bridge at %s:%d (%s); again in %.1f s" % (self.host, self.port, e, delay))
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
                continue
            delay = 0.1
            self.writer = writer
            for address in self.handlers:
                self._register(address)
            self.connected.set()
            pinger = asyncio.ensure_future(self._ping())
            try:
                await self._read(reader)
            except (OSError, asyncio.IncompleteReadError):
                pass
            finally:
                pinger.cancel()
                self.connected.clear()
                self.writer = None
                writer.close()
                for f in self.pending.values():
                    if not f.done():
                        f.set_exception(Failure("bridge connection lost", 503, "ERROR"))
            if not _parent_alive():
                _exit("the Strata process that started this one is gone")
            _log("bridge connection to %s:%d lost; reconnecting" % (self.host, self.port))

    # ---- inside ----

    def _auth(self, headers):
        if self.token:
            headers["token"] = self.token
        return headers

    async def _wait_connected(self):
        if self.connected is None:
            raise RuntimeError("not running: call strata.serve(...) or await client.run() first")
        await self.connected.wait()

    def _register(self, address):
        self._write({"type": "register", "address": address, "headers": self._auth({})})
        instance = os.environ.get("STRATA_INSTANCE_ADDRESS")
        if address == instance:  # tell the supervisor this instance serves (after the register: frames keep order)
            self._write({"type": "send", "address": instance + ".ready", "body": {"pid": os.getpid()},
                         "headers": self._auth({})})

    def _write(self, frame):
        if self.writer is None:
            raise Failure("not connected to the bridge", 503, "ERROR")
        data = json.dumps(frame, separators=(",", ":")).encode()
        self.writer.write(struct.pack(">i", len(data)) + data)

    async def _ping(self):
        while True:
            await asyncio.sleep(PING_SECONDS)
            self._write({"type": "ping"})

    async def _read(self, reader):
        while True:
            (n,) = struct.unpack(">i", await reader.readexactly(4))
            if n < 0 or n > MAX_FRAME:
                raise OSError("bad frame length %d" % n)
            msg = json.loads(await reader.readexactly(n))
            kind, address = msg.get("type"), msg.get("address")
            if kind == "message" and address in self.pending:
                f = self.pending[address]
                if not f.done():
                    f.set_result(Reply(msg.get("body"), msg.get("headers") or {}))
            elif kind == "message" and address in self.handlers:
                self._dispatch(self.handlers[address], msg)
            elif kind == "err" and address in self.pending:
                f = self.pending[address]
                if not f.done():
                    f.set_exception(Failure(msg.get("message", "failed"), msg.get("failureCode", 500),
                                            msg.get("failureType", "ERROR")))
            elif kind == "err" and address in self.handlers:
                _exit("the bridge refused to register %s: %s" % (address, msg.get("message")), 3)
            elif kind == "err":
                _log("bridge error: %s" % msg.get("message"))

    def _dispatch(self, handler, msg):
        """A plain function is answered in place (no task per request); a coroutine gets a task."""
        try:
            result = handler(msg.get("body"), msg.get("headers") or {})
        except Exception as e:
            self._answer(msg, None, e)
            return
        if inspect.isawaitable(result):
            asyncio.ensure_future(self._finish(msg, result))
        else:
            self._answer(msg, result, None)

    async def _finish(self, msg, awaitable):
        try:
            result = await awaitable
        except Exception as e:
            self._answer(msg, None, e)
            return
        self._answer(msg, result, None)

    def _answer(self, msg, result, error):
        reply_to = msg.get("replyAddress")
        try:
            if error is not None:
                raise error
            if not reply_to:
                return
            reply = result if isinstance(result, Reply) else Reply(result)
            body = reply.body.decode("utf-8", "replace") if isinstance(reply.body, bytes) else reply.body
            frame = {"type": "send", "address": reply_to, "body": body}
            if reply.headers:
                frame["headers"] = {str(k): str(v) for k, v in reply.headers.items()}
            self._write(frame)
        except Failure as f:
            if reply_to:
                self._fail(reply_to, f.code, f.message)
        except Exception as e:  # any other exception fails the request too, never silence
            if reply_to:
                self._fail(reply_to, 500, "%s: %s" % (type(e).__name__, e))

    def _fail(self, reply_to, code, message):
        try:
            self._write({"type": "send", "address": reply_to, "failureCode": int(code), "message": str(message)})
        except Failure:
            pass  # the connection is gone; the requester learns from the bridge


def _exit(why, code=0):
    _log(why + "; exiting")
    os._exit(code)


def _watch_stdin():
    """Strata holds our stdin open and never writes: end-of-file means it is gone (even after kill -9)."""

    def watch():
        try:
            while sys.stdin.buffer.read(4096):
                pass
        except (OSError, ValueError):
            pass
        _exit("stdin closed: the Strata process that started this one is gone")

    threading.Thread(target=watch, name="strata-parent-watch", daemon=True).start()


_default = None


def _client():
    global _default
    if _default is None:
        _default = Client()
    return _default


def serve(address, handler):
    """Answers ``address`` with ``handler`` and runs until Strata stops this process."""
    client = _client()
    client.serve(address, handler)
    try:
        asyncio.run(client.run())
    except KeyboardInterrupt:
        pass


async def request(address, body, headers=None, timeout=None):
    """Calls another address (from a handler, or anything running on the default client's loop)."""
    return await _client().request(address, body, headers, timeout)


def send(address, body, headers=None):
    _client().send(address, body, headers)


def publish(address, body, headers=None):
    _client().publish(address, body, headers)
