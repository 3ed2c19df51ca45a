"""The Python half of benches/serve: boto3 timings, a canned floor server,
a pre-signed request for wrk, and the 60-second mixed load.

    python3 benches/serve.py floor PORTFILE          # serve a canned body
    python3 benches/serve.py boto3 NAME URL N        # median s per call
    python3 benches/serve.py presign URL NAME OUT    # a wrk Lua script
    python3 benches/serve.py seed URL NAME VALUE     # create NAME (moto)
    python3 benches/serve.py mixed URL SECS OUT      # the mixed load

Credentials and region come from the environment (AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION).
"""

import http.server
import json
import os
import random
import statistics
import sys
import threading
import time
import uuid

CANNED = json.dumps({
    "ARN": "arn:aws:secretsmanager:eu-west-1:000000000000:secret:app/db-AbCdEf",
    "Name": "app/db",
    "VersionId": "0" * 32,
    "SecretString": '{"username":"admin","password":"bench-password-0123456789"}',
    "VersionStages": ["AWSCURRENT"],
    "CreatedDate": 1700000000.0,
}).encode()


class Canned(http.server.BaseHTTPRequestHandler):
    """Answers every POST with the same GetSecretValue body, keep-alive."""

    protocol_version = "HTTP/1.1"
    # One write per answer and no Nagle: else the client's delayed ACK
    # adds 40 ms to every call and the floor is no floor.
    disable_nagle_algorithm = True

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(length)
        head = (
            "HTTP/1.1 200 OK\r\n"
            "Content-Type: application/x-amz-json-1.1\r\n"
            f"x-amzn-RequestId: {uuid.uuid4()}\r\n"
            f"Content-Length: {len(CANNED)}\r\n\r\n"
        )
        self.wfile.write(head.encode() + CANNED)

    def log_message(self, *args):
        pass


def floor(portfile):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Canned)
    with open(portfile + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(portfile + ".tmp", portfile)
    server.serve_forever()


def client(url):
    import boto3
    from botocore.config import Config

    return boto3.session.Session().client(
        service_name="secretsmanager",
        endpoint_url=url,
        config=Config(retries={"max_attempts": 1}, max_pool_connections=64),
    )


def time_boto3(name, url, n):
    c = client(url)
    for _ in range(50):
        c.get_secret_value(SecretId=name)
    times = []
    for _ in range(n):
        start = time.perf_counter()
        c.get_secret_value(SecretId=name)
        times.append(time.perf_counter() - start)
    print(f"{statistics.median(times):.6f}")


def seed(url, name, value):
    client(url).create_secret(Name=name, SecretString=value)


def presign(url, name, out):
    """A signed GetSecretValue request as a wrk script (replayed within the
    signature window: the bench runs for seconds)."""
    import botocore.session
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest

    creds = botocore.session.get_session().get_credentials()
    body = json.dumps({"SecretId": name})
    req = AWSRequest(method="POST", url=url + "/", data=body, headers={
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": "secretsmanager.GetSecretValue",
    })
    SigV4Auth(creds, "secretsmanager", os.environ["AWS_DEFAULT_REGION"]).add_auth(req)
    lines = ['wrk.method = "POST"', f"wrk.body = {json.dumps(body)}"]
    for k, v in req.headers.items():
        lines.append(f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}")
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")


def mixed(url, secs, out):
    """50 clients for SECS seconds: 45 read, 5 write (to secrets of their
    own, created as they go, and now and then to one shared secret); every
    acknowledged write is recorded with its version id; errors are counted
    by code and message."""
    from botocore.exceptions import ClientError

    readers, writers = 45, 5
    names = [f"mixed/r{i}" for i in range(20)]
    stop = time.monotonic() + secs
    lock = threading.Lock()
    acked, errors = [], {}
    counts = {"reads": 0, "writes": 0}

    def note(code, message):
        with lock:
            key = f"{code}: {message[:120]}"
            errors[key] = errors.get(key, 0) + 1

    def reader(i):
        c = client(url)
        rnd = random.Random(i)
        while time.monotonic() < stop:
            name = rnd.choice(names + ["mixed/rot", "mixed/shared"])
            try:
                c.get_secret_value(SecretId=name)
                with lock:
                    counts["reads"] += 1
            except ClientError as e:
                note(e.response["Error"]["Code"], e.response["Error"].get("Message", ""))
            except Exception as e:  # transport failures count as failures
                note(type(e).__name__, str(e))

    def writer(i):
        c = client(url)
        n = shared = 0
        created = set()
        while time.monotonic() < stop:
            n += 1
            # At most 90 versions per secret, so that none is pruned (sm
            # keeps 100 unlabelled versions per secret, as documented).
            if n % 5 == 0 and shared < 18:
                shared += 1
                name = "mixed/shared"
            else:
                name = f"mixed/w{i}/{n // 90}"
            value = f"w{i}-{n}-{uuid.uuid4()}"
            token = str(uuid.uuid4())
            try:
                if name.startswith("mixed/w") and name not in created:
                    r = c.create_secret(Name=name, SecretString=value,
                                        ClientRequestToken=token)
                    created.add(name)
                else:
                    r = c.put_secret_value(SecretId=name, SecretString=value,
                                           ClientRequestToken=token)
                with lock:
                    acked.append((name, r["VersionId"], value))
                    counts["writes"] += 1
            except ClientError as e:
                note(e.response["Error"]["Code"], e.response["Error"].get("Message", ""))
            except Exception as e:
                note(type(e).__name__, str(e))
            time.sleep(0.05)

    threads = [threading.Thread(target=reader, args=(i,)) for i in range(readers)]
    threads += [threading.Thread(target=writer, args=(i,)) for i in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Nothing lost: every acknowledged version is there with its value.
    c = client(url)
    lost = 0
    for name, version, value in acked:
        try:
            got = c.get_secret_value(SecretId=name, VersionId=version)
            if got["SecretString"] != value:
                lost += 1
        except ClientError:
            lost += 1
    with open(out, "w") as f:
        json.dump({"reads": counts["reads"], "writes": counts["writes"],
                   "acked": len(acked), "lost": lost, "errors": errors}, f)


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "floor":
        floor(*args)
    elif cmd == "boto3":
        time_boto3(args[0], args[1], int(args[2]))
    elif cmd == "presign":
        presign(*args)
    elif cmd == "seed":
        seed(*args)
    elif cmd == "mixed":
        mixed(args[0], float(args[1]), args[2])
    else:
        sys.exit(f"unknown command {cmd}")
