"""moto server for DynamoDB, serving ONE request at a time.

Run with the moto venv's interpreter:
    .attune/venv-moto/bin/python localstack/moto_server.py [--host 127.0.0.1] [--port 4569]

`moto_server` (moto.server.main) calls werkzeug's run_simple(threaded=True): every request runs on
its own thread and moto's DynamoDB backend takes no lock, so two concurrent conditional writes can
both pass their condition. DynamoDB guarantees that a conditional write is atomic, and the engine's
slot leases rely on it. Here the same WSGI app is served with threaded=False, processes=1: requests
are handled strictly one after another (werkzeug then answers HTTP/1.0 and closes each connection,
so an idle keep-alive client cannot block the others). Its TransactWriteItems saves and restores
the items a transaction names rather than copying whole tables (moto_transactions.py), and a
Query reads the queried partition instead of sorting the whole table (moto_queries.py); no item
is kept alive for moto's dashboard (moto_untracked.py).
"""

import argparse
import os
import signal
import sys

from werkzeug.serving import run_simple

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)

import moto_queries
import moto_transactions
import moto_untracked


def _exit(signum, frame):  # noqa: ARG001
    sys.exit(0)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-H", "--host", default=os.environ.get("MOTO_HOST", "127.0.0.1"))
    parser.add_argument("-p", "--port", type=int, default=int(os.environ.get("MOTO_PORT", "4569")))
    args = parser.parse_args(argv)

    # moto reads MOTO_PORT when it builds URLs that point back at itself.
    os.environ["MOTO_PORT"] = str(args.port)
    os.environ.setdefault("MOTO_ACCOUNT_ID", "000000000000")

    signal.signal(signal.SIGINT, _exit)
    signal.signal(signal.SIGTERM, _exit)

    moto_transactions.install()
    moto_queries.install()
    moto_untracked.install()
    app = DomainDispatcherApplication(create_backend_app)
    print(f"moto server (single-threaded) on http://{args.host}:{args.port}", flush=True)
    run_simple(
        args.host,
        args.port,
        app,
        threaded=False,
        processes=1,
        use_reloader=False,
        use_debugger=False,
        request_handler=MotoRequestHandler,
    )


if __name__ == "__main__":
    main()
