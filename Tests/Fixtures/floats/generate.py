#!/usr/bin/env python3
"""Writes cur_float_repr.csv: a small legacy CUR whose numbers are Python floats printed by repr, as generators
of CUR written in Python print them (up to 17 significant digits, in scientific notation below 1e-4:
4.2323048875216436e-05 has 21 decimal places). Deterministic: the same file on every run.

    python3 Tests/Fixtures/floats/generate.py > Tests/Fixtures/floats/cur_float_repr.csv
"""
import csv
import hashlib
import random
import sys

HEADER = [
    "identity/LineItemId", "identity/TimeInterval", "bill/BillingEntity", "bill/BillingPeriodStartDate",
    "bill/PayerAccountId", "lineItem/UsageAccountId", "lineItem/LineItemType", "lineItem/ProductCode",
    "lineItem/UsageType", "lineItem/Operation", "lineItem/UsageAmount", "lineItem/CurrencyCode",
    "lineItem/UnblendedRate", "lineItem/UnblendedCost", "pricing/publicOnDemandCost", "product/ProductName",
]
ACCOUNTS = ["111111111111", "222222222222", "333333333333"]
# (product code, product name, usage type, operation, rate per unit, typical amount)
PRODUCTS = [
    ("AmazonEC2", "Amazon Elastic Compute Cloud", "DataTransfer-Out-Bytes", "RunInstances", 0.143, 0.0003),
    ("AmazonEC2", "Amazon Elastic Compute Cloud", "BoxUsage:m5.large", "RunInstances", 0.096, 1.0),
    ("AmazonS3", "Amazon Simple Storage Service", "TimedStorage-ByteHrs", "PutObject", 0.023, 0.004),
    ("AWSLambda", "AWS Lambda", "Request", "Invoke", 2e-07, 40.0),
    ("AmazonDynamoDB", "Amazon DynamoDB", "ReadRequestUnits", "PayPerRequestThroughput", 2.5e-07, 300.0),
]


def main() -> None:
    rng = random.Random(2026)
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(HEADER)
    for n in range(300):
        code, name, usage_type, operation, rate, typical = PRODUCTS[n % len(PRODUCTS)]
        day, hour = 1 + n % 31, n % 24
        start = f"2026-10-{day:02d}T{hour:02d}:00:00Z"
        end = f"2026-10-{day:02d}T{hour:02d}:59:59Z" if hour == 23 else f"2026-10-{day:02d}T{hour + 1:02d}:00:00Z"
        amount = rng.uniform(0.05, 2.0) * typical
        cost = amount * rate
        line_type = "Tax" if n % 50 == 49 else "Usage"
        # Every 10th line AWS gives free: no actual cost, a public on-demand cost.
        actual = 0.0 if n % 10 == 7 else cost
        out.writerow([
            hashlib.sha1(f"line-{n}".encode()).hexdigest(), f"{start}/{end}", "AWS", "2026-10-01T00:00:00Z",
            "999999999999", ACCOUNTS[n % len(ACCOUNTS)], line_type, code, usage_type, operation, repr(amount),
            "USD", repr(rate), repr(actual), repr(cost), name,
        ])


if __name__ == "__main__":
    main()
