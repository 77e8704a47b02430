"""Smoke test of a running local stack (LocalStack on :4566, moto DynamoDB on :4569).

    .attune/venv-localstack/bin/python localstack/smoke_test.py [localstack-url] [moto-url]

Uses the boto3 bundled with LocalStack. Exits non-zero on the first failure. Creates resources
with random names and deletes what it created.
"""

import json
import sys
import threading
import time
import uuid

import boto3
from botocore.config import Config

LS = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:4566"
MOTO = sys.argv[2] if len(sys.argv) > 2 else "http://127.0.0.1:4569"
KW = dict(region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
RUN = uuid.uuid4().hex[:8]


def client(name, endpoint=LS, **extra):
    cfg = Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}, **extra)
    return boto3.client(name, endpoint_url=endpoint, config=cfg, **KW)


def ok(what, detail=""):
    print(f"ok  {what}{(': ' + detail) if detail else ''}", flush=True)


def receive_all(sqs, url, want, timeout=15.0):
    got, deadline = [], time.time() + timeout
    while len(got) < want and time.time() < deadline:
        r = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1,
                                AttributeNames=["All"])
        for m in r.get("Messages", []):
            got.append(m)
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    return got


def check_sqs_fifo(sqs):
    url = sqs.create_queue(QueueName=f"smoke-{RUN}.fifo",
                           Attributes={"FifoQueue": "true"})["QueueUrl"]
    seqs = [sqs.send_message(QueueUrl=url, MessageBody=f"m{i}", MessageGroupId="g1",
                             MessageDeduplicationId=f"d{i}")["SequenceNumber"] for i in range(3)]
    dup = sqs.send_message(QueueUrl=url, MessageBody="m0-again", MessageGroupId="g1",
                           MessageDeduplicationId="d0")
    got = receive_all(sqs, url, 3)
    bodies = [m["Body"] for m in got]
    assert bodies == ["m0", "m1", "m2"], bodies
    assert dup["MessageId"] == got[0]["MessageId"], "dedup did not return the first message id"
    ok("SQS FIFO create/send/receive/dedup", f"QueueUrl={url} SequenceNumbers={seqs}")
    sqs.delete_queue(QueueUrl=url)


def check_s3():
    s3 = client("s3")
    bucket = f"smoke-{RUN}"
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="a/b.txt", Body=b"hello")
    body = s3.get_object(Bucket=bucket, Key="a/b.txt")["Body"].read()
    assert body == b"hello", body
    ok("S3 create-bucket/put/get")
    s3.delete_object(Bucket=bucket, Key="a/b.txt")
    s3.delete_bucket(Bucket=bucket)


def check_secrets():
    sm = client("secretsmanager")
    name = f"smoke/{RUN}"
    arn = sm.create_secret(Name=name, SecretString='{"k":"v"}')["ARN"]
    assert sm.get_secret_value(SecretId=name)["SecretString"] == '{"k":"v"}'
    assert sm.get_secret_value(SecretId=arn)["SecretString"] == '{"k":"v"}'
    ok("Secrets Manager create/get (by name and ARN)", arn)
    sm.delete_secret(SecretId=arn, ForceDeleteWithoutRecovery=True)


def check_events_to_sqs(sqs):
    ev = client("events")
    bus = f"smoke-{RUN}"
    ev.create_event_bus(Name=bus)
    std = sqs.create_queue(QueueName=f"smoke-ev-{RUN}")["QueueUrl"]
    fifo = sqs.create_queue(QueueName=f"smoke-ev-{RUN}.fifo", Attributes={
        "FifoQueue": "true", "ContentBasedDeduplication": "true"})["QueueUrl"]
    arn = lambda u: sqs.get_queue_attributes(QueueUrl=u, AttributeNames=["QueueArn"])[
        "Attributes"]["QueueArn"]
    ev.put_rule(Name="r", EventBusName=bus, EventPattern=json.dumps({"source": ["smoke.test"]}))
    ev.put_targets(Rule="r", EventBusName=bus, Targets=[
        {"Id": "std", "Arn": arn(std)},
        {"Id": "fifo", "Arn": arn(fifo), "SqsParameters": {"MessageGroupId": "grp"}},
    ])
    r = ev.put_events(Entries=[{"Source": "smoke.test", "DetailType": "t", "EventBusName": bus,
                                "Detail": json.dumps({"n": 1})},
                               {"Source": "other", "DetailType": "t", "EventBusName": bus,
                                "Detail": "{}"}])
    assert r["FailedEntryCount"] == 0, r
    for url in (std, fifo):
        got = receive_all(sqs, url, 1, timeout=10)
        assert len(got) == 1, (url, got)
        event = json.loads(got[0]["Body"])
        assert event["source"] == "smoke.test" and event["detail"] == {"n": 1}, event
        assert not receive_all(sqs, url, 1, timeout=2), "non-matching event was delivered"
    ok("EventBridge bus+rule+targets → PutEvents delivered to SQS (standard and FIFO)")
    ev.remove_targets(Rule="r", EventBusName=bus, Ids=["std", "fifo"])
    ev.delete_rule(Name="r", EventBusName=bus)
    ev.delete_event_bus(Name=bus)
    sqs.delete_queue(QueueUrl=std)
    sqs.delete_queue(QueueUrl=fifo)


def check_dynamodb():
    ddb = client("dynamodb", MOTO)
    table = f"smoke-{RUN}"
    ddb.create_table(TableName=table, BillingMode="PAY_PER_REQUEST",
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
    put = dict(TableName=table, Item={"pk": {"S": "a"}, "v": {"N": "1"}},
               ConditionExpression="attribute_not_exists(pk)")
    ddb.put_item(**put)
    try:
        ddb.put_item(**put, ReturnValuesOnConditionCheckFailure="ALL_OLD")
        raise AssertionError("second conditional put succeeded")
    except ddb.exceptions.ConditionalCheckFailedException as e:
        assert e.response.get("Item", {}).get("v") == {"N": "1"}, e.response
    ok("moto DynamoDB CreateTable/PutItem with ConditionExpression")

    # Contention, as slot leases do it: 32 threads race to increment a counter below a limit of 3.
    # Exactly 3 may succeed in every round (moto must apply conditional writes one at a time).
    errors, wins = [], []

    def claim(c):
        try:
            c.update_item(TableName=table, Key={"pk": {"S": "slots"}},
                          UpdateExpression="ADD running :one", ConditionExpression="running < :limit",
                          ExpressionAttributeValues={":one": {"N": "1"}, ":limit": {"N": "3"}})
            wins.append(1)
        except c.exceptions.ConditionalCheckFailedException:
            pass
        except Exception as e:  # noqa: BLE001
            errors.append(repr(e))

    clients = [client("dynamodb", MOTO) for _ in range(32)]
    for _ in range(5):
        ddb.put_item(TableName=table, Item={"pk": {"S": "slots"}, "running": {"N": "0"}})
        wins.clear()
        threads = [threading.Thread(target=claim, args=(c,)) for c in clients]
        [t.start() for t in threads]
        [t.join() for t in threads]
        running = ddb.get_item(TableName=table, Key={"pk": {"S": "slots"}})["Item"]["running"]["N"]
        assert not errors, errors
        assert len(wins) == 3 and running == "3", f"{len(wins)} claims won, running={running}"
    ok("moto DynamoDB: 5 rounds x 32 concurrent conditional increments, limit 3 held")
    ddb.delete_table(TableName=table)


def main():
    sqs = client("sqs")
    check_sqs_fifo(sqs)
    check_s3()
    check_secrets()
    check_events_to_sqs(sqs)
    check_dynamodb()
    print("all checks passed")


if __name__ == "__main__":
    main()
