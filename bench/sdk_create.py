#!/usr/bin/env python3
"""The peer of `poolctl create`: the official Huawei Cloud Python SDK doing the
same CreatePool request (examples/physical-pool.yaml) against poolctl's emulator.

    eval "$(poolctl emulator --listen 127.0.0.1:0)"   # in another shell, or see bench/run.sh
    bench/.venv/bin/python bench/sdk_create.py [--name NAME] [--no-send]

Reads the emulator's exports: POOLCTL_ENDPOINT, HUAWEICLOUD_SDK_AK,
HUAWEICLOUD_SDK_SK, POOLCTL_PROJECT_ID. The pool name defaults to
`sdk-<pid>-<time>` so that repeated runs do not collide (a duplicate answers 409).

--no-send imports the SDK, builds the request with its model classes and signs
it through the SDK's own request path, then stops before the HTTP call: the peer
of `poolctl create --dry-run`.

Exit 0 on success; 1 with the SDK's error on stderr otherwise.
"""

import os
import sys
import time


def main(argv):
    name = None
    send = True
    args = list(argv)
    while args:
        arg = args.pop(0)
        if arg == "--name":
            name = args.pop(0)
        elif arg == "--no-send":
            send = False
        else:
            print("usage: sdk_create.py [--name NAME] [--no-send]", file=sys.stderr)
            return 2
    if name is None:
        name = "sdk-%d-%d" % (os.getpid(), time.time_ns() % 10**9)

    try:
        endpoint = os.environ["POOLCTL_ENDPOINT"]
        ak = os.environ["HUAWEICLOUD_SDK_AK"]
        sk = os.environ["HUAWEICLOUD_SDK_SK"]
        project_id = os.environ["POOLCTL_PROJECT_ID"]
    except KeyError as e:
        print("sdk_create.py: %s is not set (eval the emulator's export lines)" % e, file=sys.stderr)
        return 2

    # The SDK: everything below is timed as part of the process.
    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    from huaweicloudsdkcore.exceptions import exceptions
    from huaweicloudsdkcore.http.http_config import HttpConfig
    # Version 3.1.219 has the pool API under v1 (the path it calls is /v2/{project_id}/pools).
    from huaweicloudsdkmodelarts.v1 import (
        CreatePoolRequest,
        CreatePoolRequestBody,
        ModelArtsClient,
        PoolAnnotationsCreation,
        PoolLabelsCreation,
        PoolMetadataCreation,
        PoolResourceFlavor,
        PoolSpecCreation,
        PoolSpecCreationNetwork,
    )

    # The same pool as examples/physical-pool.yaml (maxCount filled as poolctl fills it).
    body = CreatePoolRequestBody(
        api_version="v2",
        kind="Pool",
        metadata=PoolMetadataCreation(
            labels=PoolLabelsCreation(os_modelarts_name=name, os_modelarts_workspace_id="0"),
            annotations=PoolAnnotationsCreation(
                os_modelarts_description="CPU pool for training smoke tests"
            ),
        ),
        spec=PoolSpecCreation(
            type="Dedicate",
            scope=["Train", "Infer"],
            network=PoolSpecCreationNetwork(name="network-21e1"),
            resources=[PoolResourceFlavor(flavor="modelarts.vm.cpu.8ud", count=2, max_count=2)],
        ),
    )
    request = CreatePoolRequest(body=body)

    config = HttpConfig.get_default_config()
    config.retry_times = 0
    client = (
        ModelArtsClient.new_builder()
        .with_http_config(config)
        .with_credentials(BasicCredentials(ak, sk, project_id))
        # No with_region(): a region would add its public endpoint. Ours is the emulator.
        .with_endpoints([endpoint])
        .build()
    )

    if not send:
        # The SDK's own path up to the HTTP call: serialize the body, add
        # X-Project-Id, sign (SDK-HMAC-SHA256). build_future_request is what
        # do_http_request calls before sending.
        info = ModelArtsClient._create_pool_http_info(request)
        signed = client.build_future_request(
            info["method"], info["resource_path"], info["path_params"], info["query_params"],
            info["header_params"], info["body"], info["post_params"], info["cname"],
            info["response_type"], info["collection_formats"], None,
        ).result()
        if not signed.header_params.get("Authorization", "").startswith("SDK-HMAC-SHA256 "):
            print("sdk_create.py: the SDK did not sign the request", file=sys.stderr)
            return 1
        return 0

    try:
        response = client.create_pool(request)
    except exceptions.ClientRequestException as e:
        print(
            "sdk_create.py: HTTP %s %s: %s (request id %s)"
            % (e.status_code, e.error_code, e.error_msg, e.request_id),
            file=sys.stderr,
        )
        return 1
    except exceptions.SdkException as e:
        print("sdk_create.py: %s" % e, file=sys.stderr)
        return 1
    if response.status_code != 200:
        print("sdk_create.py: HTTP %s" % response.status_code, file=sys.stderr)
        return 1
    if os.environ.get("SDK_CREATE_VERBOSE"):
        print(response.metadata.name if response.metadata else response)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
