"""redis-py 8 as installed from PyPI, in its default settings (RESP3: it opens with HELLO 3), against
the kv application of a Strata node. Run by KvForeignClientsTest:

    python3 src/test/python/kv_redis_py.py PORT

Prints "ok" and exits 0, or prints what differed and exits 1; exits 3 when redis-py 8 is missing.
"""
import sys

try:
    import redis
except ImportError:
    print("redis-py is not installed: python3 -m pip install --user 'redis>=8' (.ci/run installs it)")
    sys.exit(3)

if int(redis.__version__.split(".")[0]) < 8:
    print(f"redis-py {redis.__version__} is installed; these checks need 8 or later: "
          "python3 -m pip install --user --upgrade 'redis>=8'")
    sys.exit(3)


def check(what, actual, expected):
    if actual != expected:
        print(f"{what}: expected {expected!r}, got {actual!r}")
        sys.exit(1)


r = redis.Redis(host="127.0.0.1", port=int(sys.argv[1]))
check("PING", r.ping(), True)
check("the protocol redis-py chose by itself", r.client_info()["resp"], "3")
r.flushdb()

check("SET", r.set("greeting", "hello"), True)
check("GET", r.get("greeting"), b"hello")
check("INCR", r.incr("counter"), 1)
check("INCRBY", r.incr("counter", 41), 42)

pipe = r.pipeline(transaction=True)
pipe.set("a", "1").incr("a").get("a").hset("h", mapping={"f": "v"}).hgetall("h")
check("pipeline(transaction=True)", pipe.execute(), [True, 2, b"2", 1, {b"f": b"v"}])

pipe = r.pipeline(transaction=True)
pipe.set("s", "x").incr("s").set("after", "1")
try:
    pipe.execute()
    check("pipeline with a failing command", "no error", "ResponseError")
except redis.ResponseError as e:
    check("the error of a command inside EXEC", str(e),
          "Command # 2 (INCRBY s 1) of pipeline caused error: value is not an integer or out of range")
check("the commands after it ran (no rollback, as in Redis)", r.get("after"), b"1")

check("GET of a missing key (RESP3 null)", r.get("never-set"), None)
check("MGET with a missing key (a null inside an array)", r.mget("greeting", "never-set"), [b"hello", None])

watcher = redis.Redis(host="127.0.0.1", port=int(sys.argv[1]))
pipe = r.pipeline(transaction=True)
pipe.watch("watched")
watcher.set("watched", "changed by another client")
pipe.multi()
pipe.set("watched", "mine")
try:
    pipe.execute()
    check("EXEC after a watched key changed", "executed", "WatchError")
except redis.WatchError:
    pass
check("the aborted transaction did not run", r.get("watched"), b"changed by another client")

keys = {f"scan:{i}" for i in range(50)}
for k in keys:
    r.set(k, "v")
r.rpush("scan:list", "x")
check("scan_iter(match, count)", {k.decode() for k in r.scan_iter(match="scan:*", count=7)}, keys | {"scan:list"})
check("scan_iter(_type)", [k.decode() for k in r.scan_iter(match="scan:*", _type="list")], ["scan:list"])

print("ok")
