"""Runs in t3api-utils' own Python 3.12 environment (made by bench/real_peers.py): signs in, says
"signed in", waits for a line on stdin, loads one collection with t3api-utils' own parallel loader
as its introduction shows it (``load_all_data_sync``), then prints one JSON line: seconds, CPU
seconds, rows, unique ids.

    python t3api_utils_load.py BASE_URL HOSTNAME USERNAME PASSWORD LICENSE PATH PAGE_SIZE
"""

from __future__ import annotations

import json
import sys
import time

from t3api_utils.api.parallel import load_all_data_sync
from t3api_utils.auth.utils import create_credentials_authenticated_client_or_error


def main() -> None:
    base_url, hostname, username, password, license_number, path, page_size = sys.argv[1:8]
    client = create_credentials_authenticated_client_or_error(
        hostname=hostname, username=username, password=password, host=base_url
    )
    print("signed in", flush=True)
    sys.stdin.readline()
    cpu0, t0 = time.process_time(), time.perf_counter()
    data = load_all_data_sync(client=client, path=path, license_number=license_number, page_size=int(page_size))
    seconds, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    print(json.dumps({"seconds": seconds, "cpu_s": cpu, "rows": len(data),
                      "unique": len({row.get("id") for row in data})}))


if __name__ == "__main__":
    main()
