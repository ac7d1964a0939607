#!/usr/bin/env python3
"""app.greet in Python: "ada" -> "hello, ada" (lines); GREET ada -> "hello, ada" (RESP).

A header ``lang: fr`` answers "bonjour, ada"; every reply carries the header ``greeted`` with the name.
An empty name fails the request. Deployed by conf/strata.yaml; guide: docs/polyglot.md.
"""
import os

import strata

HELLO = {"en": "hello", "fr": "bonjour", "de": "hallo"}


def greet(body, headers):
    if isinstance(body, list):  # a RESP command: GREET name...
        if not body or str(body[0]).upper() != "GREET":
            raise strata.Failure("unknown command '%s'; try GREET <name>" % (body[0] if body else ""))
        body = " ".join(body[1:])
    name = str(body or "").strip()
    if not name:
        raise strata.Failure("a name is required")
    word = HELLO.get(headers.get("lang", "en"), HELLO["en"])
    return strata.Reply("%s, %s" % (word, name), {"greeted": name})


print("greet.py pid %d serving %s" % (os.getpid(), os.environ.get("STRATA_ADDRESS", "app.greet")))
strata.serve("app.greet", greet)
