"""Runs the local SPID/CIE stand-in: a real OpenID Connect provider (`oidc-provider-mock`) on
the given port, with the demo identities as one-click buttons on its login page.

    .venv/bin/python deploy/local/oidc_provider.py --port 9400
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from identities import ALL


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    port = parser.parse_args().port
    command = [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port)]
    command.append("--require-nonce")
    for identity in ALL:
        command += ["--user-claims", json.dumps(identity.claims())]
    os.execv(sys.executable, command)  # noqa: S606 - our own interpreter, our own arguments


if __name__ == "__main__":
    main()
