"""Start LocalStack core in host mode, listening on loopback only.

Run with the LocalStack venv's interpreter:
    .attune/venv-localstack/bin/python localstack/localstack_server.py

Configuration comes from the environment (GATEWAY_LISTEN, SERVICES, ...), exactly as for
`python -m localstack.runtime.main`, which this wraps with one fix:

LocalStack 4.13.1's Twisted gateway ignores the host part of GATEWAY_LISTEN for IPv4 addresses
(`endpoints.TCP4ServerEndpoint(reactor, port)`, marked "TODO: interface = host?" upstream) and so
listens on 0.0.0.0. We replace the `endpoints` module seen by that code with a proxy whose
TCP4ServerEndpoint binds to the host configured for that port.
"""

import types


def _bind_gateway_to_configured_host() -> None:
    from twisted.internet import endpoints as real_endpoints

    from localstack import config
    from localstack.runtime.server import twisted as ls_twisted

    def tcp4_server_endpoint(reactor, port, backlog=50, interface=""):
        if not interface:
            for listen in config.GATEWAY_LISTEN:
                if listen.port == port:
                    interface = listen.host
                    break
        return real_endpoints.TCP4ServerEndpoint(reactor, port, backlog, interface=interface)

    proxy = types.ModuleType("attune_twisted_endpoints_proxy")
    proxy.__dict__.update(real_endpoints.__dict__)
    proxy.TCP4ServerEndpoint = tcp4_server_endpoint
    ls_twisted.endpoints = proxy


def main() -> None:
    _bind_gateway_to_configured_host()
    from localstack.runtime.main import main as localstack_main

    localstack_main()


if __name__ == "__main__":
    main()
